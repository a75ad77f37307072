//! Messages an operator writes into the playlist itself (`message = {
//! title, body, from, until }`): each becomes a notice of the feed the
//! screen shows, under an id no feed can hold (`message.N`, N the item's
//! place in the playlist, counted from 1), so it is laid out, paged, turned
//! into a marquee on a strip, and switched on and off at its instants
//! exactly as a notice from the feed is.

use super::diagnostic::{error, Diagnostic, Locator};
use super::raw;
use super::settings::Settings;
use crate::feed::{Feed, Notice};
use chrono::{DateTime, FixedOffset};
use std::sync::Arc;
use toml::Spanned;

/// The longest body, in characters: a feed's notice may be as long.
const MAX_BODY: usize = 4000;
/// The longest title, in characters.
const MAX_TITLE: usize = 60;
/// The heading of a message that gives none.
const DEFAULT_TITLE: &str = "通知";

/// The notice id of the message of item `index` (0-based): `message.1` for
/// the first item. A dot is outside the feed's ids (`[a-z0-9_-]`), so no
/// feed's notice can take its place, and it still names a file (`render`).
pub(super) fn message_id(index: usize) -> String {
    format!("message.{}", index + 1)
}

/// Whether a notice id is an operator's message's (`message.N`).
pub fn is_message_id(id: &str) -> bool {
    id.strip_prefix("message.")
        .is_some_and(|n| !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit()))
}

/// The playlist's messages as notices, the banners (`banner = true`) apart
/// from the pages: (banners, pages). Each error is located in `out`.
pub(super) fn messages(
    loc: &Locator,
    playlist: &[raw::Item],
    out: &mut Vec<Diagnostic>,
) -> (Vec<Notice>, Vec<Notice>) {
    let mut banners = Vec::new();
    let mut pages = Vec::new();
    let written =
        (playlist.iter().enumerate()).filter_map(|(index, item)| Some((index, item.message.as_ref()?)));
    for (index, m) in written {
        let Some(notice) = message(loc, index, m, out) else {
            continue;
        };
        if m.get_ref().banner == Some(true) {
            banners.push(notice);
        } else {
            pages.push(notice);
        }
    }
    (banners, pages)
}

fn message(
    loc: &Locator,
    index: usize,
    m: &Spanned<raw::Message>,
    out: &mut Vec<Diagnostic>,
) -> Option<Notice> {
    let raw = m.get_ref();
    let body = raw.body.as_ref().map_or("", |b| b.get_ref().trim()).to_string();
    let body_span = raw.body.as_ref().map_or(m.span(), Spanned::span);
    let mut ok = true;
    if body.is_empty() {
        let message = "a message needs its text: body = \"…\"".to_string();
        out.push(error(
            loc,
            m.span(),
            message,
            "e.g. message = { title = \"停水通知\", body = \"明日 8:00 至 12:00 停水\" }",
        ));
        ok = false;
    } else if body.chars().count() > MAX_BODY {
        let message = format!(
            "the message's body has {} characters; at most {MAX_BODY}",
            body.chars().count()
        );
        out.push(error(
            loc,
            body_span,
            message,
            "shorten it, or split it into two messages",
        ));
        ok = false;
    }
    let title = raw
        .title
        .as_ref()
        .map_or(DEFAULT_TITLE.to_string(), |t| t.get_ref().trim().to_string());
    if title.chars().count() > MAX_TITLE {
        let span = raw.title.as_ref().map_or(m.span(), Spanned::span);
        let message = format!(
            "the message's title has {} characters; at most {MAX_TITLE}",
            title.chars().count()
        );
        out.push(error(
            loc,
            span,
            message,
            "a title is read from afar: keep it short",
        ));
        ok = false;
    }
    let from = instant(loc, raw.from.as_ref(), out, &mut ok);
    let until = instant(loc, raw.until.as_ref(), out, &mut ok);
    if let (Some(f), Some(u), Some(span)) = (from, until, raw.until.as_ref().map(Spanned::span)) {
        if u <= f {
            out.push(error(
                loc,
                span,
                "the message ends before it starts".into(),
                "until must be later than from",
            ));
            ok = false;
        }
    }
    ok.then(|| Notice {
        id: message_id(index),
        title: if title.is_empty() {
            DEFAULT_TITLE.to_string()
        } else {
            title
        },
        body,
        from,
        until,
    })
}

