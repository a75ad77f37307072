//! Who is logged in: what the session check in `routes` hands to every page
//! handler. Its own file so that the pages and the routes both stand on it
//! rather than on each other.

/// Who is logged in, for the handlers behind the routes' session check.
#[derive(Clone, Debug)]
pub struct Operator {
    /// The operator's user name.
    pub user: String,
    /// The session's CSRF token, which every form of the page must carry.
    pub csrf: String,
}
