//! Frames composed on the CPU (issue 30), for a window whose adapter is the
//! CPU itself: each still picture is drawn once by the renderer (lavapipe)
//! and read back, and every frame (a cut, each step of a fade or a slide, a
//! burn-in step, a dimmed hour) is composed from those pictures in memory
//! by [`compose_cpu`], ready for a shared-memory present. A frame the
//! pictures cannot make (a moving marquee, a slide across a wall) is drawn
//! by [`paint`] offscreen and read back.
//!
//! A picture is drawn band by band into a target of one band's rows and
//! each band read straight into the picture's pixels: no full-size texture
//! or RGBA copy of the frame is made for it, only the two pictures a
//! transition mixes are held (a 1080p frame is 8 MiB).

use super::paint::{composition, marquee_family, paint, plain_still};
use crate::play::{Player, Still, View};
use crate::render::{compose_cpu, FrameRenderer, Gpu, OffscreenTarget, Pixels, RAW_FORMAT};
use chrono::{DateTime, FixedOffset};

/// Pictures kept: the two of a transition.
const KEPT: usize = 2;

/// Rows of a picture drawn at a time (a 1080p picture is 9 bands).
const BAND_ROWS: u32 = 128;

/// The CPU path's pictures and the offscreen target they are drawn in.
pub struct CpuFrames {
    frames: FrameRenderer,
    /// The still pictures' target: one band of rows, the layout's width.
    band_target: Option<OffscreenTarget>,
    /// A whole frame's target, for what `paint` draws.
    frame_target: Option<OffscreenTarget>,
    /// The last pictures read back, newest last.
    pictures: Vec<(u64, Pixels)>,
    /// The marquee family and frame size of the last frame written, when it
    /// was a plain marquee frame: the next one differs only in its band.
    last_marquee: Option<Marquee>,
}

/// A marquee family and the frame size it was written at.
type Marquee = (u64, (u32, u32));

/// Rows of a frame: the first and how many.
pub type Rows = (u32, u32);

impl CpuFrames {
    /// Nothing drawn yet.
    pub fn new(gpu: &Gpu) -> Self {
        CpuFrames {
            frames: FrameRenderer::new(gpu, RAW_FORMAT),
            band_target: None,
            frame_target: None,
            pictures: Vec::new(),
            last_marquee: None,
        }
    }

    /// Forgets every picture (after a resize or new data).
    pub fn clear(&mut self) {
        self.frames.clear();
        self.pictures.clear();
        self.last_marquee = None;
    }

    /// Composes `view` at `now` into `out`, a frame `size` of `0x00RRGGBB`
    /// pixels that held the last frame written when `age` is 1 (a
    /// `softbuffer` buffer's age). Returns the rows that changed when only
    /// some did (the next frame of a marquee), `None` for a whole frame.
    pub fn paint(
        &mut self,
        gpu: &Gpu,
        player: &mut Player,
        view: &View,
        now: DateTime<FixedOffset>,
        (size, age): ((u32, u32), u8),
        out: &mut [u32],
    ) -> Result<Option<Rows>, super::OffscreenError> {
        let family = marquee_family(&view.still);
        let last = self.last_marquee.take();
        if family.is_some() || player.slid_scene(view, now).is_some() {
            return self.painted(gpu, player, view, now, (size, age, last), out);
        }
        self.picture(gpu, player, &view.still, now)?;
        if let Some(previous) = &view.previous {
            self.picture(gpu, player, previous, now)?;
        }
        let to = self.kept(view.still.key());
        let from = view.previous.as_ref().and_then(|p| self.kept(p.key()));
        match to {
            Some(to) => compose_cpu(from.unwrap_or(to), to, &composition(view), size, out),
            None => return self.painted(gpu, player, view, now, (size, age, None), out),
        }
        Ok(None)
    }

    fn kept(&self, key: u64) -> Option<&Pixels> {
        self.pictures.iter().find(|(k, _)| *k == key).map(|(_, p)| p)
    }

    /// Draws `still` and reads it back, unless it is kept already.
    fn picture(
        &mut self,
        gpu: &Gpu,
        player: &mut Player,
        still: &Still,
        now: DateTime<FixedOffset>,
    ) -> Result<(), super::OffscreenError> {
        let key = still.key();
        if let Some(at) = self.pictures.iter().position(|(k, _)| *k == key) {
            let kept = self.pictures.remove(at);
            self.pictures.push(kept);
            return Ok(());
        }
        let scene = player.scene(still, now);
        let (width, height) = (scene.width, scene.height);
        // The picture to drop makes room for the new one, its memory reused.
        let mut data = match self.pictures.len() >= KEPT {
            true => self.pictures.remove(0).1.data,
            false => Vec::new(),
        };
        data.clear();
        data.resize(width as usize * height as usize, 0);
        let rows = BAND_ROWS.min(height.max(1));
        let band = fitting(&mut self.band_target, gpu, (width, rows));
        let mut top = 0;
        while top < height {
            let part = scene.band(top, rows);
            self.frames.draw_into(gpu, player.fonts_mut(), &part, band)?;
            let take = rows.min(height - top);
            read_into(gpu, band, (0, take), &mut data[(top * width) as usize..])?;
            top += take;
        }
        let pixels = Pixels { width, height, data };
        self.pictures.push((key, pixels));
        Ok(())
    }

    /// The frame drawn by `paint` offscreen and read back: only the moving
    /// band when it is the next frame of the marquee `out` holds (`last`),
    /// the whole frame otherwise.
    fn painted(
        &mut self,
        gpu: &Gpu,
        player: &mut Player,
        view: &View,
        now: DateTime<FixedOffset>,
        (size, age, last): ((u32, u32), u8, Option<Marquee>),
        out: &mut [u32],
    ) -> Result<Option<Rows>, super::OffscreenError> {
        let target = fitting(&mut self.frame_target, gpu, size);
        paint(&mut self.frames, gpu, player, view, now, target.frame_target())?;
        let family = marquee_family(&view.still).filter(|_| plain_still(view));
        let rows = family.and_then(|f| self.frames.marquee_rows(f));
        self.last_marquee = family.filter(|_| rows.is_some()).map(|f| (f, size));
        match rows {
            Some((top, count)) if age == 1 && last.is_some() && last == self.last_marquee => {
                let at = (top as usize * size.0 as usize).min(out.len());
                read_into(gpu, target, (top, count), &mut out[at..])?;
                Ok(Some((top, count)))
            }
            _ => {
                read_into(gpu, target, (0, size.1), out)?;
                Ok(None)
            }
        }
    }
}

/// Rows of `target` read back into `out` as `0x00RRGGBB`.
fn read_into(
    gpu: &Gpu,
    target: &OffscreenTarget,
    rows: Rows,
    out: &mut [u32],
) -> Result<(), super::OffscreenError> {
    let mut at = 0;
    target.read_span(gpu, rows, |band| {
        let from = at.min(out.len());
        at += Pixels::write_rgba(band, &mut out[from..]);
        Ok::<(), super::OffscreenError>(())
    })
}

/// `slot`'s target, made again when it is not `size`.
fn fitting<'a>(
    slot: &'a mut Option<OffscreenTarget>,
    gpu: &Gpu,
    size: (u32, u32),
) -> &'a mut OffscreenTarget {
    if slot.as_ref().is_none_or(|t| (t.width, t.height) != size) {
        *slot = Some(OffscreenTarget::new(gpu, size.0, size.1));
    }
    slot.get_or_insert_with(|| OffscreenTarget::new(gpu, size.0, size.1))
}
