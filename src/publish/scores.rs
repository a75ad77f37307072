//! The score sheets checked against the scheme. A sheet is told by its
//! first cell: 乡镇 (a township per row) or 村 (a village per row, then its
//! 所属乡镇); then one column per standard, headed by the standard's name
//! (what follows a bracket, such as （满分5分）, is the clerk's reminder). A
//! 合计 or 总分 column, if kept, must equal the row's sum; a 备注 column is
//! left alone. Every problem is collected; none stops the check.

use super::scheme::Scheme;
use super::sheet::{format_number, Cell, Grid};
use super::Problem;
use std::collections::HashMap;

/// The first cell of a township sheet.
pub const TOWNSHIP_HEADER: &str = "乡镇";
/// The first cell of a village sheet.
pub const VILLAGE_HEADER: &str = "村";
/// The second column of a village sheet.
pub const PARENT_HEADER: &str = "所属乡镇";
/// A column the clerk may keep with the row's total.
const TOTAL_HEADERS: [&str; 2] = ["合计", "总分"];
/// A column the check leaves alone.
const NOTE_HEADER: &str = "备注";

/// One unit's row: its standards' scores in the scheme's column order.
#[derive(Clone, Debug, PartialEq)]
pub struct Assessed {
    /// The unit.
    pub name: String,
    /// Each column's score, in [`Scheme::columns`] order.
    pub scores: Vec<f64>,
}

/// The month's scores, by level, in sheet order.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Scores {
    /// Townships.
    pub townships: Vec<Assessed>,
    /// Villages.
    pub villages: Vec<Assessed>,
    /// Every known unit a row names, its scores right or not (so that a
    /// unit with a bad cell is not also told missing).
    pub named: Vec<String>,
}

/// What a sheet holds, from its first cell.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    /// 乡镇 scores.
    Townships,
    /// 村 scores.
    Villages,
    /// The households' red and black lists.
    Households,
}

/// The kind of `grid`, or `None` when its first cell says none.
pub fn kind(grid: &Grid) -> Option<Kind> {
    match name_of(&grid.cell(0, 0).text()).as_str() {
        TOWNSHIP_HEADER => Some(Kind::Townships),
        VILLAGE_HEADER => Some(Kind::Villages),
        super::households::NAME_HEADER => Some(Kind::Households),
        _ => None,
    }
}

/// A heading without the reminder in brackets: `垃圾分类（满分5分）` → `垃圾分类`.
pub fn name_of(heading: &str) -> String {
    let cut = heading.find(['（', '(']).unwrap_or(heading.len());
    heading[..cut].split_whitespace().collect()
}

/// Checks one score sheet of `level`, adding its rows to `out`.
pub fn check(scheme: &Scheme, grid: &Grid, level: Kind, out: &mut Scores, problems: &mut Vec<Problem>) {
    let first = if level == Kind::Villages { 2 } else { 1 };
    let Some(layout) = header(scheme, grid, first, problems) else {
        return;
    };
    let sheet = grid.sheet.as_str();
    let mut seen: HashMap<String, usize> = HashMap::new();
    let mut rows = 0;
    for r in 1..grid.rows.len() {
        if grid.rows[r].iter().all(|c| *c == Cell::Empty) {
            continue;
        }
        rows += 1;
        let name = grid.cell(r, 0).text();
        if name.is_empty() {
            problems.push(Problem::at(sheet, r, 0, "没有填写单位名称"));
            continue;
        }
        if !known(scheme, &name, level, grid.cell(r, 1), (sheet, r), problems) {
            continue;
        }
        if let Some(before) = seen.insert(name.clone(), r) {
            let said = format!("{name} 出现两次（第 {} 行已有）", before + 1);
            problems.push(Problem::at(sheet, r, 0, said));
            continue;
        }
        out.named.push(name.clone());
        if let Some(scores) = row_scores(scheme, grid, r, &layout, problems) {
            let assessed = Assessed { name, scores };
            match level {
                Kind::Villages => out.villages.push(assessed),
                _ => out.townships.push(assessed),
            }
        }
    }
    if rows == 0 {
        problems.push(Problem::of(sheet, "只有表头，没有任何单位的分数"));
    }
}

/// Where each scheme column is in the sheet, and the total column if kept.
struct Layout {
    columns: Vec<usize>,
    total: Option<usize>,
}

