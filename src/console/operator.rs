//! Who is logged in and what they may do: what the session check in
//! `routes` hands to every page handler. Its own file so that the pages and
//! the routes both stand on it rather than on each other.

/// What an operator may do. Stored as `admin`, `editor` or `viewer`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Role {
    /// 管理员: everything, including screens and operators.
    Admin,
    /// 编辑: edit, preview and publish the playlists of these groups, and
    /// ask their screens for a screenshot; see everything else.
    Editor(Vec<String>),
    /// 只读: see every page, change nothing.
    Viewer,
}

impl Role {
    /// The role stored as `kind` with the groups `groups` (one per line);
    /// an unknown kind is read as 只读, so a damaged row grants nothing.
    pub fn from_stored(kind: &str, groups: &str) -> Role {
        match kind {
            "admin" => Role::Admin,
            "editor" => Role::Editor(
                groups
                    .lines()
                    .map(str::trim)
                    .filter(|g| !g.is_empty())
                    .map(String::from)
                    .collect(),
            ),
            _ => Role::Viewer,
        }
    }

    /// The stored kind (`admin`, `editor`, `viewer`).
    pub fn kind(&self) -> &'static str {
        match self {
            Role::Admin => "admin",
            Role::Editor(_) => "editor",
            Role::Viewer => "viewer",
        }
    }

    /// The groups stored beside the kind, one per line (editors only).
    pub fn stored_groups(&self) -> String {
        match self {
            Role::Editor(groups) => groups.join("\n"),
            _ => String::new(),
        }
    }

    /// The role's name as the pages show it.
    pub fn label(&self) -> &'static str {
        match self {
            Role::Admin => "管理员",
            Role::Editor(_) => "编辑",
            Role::Viewer => "只读",
        }
    }

    /// Whether this role may change the playlist of `group` and publish it.
    pub fn may_edit(&self, group: &str) -> bool {
        match self {
            Role::Admin => true,
            Role::Editor(groups) => groups.iter().any(|g| g == group),
            Role::Viewer => false,
        }
    }

    /// Whether this role manages screens, groups and operators.
    pub fn is_admin(&self) -> bool {
        *self == Role::Admin
    }
}

/// Who is logged in, for the handlers behind the routes' session check.
#[derive(Clone, Debug)]
pub struct Operator {
    /// The operator's user name.
    pub user: String,
    /// The session's CSRF token, which every form of the page must carry.
    pub csrf: String,
    /// What the operator may do.
    pub role: Role,
}

#[cfg(test)]
mod tests {
    use super::Role;

    #[test]
    fn roles_are_stored_and_read_back_and_unknown_grants_nothing() {
        let editor = Role::Editor(vec!["towns".into(), "乡镇 屏".into()]);
        for role in [Role::Admin, editor.clone(), Role::Viewer] {
            assert_eq!(Role::from_stored(role.kind(), &role.stored_groups()), role);
        }
        assert!(editor.may_edit("乡镇 屏") && !editor.may_edit("villages"));
        assert!(!editor.is_admin() && Role::Admin.may_edit("any"));
        assert_eq!(Role::from_stored("root", ""), Role::Viewer);
    }
}
