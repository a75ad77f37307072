//! The playlist form editor: a group's TOML shown as form fields, and form
//! fields written back into the TOML with `toml_edit`, so comments, order
//! and everything the form does not show survive an edit. What an operator
//! types goes into the text as typed (a duration that is not a number
//! becomes a string): the config parser then reports it at its line and
//! column, exactly as `rankwall check --config` would. The keys it reads
//! and writes, and the defaults it shows, are the config module's own
//! ([`crate::config::schema`]).

use crate::config::schema::{self, defaults, item, ITEM_CONTENT};
use crate::config::MinuteOfDay;
use crate::feed::Feed;
use crate::slide::BoardView;
use serde::Serialize;
use toml_edit::{value, Array, DocumentMut, InlineTable, Item, Table, Value};

/// One choice of what an item shows.
#[derive(Clone, Debug, Serialize)]
pub struct Choice {
    pub value: String,
    pub label: String,
}

/// A playlist item as form fields.
#[derive(Clone, Debug, Serialize)]
pub struct ItemFields {
    pub index: usize,
    /// The chosen [`Choice`] value, or `custom` for what the form cannot show.
    pub content: String,
    pub duration: String,
    pub transition: String,
    pub from: String,
    pub until: String,
    /// False when the item has several windows or dates: edit those in the source.
    pub window_editable: bool,
    /// How to name the content when no choice matches it (an id the feed
    /// lacks, a selector the form cannot show): the item's own option, so
    /// the browser does not fall back to the first choice and rewrite it.
    pub own_label: Option<String>,
    /// The operator's own message, when the item is one: edited in fields
    /// of its own rather than chosen from the feed.
    pub message: Option<MessageFields>,
}

/// The whole form.
#[derive(Clone, Debug, Serialize)]
pub struct FormFields {
    pub display_from: String,
    pub display_until: String,
    pub items: Vec<ItemFields>,
    pub choices: Vec<Choice>,
}

/// What an item may show, from the feed: every board, list and notice, and
/// the selectors for all of a kind.
pub fn choices(feed: &Feed) -> Vec<Choice> {
    let level = |l: &str| format!("{}:{l}", schema::select::LEVEL);
    let mut out: Vec<Choice> = [
        (level("township"), "所有乡镇（街道）榜"),
        (level("village"), "所有村榜"),
        ("red".into(), "所有红榜"),
        ("black".into(), "所有黑榜"),
        (NOTICES.into(), "所有公告"),
    ]
    .into_iter()
    .map(|(value, l)| Choice {
        value,
        label: l.into(),
    })
    .collect();
    let named = |kind: &str, word: &str, id: &str, title: &str| Choice {
        value: format!("{kind}:{id}"),
        label: format!("{word}：{title}（{id}）"),
    };
    out.extend(view_choices(feed));
    out.extend(
        feed.boards
            .iter()
            .map(|b| named(item::BOARD, "榜单", &b.id, &b.title)),
    );
    out.extend(
        feed.lists
            .iter()
            .map(|l| named(item::LIST, "名单", &l.id, &l.title)),
    );
    out.extend(
        feed.notices
            .iter()
            .map(|n| named(item::NOTICE, "公告", &n.id, &n.title)),
    );
    out
}

/// The form for `text`; `None` when the text does not parse as TOML.
pub fn form_fields(text: &str, feed: &Feed) -> Option<FormFields> {
    let doc: DocumentMut = text.parse().ok()?;
    // `playlist = [{…}, …]` is valid TOML the form cannot edit in place: the
    // source editor only, rather than a form that would lose the items.
    if doc
        .get(schema::top::PLAYLIST)
        .is_some_and(|p| p.as_array_of_tables().is_none())
    {
        return None;
    }
    let choices = choices(feed);
    let mut form = shown(&doc);
    for item in &mut form.items {
        if !choices.iter().any(|c| c.value == item.content) {
            item.own_label = Some(own_label(&item.content));
        }
    }
    form.choices = choices;
    Some(form)
}

/// The 比学赶超 views of all boards of a level (`view:township:scores`),
/// where a board of that level has the view's data.
fn view_choices(feed: &Feed) -> Vec<Choice> {
    let levels = [
        (crate::feed::Level::Township, "township", "所有乡镇（街道）榜"),
        (crate::feed::Level::Village, "village", "所有村榜"),
    ];
    let mut out = Vec::new();
    for (level, word, label) in levels {
        for view in BoardView::ALL {
            let shown =
                (feed.boards.iter()).any(|b| b.level == level && crate::layout::has_view_data(b, view));
            if shown {
                out.push(Choice {
                    value: format!("{VIEW}:{word}:{}", view.word()),
                    label: format!("{label} · {}", view.title()),
                });
            }
        }
    }
    out
}

/// The form's prefix for a view of a level's boards: `view:township:scores`.
const VIEW: &str = schema::select::VIEW;

/// The form as `doc` fills it, without the feed's choices: also what a
/// save compares the posted fields with, so that only changes are written.
fn shown(doc: &DocumentMut) -> FormFields {
    let display = doc
        .get(schema::top::SCREEN)
        .and_then(|s| s.get(schema::screen::DISPLAY_HOURS));
    let items = doc
        .get(schema::top::PLAYLIST)
        .and_then(Item::as_array_of_tables)
        .map(|a| a.iter().enumerate().map(|(i, t)| item_fields(i, t)).collect())
        .unwrap_or_default();
    FormFields {
        display_from: string_at(display, schema::hours::FROM),
        display_until: string_at(display, schema::hours::UNTIL),
        items,
        choices: Vec::new(),
    }
}

