//! The assessment scheme the office owns (`assessment.toml`): the areas and
//! their standards with full marks, the townships (with their category) and
//! villages (with their township), written in the file or kept in a units
//! sheet beside it (`units = "units.xlsx"`), the boards and their award
//! rules, how a quarter combines its months, and the decimals scores are
//! kept to. Read once and checked as a whole; every problem is told in
//! Chinese.

use serde::Deserialize;
use std::collections::HashSet;

/// How a quarter's score combines its months' totals.
#[derive(Clone, Copy, Debug, Default, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "lowercase")]
pub enum QuarterRule {
    /// The mean of the months the unit was assessed in.
    #[default]
    Mean,
    /// The sum of those months.
    Sum,
}

/// The scheme, as written.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Scheme {
    /// Who publishes the ranking (the feed's `issuer`).
    pub issuer: Option<String>,
    /// How a quarter combines its months.
    #[serde(default)]
    pub quarter: QuarterRule,
    /// Decimals scores are rounded to (and ranked by); 1 by default.
    #[serde(default = "one")]
    pub decimals: u32,
    /// The assessed areas, in sheet order.
    pub areas: Vec<Area>,
    /// The townships (乡镇 and 街道).
    #[serde(default)]
    pub townships: Vec<Township>,
    /// The villages.
    #[serde(default)]
    pub villages: Vec<Village>,
    /// A units sheet beside the scheme (xlsx, xls, ods or csv; a path
    /// relative to the scheme's folder): 单位名称, 类别 (镇, 乡, 街道 or
    /// 村) and, for a village, 所属乡镇; added to the units written here.
    pub units: Option<String>,
    /// The boards the feed carries.
    pub boards: Vec<BoardRule>,
}

fn one() -> u32 {
    1
}

/// An area (垃圾治理) with its standards, or with full marks of its own when
/// it is scored as one column.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Area {
    /// The column key in the feed (`garbage`).
    pub key: String,
    /// Its name (垃圾治理).
    pub name: String,
    /// Full marks when it has no standards.
    pub max: Option<f64>,
    /// Its standards, each a column of the sheet.
    #[serde(default)]
    pub standards: Vec<Standard>,
}

/// One standard of an area: a column of the sheet.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Standard {
    /// Its name (垃圾分类), the sheet's column heading.
    pub name: String,
    /// Its full marks.
    pub max: f64,
}

/// A township, with its category (镇, 乡 or 街道).
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Township {
    /// Its name (花山镇).
    pub name: String,
    /// Its category, matched by the boards' `categories`.
    pub category: String,
    /// Who answers for it under 五包五责.
    #[serde(default)]
    pub responsible: Vec<Person>,
}

/// Someone who answers for a unit.
#[derive(Clone, Debug, Deserialize, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct Person {
    /// 包保市级领导, 包保部门, …
    pub role: String,
    /// The person's or department's name.
    pub name: String,
}

/// A village and its township.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Village {
    /// Its name (珍珠村).
    pub name: String,
    /// The township it belongs to.
    pub township: String,
}

/// What a board ranks.
#[derive(Clone, Copy, Debug, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "lowercase")]
pub enum UnitLevel {
    /// Townships of the board's categories.
    Township,
    /// Every village.
    Village,
}

/// A board of the feed.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct BoardRule {
    /// The start of its ids (`towns` → `towns-2026-11`, `towns-2026-q4`).
    pub key: String,
    /// The monthly board's title.
    pub title: String,
    /// The quarterly board's title; the monthly one with 月度 as 季度 by default.
    pub quarter_title: Option<String>,
    /// Townships or villages.
    pub level: UnitLevel,
    /// The category shown (乡镇, 街道).
    pub group: Option<String>,
    /// For townships: the categories the board ranks; every one when empty.
    #[serde(default)]
    pub categories: Vec<String>,
    /// The award tiers, best first.
    #[serde(default)]
    pub awards: Vec<AwardRule>,
}

/// An award tier: an entry earns the first tier whose conditions it meets.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AwardRule {
    /// 标兵村, 一类, …
    pub grade: String,
    /// Only ranks up to this one.
    pub rank_at_most: Option<u32>,
    /// Only scores of at least this.
    pub score_at_least: Option<f64>,
    /// At most this many entries earn it.
    pub count: Option<u32>,
    /// What it brings (奖补20万元), shown with the tier.
    pub reward: Option<String>,
}

impl Scheme {
    /// Reads and checks a scheme written without a units sheet; every
    /// problem at once, in Chinese.
    pub fn parse(text: &str) -> Result<Scheme, Vec<String>> {
        Self::parse_in(text, None)
    }

    /// Reads and checks the scheme file at `path`, with its units sheet.
    pub fn load(path: &std::path::Path) -> Result<Scheme, Vec<String>> {
        let text = std::fs::read_to_string(path)
            .map_err(|e| vec![format!("无法读取考核方案 {}：{e}", path.display())])?;
        Self::parse_in(&text, Some(path.parent().unwrap_or(std::path::Path::new("."))))
    }

