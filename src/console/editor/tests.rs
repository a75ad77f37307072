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
    ("", &[top::SCREEN, top::PLAYLIST], "feed theme status report wall"),
    (
        "screen",
        &[screen::DISPLAY_HOURS],
        "id size monitor rotation margin min_text time_zone pixel_shift pixel_shift_minutes output region brightness brightness_ramp present",
    ),
    ("screen.display_hours", &[hours::FROM, hours::UNTIL], ""),
    (
        "playlist",
        &[
            item::BOARD,
            item::LIST,
            item::NOTICE,
            item::MESSAGE,
            item::SELECT,
            item::DURATION,
            item::TRANSITION,
            item::WINDOWS,
        ],
        "rows mask_names priority scroll scroll_speed max_time",
    ),
    // A message is content the form shows as `custom` and keeps as written
    // (its own form is to come).
    ("playlist.message", &[], "title body from until banner"),
    // A `group` makes the content `custom`: the form leaves it be.
    (
        "playlist.select",
        &[select::LEVEL, select::LIST, select::NOTICES, select::VIEW],
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

/// What a browser posts for `form` when the operator changes nothing.
fn submitted(form: &FormFields) -> Vec<(String, String)> {
    let mut out = vec![
        ("display_from".to_string(), form.display_from.clone()),
        ("display_until".to_string(), form.display_until.clone()),
    ];
    for item in &form.items {
        let i = item.index;
        out.push((format!("content_{i}"), item.content.clone()));
        out.push((format!("duration_{i}"), item.duration.clone()));
        out.push((format!("transition_{i}"), item.transition.clone()));
        if item.window_editable {
            out.push((format!("from_{i}"), item.from.clone()));
            out.push((format!("until_{i}"), item.until.clone()));
        }
    }
    out.extend(fields(&[
        ("add_content", ""),
        ("add_duration", "10"),
        ("add_transition", "fade"),
    ]));
    out
}

mod round_trip {
    use super::*;
    use proptest::prelude::*;

    fn content() -> impl Strategy<Value = String> {
        prop_oneof![
            Just("board = \"towns-2026-11\"".to_string()),
            Just("board = \"last-month\"".to_string()),
            Just("list = \"red-2026-11\"".to_string()),
            Just("notice = \"autumn-2026\"".to_string()),
            Just("select = { level = \"township\" }".to_string()),
            Just("select = { level = \"village\" }".to_string()),
            Just("select = { list = \"black\" }".to_string()),
            Just("select = { notices = true }".to_string()),
            Just("select = { list = \"red\", group = \"镇\" }".to_string()),
            Just("select = { level = \"township\", view = \"improved\" }".to_string()),
            Just("select = { level = \"village\", view = \"trend\" }".to_string()),
            Just("select = { level = \"township\", view = \"scores\" }".to_string()),
            Just("message = { title = \"停水通知\", body = \"明日停水\", until = \"2026-12-06T12:00:00+08:00\" }".to_string()),
        ]
    }

    fn optional_line() -> impl Strategy<Value = String> {
        prop_oneof![
            Just(String::new()),
            Just("duration = 8\n".to_string()),
            Just("duration = 7.5\n".to_string()),
            Just("duration = 10.0 # 十秒\n".to_string()),
            Just("transition = { kind = \"cut\" }\n".to_string()),
            Just("transition = { kind = \"fade\", duration = 0.6 } # 淡入\n".to_string()),
            Just("transition = { kind = \"slide\", duration = 0.8 }\n".to_string()),
            Just("windows = [{ from = \"08:00\", until = \"18:00\" }]\n".to_string()),
            Just("windows = [{ days = [\"mon\", \"tue\"], from = \"07:30\" }]\n".to_string()),
            Just("windows = [{ from = \"08:00\" }, { from = \"20:00\" }]\n".to_string()),
            Just("windows = [{ start_date = \"2026-12-01\", end_date = \"2026-12-31\" }]\n".to_string()),
            Just("max_time = 30\nrows = 8\n".to_string()),
        ]
    }

    fn playlist() -> impl Strategy<Value = String> {
        let item = (
            prop::option::of("# [a-z一二三]{1,8}\n"),
            content(),
            optional_line(),
            optional_line(),
        );
        (
            prop::option::of(Just(
                "[screen]\nid = \"x\"\ndisplay_hours = { from = \"06:30\", until = \"22:00\" }\n\n",
            )),
            prop::collection::vec(item, 0..6),
        )
            .prop_map(|(screen, items)| {
                let mut text = format!("# 节目单\n{}", screen.unwrap_or_default());
                for (comment, content, a, b) in items {
                    text += &format!("{}[[playlist]]\n{content}\n{a}{b}\n", comment.unwrap_or_default());
                }
                text
            })
            // Two lines setting the same key is not TOML; such texts never
            // reach the form.
            .prop_filter("valid TOML", |t| t.parse::<DocumentMut>().is_ok())
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(256))]

        #[test]
        fn a_save_without_edits_keeps_every_byte(text in playlist()) {
            let feed = crate::feed::demo().unwrap().0;
            let form = form_fields(&text, &feed).unwrap();
            let out = apply_form(&text, &submitted(&form)).unwrap();
            prop_assert_eq!(out, text);
        }

        #[test]
        fn one_changed_field_touches_one_line(text in playlist(), pick in 0usize..6, which in 0usize..3) {
            let feed = crate::feed::demo().unwrap().0;
            let form = form_fields(&text, &feed).unwrap();
            prop_assume!(!form.items.is_empty());
            let item = &form.items[pick % form.items.len()];
            let i = item.index;
            // (field, new value, the line it must write)
            let (name, new, line) = match which {
                0 => ("duration", "13".to_string(), "duration = 13"),
                1 => {
                    let kind = if item.transition == "slide" { "cut" } else { "slide" };
                    ("transition", kind.to_string(), "transition = {")
                }
                _ => {
                    prop_assume!(item.window_editable);
                    ("from", "09:15".to_string(), "windows = [")
                }
            };
            let mut posted = submitted(&form);
            for (k, v) in posted.iter_mut() {
                if *k == format!("{name}_{i}") {
                    *v = new.clone();
                }
            }
            let out = apply_form(&text, &posted).unwrap();
            let diff = similar::TextDiff::from_lines(text.as_str(), out.as_str());
            let changes: Vec<String> = diff
                .iter_all_changes()
                .filter(|c| c.tag() != similar::ChangeTag::Equal)
                .map(|c| format!("{}{}", c.tag(), c.value()))
                .collect();
            let inserted: Vec<&String> = changes.iter().filter(|c| c.starts_with('+')).collect();
            prop_assert_eq!(inserted.len(), 1, "{:?}", changes);
            prop_assert!(inserted[0].starts_with(&format!("+{line}")), "{:?}", changes);
            prop_assert!(changes.len() <= 2, "{:?}", changes);
            // A comment after the changed value stays on its line.
            let removed: Vec<&String> = changes.iter().filter(|c| c.starts_with('-')).collect();
            if let Some(comment) = removed.first().and_then(|r| r.split_once(" # ")) {
                prop_assert!(inserted[0].trim_end().ends_with(&format!("# {}", comment.1.trim_end())), "{:?}", changes);
            }
        }
    }
}

