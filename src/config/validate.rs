//! Checks on a parsed config: unknown keys, impossible values, windows, and
//! content the feed does not have.

use super::diagnostic::{suggestion, Diagnostic, Locator, Severity};
use super::model::{known_keys, Config, Item, Window};
use crate::feed::{Feed, Level, ListKind};
use toml::de::{DeTable, DeValue};
use toml::Spanned;

/// Reports every key not in the known set of its table, with a suggestion.
pub(crate) fn unknown_keys(loc: &Locator, table: &DeTable, path: &str, out: &mut Vec<Diagnostic>) {
    let known = known_keys(path);
    for (key, value) in table.iter() {
        let name = key.get_ref().as_ref();
        if !known.contains(&name) {
            let place = if path.is_empty() {
                "at the top level".to_string()
            } else {
                format!("in [{path}]")
            };
            let hint = match suggestion(name, known) {
                Some(s) => format!("did you mean `{s}`?"),
                None => format!("known keys here: {}", known.join(", ")),
            };
            out.push(loc.at(
                Severity::Error,
                key.span(),
                format!("unknown key `{name}` {place}"),
                Some(hint),
            ));
            continue;
        }
        let sub = if path.is_empty() {
            name.to_string()
        } else {
            format!("{path}.{name}")
        };
        match value.get_ref() {
            DeValue::Table(t) => unknown_keys(loc, t, &sub, out),
            DeValue::Array(items) => {
                for item in items.iter() {
                    if let DeValue::Table(t) = item.get_ref() {
                        unknown_keys(loc, t, &sub, out);
                    }
                }
            }
            _ => {}
        }
    }
}

/// Minutes after midnight of `HH:MM` (`24:00` allowed as the end of a day).
pub fn parse_clock_time(text: &str) -> Option<u32> {
    let (h, m) = text.split_once(':')?;
    if h.len() != 2 || m.len() != 2 {
        return None;
    }
    let (h, m): (u32, u32) = (h.parse().ok()?, m.parse().ok()?);
    (h < 24 && m < 60 || h == 24 && m == 0).then_some(h * 60 + m)
}

fn error(loc: &Locator, span: std::ops::Range<usize>, message: String, hint: &str) -> Diagnostic {
    loc.at(Severity::Error, span, message, Some(hint.to_string()))
}

fn check_time(loc: &Locator, t: &Spanned<String>, out: &mut Vec<Diagnostic>) -> Option<u32> {
    let minutes = parse_clock_time(t.get_ref());
    if minutes.is_none() {
        let message = format!("`{}` is not a time of day", t.get_ref());
        out.push(error(
            loc,
            t.span(),
            message,
            "write 24-hour HH:MM, e.g. \"08:00\" or \"17:30\"",
        ));
    }
    minutes
}

/// Checks every value whose validity serde cannot see.
pub(crate) fn values(loc: &Locator, config: &Config, out: &mut Vec<Diagnostic>) {
    let s = &config.screen;
    if s.size.get_ref() != "monitor" && crate::layout::ScreenProfile::parse(s.size.get_ref()).is_err() {
        let message = format!("screen size `{}` is not usable", s.size.get_ref());
        out.push(error(
            loc,
            s.size.span(),
            message,
            "write \"monitor\" or WIDTHxHEIGHT, e.g. \"1920x1080\"",
        ));
    }
    if ![0, 90, 180, 270].contains(s.rotation.get_ref()) {
        let message = format!("rotation {} is not a quarter turn", s.rotation.get_ref());
        out.push(error(loc, s.rotation.span(), message, "use 0, 90, 180 or 270"));
    }
    if *s.pixel_shift.get_ref() > 32 {
        let message = format!("pixel_shift {} is too large", s.pixel_shift.get_ref());
        out.push(error(
            loc,
            s.pixel_shift.span(),
            message,
            "a few pixels (0 to 32) are enough against burn-in",
        ));
    }
    if *s.pixel_shift_minutes.get_ref() == 0 {
        let message = "pixel_shift_minutes must be at least 1".to_string();
        out.push(error(
            loc,
            s.pixel_shift_minutes.span(),
            message,
            "e.g. pixel_shift_minutes = 4",
        ));
    }
    if crate::schedule_zone(s.time_zone.get_ref()).is_none() {
        let message = format!("unknown time zone `{}`", s.time_zone.get_ref());
        out.push(error(
            loc,
            s.time_zone.span(),
            message,
            "use \"Asia/Shanghai\", \"UTC\" or an offset like \"+08:00\"",
        ));
    }
    if let Some(h) = &s.display_hours {
        let (from, until) = (check_time(loc, &h.from, out), check_time(loc, &h.until, out));
        if from.is_some() && from == until {
            out.push(error(
                loc,
                h.from.span(),
                "display hours are empty".into(),
                "`from` and `until` must differ",
            ));
        }
    }
    status_values(loc, config, out);
    if config.playlist.is_empty() {
        let warning = "the playlist is empty: the screen shows every board, list and notice of the feed";
        out.push(loc.at(
            Severity::Warning,
            0..0,
            warning.into(),
            Some("add [[playlist]] items".into()),
        ));
    }
    for item in &config.playlist {
        item_values(loc, item, out);
    }
}

