//! One month's sheets into one feed document: every sheet checked (every
//! problem at once, nothing built when there is one), each board's units
//! totalled, ranked and graded, `previous_rank` and `history` from the
//! months kept, the quarter's boards in its third month, the red and black
//! lists. The document is checked by the screens' own validator before it
//! is handed back: it must be accepted with nothing dropped or cut.

use super::history::{History, MonthRecord, UnitResult};
use super::households::{self, Household};
use super::month::Month;
use super::rank::{self, Ranked};
use super::scheme::{BoardRule, QuarterRule, Scheme, UnitLevel};
use super::scores::{self, round, Kind, Scores};
use super::sheet::Grid;
use super::Problem;
use crate::feed::{
    Board, BoardEntry, Column, Feed, HistoryPoint, Level, ListEntry, ListKind, Period, PeriodKind, RankList,
    Responsible,
};
use chrono::{DateTime, FixedOffset};
use std::collections::{BTreeMap, HashMap};

/// A built month.
#[derive(Clone, Debug)]
pub struct Built {
    /// The document as the screens will read it.
    pub feed: Feed,
    /// Its bytes, to serve and sign.
    pub body: Vec<u8>,
    /// What the history keeps of it.
    pub record: MonthRecord,
}

/// What a build needs besides the sheets.
pub struct Context<'a> {
    /// The scheme.
    pub scheme: &'a Scheme,
    /// The month the sheets are for.
    pub month: Month,
    /// The months published before.
    pub history: &'a History,
    /// The document's `generated_at`.
    pub now: DateTime<FixedOffset>,
    /// Who publishes it (for the history).
    pub by: &'a str,
}

/// Builds the month from `files` (each file's name and sheets).
pub fn build(ctx: &Context, files: &[(String, Vec<Grid>)]) -> Result<Built, Vec<Problem>> {
    let (scores, households) = check_all(ctx.scheme, files)?;
    let mut problems = Vec::new();
    let mut boards = Vec::new();
    let mut record = MonthRecord {
        period: ctx.month.to_string(),
        published_at: ctx.now.to_rfc3339(),
        published_by: ctx.by.to_string(),
        boards: BTreeMap::new(),
        corrections: Vec::new(),
    };
    for rule in &ctx.scheme.boards {
        let ranked = month_board(ctx, rule, &scores);
        record.boards.insert(rule.key.clone(), results(&ranked));
        boards.push(monthly(ctx, rule, ranked));
    }
    if ctx.month.ends_quarter() {
        for rule in &ctx.scheme.boards {
            match quarter_board(ctx, rule, &record) {
                Ok(board) => boards.push(board),
                Err(p) => {
                    problems.push(p);
                    break;
                }
            }
        }
    }
    if !problems.is_empty() {
        return Err(problems);
    }
    let feed = Feed {
        generated_at: ctx.now,
        issuer: ctx.scheme.issuer.clone(),
        period: Period {
            id: ctx.month.to_string(),
            label: ctx.month.label(),
            kind: PeriodKind::Month,
        },
        boards,
        lists: lists(ctx.month, &households),
        notices: Vec::new(),
    };
    let body = document(&feed).map_err(|why| vec![Problem::of("", why)])?;
    Ok(Built { feed, body, record })
}

/// Every sheet checked; the scores and households, or every problem.
fn check_all(
    scheme: &Scheme,
    files: &[(String, Vec<Grid>)],
) -> Result<(Scores, Vec<Household>), Vec<Problem>> {
    let mut problems = Vec::new();
    let mut scores = Scores::default();
    let mut households = Vec::new();
    if files.is_empty() {
        problems.push(Problem::of("", "没有上传任何表格"));
    }
    for (name, grids) in files {
        if grids.iter().all(|g| g.rows.is_empty()) {
            problems.push(Problem::of(name, "是空的：没有任何内容"));
            continue;
        }
        let guide = format!("「{}」", super::template::GUIDE_SHEET);
        for grid in grids
            .iter()
            .filter(|g| !g.rows.is_empty() && !g.sheet.ends_with(&guide))
        {
            match scores::kind(grid) {
                Some(Kind::Households) => households::check(scheme, grid, &mut households, &mut problems),
                Some(level) => scores::check(scheme, grid, level, &mut scores, &mut problems),
                None => problems.push(Problem::at(
                    &grid.sheet,
                    0,
                    0,
                    "无法识别这个工作表：这一格应为「乡镇」「村」或「姓名」（请用下载的模板）",
                )),
            }
        }
    }
    scores::missing_units(scheme, &scores, &mut problems);
    if problems.is_empty() {
        Ok((scores, households))
    } else {
        Err(problems)
    }
}

