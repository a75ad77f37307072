//! Cutting `n` things into pages of a given capacity, as evenly as the
//! capacity allows: the one rule every paginated slide uses.

use std::ops::Range;

/// Splits `n` rows into pages of at most `capacity`, as evenly as possible:
/// the first pages take one row more than the last ones when it does not divide.
pub fn split(n: usize, capacity: usize) -> Vec<Range<usize>> {
    let capacity = capacity.max(1);
    if n == 0 {
        return std::iter::once(0..0).collect();
    }
    let pages = n.div_ceil(capacity);
    let (base, extra) = (n / pages, n % pages);
    let mut start = 0;
    (0..pages)
        .map(|i| {
            let len = base + usize::from(i < extra);
            let r = start..start + len;
            start += len;
            r
        })
        .collect()
}
