//! Config errors as snapshot tests of the exact messages, with line and column.
// Tests fail by panicking: an unwrap that fails here is a failed test.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use crate::common;

use rankwall::config::messages::{Lang, FALLBACK};
use rankwall::config::{self, Severity};

/// Each message as the CLI prints it; every case also checks that the
/// console can say it in Chinese (the catalogue knows it).
fn messages(text: &str) -> Vec<String> {
    let feed = rankwall::feed::demo().unwrap().0;
    let diagnostics = config::parse("rankwall.toml", text, Some(&feed)).diagnostics;
    for d in &diagnostics {
        let (said, hint) = (d.message_in(Lang::Zh), d.hint_in(Lang::Zh));
        assert_ne!(said, FALLBACK, "no Chinese for {:?}", d.message);
        assert_ne!(
            hint.as_deref(),
            Some(FALLBACK),
            "no Chinese for the hint {:?}",
            d.hint
        );
    }
    diagnostics.iter().map(|d| d.to_string()).collect()
}

#[test]
fn the_example_config_is_clean() {
    let text = include_str!("../../assets/rankwall.toml");
    let feed = rankwall::feed::demo().unwrap().0;
    let checked = config::parse("assets/rankwall.toml", text, Some(&feed));
    assert!(checked.diagnostics.is_empty(), "{:#?}", checked.diagnostics);
    let config = checked.settings.unwrap();
    assert_eq!(config.playlist.len(), 11);
    // Its 分项得分 slides are views of the two township boards.
    let scores = (config.playlist.iter())
        .filter(|i| matches!(&i.content, config::Content::Select(s) if s.view == Some(rankwall::slide::BoardView::Scores)))
        .count();
    assert_eq!(scores, 2);
    assert_eq!(
        config.screen.size,
        config::ScreenSize::parse("1920x1080").unwrap()
    );
}

#[test]
fn misspelt_key_bad_time_and_unknown_board_are_located() {
    let text = r#"[screen]
size = "1920x1080"

[[playlist]]
board = "towns-2026-10"
durtion = 12

[[playlist]]
select = { list = "red" }
windows = [{ days = ["mon"], from = "25:00", until = "18:00" }]
"#;
    assert_eq!(
        messages(text),
        [
            "rankwall.toml:5:9: warning: board `towns-2026-10` matches nothing in the current feed\n  hint: did you mean `towns-2026-11`? (ids change monthly: a select = { … } item survives that)",
            "rankwall.toml:6:1: error: unknown key `durtion` in [playlist]\n  hint: did you mean `duration`?",
            "rankwall.toml:10:37: error: `25:00` is not a time of day\n  hint: write 24-hour HH:MM, e.g. \"08:00\" or \"17:30\"",
        ]
    );
}

#[test]
fn syntax_and_type_errors_are_located() {
    assert_eq!(
        messages("[screen]\nsize = \"1920x1080\n"),
        ["rankwall.toml:2:18: error: invalid basic string, expected `\"`"]
    );
    let typed = messages("[feed]\npoll_interval = \"often\"\n");
    assert_eq!(typed.len(), 1);
    assert!(
        typed[0].starts_with(
            "rankwall.toml:2:17: error: `poll_interval`: invalid type: string \"often\", expected u64"
        ),
        "{typed:?}"
    );
    // What the console shows a clerk: the key, and the type in Chinese.
    let zh = rankwall::config::messages::render(
        "`poll_interval`: invalid type: string \"often\", expected u64",
        rankwall::config::messages::Lang::Zh,
    );
    assert!(zh.starts_with("键 `poll_interval`：值的类型不对"), "{zh}");
}

#[test]
fn impossible_values_are_errors_with_hints() {
    let text = r#"[screen]
size = "big"
rotation = 45
time_zone = "Mars/Olympus"
display_hours = { from = "08:00", until = "08:00" }

[[playlist]]
board = "towns-2026-11"
duration = 0
transition = { kind = "fad" }
windows = [{ days = ["mun"], from = "09:00", until = "09:00" }, { start_date = "2026-13-01" }]

[[playlist]]
board = "towns-2026-11"
list = "red-2026-11"
"#;
    let m = messages(text);
    let expected = [
        "rankwall.toml:2:8: error: screen size `big` is not usable",
        "rankwall.toml:3:12: error: rotation 45 is not a quarter turn",
        "rankwall.toml:4:13: error: unknown time zone `Mars/Olympus`",
        "rankwall.toml:5:26: error: display hours are empty",
        "rankwall.toml:9:12: error: duration must be a positive number of seconds",
        "rankwall.toml:10:23: error: unknown transition `fad`\n  hint: did you mean `fade`?",
        "rankwall.toml:11:22: error: unknown day `mun`",
        "rankwall.toml:11:37: error: this window is empty",
        "rankwall.toml:11:80: error: `2026-13-01` is not a date",
    ];
    for e in expected {
        assert!(m.iter().any(|x| x.starts_with(e)), "missing {e:?} in {m:#?}");
    }
    assert!(
        m.iter()
            .any(|x| x.contains("exactly one of board, list, notice, message or select")),
        "{m:#?}"
    );
}

