//! 用户: the operators, their roles (管理员, 编辑 of some groups, 只读), and
//! the 管理员's tools: add one, change a role, disable or enable, reset a
//! password (a new one, shown once; every session of theirs ends). Each is
//! audited. Who may open this page is decided in `access`, not here.

use super::super::operator::{Operator, Role};
use super::super::store::StoreError;
use super::super::{auth, db, Shared};
use super::{audit, db_failed, error_page, group_names, page_with};
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::{Extension, Form};
use serde_json::{json, Value};

/// A form's fields, in order; `groups` may repeat.
type Fields = Vec<(String, String)>;

fn field<'a>(fields: &'a Fields, name: &str) -> &'a str {
    fields
        .iter()
        .find(|(k, _)| k == name)
        .map_or("", |(_, v)| v.trim())
}

/// The role a form asks for: `role` and, for an editor, each `groups` checked.
fn role_from(fields: &Fields) -> Option<Role> {
    match field(fields, "role") {
        "admin" => Some(Role::Admin),
        "viewer" => Some(Role::Viewer),
        "editor" => Some(Role::Editor(
            fields
                .iter()
                .filter(|(k, v)| k == "groups" && !v.is_empty())
                .map(|(_, v)| v.clone())
                .collect(),
        )),
        _ => None,
    }
}

fn role_text(role: &Role) -> String {
    match role {
        Role::Editor(groups) if groups.is_empty() => "编辑（未指定分组）".into(),
        Role::Editor(groups) => format!("编辑（分组：{}）", groups.join("、")),
        other => other.label().into(),
    }
}

/// `GET /users`.
pub async fn list(State(console): State<Shared>, Extension(op): Extension<Operator>) -> Response {
    show(&console, &op, StatusCode::OK, json!({})).await
}

async fn show(console: &Shared, op: &Operator, code: StatusCode, extra: Value) -> Response {
    let users = match db(console, |s| s.users()).await {
        Ok(users) => users,
        Err(e) => return db_failed(console, op, &e),
    };
    let groups = group_names(console).await;
    let rows: Vec<Value> = users
        .iter()
        .map(|u| {
            let mine: Vec<&String> = match &u.role {
                Role::Editor(g) => g.iter().collect(),
                _ => Vec::new(),
            };
            json!({
                "name": u.name, "kind": u.role.kind(), "role": role_text(&u.role),
                "groups": mine, "disabled": u.disabled, "created_at": u.created_at,
                "me": u.name == op.user,
            })
        })
        .collect();
    let mut context = json!({ "title": "用户", "users": rows, "all_groups": groups });
    if let (Some(c), Some(e)) = (context.as_object_mut(), extra.as_object()) {
        c.extend(e.clone());
    }
    page_with(console, op, "users", "users.html", code, &mut context)
}

async fn refuse(console: &Shared, op: &Operator, code: StatusCode, error: &str) -> Response {
    show(console, op, code, json!({ "error": error })).await
}

/// `POST /users`: adds an operator with a password made here, shown once.
pub async fn add(
    State(console): State<Shared>,
    Extension(op): Extension<Operator>,
    Form(fields): Form<Fields>,
) -> Response {
    let name = field(&fields, "name").to_string();
    if name.is_empty()
        || name.chars().count() > auth::MAX_NAME_CHARS
        || !super::one_line(&name, auth::MAX_NAME_CHARS)
    {
        return refuse(
            &console,
            &op,
            StatusCode::UNPROCESSABLE_ENTITY,
            "用户名不能为空，一行，最多 64 个字。",
        )
        .await;
    }
    let Some(role) = role_from(&fields) else {
        return refuse(&console, &op, StatusCode::UNPROCESSABLE_ENTITY, "请选择角色。").await;
    };
    let (password, hash) = match new_password() {
        Ok(p) => p,
        Err(response) => return response(&console, &op),
    };
    let (n, r) = (name.clone(), role.clone());
    match db(&console, move |s| s.add_user(&n, &hash, &r)).await {
        Ok(()) => {}
        Err(StoreError::Exists(_)) => {
            return refuse(
                &console,
                &op,
                StatusCode::CONFLICT,
                &format!("用户名“{name}”已被使用。"),
            )
            .await
        }
        Err(e) => return db_failed(&console, &op, &e),
    }
    audit(
        &console,
        &op.user,
        "user_add",
        format!("添加用户 {name}，{}", role_text(&role)),
    )
    .await;
    show(
        &console,
        &op,
        StatusCode::OK,
        json!({ "password_for": name, "password": password }),
    )
    .await
}

