//! Notice pages: a title and a wrapped body.

use super::chrome::{self, Heading};
use super::painter::Painter;
use super::pages::PageRef;
use super::profile::Metrics;
use super::Context;
use crate::feed::Notice;
use crate::scene::Weight;

pub(crate) fn layout(p: &mut Painter, ctx: &Context, notice: &Notice, page: &PageRef) {
    let pal = &ctx.theme.normal;
    let heading = Heading { title: &notice.title, subtitle: chrome::subtitle(ctx, None) };
    let body = chrome::frame(p, ctx, page, &heading, pal);
    let m = Metrics::for_profile(ctx.profile);
    let pad = (m.row_size * 0.5).round();
    let area = body.inset(pad, pad);
    p.paragraph(&notice.body, area, (m.row_size * 1.1).round(), Weight::Regular, pal.text);
}
