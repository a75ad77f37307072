//! What the screen shows at an instant, as plain comparable values: the
//! still picture (or two, during a transition), how they are blended, and
//! where the frame sits. A frame is drawn only when its [`View`] differs
//! from the one drawn last.

use crate::config::TransitionKind;
use crate::slide::PageRef;
use chrono::{DateTime, FixedOffset};
use std::hash::{Hash, Hasher};

/// A picture a scene can be made from.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum Still {
    /// Outside the display hours.
    Black,
    /// The idle slide, with the clock at this minute (seconds since the epoch / 60).
    Idle {
        /// The minute the clock shows, counted in whole minutes since the Unix epoch.
        minute: i64,
        /// The banner (提示) over it: its index among the config's banners.
        banner: Option<usize>,
    },
    /// A page of a playlist item.
    Page {
        /// Which config and data (a counter that grows with every change).
        show: u64,
        /// Index of the playlist item.
        item: usize,
        /// Which slide, and which of its entries, the page shows.
        page: PageRef,
        /// Whether the data is past its stale limit, so the page carries the stale marker.
        stale: bool,
        /// How far a marquee has moved, in whole pixels; 0 for still pages.
        scroll_px: i64,
        /// The banner (提示) over the page: its index among the config's
        /// banners (the picture differs while one is up).
        banner: Option<usize>,
    },
}

impl Still {
    /// A key for caching the picture.
    pub fn key(&self) -> u64 {
        let mut hasher = std::collections::hash_map::DefaultHasher::new();
        self.hash(&mut hasher);
        hasher.finish()
    }
}

/// How two stills are combined.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Blend {
    /// The new picture replaces the old one at once.
    Cut,
    /// The old picture fades into the new one.
    Fade,
    /// The new picture pushes in from the right while the old one leaves to the left.
    Slide,
}

impl From<TransitionKind> for Blend {
    fn from(kind: TransitionKind) -> Blend {
        match kind {
            TransitionKind::Cut => Blend::Cut,
            TransitionKind::Fade => Blend::Fade,
            TransitionKind::Slide => Blend::Slide,
        }
    }
}

/// Everything that decides the pixels of one frame.
#[derive(Clone, Debug, PartialEq)]
pub struct View {
    /// The picture shown, or being moved to while a transition runs.
    pub still: Still,
    /// The picture being left while a transition runs.
    pub previous: Option<Still>,
    /// How `previous` and `still` are combined; [`Blend::Cut`] when no transition runs.
    pub blend: Blend,
    /// 0 to 1 through the transition (already eased for a slide); 1 when none runs.
    pub progress: f32,
    /// The burn-in shift of the whole frame, in pixels.
    pub shift: (i32, i32),
    /// The panel's rotation in degrees.
    pub rotation: u32,
    /// The brightness every pixel is scaled by (1: as drawn).
    pub level: f32,
}

/// When the next frame may differ from this one.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Wake {
    /// Something moves (a transition, a marquee): draw at the display's rate.
    EveryFrame,
    /// Nothing changes before this instant.
    At(DateTime<FixedOffset>),
}

/// Smoothstep easing for slides.
pub fn ease(p: f32) -> f32 {
    let p = p.clamp(0.0, 1.0);
    p * p * (3.0 - 2.0 * p)
}
