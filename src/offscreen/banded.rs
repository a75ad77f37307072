//! A frame written as a PNG band by band: a still picture is drawn into a
//! target of one band's rows, read back and encoded, then the next band; no
//! full frame is drawn, read back or held on the CPU. `render` and `render
//! --config` write their PNGs this way (a cold 4K frame held four 32 MiB
//! buffers); anything that moves (a transition, a shift, a rotation) is
//! drawn whole and then read back in bands.

use super::paint::plain_still;
use super::{OffscreenError, OffscreenScreen};
use crate::play::{Player, View};
use crate::png::{Effort, RowsPng};
use crate::render::OffscreenTarget;
use chrono::{DateTime, FixedOffset};
use std::path::Path;

/// Rows drawn at a time: 128 rows of a 4K frame are 1.9 MiB, where the whole
/// frame is 32 MiB; a 1080p frame is 9 bands.
const DRAW_BAND_ROWS: u32 = 128;

impl OffscreenScreen {
    /// Draws `view` and writes it to `path` as a PNG at `effort`.
    pub fn write_view_png(
        &mut self,
        player: &mut Player,
        view: &View,
        now: DateTime<FixedOffset>,
        path: &Path,
        effort: Effort,
    ) -> Result<(), OffscreenError> {
        let scene = plain_still(view).then(|| player.scene(&view.still, now));
        let Some(scene) = scene.filter(|s| (s.width, s.height) == player.physical()) else {
            self.draw(player, view, now)?;
            return self.write_png(path, effort);
        };
        let (width, height) = (scene.width, scene.height);
        let rows = DRAW_BAND_ROWS.min(height.max(1));
        let band = match &mut self.band {
            Some(b) if (b.width, b.height) == (width, rows) => b,
            slot => slot.insert(OffscreenTarget::new(&self.gpu, width, rows)),
        };
        let saving = |source| OffscreenError::encoding(path, source);
        let mut out = RowsPng::create(path, width, height, effort).map_err(saving)?;
        let mut top = 0;
        while top < height {
            let part = scene.band(top, rows);
            self.frames
                .draw_into(&self.gpu, player.fonts_mut(), &part, band)?;
            let take = rows.min(height - top);
            band.read_rows(&self.gpu, take, |r| out.write_rows(r).map_err(saving))?;
            top += take;
        }
        out.finish().map_err(saving)
    }
}