#[test]
fn an_item_the_feed_lacks_is_shown_as_itself_and_kept() {
    let feed = crate::feed::demo().unwrap().0;
    let text = "[[playlist]]\nselect = { level = \"township\" }\n\n[[playlist]]\nnotice = \"autumn-2026\"\n";
    let form = form_fields(text, &feed).unwrap();
    assert_eq!(form.items[1].content, "notice:autumn-2026");
    assert_eq!(
        form.items[1].own_label.as_deref(),
        Some("公告 autumn-2026（当前数据中没有）")
    );
    assert_eq!(form.items[0].own_label, None);
    let mut posted = submitted(&form);
    posted.retain(|(k, _)| k != "duration_0");
    posted.push(("duration_0".into(), "12".into()));
    let out = apply_form(text, &posted).unwrap();
    assert!(out.contains("notice = \"autumn-2026\""), "{out}");
    assert!(out.contains("duration = 12"), "{out}");
}

#[test]
fn items_move_with_their_comments_and_are_added_in_one_save() {
    let text = "# 头\n[[playlist]]\n# 第一\nselect = { list = \"red\" }\n\n# 第二的注释\n[[playlist]]\nselect = { list = \"black\" }\n";
    let feed = crate::feed::demo().unwrap().0;
    let mut posted = submitted(&form_fields(text, &feed).unwrap());
    posted.push(("move".into(), "down_0".into()));
    let out = apply_form(text, &posted).unwrap();
    let black = out.find("list = \"black\"").unwrap();
    let red = out.find("list = \"red\"").unwrap();
    assert!(black < red, "{out}");
    assert!(out.find("# 第二的注释").unwrap() < black, "{out}");
    let mut posted = submitted(&form_fields(text, &feed).unwrap());
    posted.retain(|(k, _)| !k.starts_with("add_"));
    posted.extend(fields(&[
        ("add_content", "notices"),
        ("add_duration", "15"),
        ("add_transition", "cut"),
    ]));
    let out = apply_form(text, &posted).unwrap();
    assert!(
        out.ends_with("[[playlist]]\nselect = { notices = true }\nduration = 15\ntransition = { kind = \"cut\", duration = 0.6 }\n"),
        "{out}"
    );
}

