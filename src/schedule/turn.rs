//! An item's share of one cycle: at most its `max_time`, at least one page.
//! Which stretch of a longer item plays is a function of the cycle's index,
//! so every screen with the same config and data picks the same one, and a
//! list of thousands of entries is shown whole over successive turns.

use super::Slot;

/// The slots of one item for cycle number `cycle`, within `max_millis`.
pub(super) fn within(slots: Vec<Slot>, max_millis: i64, cycle: u64) -> Vec<Slot> {
    let total: i64 = slots.iter().map(|s| s.millis).sum();
    if total <= max_millis || slots.is_empty() {
        return slots;
    }
    if let [only] = slots.as_slice() {
        if only.scroll.is_some() {
            return vec![marquee_stretch(only, max_millis, cycle)];
        }
    }
    pages_stretch(slots, max_millis, cycle)
}

/// As many pages as fit in `max_millis` (at least one), starting where the
/// previous turn stopped and wrapping round to the first page.
fn pages_stretch(slots: Vec<Slot>, max_millis: i64, cycle: u64) -> Vec<Slot> {
    let n = slots.len();
    let per_page = slots.iter().map(|s| s.millis).max().unwrap_or(1).max(1);
    let k = usize::try_from(max_millis / per_page).unwrap_or(1).clamp(1, n);
    let first = usize::try_from(cycle % n as u64).unwrap_or(0).wrapping_mul(k) % n;
    slots.into_iter().cycle().skip(first).take(k).collect()
}

/// One stretch of a marquee pass longer than `max_millis`: the turns play
/// its stretches in order, the last one shorter.
fn marquee_stretch(slot: &Slot, max_millis: i64, cycle: u64) -> Slot {
    let stretches = (slot.millis + max_millis - 1) / max_millis;
    let index = i64::try_from(cycle % stretches.max(1) as u64).unwrap_or(0);
    let from = index * max_millis;
    Slot {
        millis: (slot.millis - from).min(max_millis),
        scroll_from: from,
        ..slot.clone()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::slide::{PageRef, SlideRef};

    fn pages(n: usize, millis: i64) -> Vec<Slot> {
        (0..n)
            .map(|i| Slot {
                item: 0,
                page: PageRef {
                    slide: SlideRef::List(0),
                    id: "red".into(),
                    index: i,
                    count: n,
                    rows: i * 10..i * 10 + 10,
                    per_column: 5,
                },
                millis,
                scroll: None,
                scroll_from: 0,
            })
            .collect()
    }

    fn indices(slots: &[Slot]) -> Vec<usize> {
        slots.iter().map(|s| s.page.index).collect()
    }

    #[test]
    fn a_short_item_plays_whole() {
        assert_eq!(indices(&within(pages(3, 10_000), 300_000, 7)), [0, 1, 2]);
    }

    #[test]
    fn a_long_item_continues_where_it_stopped_and_wraps() {
        // 7 pages of 10 s, 30 s per turn: 3 pages a turn.
        let turns: Vec<Vec<usize>> = (0..4)
            .map(|c| indices(&within(pages(7, 10_000), 30_000, c)))
            .collect();
        assert_eq!(
            turns,
            [vec![0, 1, 2], vec![3, 4, 5], vec![6, 0, 1], vec![2, 3, 4]]
        );
        // Every page is shown within n turns, whatever k.
        let mut seen: Vec<usize> = (0..7)
            .flat_map(|c| indices(&within(pages(7, 10_000), 30_000, c)))
            .collect();
        seen.sort();
        seen.dedup();
        assert_eq!(seen, (0..7).collect::<Vec<_>>());
    }

    #[test]
    fn a_page_longer_than_max_time_still_plays_once_a_turn() {
        assert_eq!(indices(&within(pages(2, 600_000), 300_000, 1)), [1]);
    }

    #[test]
    fn a_long_marquee_plays_in_stretches() {
        let mut slot = pages(1, 700_000).remove(0);
        slot.scroll = Some(120);
        let stretches: Vec<(i64, i64)> = (0..4)
            .map(|c| {
                let s = within(vec![slot.clone()], 300_000, c).remove(0);
                (s.scroll_from, s.millis)
            })
            .collect();
        assert_eq!(
            stretches,
            [(0, 300_000), (300_000, 300_000), (600_000, 100_000), (0, 300_000)]
        );
    }
}
