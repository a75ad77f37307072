//! Frames composed on the CPU (issue 30), for a window whose adapter is the
//! CPU itself: each still picture is drawn once by the renderer (lavapipe)
//! and read back, and every frame (a cut, each step of a fade or a slide, a
//! burn-in step, a dimmed hour) is composed from those pictures in memory
//! by [`compose_cpu`], ready for a shared-memory present. A frame the
//! pictures cannot make (a moving marquee, a slide across a wall) is drawn
//! by [`paint`] offscreen and read back.

use super::paint::{composition, paint};
use crate::play::{Player, Still, View};
use crate::render::{compose_cpu, FrameRenderer, Gpu, OffscreenTarget, Pixels, RAW_FORMAT};
use chrono::{DateTime, FixedOffset};

/// Pictures kept: the two of a transition.
const KEPT: usize = 2;

/// The CPU path's pictures and the offscreen target they are drawn in.
pub struct CpuFrames {
    frames: FrameRenderer,
    /// The still pictures' target, at the layout's size.
    picture_target: Option<OffscreenTarget>,
    /// A whole frame's target, for what `paint` draws.
    frame_target: Option<OffscreenTarget>,
    /// The last pictures read back, newest last.
    pictures: Vec<(u64, Pixels)>,
}

impl CpuFrames {
    /// Nothing drawn yet.
    pub fn new(gpu: &Gpu) -> Self {
        CpuFrames {
            frames: FrameRenderer::new(gpu, RAW_FORMAT),
            picture_target: None,
            frame_target: None,
            pictures: Vec::new(),
        }
    }

    /// Forgets every picture (after a resize or new data).
    pub fn clear(&mut self) {
        self.frames.clear();
        self.pictures.clear();
    }

    /// Composes `view` at `now` into `out`, a frame `size` of `0x00RRGGBB`
    /// pixels.
    pub fn paint(
        &mut self,
        gpu: &Gpu,
        player: &mut Player,
        view: &View,
        now: DateTime<FixedOffset>,
        size: (u32, u32),
        out: &mut [u32],
    ) -> Result<(), super::OffscreenError> {
        let moving = matches!(view.still, Still::Page { scroll_px, .. } if scroll_px > 0);
        if moving || player.slid_scene(view, now).is_some() {
            return self.painted(gpu, player, view, now, size, out);
        }
        self.picture(gpu, player, &view.still, now)?;
        if let Some(previous) = &view.previous {
            self.picture(gpu, player, previous, now)?;
        }
        let to = self.kept(view.still.key());
        let from = view.previous.as_ref().and_then(|p| self.kept(p.key()));
        match to {
            Some(to) => compose_cpu(from.unwrap_or(to), to, &composition(view), size, out),
            None => return self.painted(gpu, player, view, now, size, out),
        }
        Ok(())
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
        let target = fitting(&mut self.picture_target, gpu, (scene.width, scene.height));
        self.frames.draw_into(gpu, player.fonts_mut(), &scene, target)?;
        let pixels = Pixels::from_rgba(&target.read(gpu)?);
        if self.pictures.len() >= KEPT {
            self.pictures.remove(0);
        }
        self.pictures.push((key, pixels));
        Ok(())
    }

    /// The frame drawn whole by `paint` offscreen and read back.
    fn painted(
        &mut self,
        gpu: &Gpu,
        player: &mut Player,
        view: &View,
        now: DateTime<FixedOffset>,
        size: (u32, u32),
        out: &mut [u32],
    ) -> Result<(), super::OffscreenError> {
        let target = fitting(&mut self.frame_target, gpu, size);
        paint(&mut self.frames, gpu, player, view, now, target.frame_target())?;
        Pixels::write_rgba(&target.read(gpu)?, out);
        Ok(())
    }
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