#[test]
fn a_drag_and_drop_order_puts_items_in_place_with_their_comments() {
    let text = "[[playlist]]\n# 红\nselect = { list = \"red\" }\n\n[[playlist]]\n# 黑\nselect = { list = \"black\" }\n\n[[playlist]]\n# 公告\nselect = { notices = true }\n";
    let feed = crate::feed::demo().unwrap().0;
    let with = |extra: &[(&str, &str)]| {
        let mut posted = submitted(&form_fields(text, &feed).unwrap());
        posted.extend(fields(extra));
        apply_form(text, &posted).unwrap()
    };
    let out = with(&[("order", "2,0,1")]);
    let at = |s: &str| out.find(s).unwrap();
    assert!(
        at("# 公告") < at("notices") && at("notices") < at("# 红"),
        "{out}"
    );
    assert!(at("# 红") < at("\"red\"") && at("\"red\"") < at("# 黑"), "{out}");
    assert!(at("# 黑") < at("\"black\""), "{out}");
    // Removal and ↑/↓ name items as the form numbered them, before the drop.
    let out = with(&[("order", "2,0,1"), ("remove_0", "on"), ("move", "up_1")]);
    assert!(!out.contains("\"red\""), "{out}");
    assert!(
        out.find("\"black\"").unwrap() < out.find("notices").unwrap(),
        "{out}"
    );
    // Malformed orders change nothing.
    for bad in ["", "0,1,2", "0,0,1", "2,1", "0,1,7", "a,b,c"] {
        assert_eq!(with(&[("order", bad)]), text, "order {bad:?}");
    }
}

/// Issue 25: the 比学赶超 views are choices of the form, in Chinese, and an
/// item showing one keeps its view through an unrelated edit.
#[test]
fn a_view_is_a_choice_shown_and_written_like_the_rest() {
    let feed = crate::feed::demo().unwrap().0;
    let text = "[[playlist]]\nselect = { level = \"township\", view = \"scores\" }\nduration = 12\n";
    let form = form_fields(text, &feed).unwrap();
    assert_eq!(form.items[0].content, "view:township:scores");
    assert!(form.items[0].own_label.is_none(), "a choice matches it");
    let label = |value: &str| {
        form.choices
            .iter()
            .find(|c| c.value == value)
            .map(|c| c.label.clone())
    };
    assert_eq!(
        label("view:township:scores").as_deref(),
        Some("所有乡镇（街道）榜 · 分项得分")
    );
    assert_eq!(
        label("view:village:awards").as_deref(),
        Some("所有村榜 · 评比结果")
    );
    // The villages have no sub-score columns and no one responsible in the demo.
    assert!(label("view:village:scores").is_none() && label("view:village:roster").is_none());
    let out = apply_form(text, &fields(&[("duration_0", "9")])).unwrap();
    assert!(
        out.contains("view = \"scores\"") && out.contains("duration = 9"),
        "{out}"
    );
    let added = apply_form(text, &fields(&[("add_content", "view:village:improved")])).unwrap();
    assert!(
        added.contains("select = { level = \"village\", view = \"improved\" }"),
        "{added}"
    );
    let checked = crate::config::parse("x.toml", &added, Some(&feed));
    assert!(checked.diagnostics.is_empty(), "{:?}", checked.diagnostics);
}