#[test]
fn overlapping_windows_warn_and_errors_refuse_the_whole_file() {
    let text = r#"[[playlist]]
board = "towns-2026-11"
windows = [{ from = "08:00", until = "12:00" }, { from = "11:00", until = "14:00" }]
"#;
    let feed = rankwall::feed::demo().unwrap().0;
    let checked = config::parse("rankwall.toml", text, Some(&feed));
    assert_eq!(checked.errors(), 0);
    assert!(checked.settings.is_some());
    assert_eq!(checked.diagnostics.len(), 1);
    assert_eq!(checked.diagnostics[0].severity, Severity::Warning);
    assert!(checked.diagnostics[0].message.contains("overlaps"));
    let bad = config::parse("rankwall.toml", "[screen]\nsiz = 1\n", None);
    assert!(bad.settings.is_none(), "a file with errors is refused whole");
}

#[test]
fn check_config_prints_located_messages_and_fails() {
    let dir = common::temp_dir("config");
    let path = dir.join("rankwall.toml");
    std::fs::write(&path, "[[playlist]]\nboard = \"towns-2026-10\"\ndurtion = 12\nwindows = [{ from = \"8:00\", until = \"18:00\" }]\n").unwrap();
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_rankwall"))
        .args(["check", "--config"])
        .arg(&path)
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(1), "{text}");
    let located = text
        .lines()
        .filter(|l| l.starts_with(&format!("{}:", path.display())))
        .count();
    assert_eq!(located, 3, "{text}");
    assert!(text.contains("2 error(s), 1 warning(s)"), "{text}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn hot_reload_applies_good_files_and_rejects_bad_ones() {
    use rankwall::source::config::{watch_config, ConfigEvent};
    use std::time::Duration;
    let dir = common::temp_dir("watch");
    let path = dir.join("rankwall.toml");
    std::fs::write(&path, "[[playlist]]\nboard = \"towns-2026-11\"\n").unwrap();
    let feed = std::sync::Arc::new(rankwall::feed::demo().unwrap().0);
    let (_feed_tx, feed_rx) = tokio::sync::watch::channel(Some(feed));
    let (tx, mut rx) = tokio::sync::mpsc::channel(4);
    let task = tokio::spawn(watch_config(path.clone(), Duration::from_millis(50), feed_rx, tx));
    std::fs::write(&path, "[[playlist]]\nboard = \"towns-2026-11\"\nduration = 7\n").unwrap();
    match next_event(&mut rx).await {
        ConfigEvent::Applied(c) => assert_eq!(c.playlist[0].duration.as_secs_f64(), 7.0),
        other => panic!("{other:?}"),
    }
    std::fs::write(&path, "[[playlist]]\nboard = \"towns-2026-11\"\nduraton = 9\n").unwrap();
    match next_event(&mut rx).await {
        ConfigEvent::Rejected(lines) => {
            assert_eq!(lines.len(), 1);
            assert!(
                lines[0].ends_with(
                    ":3:1: error: unknown key `duraton` in [playlist]\n  hint: did you mean `duration`?"
                ),
                "{lines:?}"
            );
        }
        other => panic!("{other:?}"),
    }
    std::fs::write(&path, "[[playlist]]\nselect = { list = \"red\" }\n").unwrap();
    assert!(matches!(next_event(&mut rx).await, ConfigEvent::Applied(_)));
    task.abort();
}

async fn next_event(
    rx: &mut tokio::sync::mpsc::Receiver<rankwall::source::config::ConfigEvent>,
) -> rankwall::source::config::ConfigEvent {
    tokio::time::timeout(std::time::Duration::from_secs(5), rx.recv())
        .await
        .expect("an event")
        .expect("open")
}

