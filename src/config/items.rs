//! Playlist items and their windows, from the raw file into typed values.

use super::diagnostic::{error, quoted, suggestion, Diagnostic, Locator, Severity};
use super::raw::{self, Rows};
use super::settings::{Content, Item, Selector, Transition, TransitionKind, Window};
use super::time::{clock_time, DailySpan, MinuteOfDay, Weekdays};
use crate::feed::{Level, ListKind};
use crate::slide::BoardView;
use std::time::Duration;
use toml::Spanned;

/// Item `index` of the playlist; errors are pushed to `out`.
pub(super) fn item(loc: &Locator, index: usize, raw: &raw::Item, out: &mut Vec<Diagnostic>) -> Item {
    let duration = *raw.duration.get_ref();
    if !(duration > 0.0 && duration <= MAX_PAGE_SECS) {
        out.push(error(
            loc,
            raw.duration.span(),
            "duration must be a positive number of seconds, at most a day (86400)".into(),
            "e.g. duration = 10",
        ));
    }
    let speed = *raw.scroll_speed.get_ref();
    if !(10..=2000).contains(&speed) {
        out.push(error(
            loc,
            raw.scroll_speed.span(),
            format!("scroll_speed {speed} is out of range"),
            "give 10 to 2000 pixels per second; 120 is 2 pixels a frame at 60 Hz",
        ));
    }
    let max_time = *raw.max_time.get_ref();
    if !(10.0..=MAX_PAGE_SECS).contains(&max_time) {
        out.push(error(
            loc,
            raw.max_time.span(),
            format!("max_time {max_time} is out of range"),
            "give 10 to 86400 seconds per cycle; the default 300 lets a long list continue at its next turn",
        ));
    }
    let windows = windows(loc, &raw.windows, out);
    Item {
        content: content(loc, (index, raw), out),
        duration: secs(duration),
        rows: rows(loc, raw.rows.as_ref(), out),
        transition: transition(loc, &raw.transition, out),
        windows,
        mask_names: raw.mask_names,
        priority: raw.priority,
        scroll: raw.scroll,
        scroll_speed: speed,
        max_time: secs(max_time),
    }
}

/// The longest page: a day. Longer ones would only overflow the schedule's
/// arithmetic; a page that should stay for ever is one item with one page.
const MAX_PAGE_SECS: f64 = 86_400.0;

/// The longest transition.
const MAX_TRANSITION_SECS: f64 = 10.0;

/// Seconds as a duration rounded to the millisecond, as the schedule counts
/// them; anything outside 0 … a day is zero (only ever kept when an error
/// was reported).
fn secs(s: f64) -> Duration {
    if (0.0..=MAX_PAGE_SECS).contains(&s) {
        Duration::from_millis((s * 1000.0).round() as u64)
    } else {
        Duration::ZERO
    }
}

fn content(loc: &Locator, (index, raw): (usize, &raw::Item), out: &mut Vec<Diagnostic>) -> Content {
    let mut ids: Vec<std::ops::Range<usize>> = [&raw.board, &raw.list, &raw.notice]
        .into_iter()
        .flatten()
        .map(|s| s.span())
        .collect();
    ids.extend(raw.message.as_ref().map(Spanned::span));
    if ids.len() + usize::from(raw.select.is_some()) != 1 {
        // Point at the second choice, else at whatever of the item has a place.
        let span = ids
            .get(1)
            .or(ids.first())
            .cloned()
            .unwrap_or_else(|| raw.duration.span());
        out.push(error(
            loc,
            span,
            "an item must choose exactly one of board, list, notice, message or select".into(),
            "e.g. board = \"towns-2026-11\" or select = { list = \"red\" }",
        ));
    }
    let id = |s: &Spanned<String>| s.get_ref().clone();
    if let Some(b) = &raw.board {
        return Content::Board(id(b));
    }
    if let Some(l) = &raw.list {
        return Content::List(id(l));
    }
    if let Some(n) = &raw.notice {
        return Content::Notice(id(n));
    }
    if raw.message.is_some() {
        return Content::Notice(super::message::message_id(index));
    }
    Content::Select(
        raw.select
            .as_ref()
            .map_or_else(Selector::default, |s| selector(loc, s, out)),
    )
}

fn selector(loc: &Locator, s: &raw::Selector, out: &mut Vec<Diagnostic>) -> Selector {
    let level = s.level.as_ref().and_then(|l| {
        let level = match l.get_ref().as_str() {
            "township" => Some(Level::Township),
            "village" => Some(Level::Village),
            "household" => Some(Level::Household),
            _ => None,
        };
        if level.is_none() {
            let known = ["township", "village", "household"];
            out.push(unknown(loc, l, "level", &known));
        }
        level
    });
    let list = s.list.as_ref().and_then(|k| {
        let kind = match k.get_ref().as_str() {
            "red" => Some(ListKind::Red),
            "black" => Some(ListKind::Black),
            _ => None,
        };
        if kind.is_none() {
            out.push(unknown(loc, k, "list kind", &["red", "black"]));
        }
        kind
    });
    let view = s.view.as_ref().and_then(|v| {
        let view = BoardView::from_word(v.get_ref());
        if view.is_none() {
            let known: Vec<&str> = BoardView::ALL.iter().map(|v| v.word()).collect();
            out.push(unknown(loc, v, "view", &known));
        } else if list.is_some() || s.notices {
            out.push(error(
                loc,
                v.span(),
                "a view shows boards, not lists or notices".into(),
                "e.g. select = { level = \"township\", view = \"scores\" }",
            ));
        }
        view
    });
    Selector {
        level,
        group: s.group.clone(),
        list,
        notices: s.notices,
        view,
    }
}

