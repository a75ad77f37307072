//! The units sheet a scheme may keep its townships and villages in
//! (`units = "units.xlsx"`): a row per unit with 单位名称, 类别 (镇, 乡,
//! 街道, or 村 for a village) and, for a village, 所属乡镇. Read with the
//! same reader and limits as the monthly sheets; every problem at its row
//! and column, in Chinese.

use super::scheme::{Scheme, Township, Village};
use super::scores::name_of;
use super::sheet::{self, Cell};
use super::Problem;
use std::path::Path;

/// The category that makes a row a village.
const VILLAGE: &str = "村";

/// Adds the units of the sheet at `path` to `scheme`.
pub(super) fn add_units(scheme: &mut Scheme, path: &Path) -> Result<(), Vec<String>> {
    let (_, grids) = sheet::read_file(path).map_err(|p| vec![format!("单位表：{p}")])?;
    let Some(grid) = grids.iter().find(|g| !g.rows.is_empty()) else {
        return Err(vec![format!("单位表 {} 是空的", path.display())]);
    };
    let width = grid.rows.first().map_or(0, Vec::len);
    let find = |h: &str| (0..width).find(|&c| name_of(&grid.cell(0, c).text()) == h);
    let (Some(name), Some(kind)) = (find("单位名称"), find("类别")) else {
        let said = "第 1 行应有「单位名称」「类别」两列（村还要有「所属乡镇」）";
        return Err(vec![Problem::of(&grid.sheet, said).to_string()]);
    };
    let parent = find("所属乡镇");
    let mut problems = Vec::new();
    for r in 1..grid.rows.len() {
        if grid.rows[r].iter().all(|c| *c == Cell::Empty) {
            continue;
        }
        let unit = grid.cell(r, name).text();
        let category = grid.cell(r, kind).text();
        if unit.is_empty() || category.is_empty() {
            let said = "单位名称和类别都要填写";
            problems.push(
                Problem::at(&grid.sheet, r, if unit.is_empty() { name } else { kind }, said).to_string(),
            );
            continue;
        }
        if category != VILLAGE {
            scheme.townships.push(Township {
                name: unit,
                category,
                responsible: Vec::new(),
            });
            continue;
        }
        match parent.map(|c| grid.cell(r, c).text()).filter(|p| !p.is_empty()) {
            Some(township) => scheme.villages.push(Village { name: unit, township }),
            None => problems
                .push(Problem::at(&grid.sheet, r, parent.unwrap_or(kind), "村要填写所属乡镇").to_string()),
        }
    }
    if problems.is_empty() {
        Ok(())
    } else {
        Err(problems)
    }
}