#[test]
fn the_proof_of_play_hash_is_the_sha256_of_the_source_text() {
    let text = "[screen]\nsize = \"1920x1080\"\n\n[[playlist]]\nselect = { list = \"red\" }\n";
    let settings = config::parse("t.toml", text, None).settings.unwrap();
    assert_eq!(
        settings.source_sha256,
        rankwall::digest::sha256_hex(text.as_bytes())
    );
    // A comment changes the text, so the hash, though not the settings.
    let commented = format!("# edited\n{text}");
    let again = config::parse("t.toml", &commented, None).settings.unwrap();
    assert_ne!(again.source_sha256, settings.source_sha256);
    assert_eq!(again.playlist, settings.playlist);
}

#[test]
fn values_the_schedule_cannot_use_are_refused_where_they_stand() {
    let refused = |text: &str| -> Vec<String> {
        let checked = config::parse("t.toml", text, None);
        assert!(checked.settings.is_none(), "{text} was accepted");
        checked.diagnostics.iter().map(|d| d.to_string()).collect()
    };
    // A page of 10^13 s overflowed the schedule's date arithmetic (a panic).
    let m = refused("[[playlist]]\nselect = { list = \"red\" }\nduration = 1e13\n");
    assert!(
        m.iter()
            .any(|x| x.starts_with("t.toml:3:12: error: duration must be")),
        "{m:#?}"
    );
    let m = refused(
        "[[playlist]]\nselect = { list = \"red\" }\ntransition = { kind = \"fade\", duration = 9e15 }\n",
    );
    assert!(m.iter().any(|x| x.contains("transition duration")), "{m:#?}");
    // A strip turned a quarter is 256 px wide: nothing lays out there.
    let m = refused("[screen]\nsize = \"1280x256\"\nrotation = 90\n");
    assert!(
        m.iter()
            .any(|x| x.starts_with("t.toml:3:12: error: turned a quarter")),
        "{m:#?}"
    );
    let m = refused("[[playlist]]\nselect = { level = \"towns\" }\n");
    assert!(m.iter().any(|x| x.contains("unknown level `towns`")), "{m:#?}");
    let m = refused("[status]\nplay_log_max_mb = 17592186044416\n");
    assert!(
        m.iter()
            .any(|x| x.starts_with("t.toml:2:19: error: play_log_max_mb")),
        "{m:#?}"
    );
    // Page durations round to the millisecond, as before typed settings.
    let ok = config::parse(
        "t.toml",
        "[[playlist]]\nselect = { list = \"red\" }\nduration = 10.0009\n",
        None,
    );
    assert_eq!(ok.settings.unwrap().playlist[0].page_millis(), 10_001);
    // A token's surrounding spaces are not part of it.
    let ok = config::parse(
        "t.toml",
        "[status]\naddr = \"0.0.0.0:9470\"\ntoken = \" s3cret-s3cret-s3cret \"\n",
        None,
    );
    assert_eq!(
        ok.settings.unwrap().status.token.as_deref(),
        Some("s3cret-s3cret-s3cret")
    );
    // Issue 14: a token shorter than 16 characters is refused at its place,
    // on loopback too (a local user or a later change of addr could use it).
    for (addr, token) in [("0.0.0.0:9470", "a"), ("127.0.0.1:9470", "fifteen-chars-x")] {
        let short = config::parse(
            "t.toml",
            &format!("[status]\naddr = \"{addr}\"\ntoken = \"{token}\"\n"),
            None,
        );
        assert!(short.settings.is_none(), "token {token:?} accepted");
        let shown = short
            .diagnostics
            .iter()
            .map(|d| d.to_string())
            .collect::<Vec<_>>()
            .join("\n");
        assert!(
            shown.contains("t.toml:3:9") && shown.contains("at least 16"),
            "{shown}"
        );
    }
}

/// A remote config is someone else's text: its keys and values reach the
/// log and `check` only escaped and shortened.
#[test]
fn messages_escape_and_shorten_what_the_file_says() {
    let text = format!(
        "[screen]\n\"\\u001b[2J\\nERROR forged\" = 1\ntime_zone = \"{}\"\n",
        "Z".repeat(5000)
    );
    let checked = config::parse("https://cfg.example/x.toml", &text, None);
    let lines: Vec<String> = checked.diagnostics.iter().map(|d| d.to_string()).collect();
    assert_eq!(lines.len(), 3, "{lines:#?}");
    for line in &lines {
        assert!(!line.chars().any(|c| c.is_control() && c != '\n'), "{line:?}");
        assert!(line.lines().count() <= 2, "a forged line: {line:?}");
        assert!(line.chars().count() < 600, "{} characters", line.chars().count());
    }
    assert!(
        lines.iter().any(|l| l.contains("\\u{1b}[2J\\u{a}ERROR forged")),
        "{lines:#?}"
    );
    // A value is quoted in at most 80 characters, the cut marked.
    let zone = lines.iter().find(|l| l.contains("time zone")).unwrap();
    assert!(zone.contains(&format!("`{}…`", "Z".repeat(80))), "{zone}");
}