/// The name of content no choice matches: 公告 autumn-2026（当前数据中没有）.
fn own_label(content: &str) -> String {
    let word = |key: &str| match key {
        item::BOARD => "榜单",
        item::LIST => "名单",
        item::NOTICE => "公告",
        _ => "内容",
    };
    match content.split_once(':') {
        Some((key @ (item::BOARD | item::LIST | item::NOTICE), id)) => {
            format!("{} {id}（当前数据中没有）", word(key))
        }
        Some((schema::select::LEVEL, level)) => format!("级别 {level}（当前数据中没有）"),
        Some((VIEW, rest)) => format!("视图 {rest}（当前数据中没有）"),
        _ if content == "custom" => "（表单无法显示的内容，见右侧源文件）".into(),
        _ => format!("名单类别 {content}（当前数据中没有）"),
    }
}

fn string_at(table: Option<&Item>, key: &str) -> String {
    table
        .and_then(|t| t.get(key))
        .and_then(Item::as_str)
        .unwrap_or_default()
        .to_string()
}

fn item_fields(index: usize, t: &Table) -> ItemFields {
    let windows = t.get(item::WINDOWS).and_then(Item::as_array);
    let first = windows.and_then(|w| w.get(0)).and_then(Value::as_inline_table);
    let plain = first.is_none_or(|w| w.iter().all(|(k, _)| WINDOW_KEYS.contains(&k)));
    let text = |key: &str| {
        first
            .and_then(|w| w.get(key))
            .and_then(Value::as_str)
            .unwrap_or("")
            .to_string()
    };
    ItemFields {
        index,
        content: content_of(t),
        duration: t
            .get(item::DURATION)
            .map(number_text)
            .unwrap_or_else(|| defaults::ITEM_DURATION.to_string()),
        transition: transition_kind(t).to_string(),
        from: text(schema::window::FROM),
        until: text(schema::window::UNTIL),
        window_editable: windows.is_none_or(|w| w.len() <= 1) && plain,
        own_label: None,
        message: message::message_fields(t),
    }
}

/// The keys of a window the form shows or keeps through an edit; a window
/// with any other (dates) is edited in the source.
const WINDOW_KEYS: [&str; 3] = [schema::window::FROM, schema::window::UNTIL, schema::window::DAYS];

/// The form's value for `select = { notices = true }`.
const NOTICES: &str = schema::select::NOTICES;

/// An item's transition kind; one without `transition` has the config's default.
fn transition_kind(t: &Table) -> &str {
    t.get(item::TRANSITION)
        .and_then(|x| x.get(schema::transition::KIND))
        .and_then(Item::as_str)
        .unwrap_or(defaults::TRANSITION_KIND)
}

/// A number as an operator writes it: `10`, not `10.0`.
fn number(n: f64) -> Item {
    if n.fract() == 0.0 && n.abs() < 1e9 {
        value(n as i64)
    } else {
        value(n)
    }
}

fn number_text(item: &Item) -> String {
    match item.as_value() {
        Some(Value::Integer(i)) => i.value().to_string(),
        Some(Value::Float(f)) => f.value().to_string(),
        Some(Value::String(s)) => s.value().clone(),
        _ => String::new(),
    }
}

/// The choice an item's content matches, or `custom`.
fn content_of(t: &Table) -> String {
    for key in [item::BOARD, item::LIST, item::NOTICE] {
        if let Some(id) = t.get(key).and_then(Item::as_str) {
            return format!("{key}:{id}");
        }
    }
    let Some(select) = t.get(item::SELECT) else {
        return "custom".into();
    };
    let keys: Vec<&str> = match select.as_inline_table() {
        Some(i) => i.iter().map(|(k, _)| k).collect(),
        None => select
            .as_table()
            .map(|t| t.iter().map(|(k, _)| k).collect())
            .unwrap_or_default(),
    };
    let get = |k: &str| select.get(k);
    match keys.as_slice() {
        [key @ schema::select::LEVEL] => get(key)
            .and_then(Item::as_str)
            .map_or("custom".into(), |l| format!("{key}:{l}")),
        [key @ schema::select::LIST] => get(key).and_then(Item::as_str).unwrap_or("custom").to_string(),
        [key @ schema::select::NOTICES] if get(key).and_then(Item::as_bool) == Some(true) => NOTICES.into(),
        [schema::select::LEVEL, VIEW] | [VIEW, schema::select::LEVEL] => {
            match (
                get(schema::select::LEVEL).and_then(Item::as_str),
                get(VIEW).and_then(Item::as_str),
            ) {
                (Some(level), Some(view)) => format!("{VIEW}:{level}:{view}"),
                _ => "custom".into(),
            }
        }
        _ => "custom".into(),
    }
}

mod emergency;
mod message;
mod write;

pub use emergency::{emergencies, with_emergency, without_emergencies, Emergency};
pub use message::{message_only, MessageFields};
pub use write::apply_form;

#[cfg(test)]
mod tests;
