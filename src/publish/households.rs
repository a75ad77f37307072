//! The month's red and black lists of households, as the villages report
//! them: a sheet whose first cell is 姓名, with the columns 姓名, 乡镇, 村,
//! 事由 and 榜单 (红榜 or 黑榜) in any order. Names are kept as given:
//! masking is the screen's (black lists are masked there by default).

use super::scheme::Scheme;
use super::sheet::{Cell, Grid};
use super::Problem;

/// The first cell of a households sheet.
pub const NAME_HEADER: &str = "姓名";
/// The longest text the feed keeps uncut.
const MAX_CHARS: usize = 200;

/// One household on a list.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Household {
    /// The name, as given.
    pub name: String,
    /// 乡镇 村, as far as given.
    pub place: Option<String>,
    /// Why it is named.
    pub reason: Option<String>,
    /// 红榜 (true) or 黑榜.
    pub red: bool,
}

/// The columns of the sheet, by heading.
struct Columns {
    name: usize,
    township: Option<usize>,
    village: Option<usize>,
    reason: Option<usize>,
    list: usize,
}

fn columns(grid: &Grid, problems: &mut Vec<Problem>) -> Option<Columns> {
    let width = grid.rows.first().map_or(0, Vec::len);
    let find =
        |heading: &str| (0..width).find(|&c| super::scores::name_of(&grid.cell(0, c).text()) == heading);
    let list = find("榜单");
    if list.is_none() {
        problems.push(Problem::of(&grid.sheet, "缺少列「榜单」（填 红榜 或 黑榜）"));
    }
    Some(Columns {
        name: 0,
        township: find("乡镇"),
        village: find("村"),
        reason: find("事由"),
        list: list?,
    })
}

/// The households of `grid`, checked; each problem at its cell.
pub fn check(scheme: &Scheme, grid: &Grid, out: &mut Vec<Household>, problems: &mut Vec<Problem>) {
    let Some(cols) = columns(grid, problems) else {
        return;
    };
    let sheet = grid.sheet.as_str();
    let mut rows = 0;
    for r in 1..grid.rows.len() {
        if grid.rows[r].iter().all(|c| *c == Cell::Empty) {
            continue;
        }
        rows += 1;
        let before = problems.len();
        let text = |c: Option<usize>| c.map(|c| grid.cell(r, c).text()).unwrap_or_default();
        let name = text(Some(cols.name));
        if name.is_empty() {
            problems.push(Problem::at(sheet, r, cols.name, "没有填写姓名"));
        }
        let red = match text(Some(cols.list)).as_str() {
            "红榜" | "红" => true,
            "黑榜" | "黑" => false,
            other => {
                let said = format!("榜单应填 红榜 或 黑榜，不是「{other}」");
                problems.push(Problem::at(sheet, r, cols.list, said));
                false
            }
        };
        let (township, village) = (text(cols.township), text(cols.village));
        place_known(scheme, (&township, &village), (sheet, r, &cols), problems);
        for (c, value) in [(Some(cols.name), &name), (cols.reason, &text(cols.reason))] {
            if value.chars().count() > MAX_CHARS {
                let said = format!("内容超过 {MAX_CHARS} 个字，屏幕上会被截断：请写得短一些");
                problems.push(Problem::at(sheet, r, c.unwrap_or(0), said));
            }
        }
        if problems.len() > before {
            continue;
        }
        let place = [township.as_str(), village.as_str()]
            .into_iter()
            .filter(|s| !s.is_empty())
            .collect::<Vec<_>>()
            .join(" ");
        let reason = text(cols.reason);
        out.push(Household {
            name,
            place: (!place.is_empty()).then_some(place),
            reason: (!reason.is_empty()).then_some(reason),
            red,
        });
    }
    if rows == 0 {
        problems.push(Problem::of(sheet, "只有表头，没有任何户"));
    }
}

fn place_known(
    scheme: &Scheme,
    (township, village): (&str, &str),
    (sheet, r, cols): (&str, usize, &Columns),
    problems: &mut Vec<Problem>,
) {
    if !township.is_empty() && scheme.township(township).is_none() {
        let said = format!("{township} 不在单位表中（乡镇）");
        problems.push(Problem::at(sheet, r, cols.township.unwrap_or(0), said));
    }
    if village.is_empty() {
        return;
    }
    let at = cols.village.unwrap_or(0);
    match scheme.villages.iter().find(|v| v.name == village) {
        None => problems.push(Problem::at(sheet, r, at, format!("{village} 不在单位表中（村）"))),
        Some(v) if !township.is_empty() && v.township != township => {
            let said = format!("{village} 属于 {}，不是 {township}", v.township);
            problems.push(Problem::at(sheet, r, at, said));
        }
        Some(_) => {}
    }
}