/// An RFC 3339 instant, or an error at its place.
fn instant(
    loc: &Locator,
    text: Option<&Spanned<String>>,
    out: &mut Vec<Diagnostic>,
    ok: &mut bool,
) -> Option<DateTime<FixedOffset>> {
    let text = text?;
    match DateTime::parse_from_rfc3339(text.get_ref().trim()) {
        Ok(t) => Some(t),
        Err(_) => {
            let message = format!(
                "`{}` is not a date and time",
                super::diagnostic::quoted(text.get_ref())
            );
            out.push(error(
                loc,
                text.span(),
                message,
                "write it as 2026-12-05T08:00:00+08:00",
            ));
            *ok = false;
            None
        }
    }
}

impl Settings {
    /// `feed` with this config's messages added as notices: what the screen
    /// shows (banners are not among them: they are no page). The same `Arc`
    /// when the config writes none.
    pub fn shown_feed(&self, feed: &Arc<Feed>) -> Arc<Feed> {
        if self.messages.is_empty() {
            return feed.clone();
        }
        let mut shown = (**feed).clone();
        shown.notices.extend(self.messages.iter().cloned());
        Arc::new(shown)
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    fn parse(text: &str) -> super::super::Checked {
        super::super::parse("m.toml", text, None)
    }

    #[test]
    fn a_message_item_is_a_notice_with_its_instants() {
        let checked = parse(
            "[[playlist]]\nselect = { level = \"township\" }\n\n[[playlist]]\n\
             message = { title = \"寒潮预警\", body = \"今夜至明日气温骤降。\", \
             from = \"2026-12-05T08:00:00+08:00\", until = \"2026-12-06T08:00:00+08:00\" }\npriority = true\n",
        );
        assert!(checked.diagnostics.is_empty(), "{:?}", checked.diagnostics);
        let settings = checked.settings.unwrap();
        assert_eq!(
            settings.playlist[1].content,
            super::super::Content::Notice("message.2".into())
        );
        let m = &settings.messages[0];
        assert_eq!(
            (m.id.as_str(), m.title.as_str(), m.body.as_str()),
            ("message.2", "寒潮预警", "今夜至明日气温骤降。")
        );
        let at = |t: &str| DateTime::parse_from_rfc3339(t).unwrap();
        assert!(!m.is_active(at("2026-12-05T07:59:59+08:00")));
        assert!(m.is_active(at("2026-12-05T08:00:00+08:00")));
        assert!(!m.is_active(at("2026-12-06T08:00:00+08:00")));
        let feed = Arc::new(crate::feed::demo().unwrap().0);
        let shown = settings.shown_feed(&feed);
        assert_eq!(shown.notices.len(), feed.notices.len() + 1);
    }

    #[test]
    fn a_bad_message_is_refused_where_it_stands() {
        for (text, wanted) in [
            ("message = { body = \"  \" }", "m.toml:2:11: error: a message needs its text"),
            ("message = { body = \"x\", until = \"tomorrow\" }", "error: `tomorrow` is not a date and time"),
            (
                "message = { body = \"x\", from = \"2026-12-06T08:00:00+08:00\", until = \"2026-12-05T08:00:00+08:00\" }",
                "error: the message ends before it starts",
            ),
            ("message = { body = \"x\" }\nnotice = \"n\"", "error: an item must choose exactly one of board, list, notice, message or select"),
        ] {
            let checked = parse(&format!("[[playlist]]\n{text}\n"));
            assert!(checked.settings.is_none(), "{text}");
            let said: Vec<String> = checked.diagnostics.iter().map(|d| d.to_string()).collect();
            assert!(said.iter().any(|s| s.contains(wanted)), "{text}: {said:?}");
        }
    }
}