/// The board's units this month, ranked and graded.
fn month_board(ctx: &Context, rule: &BoardRule, scores: &Scores) -> Vec<Ranked> {
    let scheme = ctx.scheme;
    let columns = scheme.columns();
    let units = match rule.level {
        UnitLevel::Township => &scores.townships,
        UnitLevel::Village => &scores.villages,
    };
    let chosen = units.iter().filter(|u| match rule.level {
        UnitLevel::Township => scheme
            .township(&u.name)
            .is_some_and(|t| rule.categories.is_empty() || rule.categories.contains(&t.category)),
        UnitLevel::Village => true,
    });
    let ranked: Vec<Ranked> = chosen
        .map(|u| {
            let mut areas = BTreeMap::new();
            for ((area, _, _), score) in columns.iter().zip(&u.scores) {
                *areas.entry(scheme.areas[*area].key.clone()).or_insert(0.0) += score;
            }
            let total: f64 = u.scores.iter().sum();
            Ranked {
                name: u.name.clone(),
                parent: (scheme.villages.iter().find(|v| v.name == u.name)).map(|v| v.township.clone()),
                score: round(total, scheme.decimals),
                areas: areas
                    .into_iter()
                    .map(|(k, v)| (k, round(v, scheme.decimals)))
                    .collect(),
                rank: 0,
                grade: None,
            }
        })
        .collect();
    rank::rank(ranked)
}

fn results(ranked: &[Ranked]) -> Vec<UnitResult> {
    ranked
        .iter()
        .map(|u| UnitResult {
            name: u.name.clone(),
            rank: u.rank,
            score: u.score,
            areas: u.areas.clone(),
        })
        .collect()
}

/// The monthly board: tiers, `previous_rank` from last month, `history`
/// from every month kept before this one.
fn monthly(ctx: &Context, rule: &BoardRule, mut ranked: Vec<Ranked>) -> Board {
    let awards = rank::grade(&rule.awards, &mut ranked);
    let previous = ranks_of(ctx.history.board(ctx.month.previous(), &rule.key));
    let earlier: Periods = (ctx.history.months.iter())
        .filter(|(m, _)| **m < ctx.month)
        .filter_map(|(m, rec)| Some((m.to_string(), points_of(rec.boards.get(&rule.key)?))))
        .collect();
    let id = format!("{}-{}", rule.key, ctx.month);
    board(ctx.scheme, rule, (id, rule.title.clone()), ranked, awards, &|n| {
        (previous.get(n).copied(), history_of(&earlier, n))
    })
}

