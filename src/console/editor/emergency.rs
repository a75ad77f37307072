//! 紧急插播 in a group's playlist: an emergency is a `message` item with
//! `priority = true`, appended to the published text (so it takes over every
//! screen of the group while it lasts, level 紧急) or written as a banner
//! over whatever plays (`banner = true`, level 提示), and removed again by
//! 撤销. The rest
//! of the text is kept byte for byte: the document is edited with
//! `toml_edit`, as the form's saves are.

use crate::config::schema::{self, item, message};
use toml_edit::{value, ArrayOfTables, DocumentMut, InlineTable, Item, Table};

/// Seconds an emergency's page stays before it turns (it is the only item
/// playing while it lasts, so this only paces a long text's pages).
const PAGE_SECS: i64 = 30;

/// An emergency as the operator wrote it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Emergency {
    /// Its heading (寒潮预警).
    pub title: String,
    /// Its text.
    pub body: String,
    /// When it ends, RFC 3339; `None`: until it is withdrawn (直到撤销).
    pub until: Option<String>,
    /// 提示: a banner over whatever plays; else 紧急, the whole screen.
    pub banner: bool,
}

/// `text` with `emergency` appended as a priority message item.
pub fn with_emergency(text: &str, emergency: &Emergency) -> Result<String, String> {
    let mut doc = document(text)?;
    let mut shown = InlineTable::new();
    shown.insert(message::TITLE, emergency.title.as_str().into());
    shown.insert(message::BODY, emergency.body.as_str().into());
    if let Some(until) = &emergency.until {
        shown.insert(message::UNTIL, until.as_str().into());
    }
    if emergency.banner {
        shown.insert(message::BANNER, true.into());
    }
    let mut t = Table::new();
    t.insert(item::MESSAGE, value(shown));
    t.insert("priority", value(true));
    t.insert(item::DURATION, value(PAGE_SECS));
    let mut cut = InlineTable::new();
    cut.insert(schema::transition::KIND, "cut".into());
    t.insert(item::TRANSITION, value(cut));
    playlist(&mut doc)?.push(t);
    Ok(doc.to_string())
}

/// `text` without its emergencies (every priority message item).
pub fn without_emergencies(text: &str) -> Result<String, String> {
    let mut doc = document(text)?;
    playlist(&mut doc)?.retain(|t| !is_emergency(t));
    Ok(doc.to_string())
}

/// The emergencies in `text`: each one's title, end (empty: until
/// withdrawn) and whether it is a banner (提示).
pub fn emergencies(text: &str) -> Vec<(String, String, bool)> {
    let Ok(doc) = text.parse::<DocumentMut>() else {
        return Vec::new();
    };
    let Some(items) = doc.get(schema::top::PLAYLIST).and_then(Item::as_array_of_tables) else {
        return Vec::new();
    };
    items
        .iter()
        .filter(|t| is_emergency(t))
        .map(|t| {
            let field = |key: &str| {
                t.get(item::MESSAGE)
                    .and_then(|m| m.get(key))
                    .and_then(Item::as_str)
                    .unwrap_or_default()
                    .to_string()
            };
            let banner = (t.get(item::MESSAGE).and_then(|m| m.get(message::BANNER)))
                .and_then(Item::as_bool)
                .unwrap_or(false);
            (field(message::TITLE), field(message::UNTIL), banner)
        })
        .collect()
}

fn is_emergency(t: &Table) -> bool {
    t.contains_key(item::MESSAGE) && t.get("priority").and_then(Item::as_bool) == Some(true)
}

fn document(text: &str) -> Result<DocumentMut, String> {
    text.parse()
        .map_err(|e| format!("当前发布的节目单不是有效的 TOML，无法插播：{e}"))
}

/// The document's `[[playlist]]` items, made when it has none.
fn playlist(doc: &mut DocumentMut) -> Result<&mut ArrayOfTables, String> {
    doc.entry(schema::top::PLAYLIST)
        .or_insert(Item::ArrayOfTables(ArrayOfTables::new()))
        .as_array_of_tables_mut()
        .ok_or_else(|| "节目单写成了内联数组，无法插播：请在源文件中改成 [[playlist]]。".to_string())
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    const TEXT: &str =
        "# 乡镇的节目单\n[[playlist]]\nselect = { level = \"township\" } # 排名\nduration = 10\n";

    #[test]
    fn an_emergency_is_appended_and_withdrawn_leaving_the_rest_as_it_was() {
        let e = Emergency {
            title: "寒潮预警".into(),
            body: "今夜气温骤降\n请注意防寒".into(),
            until: Some("2026-12-06T08:00:00+08:00".into()),
            banner: false,
        };
        let with = with_emergency(TEXT, &e).unwrap();
        assert!(with.starts_with(TEXT), "{with}");
        let checked = crate::config::parse("g.toml", &with, None);
        let settings = checked.settings.unwrap();
        assert_eq!(settings.messages[0].title, "寒潮预警");
        assert_eq!(settings.messages[0].body, "今夜气温骤降\n请注意防寒");
        assert!(settings.playlist[1].priority);
        assert_eq!(
            emergencies(&with),
            vec![("寒潮预警".into(), "2026-12-06T08:00:00+08:00".into(), false)]
        );
        assert_eq!(without_emergencies(&with).unwrap(), TEXT);
        let open = with_emergency(TEXT, &Emergency { until: None, ..e }).unwrap();
        assert_eq!(emergencies(&open)[0].1, "");
        // A plain message the operator wrote is not an emergency.
        let plain = format!("{TEXT}\n[[playlist]]\nmessage = {{ body = \"x\" }}\n");
        assert!(emergencies(&plain).is_empty());
        assert_eq!(without_emergencies(&plain).unwrap(), plain);
    }

    #[test]
    fn a_notice_level_emergency_is_a_banner_and_no_page() {
        let e = Emergency {
            title: "停水通知".into(),
            body: "明日 8:00 至 12:00 停水".into(),
            until: None,
            banner: true,
        };
        let with = with_emergency(TEXT, &e).unwrap();
        let settings = crate::config::parse("g.toml", &with, None).settings.unwrap();
        assert!(
            settings.messages.is_empty(),
            "a banner is no page: {:?}",
            settings.messages
        );
        assert_eq!(settings.banners[0].title, "停水通知");
        assert_eq!(emergencies(&with), vec![("停水通知".into(), String::new(), true)]);
        assert_eq!(without_emergencies(&with).unwrap(), TEXT);
    }
}