/// A config from a URL may not name files on the screen or open its status
/// port: those keys come only from the screen's own files.
#[test]
fn a_remote_config_may_not_set_local_only_keys() {
    let dir = common::temp_dir("local-only");
    let local = dir.join("screen.toml");
    std::fs::write(
        &local,
        "[status]\naddr = \"0.0.0.0:9470\"\ntoken = \"a-long-local-token\"\n",
    )
    .unwrap();
    let remote =
        rankwall::source::config::RemoteConfig::new("https://cfg.example/hall.toml", Some(local), &dir);
    let playlist = "[[playlist]]\nselect = { list = \"red\" }\n";
    // Every local-only key, each alone (the list is written out here, not
    // read from the code, so a key dropped from the refusal fails the test).
    let every_key = [
        ("[status]\naddr = \"0.0.0.0:9999\"\n", "2:1"),
        ("[status]\ntoken = \"a-token-from-the-server\"\n", "2:1"),
        ("[status]\nplay_log = \"/etc/important.conf\"\n", "2:1"),
        ("[feed]\ncache_dir = \"/etc\"\n", "2:1"),
        ("[feed]\nca_file = \"/tmp/attacker-ca.pem\"\n", "2:1"),
        (
            "[feed]\npublic_key = \"RWQf6LRCGA9i53mlYecO4IzT51TGPpvWucNSCh1CBM0QTaLn73Y7GFO3\"\n",
            "2:1",
        ),
        ("[theme]\nfonts = [\"/dev/zero\"]\n", "2:1"),
        ("[theme]\nsystem_fonts = true\n", "2:1"),
        (
            "[report]\nurl = \"https://elsewhere.example/api/report\"\n",
            "2:1",
        ),
        ("[report]\ntoken = \"a-token-from-the-server\"\n", "2:1"),
        ("[report]\ninterval = 10\n", "2:1"),
    ];
    for (hostile, line_col) in every_key {
        let checked = remote.check(&format!("{hostile}{playlist}"), None);
        assert!(checked.settings.is_none(), "{hostile} was accepted");
        let lines: Vec<String> = checked.diagnostics.iter().map(|d| d.to_string()).collect();
        let expected = format!("https://cfg.example/hall.toml:{line_col}: error: `");
        assert!(
            lines
                .iter()
                .any(|l| l.starts_with(&expected) && l.contains("comes only from the screen's own files")),
            "{hostile}: {lines:#?}"
        );
    }
    // The same keys from the screen's own file are taken.
    let settings = remote.check(playlist, None).settings.unwrap();
    assert_eq!(settings.status.addr.map(|a| a.port()), Some(9470));
    assert_eq!(settings.status.token.as_deref(), Some("a-long-local-token"));
}

/// Issue 25: a view is for boards only, and its word is one of six; both
/// mistakes are located at the word, with a hint, in English and Chinese.
#[test]
fn a_view_of_a_list_and_an_unknown_view_are_refused_at_the_word() {
    let text = "[[playlist]]\nselect = { list = \"red\", view = \"scores\" }\n\n[[playlist]]\nselect = { level = \"township\", view = \"score\" }\n";
    let m = messages(text);
    assert_eq!(
        m,
        [
            "rankwall.toml:2:33: error: a view shows boards, not lists or notices\n  hint: e.g. select = { level = \"township\", view = \"scores\" }",
            "rankwall.toml:5:39: error: unknown view `score`\n  hint: did you mean `scores`?",
        ]
    );
    let feed = rankwall::feed::demo().unwrap().0;
    let zh: Vec<String> = config::parse("rankwall.toml", text, Some(&feed))
        .diagnostics
        .iter()
        .map(|d| d.message_in(Lang::Zh))
        .collect();
    assert_eq!(
        zh,
        ["视图只用于榜单，不能用于名单或通知", "没有这种视图：`score`"]
    );
    let good = "[[playlist]]\nselect = { level = \"village\", view = \"awards\" }\n";
    assert!(messages(good).is_empty(), "{:?}", messages(good));
}
