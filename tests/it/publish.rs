//! The publisher (issue 26): three months of example sheets (13 townships in
//! two categories, 70 villages, households; `tests/fixtures/publish`, made
//! by `make.py`) built in turn, the second from xlsx workbooks, each
//! document accepted by the screens' validator with nothing dropped and its
//! ranks, ties, previous ranks, history, grades and the quarter equal to
//! `expected.json` (computed by make.py on its own, not by rankwall). Every
//! kind of bad sheet is refused with its place in Chinese and nothing
//! written; a published month is refused unless corrected.
// Tests fail by panicking: an unwrap that fails here is a failed test.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use crate::common;
use rankwall::publish::build::Context;
use rankwall::publish::sheet::{self, Grid};
use rankwall::publish::{History, Month, Scheme};
use serde_json::Value;
use std::path::{Path, PathBuf};
use std::process::Command;

fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/publish")
}

fn scheme() -> Scheme {
    Scheme::parse(&std::fs::read_to_string(fixtures().join("sheets/assessment.toml")).unwrap()).unwrap()
}

fn csv_files(month: &str) -> Vec<(String, Vec<Grid>)> {
    ["townships", "villages", "households"]
        .iter()
        .map(|k| sheet::read_file(&fixtures().join(format!("sheets/{month}-{k}.csv"))).unwrap())
        .collect()
}

/// The month's three CSV sheets as one xlsx workbook (numbers as numbers).
fn xlsx_of(month: &str) -> Vec<u8> {
    let mut book = rust_xlsxwriter::Workbook::new();
    for (name, grids) in csv_files(month) {
        let sheet = book.add_worksheet();
        sheet.set_name(name.trim_end_matches(".csv")).unwrap();
        for (r, row) in grids[0].rows.iter().enumerate() {
            for (c, cell) in row.iter().enumerate() {
                let (r, c) = (r as u32, c as u16);
                match cell.number() {
                    Some(n) if r > 0 && c > 0 => sheet.write_number(r, c, n).unwrap(),
                    _ => sheet.write_string(r, c, cell.text()).unwrap(),
                };
            }
        }
    }
    book.save_to_buffer().unwrap()
}

fn at(month: &str) -> chrono::DateTime<chrono::FixedOffset> {
    chrono::DateTime::parse_from_rfc3339(&format!("{month}-28T10:00:00+08:00")).unwrap()
}

fn built(
    scheme: &Scheme,
    month: &str,
    history: &History,
    files: &[(String, Vec<Grid>)],
) -> rankwall::publish::Built {
    let ctx = Context {
        scheme,
        month: Month::parse(month).unwrap(),
        history,
        now: at(month),
        by: "test",
    };
    rankwall::publish::build(&ctx, files).unwrap_or_else(|p| panic!("{p:#?}"))
}

/// A board's entries as make.py writes them.
fn as_expected(board: &Value) -> Vec<Value> {
    (board["entries"].as_array().unwrap().iter())
        .map(|e| {
            let history: Vec<Value> = (e["history"].as_array().unwrap().iter())
                .map(|h| serde_json::json!([h["period"], h["rank"], h["score"]]))
                .collect();
            serde_json::json!({
                "name": e["name"], "rank": e["rank"], "score": e["score"],
                "previous_rank": e["previous_rank"], "grade": e["grade"],
                "history": history, "scores": e["scores"],
            })
        })
        .collect()
}