fn status_values(loc: &Locator, config: &Config, out: &mut Vec<Diagnostic>) {
    let addr = &config.status.addr;
    if addr.get_ref() == "off" {
        return;
    }
    match addr.get_ref().parse::<std::net::SocketAddr>() {
        Err(_) => out.push(error(
            loc,
            addr.span(),
            format!("status address `{}` is not HOST:PORT", addr.get_ref()),
            "e.g. addr = \"127.0.0.1:9470\", or \"off\"",
        )),
        Ok(a) => {
            if let Err(message) = crate::status::check_bind(&a, config.status.token.as_deref()) {
                out.push(error(loc, addr.span(), message, "add token = \"…\" to [status]"));
            }
        }
    }
}

fn item_values(loc: &Locator, item: &Item, out: &mut Vec<Diagnostic>) {
    let ids: Vec<std::ops::Range<usize>> = [&item.board, &item.list, &item.notice]
        .into_iter()
        .flatten()
        .map(|s| s.span())
        .collect();
    if ids.len() + usize::from(item.select.is_some()) != 1 {
        // Point at the second choice, else at whatever of the item has a place.
        let span = ids
            .get(1)
            .or(ids.first())
            .cloned()
            .unwrap_or_else(|| item.duration.span());
        out.push(error(
            loc,
            span,
            "an item must choose exactly one of board, list, notice or select".into(),
            "e.g. board = \"towns-2026-11\" or select = { list = \"red\" }",
        ));
    }
    if !(*item.duration.get_ref() > 0.0 && item.duration.get_ref().is_finite()) {
        out.push(error(
            loc,
            item.duration.span(),
            "duration must be a positive number of seconds".into(),
            "e.g. duration = 10",
        ));
    }
    if let Some(rows) = &item.rows {
        let ok = match rows.get_ref() {
            super::Rows::Count(n) => *n >= 1,
            super::Rows::Word(w) => w == "fit",
        };
        if !ok {
            out.push(error(
                loc,
                rows.span(),
                "rows must be a positive number or \"fit\"".into(),
                "e.g. rows = 8, or rows = \"fit\" for as many as fit",
            ));
        }
    }
    let speed = *item.scroll_speed.get_ref();
    if !(10..=2000).contains(&speed) {
        out.push(error(
            loc,
            item.scroll_speed.span(),
            format!("scroll_speed {speed} is out of range"),
            "give 10 to 2000 pixels per second; 120 is 2 pixels a frame at 60 Hz",
        ));
    }
    let kind = item.transition.kind.get_ref().as_str();
    if !["cut", "fade", "slide"].contains(&kind) {
        let hint = suggestion(kind, &["cut", "fade", "slide"])
            .map_or("use cut, fade or slide".to_string(), |s| {
                format!("did you mean `{s}`?")
            });
        out.push(loc.at(
            Severity::Error,
            item.transition.kind.span(),
            format!("unknown transition `{kind}`"),
            Some(hint),
        ));
    }
    let mut spans = Vec::new();
    for w in &item.windows {
        if let Some(span) = window_values(loc, w, out) {
            spans.push(span);
        }
    }
    for (i, a) in spans.iter().enumerate() {
        for b in &spans[i + 1..] {
            if a.1 && b.1 && a.0 .0 < b.0 .1 && b.0 .0 < a.0 .1 {
                let message = "this window overlaps an earlier one of the same item".to_string();
                out.push(loc.at(
                    Severity::Warning,
                    b.2.clone(),
                    message,
                    Some("merge the two windows".into()),
                ));
            }
        }
    }
}

/// Checks one window; returns ((from, until), every-day, span) for overlap checks.
#[allow(clippy::type_complexity)]
fn window_values(
    loc: &Locator,
    w: &Window,
    out: &mut Vec<Diagnostic>,
) -> Option<((u32, u32), bool, std::ops::Range<usize>)> {
    const DAYS: [&str; 7] = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"];
    for d in &w.days {
        if !DAYS.contains(&d.get_ref().as_str()) {
            let hint = suggestion(d.get_ref(), &DAYS)
                .map_or("use mon, tue, wed, thu, fri, sat, sun".into(), |s| {
                    format!("did you mean `{s}`?")
                });
            out.push(loc.at(
                Severity::Error,
                d.span(),
                format!("unknown day `{}`", d.get_ref()),
                Some(hint),
            ));
        }
    }
    for date in [&w.start_date, &w.end_date].into_iter().flatten() {
        if chrono::NaiveDate::parse_from_str(date.get_ref(), "%Y-%m-%d").is_err() {
            out.push(error(
                loc,
                date.span(),
                format!("`{}` is not a date", date.get_ref()),
                "write YYYY-MM-DD",
            ));
        }
    }
    let from = w.from.as_ref().map(|t| (check_time(loc, t, out), t.span()));
    let until = w.until.as_ref().map(|t| (check_time(loc, t, out), t.span()));
    let (Some((Some(f), span)), Some((Some(u), _))) = (from, until) else {
        return None;
    };
    if f == u {
        out.push(error(
            loc,
            span,
            "this window is empty: `from` equals `until`".into(),
            "give the window a length",
        ));
        return None;
    }
    Some(((f, u), w.days.is_empty(), span))
}