/// The quarter's board, in its third month: each unit's months combined.
fn quarter_board(ctx: &Context, rule: &BoardRule, this: &MonthRecord) -> Result<Board, Problem> {
    let months = ctx.month.quarter_months();
    let lacking: Vec<String> = months[..2]
        .iter()
        .filter(|m| ctx.history.board(**m, &rule.key).is_none())
        .map(|m| m.to_string())
        .collect();
    if !lacking.is_empty() {
        return Err(Problem::of(
            "",
            format!(
                "本月是季度末，季度排名需要本季度前两个月已发布的数据；历史中缺少 {}",
                lacking.join("、")
            ),
        ));
    }
    let month_results = |m: Month| -> Option<&[UnitResult]> {
        if m == ctx.month {
            this.boards.get(&rule.key).map(Vec::as_slice)
        } else {
            ctx.history.board(m, &rule.key)
        }
    };
    let parts = months.iter().filter_map(|m| month_results(*m)).collect();
    let mut ranked = rank::rank(combine(ctx.scheme, parts));
    let awards = rank::grade(&rule.awards, &mut ranked);
    let quarter_of = |q: Month| -> Option<Vec<UnitResult>> {
        let parts: Option<Vec<&[UnitResult]>> = q
            .quarter_months()
            .iter()
            .map(|m| ctx.history.board(*m, &rule.key))
            .collect();
        Some(results(&rank::rank(combine(ctx.scheme, parts?))))
    };
    let before = months[0].previous();
    let previous = quarter_of(before).map(|r| ranks_of(Some(&r))).unwrap_or_default();
    let mut earlier: Periods = Vec::new();
    let first = ctx.history.months.keys().next().copied();
    let mut q = before;
    while first.is_some_and(|f| f <= q) && earlier.len() < crate::feed::MAX_HISTORY {
        if let Some(r) = quarter_of(q) {
            earlier.push((q.quarter_id(), points_of(&r)));
        }
        q = q.quarter_months()[0].previous();
    }
    earlier.reverse();
    let title = rule.quarter_title.clone().unwrap_or_else(|| {
        if rule.title.contains("月度") {
            rule.title.replace("月度", "季度")
        } else {
            format!("{}（季度）", rule.title)
        }
    });
    let id = format!("{}-{}", rule.key, ctx.month.quarter_id().to_lowercase());
    let title = format!("{} {title}", ctx.month.quarter_label());
    Ok(board(ctx.scheme, rule, (id, title), ranked, awards, &|n| {
        (previous.get(n).copied(), history_of(&earlier, n))
    }))
}

/// Each unit's months combined by the scheme's rule (mean or sum of the
/// months it was assessed in), in the scheme's order of units (so that a
/// tie keeps the order the office lists its units in).
fn combine(scheme: &Scheme, months: Vec<&[UnitResult]>) -> Vec<Ranked> {
    let mut order: Vec<String> = Vec::new();
    let mut sums: HashMap<String, (f64, BTreeMap<String, f64>, u32)> = HashMap::new();
    for units in months {
        for u in units {
            let e = sums.entry(u.name.clone()).or_insert_with(|| {
                order.push(u.name.clone());
                (0.0, BTreeMap::new(), 0)
            });
            e.0 += u.score;
            for (k, v) in &u.areas {
                *e.1.entry(k.clone()).or_insert(0.0) += v;
            }
            e.2 += 1;
        }
    }
    let place = |name: &str| {
        (scheme.townships.iter().map(|t| &t.name))
            .chain(scheme.villages.iter().map(|v| &v.name))
            .position(|n| n == name)
    };
    order.sort_by_key(|name| place(name));
    order
        .into_iter()
        .filter_map(|name| {
            let (score, areas, n) = sums.remove(&name)?;
            let by = match scheme.quarter {
                QuarterRule::Mean => f64::from(n.max(1)),
                QuarterRule::Sum => 1.0,
            };
            Some(Ranked {
                parent: (scheme.villages.iter().find(|v| v.name == name)).map(|v| v.township.clone()),
                name,
                score: round(score / by, scheme.decimals),
                areas: areas
                    .into_iter()
                    .map(|(k, v)| (k, round(v / by, scheme.decimals)))
                    .collect(),
                rank: 0,
                grade: None,
            })
        })
        .collect()
}

/// Each unit's rank and score, by name.
type Points = HashMap<String, (u32, f64)>;
/// Earlier periods, oldest first, each with its points.
type Periods = Vec<(String, Points)>;

/// `name`'s rank and score in each earlier period it has one, the newest 36.
fn history_of(earlier: &Periods, name: &str) -> Vec<HistoryPoint> {
    let points: Vec<HistoryPoint> = (earlier.iter())
        .filter_map(|(period, units)| {
            let (rank, score) = units.get(name)?;
            Some(HistoryPoint {
                period: period.clone(),
                rank: *rank,
                score: Some(*score),
            })
        })
        .collect();
    let skip = points.len().saturating_sub(crate::feed::MAX_HISTORY);
    points.into_iter().skip(skip).collect()
}