#[test]
fn three_months_build_as_computed_by_hand() {
    let scheme = scheme();
    let expected: Value =
        serde_json::from_str(&std::fs::read_to_string(fixtures().join("expected.json")).unwrap()).unwrap();
    let dir = common::temp_dir("publish-three-months");
    let mut history = History::default();
    for month in ["2026-10", "2026-11", "2026-12"] {
        let files = if month == "2026-11" {
            vec![(
                "2026-11.xlsx".to_string(),
                sheet::read("2026-11.xlsx", &xlsx_of(month)).unwrap(),
            )]
        } else {
            csv_files(month)
        };
        let built = built(&scheme, month, &history, &files);
        let (feed, report) = rankwall::feed::parse(&built.body).unwrap();
        assert!(
            report.dropped.is_empty() && report.cleaned.is_empty(),
            "{report:?}"
        );
        assert_eq!(feed, built.feed);
        let doc: Value = serde_json::from_slice(&built.body).unwrap();
        let want = expected[month].as_object().unwrap();
        let mut boards: Vec<&str> = (doc["boards"].as_array().unwrap().iter())
            .map(|b| b["id"].as_str().unwrap())
            .collect();
        boards.sort_unstable();
        assert_eq!(
            boards,
            want.keys().map(String::as_str).collect::<Vec<_>>(),
            "{month}"
        );
        for board in doc["boards"].as_array().unwrap() {
            let id = board["id"].as_str().unwrap();
            assert_eq!(
                as_expected(board),
                want[id].as_array().unwrap().clone(),
                "{month} {id}"
            );
        }
        let lists: Vec<(&str, usize)> = (doc["lists"].as_array().unwrap().iter())
            .map(|l| {
                (
                    l["kind"].as_str().unwrap(),
                    l["entries"].as_array().unwrap().len(),
                )
            })
            .collect();
        assert_eq!(lists, [("red", 26), ("black", 14)], "{month}");
        let path = dir.join(format!("{month}.json"));
        std::fs::write(&path, &built.body).unwrap();
        let checked = rankwall::cli::check(path.to_str().unwrap(), &Default::default()).unwrap();
        assert!(checked.accepted, "{}", checked.text);
        History::save(
            &dir.join("history"),
            Month::parse(month).unwrap(),
            built.record,
            None,
        )
        .unwrap();
        history = History::load(&dir.join("history")).unwrap();
    }
    // 五包五责 from the scheme, and the awards' tiers with their counts.
    let december: Value = serde_json::from_slice(&std::fs::read(dir.join("2026-12.json")).unwrap()).unwrap();
    let towns = &december["boards"][0];
    let huashan = (towns["entries"].as_array().unwrap().iter())
        .find(|e| e["name"] == "花山镇")
        .unwrap();
    assert_eq!(huashan["responsible"][0]["name"], "张立新");
    assert_eq!(towns["awards"][0]["grade"], "一类");
    assert_eq!(towns["columns"][0]["max"], 20.0);
}

/// The problems a build of the November CSV sheets reports once `edit`
/// has changed the villages' sheet (rows of cells).
fn problems_with(edit: impl FnOnce(&mut Vec<Vec<String>>)) -> Vec<String> {
    let text = std::fs::read_to_string(fixtures().join("sheets/2026-11-villages.csv")).unwrap();
    let mut rows: Vec<Vec<String>> = text
        .lines()
        .map(|l| l.split(',').map(String::from).collect())
        .collect();
    edit(&mut rows);
    let edited: String = rows.iter().map(|r| r.join(",") + "\n").collect();
    let mut files = csv_files("2026-11");
    files[1] = ("村.csv".into(), sheet::read("村.csv", edited.as_bytes()).unwrap());
    november_problems(&files)
}

/// The problems of building November from `files` with the example scheme
/// and no months kept; the build must fail.
fn november_problems(files: &[(String, Vec<Grid>)]) -> Vec<String> {
    let (scheme, history) = (scheme(), History::default());
    let ctx = Context {
        scheme: &scheme,
        month: Month::parse("2026-11").unwrap(),
        history: &history,
        now: at("2026-11"),
        by: "test",
    };
    match rankwall::publish::build(&ctx, files) {
        Ok(_) => panic!("built despite the problems"),
        Err(p) => p.iter().map(ToString::to_string).collect(),
    }
}

fn assert_said(problems: &[String], wanted: &str) {
    assert!(
        problems.iter().any(|p| p.contains(wanted)),
        "no `{wanted}` in {problems:#?}"
    );
}

#[test]
fn every_kind_of_bad_sheet_is_refused_at_its_place_in_chinese() {
    // Column F is the fourth standard, 柴草垛整治 (full marks 4).
    let over = problems_with(|rows| rows[11][5] = "31".into());
    assert_said(&over, "村.csv 第 12 行 F 列：柴草垛整治 31 分，超过满分 4 分");
    let text = problems_with(|rows| rows[3][6] = "优".into());
    assert_said(&text, "第 4 行 G 列：保洁频次 填的是「优」，不是分数");
    let twice = problems_with(|rows| {
        let copy = rows[2].clone();
        rows.push(copy);
    });
    assert_said(&twice, "第 72 行 A 列：");
    assert_said(&twice, "出现两次（第 3 行已有）");
    let missing = problems_with(|rows| {
        rows.truncate(68);
    });
    assert_said(&missing, "缺少 3 个村的分数：");
    let unknown = problems_with(|rows| rows[5][0] = "不存在村".into());
    assert_said(&unknown, "第 6 行 A 列：不存在村 不在单位表中（村）");
    let no_column = problems_with(|rows| {
        for r in rows.iter_mut() {
            r.remove(2);
        }
    });
    assert_said(&no_column, "缺少 1 列：垃圾分类");
    let blank = problems_with(|rows| rows[9][10] = String::new());
    assert_said(&blank, "第 10 行 K 列：污水排放 没有填写分数");
    let negative = problems_with(|rows| rows[9][10] = "-1".into());
    assert_said(&negative, "污水排放 -1 分，不能为负数");
    let wrong_parent = problems_with(|rows| rows[4][1] = "闹枝镇".into());
    assert_said(&wrong_parent, "第 5 行 B 列：");
    assert_said(&wrong_parent, "属于 花山镇，不是 闹枝镇");
    // Each problem says where, and no unit with a bad cell is also "missing".
    assert!(!over.iter().any(|p| p.contains("缺少")), "{over:#?}");
}