/// An unknown word with the known word it most resembles.
fn unknown(loc: &Locator, word: &Spanned<String>, what: &str, known: &[&str]) -> Diagnostic {
    let hint = suggestion(word.get_ref(), known).map_or_else(
        || format!("use {}", known.join(", ")),
        |s| format!("did you mean `{s}`?"),
    );
    loc.at(
        Severity::Error,
        word.span(),
        format!("unknown {what} `{}`", quoted(word.get_ref())),
        Some(hint),
    )
}

fn rows(loc: &Locator, rows: Option<&Spanned<Rows>>, out: &mut Vec<Diagnostic>) -> Option<usize> {
    let rows = rows?;
    match rows.get_ref() {
        Rows::Count(n) if *n >= 1 => Some(usize::try_from(*n).unwrap_or(usize::MAX)),
        Rows::Word(w) if w == "fit" => None,
        _ => {
            out.push(error(
                loc,
                rows.span(),
                "rows must be a positive number or \"fit\"".into(),
                "e.g. rows = 8, or rows = \"fit\" for as many as fit",
            ));
            None
        }
    }
}

fn transition(loc: &Locator, t: &raw::Transition, out: &mut Vec<Diagnostic>) -> Transition {
    let name = t.kind.get_ref().as_str();
    let kind = TransitionKind::parse(name).unwrap_or_else(|| {
        let hint = suggestion(name, &TransitionKind::NAMES)
            .map_or("use cut, fade or slide".to_string(), |s| {
                format!("did you mean `{s}`?")
            });
        out.push(loc.at(
            Severity::Error,
            t.kind.span(),
            format!("unknown transition `{}`", quoted(name)),
            Some(hint),
        ));
        TransitionKind::Cut
    });
    if !(0.0..=MAX_TRANSITION_SECS).contains(&t.duration) {
        out.push(error(
            loc,
            t.kind.span(),
            format!("transition duration {} is out of range", t.duration),
            "give 0 to 10 seconds, e.g. transition = { kind = \"fade\", duration = 0.6 }",
        ));
    }
    Transition {
        kind,
        duration: secs(t.duration),
    }
}

/// Every window of an item; windows of every day that overlap an earlier
/// one are warned about.
fn windows(loc: &Locator, raw: &[raw::Window], out: &mut Vec<Diagnostic>) -> Vec<Window> {
    let mut typed: Vec<(Window, std::ops::Range<usize>, bool)> = Vec::new();
    for w in raw {
        let (window, span, timed) = window(loc, w, out);
        for (earlier, _, earlier_timed) in &typed {
            let every_day = earlier.days.is_all() && window.days.is_all();
            if timed && *earlier_timed && every_day && earlier.hours.overlaps(window.hours) {
                out.push(loc.at(
                    Severity::Warning,
                    span.clone(),
                    "this window overlaps an earlier one of the same item".into(),
                    Some("merge the two windows".into()),
                ));
                break;
            }
        }
        typed.push((window, span, timed));
    }
    typed.into_iter().map(|(w, _, _)| w).collect()
}

/// One window, with the span of its `from` and whether both times were given.
fn window(
    loc: &Locator,
    w: &raw::Window,
    out: &mut Vec<Diagnostic>,
) -> (Window, std::ops::Range<usize>, bool) {
    let mut days = if w.days.is_empty() {
        Weekdays::ALL
    } else {
        Weekdays::NONE
    };
    for d in &w.days {
        match Weekdays::index_of(d.get_ref()) {
            Some(i) => days = days.with(i),
            None => out.push(unknown(loc, d, "day", &Weekdays::NAMES)),
        }
    }
    let mut date = |d: &Option<Spanned<String>>| {
        let d = d.as_ref()?;
        let parsed = chrono::NaiveDate::parse_from_str(d.get_ref(), "%Y-%m-%d").ok();
        if parsed.is_none() {
            out.push(error(
                loc,
                d.span(),
                format!("`{}` is not a date", quoted(d.get_ref())),
                "write YYYY-MM-DD",
            ));
        }
        parsed
    };
    let (start_date, end_date) = (date(&w.start_date), date(&w.end_date));
    let from = w.from.as_ref().map(|t| (clock_time(loc, t, out), t.span()));
    let until = w.until.as_ref().map(|t| clock_time(loc, t, out));
    let span = from.as_ref().map_or(0..0, |(_, s)| s.clone());
    let hours = DailySpan {
        from: from.as_ref().and_then(|(m, _)| *m).unwrap_or(MinuteOfDay::START),
        until: until.flatten().unwrap_or(MinuteOfDay::END),
    };
    let timed = matches!((&from, &until), (Some((Some(_), _)), Some(Some(_))));
    if timed && hours.from == hours.until {
        out.push(error(
            loc,
            span.clone(),
            "this window is empty: `from` equals `until`".into(),
            "give the window a length",
        ));
    }
    let window = Window {
        days,
        hours,
        start_date,
        end_date,
    };
    (window, span, timed && hours.from != hours.until)
}
