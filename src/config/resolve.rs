//! What an item's content is in a given feed, and warnings for items that
//! find nothing there.

use super::diagnostic::{suggestion, Diagnostic, Locator, Severity};
use super::raw::RawConfig;
use super::settings::{Content, Settings};
use crate::feed::Feed;

/// What an item shows in a given feed: indices into its boards, lists or notices.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Resolved {
    /// Indices into the feed's `boards`, in document order.
    Boards(Vec<usize>),
    /// Indices into the feed's `lists`, in document order.
    Lists(Vec<usize>),
    /// Indices into the feed's `notices`, in document order.
    Notices(Vec<usize>),
}

impl Resolved {
    /// Whether the feed has nothing for the item.
    pub fn is_empty(&self) -> bool {
        match self {
            Resolved::Boards(v) | Resolved::Lists(v) | Resolved::Notices(v) => v.is_empty(),
        }
    }
}

/// The boards, lists or notices of `feed` that `content` chooses.
pub fn resolve(content: &Content, feed: &Feed) -> Resolved {
    fn first<'a>(mut ids: impl Iterator<Item = &'a str>, id: &str) -> Vec<usize> {
        ids.position(|i| i == id).into_iter().collect()
    }
    match content {
        Content::Board(id) => Resolved::Boards(first(feed.boards.iter().map(|b| b.id.as_str()), id)),
        Content::List(id) => Resolved::Lists(first(feed.lists.iter().map(|l| l.id.as_str()), id)),
        Content::Notice(id) => Resolved::Notices(first(feed.notices.iter().map(|n| n.id.as_str()), id)),
        Content::Select(sel) if sel.notices => Resolved::Notices((0..feed.notices.len()).collect()),
        Content::Select(sel) if sel.list.is_some() => Resolved::Lists(
            feed.lists
                .iter()
                .enumerate()
                .filter(|(_, l)| Some(l.kind) == sel.list)
                .map(|(i, _)| i)
                .collect(),
        ),
        Content::Select(sel) => Resolved::Boards(
            feed.boards
                .iter()
                .enumerate()
                .filter(|(_, b)| {
                    sel.level.is_none_or(|l| l == b.level)
                        && sel.group.as_ref().is_none_or(|g| b.group.as_ref() == Some(g))
                })
                .map(|(i, _)| i)
                .collect(),
        ),
    }
}

/// Warns about items whose content the feed does not have.
pub(super) fn against_feed(
    loc: &Locator,
    raw: &RawConfig,
    settings: &Settings,
    feed: &Feed,
    out: &mut Vec<Diagnostic>,
) {
    // The config's own messages are notices of what the screen shows.
    let shown = settings.shown_feed(&std::sync::Arc::new(feed.clone()));
    let feed = shown.as_ref();
    for (item, raw) in settings.playlist.iter().zip(&raw.playlist) {
        // A banner is no page: it has nothing to resolve.
        let banner =
            matches!(&item.content, Content::Notice(id) if settings.banners.iter().any(|b| &b.id == id));
        if banner || !resolve(&item.content, feed).is_empty() {
            continue;
        }
        let (span, what, id, known): (_, &str, &str, Vec<&str>) =
            match (&item.content, &raw.board, &raw.list, &raw.notice) {
                (Content::Board(id), Some(s), _, _) => (
                    s.span(),
                    "board",
                    id,
                    feed.boards.iter().map(|b| b.id.as_str()).collect(),
                ),
                (Content::List(id), _, Some(s), _) => (
                    s.span(),
                    "list",
                    id,
                    feed.lists.iter().map(|l| l.id.as_str()).collect(),
                ),
                (Content::Notice(id), _, _, Some(s)) => (
                    s.span(),
                    "notice",
                    id,
                    feed.notices.iter().map(|n| n.id.as_str()).collect(),
                ),
                _ => (raw.duration.span(), "the selector", "", Vec::new()),
            };
        let what = if id.is_empty() {
            what.to_string()
        } else {
            format!("{what} `{}`", super::diagnostic::quoted(id))
        };
        let hint = match suggestion(id, &known) {
            Some(s) => {
                format!("did you mean `{s}`? (ids change monthly: a select = {{ … }} item survives that)")
            }
            None if known.is_empty() => {
                "the feed has nothing of this kind now; the item is skipped".to_string()
            }
            None => format!("the feed has: {}", backticked(&known)),
        };
        out.push(loc.at(
            Severity::Warning,
            span,
            format!("{what} matches nothing in the current feed"),
            Some(hint),
        ));
    }
}

/// Ids as the messages write them: each in backticks, joined by ", ".
fn backticked(ids: &[&str]) -> String {
    ids.iter()
        .map(|id| format!("`{}`", super::diagnostic::quoted(id)))
        .collect::<Vec<_>>()
        .join(", ")
}