#[test]
fn bad_files_are_refused_whole() {
    let dir = common::temp_dir("publish-bad-files");
    let empty = dir.join("empty.csv");
    std::fs::write(&empty, "").unwrap();
    let (name, grids) = sheet::read_file(&empty).unwrap();
    let said = november_problems(&[(name, grids)]);
    assert_said(&said, "empty.csv 是空的");
    let big = dir.join("big.xlsx");
    let file = std::fs::File::create(&big).unwrap();
    file.set_len(sheet::MAX_BYTES + 1).unwrap();
    assert!(sheet::read_file(&big).unwrap_err().text.contains("超过 20 MB"));
    let broken = dir.join("broken.xlsx");
    let mut bytes = xlsx_of("2026-11");
    bytes.truncate(bytes.len() / 2);
    std::fs::write(&broken, &bytes).unwrap();
    assert!(sheet::read_file(&broken).unwrap_err().text.contains("无法打开"));
    let header_only = sheet::read("h.csv", "村,所属乡镇\n".as_bytes()).unwrap();
    let said = november_problems(&[("h.csv".into(), header_only)]);
    assert_said(&said, "缺少 25 列");
}

fn bin() -> Command {
    Command::new(env!("CARGO_BIN_EXE_rankwall"))
}

fn build_cmd(dir: &Path, month: &str, sheets: &[PathBuf]) -> Command {
    let mut c = bin();
    c.args(["feed", "build", "--scheme"])
        .arg(fixtures().join("sheets/assessment.toml"))
        .args(["--month", month, "--history"])
        .arg(dir.join("history"))
        .arg("--out")
        .arg(dir.join(format!("feed-{month}.json")))
        .args(sheets);
    c
}

#[test]
fn the_command_writes_nothing_on_a_problem_and_refuses_a_published_month_unless_corrected() {
    let dir = common::temp_dir("publish-command");
    let keys = dir.join("keys");
    assert!(bin()
        .args(["feed", "keygen", "--out"])
        .arg(&keys)
        .status()
        .unwrap()
        .success());
    let sheets: Vec<PathBuf> = ["townships", "villages", "households"]
        .iter()
        .map(|k| fixtures().join(format!("sheets/2026-10-{k}.csv")))
        .collect();
    // A bad sheet: nothing written, every problem told.
    let bad = dir.join("bad.csv");
    let villages = std::fs::read_to_string(&sheets[1])
        .unwrap()
        .replacen(",4,", ",40,", 1);
    std::fs::write(&bad, villages).unwrap();
    let out = build_cmd(&dir, "2026-10", &[sheets[0].clone(), bad, sheets[2].clone()])
        .output()
        .unwrap();
    let said = String::from_utf8_lossy(&out.stderr);
    assert!(
        !out.status.success() && said.contains("超过满分") && said.contains("什么也没有写"),
        "{said}"
    );
    assert!(!dir.join("feed-2026-10.json").exists() && !dir.join("history").exists());
    // Good sheets: the document, its signature, the month kept.
    let out = build_cmd(&dir, "2026-10", &sheets)
        .arg("--key")
        .arg(keys.join("feed-signing.key"))
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let body = std::fs::read(dir.join("feed-2026-10.json")).unwrap();
    let sig = std::fs::read_to_string(dir.join("feed-2026-10.json.sig")).unwrap();
    let public = std::fs::read_to_string(keys.join("feed-signing.pub")).unwrap();
    let key = rankwall::signing::PublicKey::parse(public.trim()).unwrap();
    key.verify(&body, sig.as_bytes()).unwrap();
    assert!(dir.join("history/2026-10.json").exists());
    // Again: refused, nothing changed.
    let out = build_cmd(&dir, "2026-10", &sheets).output().unwrap();
    let said = String::from_utf8_lossy(&out.stderr);
    assert!(
        !out.status.success() && said.contains("2026-10 已经发布过"),
        "{said}"
    );
    assert_eq!(std::fs::read(dir.join("feed-2026-10.json")).unwrap(), body);
    // Corrected: built again, the correction kept with its reason.
    let out = build_cmd(&dir, "2026-10", &sheets)
        .args(["--correct", "花山镇 分数录入有误"])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let kept: Value =
        serde_json::from_slice(&std::fs::read(dir.join("history/2026-10.json")).unwrap()).unwrap();
    assert_eq!(kept["corrections"][0]["reason"], "花山镇 分数录入有误");
}

