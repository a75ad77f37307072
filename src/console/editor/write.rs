//! Writing the form back: only the fields the operator changed touch the
//! text, so a save with no edits leaves it byte for byte as it was, and an
//! item the form cannot show keeps every byte.

use super::*;

/// `text` with the form's `fields` written in; an error when the text is not TOML.
///
/// A field is written only when it differs from what the form showed for
/// this text, so unedited fields (an item's default duration, a `10.0`
/// shown as `10`) leave their bytes alone. `move` (`up_3`, `down_3`) moves
/// an item; `add_content` with `add_duration` and `add_transition` adds one.
pub fn apply_form(text: &str, fields: &[(String, String)]) -> Result<String, String> {
    let mut doc: DocumentMut = text
        .parse()
        .map_err(|e| format!("当前源文件不是有效的 TOML，请在源文件中修改：{e}"))?;
    if doc
        .get(schema::top::PLAYLIST)
        .is_some_and(|p| p.as_array_of_tables().is_none())
    {
        return Err("节目单写成了内联数组，表单无法编辑，请在源文件中修改。".into());
    }
    let field = |name: &str| fields.iter().find(|(k, _)| k == name).map(|(_, v)| v.trim());
    let before = shown(&doc);
    if let (Some(from), Some(until)) = (field("display_from"), field("display_until")) {
        if from.is_empty() != until.is_empty() {
            return Err("开屏时段要同时填写开始和结束（如 06:30 和 22:00），或都留空表示全天。".into());
        }
    }
    if (field("display_from"), field("display_until"))
        != (
            Some(before.display_from.as_str()),
            Some(before.display_until.as_str()),
        )
    {
        apply_display_hours(&mut doc, field("display_from"), field("display_until"));
    }
    if let Some(items) = doc
        .get_mut(schema::top::PLAYLIST)
        .and_then(Item::as_array_of_tables_mut)
    {
        for (i, t) in items.iter_mut().enumerate() {
            if let Some(shown) = before.items.get(i) {
                apply_item(t, fields, shown);
            }
        }
        // Where each item, as the form numbered it, stands after a drag and drop.
        let at = field("order")
            .and_then(|order| reorder(items, order))
            .unwrap_or_else(|| (0..items.len()).collect());
        let mut removed: Vec<usize> = (0..before.items.len())
            .filter(|i| field(&format!("remove_{i}")) == Some("on"))
            .filter_map(|i| at.get(i).copied())
            .collect();
        removed.sort_unstable();
        for i in removed.iter().rev() {
            items.remove(*i);
        }
        if let Some(step) = field("move") {
            move_item(items, step, &at, &removed);
        }
    }
    if let Some(content) = field("add_content").filter(|c| !c.is_empty() && *c != "custom") {
        add_item(&mut doc, content, field("add_duration"), field("add_transition"));
    }
    super::message::add_message(&mut doc, |name| field(name).map(str::to_string));
    Ok(doc.to_string())
}

/// Appends an item showing `content`, with the duration and transition
/// given beside it (the same form, one save).
fn add_item(doc: &mut DocumentMut, content: &str, duration: Option<&str>, transition: Option<&str>) {
    let mut t = Table::new();
    set_content(&mut t, content);
    match duration.filter(|d| !d.is_empty()) {
        Some(d) => match d.parse::<f64>() {
            Ok(n) => t.insert(item::DURATION, number(n)),
            Err(_) => t.insert(item::DURATION, value(d)),
        },
        None => t.insert(item::DURATION, number(defaults::ITEM_DURATION)),
    };
    if let Some(kind) = transition.filter(|k| !k.is_empty()) {
        set_transition(&mut t, kind);
    }
    match doc
        .get_mut(schema::top::PLAYLIST)
        .and_then(Item::as_array_of_tables_mut)
    {
        Some(items) => items.push(t),
        None => {
            let mut items = toml_edit::ArrayOfTables::new();
            items.push(t);
            doc.insert(schema::top::PLAYLIST, Item::ArrayOfTables(items));
        }
    }
}