fn ranks_of(units: Option<&[UnitResult]>) -> HashMap<String, u32> {
    units
        .unwrap_or_default()
        .iter()
        .map(|u| (u.name.clone(), u.rank))
        .collect()
}

fn points_of(units: &[UnitResult]) -> Points {
    units
        .iter()
        .map(|u| (u.name.clone(), (u.rank, u.score)))
        .collect()
}

type Earlier<'a> = dyn Fn(&str) -> (Option<u32>, Vec<HistoryPoint>) + 'a;

fn board(
    scheme: &Scheme,
    rule: &BoardRule,
    (id, title): (String, String),
    ranked: Vec<Ranked>,
    awards: Vec<crate::feed::Award>,
    earlier: &Earlier,
) -> Board {
    let columns = (scheme.areas.iter())
        .map(|a| Column {
            key: a.key.clone(),
            label: a.name.clone(),
            max: Some(round(scheme.area_max(a), scheme.decimals.max(1))),
        })
        .collect();
    let entries = ranked
        .into_iter()
        .map(|u| {
            let (previous_rank, history) = earlier(&u.name);
            let responsible = (scheme.township(&u.name))
                .filter(|_| rule.level == UnitLevel::Township)
                .map(|t| {
                    (t.responsible.iter().take(crate::feed::MAX_RESPONSIBLE))
                        .map(|p| Responsible {
                            role: p.role.clone(),
                            name: p.name.clone(),
                        })
                        .collect()
                })
                .unwrap_or_default();
            BoardEntry {
                rank: u.rank,
                name: u.name,
                score: Some(u.score),
                previous_rank,
                grade: u.grade,
                parent: u.parent,
                scores: u.areas,
                note: None,
                history,
                responsible,
            }
        })
        .collect();
    Board {
        id,
        title,
        level: match rule.level {
            UnitLevel::Township => Level::Township,
            UnitLevel::Village => Level::Village,
        },
        group: rule.group.clone(),
        columns,
        entries,
        awards: awards.into_iter().take(crate::feed::MAX_AWARDS).collect(),
    }
}

fn lists(month: Month, households: &[Household]) -> Vec<RankList> {
    let mut out = Vec::new();
    for (red, kind, word) in [(true, ListKind::Red, "red"), (false, ListKind::Black, "black")] {
        let entries: Vec<ListEntry> = (households.iter())
            .filter(|h| h.red == red)
            .map(|h| ListEntry {
                name: h.name.clone(),
                place: h.place.clone(),
                reason: h.reason.clone(),
            })
            .collect();
        if entries.is_empty() {
            continue;
        }
        out.push(RankList {
            id: format!("{word}-{month}"),
            kind,
            title: format!("{} {}", month.label(), if red { "红榜" } else { "黑榜" }),
            entries,
        });
    }
    out
}

/// The document's bytes, checked by the screens' validator: accepted, with
/// nothing dropped or cut, or the build fails.
fn document(feed: &Feed) -> Result<Vec<u8>, String> {
    let mut doc = serde_json::Map::new();
    doc.insert("schema_version".into(), serde_json::Value::from(1));
    let serde_json::Value::Object(rest) = serde_json::to_value(feed).map_err(|e| e.to_string())? else {
        return Err("内部错误：数据无法写成 JSON".into());
    };
    doc.extend(rest);
    let body = serde_json::to_vec_pretty(&serde_json::Value::Object(doc)).map_err(|e| e.to_string())?;
    match crate::feed::parse(&body) {
        Ok((_, report)) if report.dropped.is_empty() && report.cleaned.is_empty() => Ok(body),
        Ok((_, report)) => Err(format!(
            "生成的数据有 {} 处会被屏幕删改（如 {}），未发布：请检查表格中过长或特殊的内容",
            report.dropped.len() + report.cleaned.len(),
            (report.dropped.iter().chain(&report.cleaned))
                .next()
                .map(|f| f.path.clone())
                .unwrap_or_default()
        )),
        Err(refusal) => Err(format!("生成的数据不被屏幕接受（{refusal}），未发布")),
    }
}