#[test]
fn the_template_is_the_shape_the_build_reads() {
    let dir = common::temp_dir("publish-template");
    let out = dir.join("2026-11.xlsx");
    let status = bin()
        .args(["feed", "template", "--scheme"])
        .arg(fixtures().join("sheets/assessment.toml"))
        .args(["--month", "2026-11", "--out"])
        .arg(&out)
        .status()
        .unwrap();
    assert!(status.success());
    let (name, grids) = sheet::read_file(&out).unwrap();
    let sheets: Vec<&str> = grids.iter().map(|g| g.sheet.as_str()).collect();
    assert_eq!(
        sheets,
        [
            "2026-11.xlsx「乡镇」",
            "2026-11.xlsx「村」",
            "2026-11.xlsx「红黑榜」",
            "2026-11.xlsx「说明」"
        ]
    );
    assert_eq!(grids[1].rows.len(), 71, "a row per village under the heading");
    assert_eq!(grids[1].cell(0, 2).text(), "垃圾分类（满分4分）");
    // Unfilled, every score is missing, and nothing else is wrong.
    let said = november_problems(&[(name, grids)]);
    let unfilled = said.iter().filter(|p| p.contains("没有填写分数")).count();
    assert_eq!(unfilled, (13 + 70) * 25, "{:#?}", &said[..5.min(said.len())]);
    assert!(
        said.iter().any(|p| p.contains("只有表头，没有任何户")),
        "{said:#?}"
    );
}

#[test]
fn the_units_may_be_kept_in_a_sheet_beside_the_scheme() {
    let dir = common::temp_dir("publish-units-sheet");
    let inline = scheme();
    let text = std::fs::read_to_string(fixtures().join("sheets/assessment.toml")).unwrap();
    // The example without its [[townships]] and [[villages]], naming a sheet instead.
    let blocks: Vec<&str> = text
        .split("\n\n")
        .filter(|b| !b.starts_with("[[townships]]") && !b.starts_with("[[villages]]"))
        .collect();
    let toml = blocks
        .join("\n\n")
        .replacen("decimals = 1", "decimals = 1\nunits = \"units.csv\"", 1);
    let mut units = String::from("单位名称,类别,所属乡镇\n");
    for t in &inline.townships {
        units.push_str(&format!("{},{},\n", t.name, t.category));
    }
    for v in &inline.villages {
        units.push_str(&format!("{},村,{}\n", v.name, v.township));
    }
    std::fs::write(dir.join("assessment.toml"), &toml).unwrap();
    std::fs::write(dir.join("units.csv"), &units).unwrap();
    let from_sheet = Scheme::load(&dir.join("assessment.toml")).unwrap();
    let names = |s: &Scheme| -> Vec<(String, String)> {
        (s.townships.iter().map(|t| (t.name.clone(), t.category.clone())))
            .chain(s.villages.iter().map(|v| (v.name.clone(), v.township.clone())))
            .collect()
    };
    assert_eq!(names(&from_sheet), names(&inline));
    let ranks = |s: &Scheme| -> Vec<(String, u32, Option<f64>)> {
        let built = built(s, "2026-10", &History::default(), &csv_files("2026-10"));
        (built.feed.boards.iter().flat_map(|b| b.entries.iter()))
            .map(|e| (e.name.clone(), e.rank, e.score))
            .collect()
    };
    assert_eq!(ranks(&from_sheet), ranks(&inline));
    // A village without its township: told at its row and column.
    std::fs::write(dir.join("units.csv"), units.replacen(",村,花山镇\n", ",村,\n", 1)).unwrap();
    let said = Scheme::load(&dir.join("assessment.toml")).unwrap_err();
    assert!(
        said.iter()
            .any(|p| p.contains("units.csv 第 15 行 C 列：村要填写所属乡镇")),
        "{said:?}"
    );
}
