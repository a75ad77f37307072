//! Red and black list pages: number, name, place, reason; two tables side
//! by side where the screen is wide enough.

use super::chrome::{self, Heading};
use super::pages::{list_columns, rows_per_page, PageRef};
use super::painter::Painter;
use super::profile::{Metrics, Shape};
use super::theme::Palette;
use super::Context;
use crate::feed::{ListEntry, ListKind, RankList};
use crate::scene::{Align, Rect, Weight};

pub(crate) fn layout(p: &mut Painter, ctx: &Context, list: &RankList, page: &PageRef) {
    let pal = match list.kind {
        ListKind::Red => &ctx.theme.red,
        ListKind::Black => &ctx.theme.black,
    };
    let heading = Heading {
        title: &list.title,
        subtitle: chrome::subtitle(ctx, &list.title, None),
    };
    let body = chrome::frame(p, ctx, page, &heading, pal);
    let m = Metrics::for_profile(ctx.profile);
    let mask = ctx.mask_names.unwrap_or(list.kind == ListKind::Black);
    let entries: Vec<ListEntry> = list
        .entries
        .get(page.rows.clone())
        .unwrap_or(&[])
        .iter()
        .map(|e| {
            if mask {
                ListEntry {
                    name: mask_name(&e.name),
                    ..e.clone()
                }
            } else {
                e.clone()
            }
        })
        .collect();
    if entries.is_empty() {
        chrome::body_message(p, body, "本期无上榜", m.row_size, pal);
        return;
    }
    if ctx.profile.shape == Shape::Strip {
        strip_entry(p, &entries[0], body, &m, pal);
        return;
    }
    let columns = list_columns(ctx.profile);
    let per_column = page.per_column.clamp(1, rows_per_page(ctx.profile));
    // The rows of the list's fullest page, in one table, fill the body.
    let fullest = list.entries.len().div_ceil(page.count.max(1)).min(per_column);
    let m = m.grown(body.h, fullest);
    let gutter = (m.row_size * 1.2).round();
    let table_w = ((body.w - gutter * (columns as f32 - 1.0)) / columns as f32).floor();
    let shown = &entries[..entries.len().min(per_column * columns)];
    let shares = Shares::of(p, shown, m.row_size);
    let sizes = column_sizes(
        p,
        &Table::new(Rect::new(body.x, body.y, table_w, body.h), m.row_size, shares),
        &m,
        shown,
        page.rows.start,
    );
    for (c, chunk) in shown.chunks(per_column).enumerate() {
        let x = body.x + c as f32 * (table_w + gutter);
        let table = Table::new(Rect::new(x, body.y, table_w, body.h), m.row_size, shares);
        table.head(p, &m, pal);
        let first = page.rows.start + c * per_column;
        for (i, e) in chunk.iter().enumerate() {
            table.row(p, &m, pal, &sizes, (i, first + i + 1), e);
        }
    }
}

/// The four columns' sizes and weights at most, from the row text size `t`.
const STYLE: [(f32, Weight); 4] = [
    (0.85, Weight::Regular),
    (1.0, Weight::Bold),
    (0.9, Weight::Regular),
    (0.9, Weight::Regular),
];

/// The four cells' texts of the entry numbered `number`.
fn texts(number: usize, e: &ListEntry) -> [String; 4] {
    [
        number.to_string(),
        e.name.clone(),
        e.place.clone().unwrap_or_default(),
        e.reason.clone().unwrap_or_default(),
    ]
}

/// One size per column for the whole page (both tables where there are
/// two): the largest every cell of that column fits in.
fn column_sizes(p: &mut Painter, table: &Table, m: &Metrics, shown: &[ListEntry], first: usize) -> [f32; 4] {
    let all: Vec<[String; 4]> = shown
        .iter()
        .enumerate()
        .map(|(i, e)| texts(first + i + 1, e))
        .collect();
    std::array::from_fn(|k| {
        let (factor, weight) = STYLE[k];
        let column = all.iter().map(|t| t[k].as_str());
        p.column_size(column, table.w[k], m.row_h, m.row_size * factor, weight)
    })
}

/// How a page's tables share their width out, from what the page holds:
/// the name column as wide as its longest name (2.5 to 4 times the row
/// size), and the rest between place and reason as their longest texts
/// need it (30 % to 70 % each), so that one long place does not set the
/// whole place column small while the reasons have room to spare.
#[derive(Clone, Copy)]
struct Shares {
    name_units: f32,
    place: f32,
}

impl Shares {
    fn of(p: &mut Painter, shown: &[ListEntry], t: f32) -> Shares {
        let mut widest = |texts: Vec<&str>, size: f32, weight: Weight| {
            texts
                .into_iter()
                .map(|text| p.fonts.line_width(text, size, weight))
                .fold(0.0, f32::max)
        };
        let names = widest(shown.iter().map(|e| e.name.as_str()).collect(), t, Weight::Bold);
        let places = widest(
            shown.iter().filter_map(|e| e.place.as_deref()).collect(),
            t * 0.9,
            Weight::Regular,
        );
        let reasons = widest(
            shown.iter().filter_map(|e| e.reason.as_deref()).collect(),
            t * 0.9,
            Weight::Regular,
        );
        let place = match places + reasons {
            total if total > 0.0 => (places / total).clamp(0.3, 0.7),
            _ => 0.55,
        };
        Shares {
            name_units: (names / t + 0.3).clamp(2.5, 4.0),
            place,
        }
    }
}

