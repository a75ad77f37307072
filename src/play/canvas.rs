//! The scene of a whole picture before a wall cuts its window: the page or
//! idle slide laid out, an emergency (a priority message) in the warning
//! look, and a banner (提示) over whatever plays.

use super::{Player, Still};
use crate::config::{is_message_id, Content};
use crate::layout::{self, Context, Theme};
use crate::scene::Scene;
use chrono::{DateTime, FixedOffset};

impl Player {
    /// The scene of the whole picture: the canvas of a wall, else the screen.
    pub(super) fn canvas_scene(&mut self, still: &Still, now: DateTime<FixedOffset>) -> Scene {
        let (scene, banner) = match still {
            Still::Black => {
                let black = crate::scene::Rgba::hex(0);
                return Scene::new(self.profile.width, self.profile.height, black);
            }
            Still::Idle { banner, .. } => {
                let issuer = self.show.feed.issuer.clone();
                let scene = layout::idle(
                    &mut self.fonts,
                    &self.profile,
                    &self.theme,
                    now,
                    issuer.as_deref(),
                );
                (scene, banner)
            }
            Still::Page {
                item,
                page,
                scroll_px,
                banner,
                ..
            } => (self.page_scene(*item, page, *scroll_px, now), banner),
        };
        match banner.and_then(|b| self.show.settings.banners.get(b)) {
            Some(notice) => layout::with_banner(&mut self.fonts, &self.profile, &self.theme, notice, scene),
            None => scene,
        }
    }

    fn page_scene(
        &mut self,
        item: usize,
        page: &layout::PageRef,
        scroll_px: i64,
        now: DateTime<FixedOffset>,
    ) -> Scene {
        let playing = self.show.settings.playlist.get(item);
        let mask_names = playing.and_then(|i| i.mask_names);
        // An emergency (紧急) is a priority message: the whole screen in
        // the warning look, so that it is not read as one more notice.
        let emergency = playing
            .is_some_and(|i| i.priority && matches!(&i.content, Content::Notice(id) if is_message_id(id)));
        let warning;
        let theme = if emergency {
            warning = Theme {
                normal: self.theme.warning.clone(),
                ..self.theme.clone()
            };
            &warning
        } else {
            &self.theme
        };
        let ctx = Context {
            feed: &self.show.feed,
            profile: &self.profile,
            theme,
            now,
            stale_after: self.show.settings.feed.stale_after,
            mask_names,
        };
        if self.show.pages.item_scrolls(item) {
            layout::ticker(&mut self.fonts, &ctx, page, scroll_px as f32)
        } else {
            layout::layout_page(&mut self.fonts, &ctx, page)
        }
    }
}
