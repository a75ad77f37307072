//! Who may do what, route by route, in one table the router's middleware
//! consults for every request behind the login: a page that hides a button
//! is a convenience, this is the rule. A route missing from the table is
//! for 管理员 only, so a new route is closed until someone opens it here.

use super::operator::Role;
use axum::http::Method;

/// What a request needs of the operator's role.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Need {
    /// Any operator: the pages that only show.
    View,
    /// The right to change and publish this group's playlist.
    Group(String),
    /// The right to change the group the screen with this id is in.
    Screen(String),
    /// The right to edit some group (管理员 or 编辑); the handler checks
    /// each group the request names.
    Editing,
    /// 管理员.
    Admin,
}

/// What `method` on the route `template` (as the router spells it, e.g.
/// `/playlists/{group}`) needs; `param` gives a path parameter's decoded value.
pub fn need<'a>(method: &Method, template: &str, param: impl Fn(&str) -> Option<&'a str>) -> Need {
    let get = method == Method::GET || method == Method::HEAD;
    let owned = |name: &str| param(name).unwrap_or_default().to_string();
    match (get, template) {
        (true, "/" | "/playlists" | "/playlists/{group}" | "/publish" | "/preview")
        | (true, "/preview.png" | "/data" | "/data/slide/{file}" | "/audit")
        | (true, "/preview/message.png")
        | (true, "/screens/{id}/thumb.png")
        | (true, "/screens/{id}/shot.png" | "/calendar" | "/plays" | "/plays.csv")
        | (false, "/logout") => Need::View,
        (_, "/playlists/{group}" | "/publish/{group}/{number}") => Need::Group(owned("group")),
        (false, "/screens/{id}/screenshot" | "/screens/{id}/command") => Need::Screen(owned("id")),
        (false, "/groups/{group}/command") => Need::Group(owned("group")),
        // The groups are in the form: the handler checks each.
        (true, "/emergency") => Need::View,
        (false, "/emergency" | "/emergency/withdraw") => Need::Editing,
        // The office's data: 管理员 and 编辑, not 只读.
        (_, "/entry" | "/entry/template.xlsx" | "/entry/check" | "/entry/publish") => Need::Editing,
        (true, "/entry/draft/{id}/{file}") => Need::Editing,
        _ => Need::Admin,
    }
}

/// Whether `role` meets `need`; `screen_group` is the group of the screen
/// a [`Need::Screen`] names (`None` when there is no such screen).
pub fn allows(role: &Role, need: &Need, screen_group: Option<&str>) -> bool {
    match need {
        Need::View => true,
        Need::Group(group) => role.may_edit(group),
        Need::Screen(_) => role.is_admin() || screen_group.is_some_and(|g| role.may_edit(g)),
        Need::Editing => !matches!(role, Role::Viewer),
        Need::Admin => role.is_admin(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pages_that_show_are_open_and_changes_need_their_group_or_an_admin() {
        let (get, post) = (Method::GET, Method::POST);
        let params = |name: &str| match name {
            "group" => Some("乡镇"),
            "id" => Some("s1"),
            _ => None,
        };
        assert_eq!(need(&get, "/", params), Need::View);
        assert_eq!(need(&get, "/playlists/{group}", params), Need::View);
        let towns = Need::Group("乡镇".into());
        assert_eq!(need(&post, "/playlists/{group}", params), towns);
        assert_eq!(need(&get, "/publish/{group}/{number}", params), towns);
        assert_eq!(need(&post, "/playlists", params), Need::Admin);
        assert_eq!(need(&get, "/users", params), Need::Admin);
        assert_eq!(need(&get, "/screens/new", params), Need::Admin);
        assert_eq!(need(&post, "/screens/{id}/remove", params), Need::Admin);
        let s1 = Need::Screen("s1".into());
        assert_eq!(need(&post, "/screens/{id}/screenshot", params), s1);
        assert_eq!(need(&post, "/screens/{id}/command", params), s1);
        assert_eq!(need(&post, "/groups/{group}/command", params), towns);
        assert_eq!(need(&get, "/something-new", params), Need::Admin);
        let editor = Role::Editor(vec!["towns".into()]);
        assert!(allows(&editor, &Need::Screen("s1".into()), Some("towns")));
        assert!(!allows(&editor, &Need::Screen("s1".into()), Some("villages")));
        assert!(!allows(&editor, &Need::Screen("s1".into()), None));
        assert!(!allows(&Role::Viewer, &Need::Group("towns".into()), None));
        assert!(allows(&Role::Viewer, &Need::View, None));
    }
}
