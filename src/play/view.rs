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
    Idle { minute: i64 },
    /// A page of a playlist item.
    Page {
        /// Which config and data (a counter that grows with every change).
        show: u64,
        item: usize,
        page: PageRef,
        stale: bool,
        /// How far a marquee has moved, in whole pixels; 0 for still pages.
        scroll_px: i64,
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
    Cut,
    Fade,
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
    pub still: Still,
    /// The picture being left while a transition runs.
    pub previous: Option<Still>,
    pub blend: Blend,
    /// 0 to 1 through the transition (already eased for a slide); 1 when none runs.
    pub progress: f32,
    /// The burn-in shift of the whole frame, in pixels.
    pub shift: (i32, i32),
    /// The panel's rotation in degrees.
    pub rotation: u32,
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