type Failure = fn(&Shared, &Operator) -> Response;

/// A fresh password and its hash, or the page saying why none could be made.
fn new_password() -> Result<(String, String), Failure> {
    let failed: Failure = |console, op| {
        error_page(
            console,
            op,
            StatusCode::INTERNAL_SERVER_ERROR,
            super::NO_RANDOMNESS,
        )
    };
    let password = super::super::random_password().map_err(|_| failed)?;
    let hash = auth::hash_password(&password).map_err(|_| failed)?;
    Ok((password, hash))
}

/// `POST /users/<name>/<action>`: `role`, `disable`, `enable`, `password`.
pub async fn change(
    State(console): State<Shared>,
    Extension(op): Extension<Operator>,
    Path((name, action)): Path<(String, String)>,
    Form(fields): Form<Fields>,
) -> Response {
    let target = name.clone();
    let others = match db(&console, move |s| s.other_admins(&target)).await {
        Ok(n) => n,
        Err(e) => return db_failed(&console, &op, &e),
    };
    let demotes =
        matches!(action.as_str(), "disable") || action == "role" && role_from(&fields) != Some(Role::Admin);
    if demotes && others == 0 {
        return refuse(
            &console,
            &op,
            StatusCode::CONFLICT,
            "不能停用或降级最后一位管理员，否则无人能管理控制台。",
        )
        .await;
    }
    if action == "disable" && name == op.user {
        return refuse(&console, &op, StatusCode::CONFLICT, "不能停用自己的账号。").await;
    }
    let (n, detail, password) = (name.clone(), action.as_str(), None::<String>);
    let result = match detail {
        "role" => {
            let Some(role) = role_from(&fields) else {
                return refuse(&console, &op, StatusCode::UNPROCESSABLE_ENTITY, "请选择角色。").await;
            };
            let text = format!("用户 {name} 改为{}", role_text(&role));
            db(&console, move |s| s.set_role(&n, &role))
                .await
                .map(|()| (text, password))
        }
        "disable" | "enable" => {
            let off = detail == "disable";
            let text = format!("{}用户 {name}", if off { "停用" } else { "启用" });
            db(&console, move |s| s.set_disabled(&n, off))
                .await
                .map(|()| (text, password))
        }
        "password" => {
            let (password, hash) = match new_password() {
                Ok(p) => p,
                Err(response) => return response(&console, &op),
            };
            let text = format!("重置用户 {name} 的密码（其登录全部失效）");
            db(&console, move |s| s.reset_password(&n, &hash))
                .await
                .map(|()| (text, Some(password)))
        }
        _ => return error_page(&console, &op, StatusCode::NOT_FOUND, "没有这个操作。"),
    };
    match result {
        Ok((text, password)) => {
            audit(&console, &op.user, action_name(detail), text).await;
            match password {
                Some(p) => {
                    show(
                        &console,
                        &op,
                        StatusCode::OK,
                        json!({ "password_for": name, "password": p }),
                    )
                    .await
                }
                None => Redirect::to("/users").into_response(),
            }
        }
        Err(StoreError::Missing(_)) => error_page(&console, &op, StatusCode::NOT_FOUND, "没有这个用户。"),
        Err(e) => db_failed(&console, &op, &e),
    }
}

fn action_name(action: &str) -> &'static str {
    match action {
        "role" => "user_role",
        "disable" => "user_disable",
        "enable" => "user_enable",
        _ => "user_password",
    }
}