/// Column positions of one list table.
struct Table {
    x: [f32; 4],
    w: [f32; 4],
    top: f32,
    width: f32,
}

impl Table {
    fn new(area: Rect, t: f32, shares: Shares) -> Self {
        let gap = (0.4 * t).round();
        let number = (1.6 * t).round();
        let name = (shares.name_units * t).round();
        let rest = area.w - number - name - 3.0 * gap;
        let place = (rest * shares.place).round();
        let reason = (rest - place).max(t);
        let x0 = area.x;
        let x1 = x0 + number + gap;
        let x2 = x1 + name + gap;
        let x3 = x2 + place + gap;
        Table {
            x: [x0, x1, x2, x3],
            w: [number, name, place, reason],
            top: area.y,
            width: area.w,
        }
    }

    fn cell(&self, k: usize, y: f32, h: f32) -> Rect {
        Rect::new(self.x[k], y, self.w[k], h)
    }

    fn head(&self, p: &mut Painter, m: &Metrics, pal: &Palette) {
        for (k, label) in ["序号", "姓名", "所在地", "事由"].iter().enumerate() {
            let align = if k == 0 { Align::Center } else { Align::Left };
            p.line(
                label,
                self.cell(k, self.top, m.head_h),
                m.head_size,
                Weight::Regular,
                align,
                pal.muted,
            );
        }
    }

    /// Row `i` of this table, the entry numbered `number`, each cell at its
    /// column's size.
    fn row(
        &self,
        p: &mut Painter,
        m: &Metrics,
        pal: &Palette,
        sizes: &[f32; 4],
        at: (usize, usize),
        e: &ListEntry,
    ) {
        let (i, number) = at;
        let y = self.top + m.head_h + i as f32 * m.row_h;
        if i % 2 == 1 {
            p.fill(Rect::new(self.x[0], y, self.width, m.row_h), pal.stripe, 0.0);
        }
        let colors = [pal.muted, pal.text, pal.text, pal.text];
        for (k, text) in texts(number, e).iter().enumerate() {
            let align = if k == 0 { Align::Center } else { Align::Left };
            let cell = self.cell(k, y, m.row_h);
            p.cell(text, cell, sizes[k], STYLE[k].1, align, colors[k]);
        }
    }
}

/// On a strip: the name large, place and reason stacked beside it.
fn strip_entry(p: &mut Painter, e: &ListEntry, body: Rect, m: &Metrics, pal: &Palette) {
    let t = m.row_size;
    let name_w = (body.w * 0.36).round();
    p.line(
        &e.name,
        Rect::new(body.x, body.y, name_w, body.h),
        t,
        Weight::Bold,
        Align::Left,
        pal.title,
    );
    let x = body.x + name_w + (0.3 * t).round();
    let w = body.right() - x;
    let half = (body.h / 2.0).round();
    let small = (body.h * 0.36).round();
    p.line(
        e.place.as_deref().unwrap_or(""),
        Rect::new(x, body.y, w, half),
        small,
        Weight::Regular,
        Align::Left,
        pal.muted,
    );
    p.line(
        e.reason.as_deref().unwrap_or(""),
        Rect::new(x, body.y + half, w, body.h - half),
        small,
        Weight::Bold,
        Align::Left,
        pal.text,
    );
}

/// Masks a personal name for public display: the first and last characters
/// stay, the ones between become "*" (王华 → 王*, 王小华 → 王*华), whatever
/// the name already holds.
pub fn mask_name(name: &str) -> String {
    let chars: Vec<char> = name.chars().collect();
    // Every name is masked, whatever it holds: a name the service already
    // masked (王*华) comes out the same, and one with a stray `*` (王小华*)
    // is not shown in full.
    if chars.len() < 2 {
        return name.to_string();
    }
    if chars.len() == 2 {
        return format!("{}*", chars[0]);
    }
    let middle = "*".repeat(chars.len() - 2);
    format!("{}{middle}{}", chars[0], chars[chars.len() - 1])
}

#[cfg(test)]
mod tests {
    use super::mask_name;

    #[test]
    fn masks_the_middle_of_names() {
        assert_eq!(mask_name("王小华"), "王*华");
        assert_eq!(mask_name("王华"), "王*");
        assert_eq!(mask_name("欧阳小华"), "欧**华");
        assert_eq!(mask_name("宋*丽"), "宋*丽");
        assert_eq!(mask_name("王小华*"), "王***");
        assert_eq!(mask_name("*王小华"), "***华");
        assert_eq!(mask_name("王"), "王");
    }
}
