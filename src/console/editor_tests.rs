//! The tests of the playlist form's editing (`editor.rs`).

#![allow(clippy::unwrap_used)]
use super::*;

const TEXT: &str = "# 乡镇屏\n[screen]\nid = \"x\"\n\n[[playlist]]\nselect = { level = \"township\" } # 乡镇\nduration = 10\n\n[[playlist]]\nselect = { list = \"red\" }\nduration = 8\nwindows = [{ days = [\"mon\"], from = \"08:00\", until = \"18:00\" }]\n";

fn fields(pairs: &[(&str, &str)]) -> Vec<(String, String)> {
    pairs
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect()
}

#[test]
fn the_form_shows_what_the_text_says() {
    let feed = crate::feed::demo().unwrap().0;
    let form = form_fields(TEXT, &feed).unwrap();
    assert_eq!(form.items.len(), 2);
    assert_eq!(form.items[0].content, "level:township");
    assert_eq!(form.items[0].duration, "10");
    assert_eq!(form.items[1].content, "red");
    assert_eq!(
        (form.items[1].from.as_str(), form.items[1].until.as_str()),
        ("08:00", "18:00")
    );
    assert!(form.items[1].window_editable);
}

#[test]
fn an_edit_keeps_comments_and_days_and_writes_what_was_typed() {
    let out = apply_form(
        TEXT,
        &fields(&[
            ("duration_0", "7"),
            ("from_1", "25:00"),
            ("until_1", "18:00"),
            ("content_1", "black"),
        ]),
    )
    .unwrap();
    assert!(out.contains("# 乡镇屏") && out.contains("# 乡镇"), "{out}");
    assert!(out.contains("duration = 7\n"), "{out}");
    assert!(
        out.contains("days = [\"mon\"]") && out.contains("from = \"25:00\""),
        "{out}"
    );
    assert!(out.contains("select = { list = \"black\" }"), "{out}");
    // No transition written means a fade: the form shows it, and "cut" is written out.
    assert_eq!(
        form_fields(TEXT, &crate::feed::demo().unwrap().0).unwrap().items[0].transition,
        "fade"
    );
    let cut = apply_form(TEXT, &fields(&[("transition_0", "cut")])).unwrap();
    assert!(cut.contains("kind = \"cut\""), "{cut}");
    let same = apply_form(TEXT, &fields(&[("transition_0", "fade")])).unwrap();
    assert!(
        !same.contains("transition"),
        "an unchanged default stays unwritten: {same}"
    );
    let inline = "playlist = [{ select = { list = \"red\" }, duration = 8 }]\n";
    assert!(form_fields(inline, &crate::feed::demo().unwrap().0).is_none());
    assert!(apply_form(inline, &fields(&[("add_content", "notices")])).is_err());
    let bad = apply_form(TEXT, &fields(&[("duration_0", "ten")])).unwrap();
    assert!(bad.contains("duration = \"ten\""), "{bad}");
}

use crate::config::schema::{hours, screen, select, top, transition, window};

/// What the form does with every key of the tables it writes into: the
/// keys it shows and writes (the config's names the code above uses), and
/// the keys it keeps as written (space-separated), each checked to survive
/// an edit. A table under a kept key (`[feed]`) is kept whole.
const FORM: &[(&str, &[&str], &str)] = &[
    ("", &[top::SCREEN, top::PLAYLIST], "feed theme status report"),
    (
        "screen",
        &[screen::DISPLAY_HOURS],
        "id size monitor rotation margin min_text time_zone pixel_shift pixel_shift_minutes",
    ),
    ("screen.display_hours", &[hours::FROM, hours::UNTIL], ""),
    (
        "playlist",
        &[
            item::BOARD,
            item::LIST,
            item::NOTICE,
            item::SELECT,
            item::DURATION,
            item::TRANSITION,
            item::WINDOWS,
        ],
        "rows mask_names priority scroll scroll_speed max_time",
    ),
    // A `group` makes the content `custom`: the form leaves it be.
    (
        "playlist.select",
        &[select::LEVEL, select::LIST, select::NOTICES],
        "group",
    ),
    (
        "playlist.transition",
        &[transition::KIND, transition::DURATION],
        "",
    ),
    // Dates make the window source-only (`window_editable`).
    (
        "playlist.windows",
        &[window::DAYS, window::FROM, window::UNTIL],
        "start_date end_date",
    ),
];

fn kept_whole(path: &str) -> bool {
    FORM.iter().any(|(table, _, kept)| {
        kept.split_whitespace().any(|key| {
            let under = if table.is_empty() {
                key.to_string()
            } else {
                format!("{table}.{key}")
            };
            path == under || path.starts_with(&format!("{under}."))
        })
    })
}

#[test]
fn every_config_key_is_known_to_the_form() {
    for (table, keys) in schema::tables().filter(|(t, _)| !kept_whole(t)) {
        let Some((_, shown, kept)) = FORM.iter().find(|(t, _, _)| *t == table) else {
            panic!("the config has a table [{table}] the form writes into but does not know");
        };
        for key in keys {
            assert!(
                shown.contains(key) || kept.split_whitespace().any(|k| k == *key),
                "`{key}` in [{table}] is a config key the form does not know: show it in \
                 the form, or check that an edit keeps it and add it to the kept keys of FORM"
            );
        }
    }
    for (table, shown, kept) in FORM {
        for key in shown.iter().copied().chain(kept.split_whitespace()) {
            assert!(
                schema::keys(table).contains(&key),
                "the form knows `{key}` in [{table}], which the config no longer has"
            );
        }
    }
    for key in ITEM_CONTENT {
        assert!(FORM[3].1.contains(&key), "the form shows content `{key}`");
    }
}

#[test]
fn items_are_removed_and_added() {
    let out = apply_form(TEXT, &fields(&[("remove_0", "on"), ("add_content", "notices")])).unwrap();
    assert!(!out.contains("township"), "{out}");
    assert!(out.contains("select = { notices = true }"), "{out}");
}
