//! Which characters of a feed no loaded font can draw.

use super::model::Feed;
use std::collections::BTreeMap;

/// Characters no font covers, each with the JSON path of its first use and
/// the number of times it occurs.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Uncovered {
    /// Each uncovered character with the JSON path of its first use and the number of times it
    /// occurs.
    pub chars: BTreeMap<char, (String, usize)>,
}

impl Uncovered {
    /// Whether every character the screen shows is covered.
    pub fn is_empty(&self) -> bool {
        self.chars.is_empty()
    }

    /// Total occurrences of uncovered characters.
    pub fn occurrences(&self) -> usize {
        self.chars.values().map(|(_, n)| n).sum()
    }

    fn scan(&mut self, text: &str, path: &str, covers: &dyn Fn(char) -> bool) {
        for c in text.chars().filter(|c| !c.is_whitespace() && !covers(*c)) {
            self.chars.entry(c).or_insert_with(|| (path.to_string(), 0)).1 += 1;
        }
    }

    /// Logs each uncovered character once.
    pub fn log(&self) {
        for (c, (path, n)) in &self.chars {
            tracing::warn!(
                "no font covers {c:?} (U+{:04X}), used {n} time(s), first at {path}; add a font file in the theme or allow system fonts",
                *c as u32
            );
        }
    }
}

/// Every character in the strings the screen shows that `covers` rejects.
pub fn uncovered_chars(feed: &Feed, covers: &dyn Fn(char) -> bool) -> Uncovered {
    let mut u = Uncovered::default();
    u.scan(&feed.period.label, "$.period.label", covers);
    if let Some(issuer) = &feed.issuer {
        u.scan(issuer, "$.issuer", covers);
    }
    for (i, b) in feed.boards.iter().enumerate() {
        let p = format!("$.boards[{i}]");
        u.scan(&b.title, &format!("{p}.title"), covers);
        u.scan(b.group.as_deref().unwrap_or(""), &format!("{p}.group"), covers);
        for (k, c) in b.columns.iter().enumerate() {
            u.scan(&c.label, &format!("{p}.columns[{k}].label"), covers);
        }
        for (k, e) in b.entries.iter().enumerate() {
            let ep = format!("{p}.entries[{k}]");
            u.scan(&e.name, &format!("{ep}.name"), covers);
            for (field, text) in [("grade", &e.grade), ("parent", &e.parent), ("note", &e.note)] {
                u.scan(text.as_deref().unwrap_or(""), &format!("{ep}.{field}"), covers);
            }
        }
    }
    for (i, l) in feed.lists.iter().enumerate() {
        let p = format!("$.lists[{i}]");
        u.scan(&l.title, &format!("{p}.title"), covers);
        for (k, e) in l.entries.iter().enumerate() {
            let ep = format!("{p}.entries[{k}]");
            u.scan(&e.name, &format!("{ep}.name"), covers);
            u.scan(e.place.as_deref().unwrap_or(""), &format!("{ep}.place"), covers);
            u.scan(e.reason.as_deref().unwrap_or(""), &format!("{ep}.reason"), covers);
        }
    }
    for (i, n) in feed.notices.iter().enumerate() {
        u.scan(&n.title, &format!("$.notices[{i}].title"), covers);
        u.scan(&n.body, &format!("$.notices[{i}].body"), covers);
    }
    u
}