    fn parse_in(text: &str, folder: Option<&std::path::Path>) -> Result<Scheme, Vec<String>> {
        let mut scheme: Scheme = toml::from_str(text).map_err(|e| {
            let at = e.span().map(|s| line_of(text, s.start)).unwrap_or(0);
            vec![format!("考核方案第 {at} 行：{}", e.message().trim())]
        })?;
        if let Some(units) = scheme.units.clone() {
            let Some(folder) = folder else {
                return Err(vec![format!("单位表「{units}」要和考核方案放在一起，从文件读取")]);
            };
            super::units::add_units(&mut scheme, &folder.join(&units))?;
        }
        let problems = scheme.problems();
        if problems.is_empty() {
            Ok(scheme)
        } else {
            Err(problems)
        }
    }

    /// Every column of the sheet: (area index, column name, full marks).
    pub fn columns(&self) -> Vec<(usize, &str, f64)> {
        let mut out = Vec::new();
        for (a, area) in self.areas.iter().enumerate() {
            if area.standards.is_empty() {
                out.push((a, area.name.as_str(), area.max.unwrap_or(0.0)));
            }
            for s in &area.standards {
                out.push((a, s.name.as_str(), s.max));
            }
        }
        out
    }

    /// An area's full marks.
    pub fn area_max(&self, area: &Area) -> f64 {
        if area.standards.is_empty() {
            area.max.unwrap_or(0.0)
        } else {
            area.standards.iter().map(|s| s.max).sum()
        }
    }

    /// The full marks of the whole assessment.
    pub fn total_max(&self) -> f64 {
        self.areas.iter().map(|a| self.area_max(a)).sum()
    }

    /// The township named `name`.
    pub fn township(&self, name: &str) -> Option<&Township> {
        self.townships.iter().find(|t| t.name == name)
    }

    fn problems(&self) -> Vec<String> {
        let mut out = Vec::new();
        if self.areas.is_empty() {
            out.push("考核方案没有任何考核内容：请写 [[areas]]。".to_string());
        }
        let mut names = HashSet::new();
        for area in &self.areas {
            if !is_key(&area.key) {
                out.push(format!(
                    "考核内容「{}」的 key「{}」只能用小写字母、数字、- 和 _。",
                    area.name, area.key
                ));
            }
            match (&area.max, area.standards.is_empty()) {
                (None, true) => out.push(format!(
                    "考核内容「{}」既没有满分（max）也没有标准（standards）。",
                    area.name
                )),
                (Some(_), false) => out.push(format!(
                    "考核内容「{}」有标准时不要再写满分：满分是各项标准之和。",
                    area.name
                )),
                _ => {}
            }
            let maxes = area.max.into_iter().chain(area.standards.iter().map(|s| s.max));
            if maxes.into_iter().any(|m| !(m > 0.0 && m.is_finite())) {
                out.push(format!("考核内容「{}」的满分必须大于 0。", area.name));
            }
        }
        for (_, name, _) in self.columns() {
            if !names.insert(name.to_string()) {
                out.push(format!("列名「{name}」出现两次：每个标准的名称必须不同。"));
            }
        }
        self.unit_problems(&mut out);
        self.board_problems(&mut out);
        out
    }

    fn unit_problems(&self, out: &mut Vec<String>) {
        let mut seen = HashSet::new();
        for name in self
            .townships
            .iter()
            .map(|t| &t.name)
            .chain(self.villages.iter().map(|v| &v.name))
        {
            if name.trim().is_empty() {
                out.push("单位名称不能为空。".into());
            } else if !seen.insert(name.as_str()) {
                out.push(format!("单位「{name}」出现两次。"));
            }
        }
        for v in &self.villages {
            if self.township(&v.township).is_none() {
                out.push(format!("村「{}」所属的「{}」不在乡镇表中。", v.name, v.township));
            }
        }
    }

    fn board_problems(&self, out: &mut Vec<String>) {
        let mut keys = HashSet::new();
        for b in &self.boards {
            // `-2026-q4` follows the key in the feed's ids (at most 64).
            if !is_key(&b.key) || b.key.len() > 50 {
                out.push(format!(
                    "榜单「{}」的 key「{}」只能用小写字母、数字、- 和 _（50 个以内）。",
                    b.title, b.key
                ));
            }
            if !keys.insert(b.key.as_str()) {
                out.push(format!("榜单 key「{}」出现两次。", b.key));
            }
            for c in &b.categories {
                if !self.townships.iter().any(|t| &t.category == c) {
                    out.push(format!("榜单「{}」的类别「{c}」没有任何乡镇。", b.title));
                }
            }
            for a in &b.awards {
                if a.rank_at_most.is_none() && a.score_at_least.is_none() && a.count.is_none() {
                    out.push(format!(
                        "奖项「{}」没有条件：请写 rank_at_most、score_at_least 或 count。",
                        a.grade
                    ));
                }
            }
        }
    }
}

fn is_key(key: &str) -> bool {
    !key.is_empty()
        && key
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-' || b == b'_')
}

fn line_of(text: &str, offset: usize) -> usize {
    text.get(..offset).map_or(0, |t| t.lines().count().max(1))
}
