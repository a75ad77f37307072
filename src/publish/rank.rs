//! Ranks and award tiers. Totals are rounded to the scheme's decimals first,
//! and ranked as shown: equal shown totals tie and share a rank, the next
//! rank skipping as many places (1, 2, 2, 4); tied entries keep sheet order.
//! An entry earns the first tier whose conditions it meets (rank at most,
//! score at least, and room left in the tier's count).

use super::scheme::AwardRule;
use crate::feed::Award;
use std::collections::BTreeMap;

/// One unit with its month's or quarter's result.
#[derive(Clone, Debug, PartialEq)]
pub struct Ranked {
    /// The unit.
    pub name: String,
    /// The township of a village.
    pub parent: Option<String>,
    /// The total, rounded.
    pub score: f64,
    /// Each area's score by key, rounded.
    pub areas: BTreeMap<String, f64>,
    /// The rank, 1 or more.
    pub rank: u32,
    /// The award tier earned.
    pub grade: Option<String>,
}

/// `units` ranked by score, highest first; ties share a rank and keep their order.
pub fn rank(mut units: Vec<Ranked>) -> Vec<Ranked> {
    // A stable sort: equal scores stay in sheet order.
    units.sort_by(|a, b| b.score.total_cmp(&a.score));
    let mut last: Option<(f64, u32)> = None;
    for (i, u) in units.iter_mut().enumerate() {
        u.rank = match last {
            Some((score, rank)) if score == u.score => rank,
            _ => u32::try_from(i + 1).unwrap_or(u32::MAX),
        };
        last = Some((u.score, u.rank));
    }
    units
}

/// Gives each ranked unit its tier; the tiers with how many earned each.
pub fn grade(rules: &[AwardRule], units: &mut [Ranked]) -> Vec<Award> {
    let mut given = vec![0u32; rules.len()];
    for u in units.iter_mut() {
        u.grade = None;
        for (i, rule) in rules.iter().enumerate() {
            let rank_ok = rule.rank_at_most.is_none_or(|r| u.rank <= r);
            let score_ok = rule.score_at_least.is_none_or(|s| u.score >= s - 1e-9);
            let room = rule.count.is_none_or(|c| given[i] < c);
            if rank_ok && score_ok && room {
                u.grade = Some(rule.grade.clone());
                given[i] += 1;
                break;
            }
        }
    }
    (rules.iter().zip(given))
        .map(|(rule, count)| Award {
            grade: rule.grade.clone(),
            count,
            reward: rule.reward.clone(),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    fn unit(name: &str, score: f64) -> Ranked {
        Ranked {
            name: name.into(),
            parent: None,
            score,
            areas: BTreeMap::new(),
            rank: 0,
            grade: None,
        }
    }

    #[test]
    fn ties_share_a_rank_and_the_next_skips() {
        let ranked = rank(vec![
            unit("a", 90.0),
            unit("b", 95.5),
            unit("c", 90.0),
            unit("d", 80.0),
        ]);
        let got: Vec<(&str, u32)> = ranked.iter().map(|u| (u.name.as_str(), u.rank)).collect();
        assert_eq!(got, [("b", 1), ("a", 2), ("c", 2), ("d", 4)]);
    }

    #[test]
    fn the_first_tier_met_is_earned_within_its_count() {
        let rules = vec![
            AwardRule {
                grade: "标兵村".into(),
                rank_at_most: Some(2),
                score_at_least: Some(90.0),
                count: None,
                reward: Some("奖补20万元".into()),
            },
            AwardRule {
                grade: "先进村".into(),
                rank_at_most: None,
                score_at_least: None,
                count: Some(1),
                reward: None,
            },
        ];
        let mut ranked = rank(vec![unit("a", 95.0), unit("b", 89.0), unit("c", 88.0)]);
        let awards = grade(&rules, &mut ranked);
        let got: Vec<Option<&str>> = ranked.iter().map(|u| u.grade.as_deref()).collect();
        assert_eq!(got, [Some("标兵村"), Some("先进村"), None]);
        assert_eq!((awards[0].count, awards[1].count), (1, 1));
    }
}