/// Puts the items in the `order` a drag and drop sent: the form's numbers,
/// comma-separated, each once. Each table keeps its comments and takes the
/// place in the text of the one that stood in its new slot. Returns where
/// each item (as the form numbered it) now stands; `None`, changing
/// nothing, for an empty, unchanged or malformed order.
fn reorder(items: &mut toml_edit::ArrayOfTables, order: &str) -> Option<Vec<usize>> {
    let order: Vec<usize> = order
        .split(',')
        .map(|n| n.trim().parse().ok())
        .collect::<Option<_>>()?;
    let n = items.len();
    let mut seen = vec![false; n];
    let valid = order.len() == n
        && order
            .iter()
            .all(|&i| i < n && !std::mem::replace(&mut seen[i], true));
    if !valid || order.iter().enumerate().all(|(slot, &i)| slot == i) {
        return None;
    }
    let mut tables: Vec<Option<Table>> = (0..n).map(|_| Some(items.remove(0))).collect();
    let positions: Vec<_> = tables
        .iter()
        .map(|t| t.as_ref().and_then(Table::position))
        .collect();
    for (slot, &i) in order.iter().enumerate() {
        let mut table = tables[i].take()?;
        table.set_position(positions[slot]);
        items.push(table);
    }
    let mut at = vec![0; n];
    for (slot, &i) in order.iter().enumerate() {
        at[i] = slot;
    }
    Some(at)
}

/// Moves item `i` (as the form numbered it; `at` says where it stands now,
/// before the `removed` ones, given where they stood, went) one place up
/// or down (`up_i`, `down_i`). A table keeps its comments, and the two swap
/// their places in the text too.
fn move_item(items: &mut toml_edit::ArrayOfTables, step: &str, at: &[usize], removed: &[usize]) {
    let (up, i) = match step.split_once('_') {
        Some(("up", i)) => (true, i),
        Some(("down", i)) => (false, i),
        _ => return,
    };
    let Some(i) = i.parse::<usize>().ok().and_then(|i| at.get(i).copied()) else {
        return;
    };
    if removed.contains(&i) {
        return;
    }
    let i = i - removed.iter().filter(|r| **r < i).count();
    let (a, b) = if up { (i.wrapping_sub(1), i) } else { (i, i + 1) };
    if a >= items.len() || b >= items.len() {
        return;
    }
    let second = items.remove(b);
    let mut first = items.remove(a);
    let (mut second, position) = (second, first.position());
    first.set_position(second.position());
    second.set_position(position);
    items.insert(a, second);
    items.insert(b, first);
}

fn apply_display_hours(doc: &mut DocumentMut, from: Option<&str>, until: Option<&str>) {
    let (Some(from), Some(until)) = (from, until) else {
        return;
    };
    let screen = doc
        .entry(schema::top::SCREEN)
        .or_insert(Item::Table(Table::new()));
    let Some(screen) = screen.as_table_like_mut() else {
        return;
    };
    if from.is_empty() && until.is_empty() {
        screen.remove(schema::screen::DISPLAY_HOURS);
        return;
    }
    let mut hours = InlineTable::new();
    hours.insert(schema::hours::FROM, from.into());
    hours.insert(schema::hours::UNTIL, until.into());
    screen.insert(schema::screen::DISPLAY_HOURS, value(hours));
}