fn header(scheme: &Scheme, grid: &Grid, first: usize, problems: &mut Vec<Problem>) -> Option<Layout> {
    let sheet = grid.sheet.as_str();
    let wanted = scheme.columns();
    let mut found: Vec<Option<usize>> = vec![None; wanted.len()];
    let mut total = None;
    let width = grid.rows.first().map_or(0, Vec::len);
    if first == 2 && name_of(&grid.cell(0, 1).text()) != PARENT_HEADER {
        problems.push(Problem::at(sheet, 0, 1, format!("这一列应为「{PARENT_HEADER}」")));
    }
    for c in first..width {
        let heading = name_of(&grid.cell(0, c).text());
        if heading.is_empty() || heading == NOTE_HEADER {
            continue;
        }
        if TOTAL_HEADERS.contains(&heading.as_str()) {
            total = Some(c);
            continue;
        }
        match wanted.iter().position(|(_, name, _)| *name == heading) {
            Some(i) if found[i].is_some() => {
                problems.push(Problem::at(sheet, 0, c, format!("列「{heading}」出现两次")));
            }
            Some(i) => found[i] = Some(c),
            None => problems.push(Problem::at(
                sheet,
                0,
                c,
                format!("不认识的列「{heading}」：考核方案中没有这项标准"),
            )),
        }
    }
    let missing: Vec<&str> = (wanted.iter().zip(&found))
        .filter(|(_, f)| f.is_none())
        .map(|((_, name, _), _)| *name)
        .collect();
    if !missing.is_empty() {
        let said = format!(
            "缺少 {} 列：{}（第 1 行应有这些列）",
            missing.len(),
            missing.join("、")
        );
        problems.push(Problem::of(sheet, said));
        return None;
    }
    Some(Layout {
        columns: found.into_iter().flatten().collect(),
        total,
    })
}

/// Whether `name` is a unit of `level` in the scheme (and, for a village,
/// of the township its row names); says why not.
fn known(
    scheme: &Scheme,
    name: &str,
    level: Kind,
    parent: &Cell,
    (sheet, r): (&str, usize),
    problems: &mut Vec<Problem>,
) -> bool {
    if level == Kind::Townships {
        if scheme.township(name).is_none() {
            problems.push(Problem::at(sheet, r, 0, format!("{name} 不在单位表中（乡镇）")));
            return false;
        }
        return true;
    }
    let Some(village) = scheme.villages.iter().find(|v| v.name == name) else {
        problems.push(Problem::at(sheet, r, 0, format!("{name} 不在单位表中（村）")));
        return false;
    };
    let parent = parent.text();
    if !parent.is_empty() && parent != village.township {
        let said = format!("{name} 属于 {}，不是 {parent}", village.township);
        problems.push(Problem::at(sheet, r, 1, said));
        return false;
    }
    true
}

fn row_scores(
    scheme: &Scheme,
    grid: &Grid,
    r: usize,
    layout: &Layout,
    problems: &mut Vec<Problem>,
) -> Option<Vec<f64>> {
    let sheet = grid.sheet.as_str();
    let before = problems.len();
    let mut scores = Vec::new();
    for ((_, name, max), &c) in scheme.columns().iter().zip(&layout.columns) {
        let cell = grid.cell(r, c);
        let said = match cell.number() {
            None if *cell == Cell::Empty => format!("{name} 没有填写分数"),
            None => format!("{name} 填的是「{}」，不是分数", cell.shown()),
            Some(v) if v < 0.0 => format!("{name} {} 分，不能为负数", format_number(v)),
            Some(v) if v > max + 1e-9 => {
                format!(
                    "{name} {} 分，超过满分 {} 分",
                    format_number(v),
                    format_number(*max)
                )
            }
            Some(v) => {
                scores.push(v);
                continue;
            }
        };
        problems.push(Problem::at(sheet, r, c, said));
    }
    if let (Some(c), true) = (layout.total, problems.len() == before) {
        let sum: f64 = scores.iter().sum();
        match grid.cell(r, c).number() {
            Some(t) if (t - sum).abs() > 0.05 => problems.push(Problem::at(
                sheet,
                r,
                c,
                format!(
                    "合计 {} 分与各项之和 {} 分不符",
                    format_number(t),
                    format_number(round(sum, 2))
                ),
            )),
            _ => {}
        }
    }
    (problems.len() == before).then_some(scores)
}

/// `v` rounded half away from zero to `decimals`.
pub fn round(v: f64, decimals: u32) -> f64 {
    let f = 10f64.powi(decimals as i32);
    (v * f).round() / f
}

/// The units of the scheme no sheet gave scores for, as one problem per level.
pub fn missing_units(scheme: &Scheme, scores: &Scores, problems: &mut Vec<Problem>) {
    let townships_needed = scheme
        .boards
        .iter()
        .any(|b| b.level == super::scheme::UnitLevel::Township);
    let villages_needed = scheme
        .boards
        .iter()
        .any(|b| b.level == super::scheme::UnitLevel::Village);
    let given: std::collections::HashSet<&str> = scores.named.iter().map(String::as_str).collect();
    let lacking_t: Vec<&str> = (scheme.townships.iter())
        .map(|t| t.name.as_str())
        .filter(|n| townships_needed && !given.contains(n))
        .collect();
    let lacking_v: Vec<&str> = (scheme.villages.iter())
        .map(|v| v.name.as_str())
        .filter(|n| villages_needed && !given.contains(n))
        .collect();
    for (lacking, what) in [(lacking_t, "乡镇"), (lacking_v, "村")] {
        if lacking.is_empty() {
            continue;
        }
        let shown: Vec<&str> = lacking.iter().take(12).copied().collect();
        let more = if lacking.len() > shown.len() { " 等" } else { "" };
        let said = format!(
            "缺少 {} 个{what}的分数：{}{more}",
            lacking.len(),
            shown.join("、")
        );
        problems.push(Problem::of("", said));
    }
}