/// What an item shows in a given feed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Resolved {
    Boards(Vec<usize>),
    Lists(Vec<usize>),
    Notices(Vec<usize>),
}

impl Resolved {
    pub fn is_empty(&self) -> bool {
        match self {
            Resolved::Boards(v) | Resolved::Lists(v) | Resolved::Notices(v) => v.is_empty(),
        }
    }
}

/// The boards, lists or notices of `feed` that `item` chooses.
pub fn resolve_item(item: &Item, feed: &Feed) -> Resolved {
    let by_id = |id: &Option<Spanned<String>>, ids: Vec<&str>| -> Vec<usize> {
        id.as_ref().map_or(Vec::new(), |id| {
            ids.iter().position(|i| i == id.get_ref()).into_iter().collect()
        })
    };
    if item.board.is_some() {
        return Resolved::Boards(by_id(
            &item.board,
            feed.boards.iter().map(|b| b.id.as_str()).collect(),
        ));
    }
    if item.list.is_some() {
        return Resolved::Lists(by_id(
            &item.list,
            feed.lists.iter().map(|l| l.id.as_str()).collect(),
        ));
    }
    if item.notice.is_some() {
        return Resolved::Notices(by_id(
            &item.notice,
            feed.notices.iter().map(|n| n.id.as_str()).collect(),
        ));
    }
    let Some(sel) = &item.select else {
        return Resolved::Boards(Vec::new());
    };
    if sel.notices {
        return Resolved::Notices((0..feed.notices.len()).collect());
    }
    if let Some(kind) = &sel.list {
        let want = match kind.get_ref().as_str() {
            "red" => Some(ListKind::Red),
            "black" => Some(ListKind::Black),
            _ => None,
        };
        return Resolved::Lists(
            feed.lists
                .iter()
                .enumerate()
                .filter(|(_, l)| Some(l.kind) == want)
                .map(|(i, _)| i)
                .collect(),
        );
    }
    let level = sel.level.as_ref().map(|l| match l.get_ref().as_str() {
        "township" => Some(Level::Township),
        "village" => Some(Level::Village),
        "household" => Some(Level::Household),
        _ => None,
    });
    let boards = feed.boards.iter().enumerate().filter(|(_, b)| {
        level.is_none_or(|l| l == Some(b.level))
            && sel.group.as_ref().is_none_or(|g| b.group.as_ref() == Some(g))
    });
    Resolved::Boards(boards.map(|(i, _)| i).collect())
}

/// Warns about items whose content the feed does not have.
pub(crate) fn against_feed(loc: &Locator, config: &Config, feed: &Feed, out: &mut Vec<Diagnostic>) {
    for item in &config.playlist {
        if !resolve_item(item, feed).is_empty() {
            continue;
        }
        let (span, what, known): (_, String, Vec<&str>) = if let Some(id) = &item.board {
            (
                id.span(),
                format!("board `{}`", id.get_ref()),
                feed.boards.iter().map(|b| b.id.as_str()).collect(),
            )
        } else if let Some(id) = &item.list {
            (
                id.span(),
                format!("list `{}`", id.get_ref()),
                feed.lists.iter().map(|l| l.id.as_str()).collect(),
            )
        } else if let Some(id) = &item.notice {
            (
                id.span(),
                format!("notice `{}`", id.get_ref()),
                feed.notices.iter().map(|n| n.id.as_str()).collect(),
            )
        } else {
            (item.duration.span(), "the selector".to_string(), Vec::new())
        };
        let hint = match suggestion(what.split('`').nth(1).unwrap_or(""), &known) {
            Some(s) => {
                format!("did you mean `{s}`? (ids change monthly: a select = {{ … }} item survives that)")
            }
            None if known.is_empty() => {
                "the feed has nothing of this kind now; the item is skipped".to_string()
            }
            None => format!("the feed has: {}", known.join(", ")),
        };
        out.push(loc.at(
            Severity::Warning,
            span,
            format!("{what} matches nothing in the current feed"),
            Some(hint),
        ));
    }
}