/// The fields named `<name>_<i>` written into item `t` where they differ
/// from what the form showed (`shown`).
fn apply_item(t: &mut Table, fields: &[(String, String)], shown: &ItemFields) {
    let i = shown.index;
    let field = |name: &str| {
        let key = format!("{name}_{i}");
        fields.iter().find(|(k, _)| *k == key).map(|(_, v)| v.trim())
    };
    let changed = |name: &str, was: &str| field(name).filter(|v| *v != was);
    if let Some(content) = changed("content", &shown.content).filter(|c| *c != "custom") {
        set_content(t, content);
    }
    if let Some(d) = changed("duration", &shown.duration) {
        match d.parse::<f64>() {
            Ok(n) => set_value(t, item::DURATION, number(n)),
            Err(_) => set_value(t, item::DURATION, value(d)),
        }
    }
    if let Some(kind) = changed("transition", &shown.transition) {
        set_transition(t, kind);
    }
    if let Some(message) = &shown.message {
        // The body keeps its line breaks; a browser sends them as CRLF.
        let message_field = |name: &str| {
            let key = format!("msg_{name}_{i}");
            let v = fields
                .iter()
                .find(|(k, _)| *k == key)
                .map(|(_, v)| v.replace("\r\n", "\n"));
            v.map(|v| v.trim().to_string())
        };
        super::message::apply_message(t, message_field, message);
    }
    if !shown.window_editable {
        return;
    }
    let (from, until) = (field("from"), field("until"));
    if let (Some(from), Some(until)) = (from, until) {
        if (from, until) != (shown.from.as_str(), shown.until.as_str()) {
            set_window(t, from, until);
        }
    }
}

fn set_content(t: &mut Table, content: &str) {
    // Every content key goes: an item shows exactly one.
    for key in ITEM_CONTENT {
        t.remove(key);
    }
    let mut select = InlineTable::new();
    match content.split_once(':') {
        Some((key @ (item::BOARD | item::LIST | item::NOTICE), id)) => {
            t.insert(key, value(id));
            return;
        }
        Some((key @ schema::select::LEVEL, level)) => {
            select.insert(key, level.into());
        }
        Some((VIEW, rest)) => {
            let (level, view) = rest.split_once(':').unwrap_or((rest, ""));
            select.insert(schema::select::LEVEL, level.into());
            select.insert(VIEW, view.into());
        }
        _ if content == NOTICES => {
            select.insert(schema::select::NOTICES, true.into());
        }
        _ => {
            select.insert(schema::select::LIST, content.into());
        }
    }
    t.insert(item::SELECT, value(select));
}

fn set_transition(t: &mut Table, kind: &str) {
    if transition_kind(t) == kind {
        return;
    }
    let duration = t
        .get(item::TRANSITION)
        .and_then(|x| x.get(schema::transition::DURATION))
        .and_then(Item::as_value)
        .cloned()
        .unwrap_or_else(|| defaults::TRANSITION_DURATION.into());
    let mut transition = InlineTable::new();
    transition.insert(schema::transition::KIND, kind.into());
    transition.insert(schema::transition::DURATION, duration);
    set_value(t, item::TRANSITION, value(transition));
}

fn set_window(t: &mut Table, from: &str, until: &str) {
    use schema::window::{DAYS, FROM, UNTIL};
    let days = t
        .get(item::WINDOWS)
        .and_then(Item::as_array)
        .and_then(|w| w.get(0))
        .and_then(Value::as_inline_table)
        .and_then(|w| w.get(DAYS))
        .cloned();
    if from.is_empty() && until.is_empty() && days.is_none() {
        t.remove(item::WINDOWS);
        return;
    }
    let mut window = InlineTable::new();
    if let Some(days) = days {
        window.insert(DAYS, days);
    }
    // An empty end is the config's own: a window without `from` starts at
    // midnight, one without `until` runs to the end of the day.
    let or = |given: &str, default: MinuteOfDay| match given {
        "" => default.to_string(),
        given => given.to_string(),
    };
    window.insert(FROM, or(from, MinuteOfDay::START).into());
    window.insert(UNTIL, or(until, MinuteOfDay::END).into());
    let mut windows = Array::new();
    windows.push(window);
    set_value(t, item::WINDOWS, value(windows));
}

/// Sets `key` of `t` to `new` in place: the key keeps its spacing and the
/// value the old one's (a comment after it stays on its line).
fn set_value(t: &mut Table, key: &str, mut new: Item) {
    match t.get_mut(key) {
        Some(old) => {
            if let (Some(was), Some(now)) = (old.as_value(), new.as_value_mut()) {
                *now.decor_mut() = was.decor().clone();
            }
            *old = new;
        }
        None => {
            t.insert(key, new);
        }
    }
}
