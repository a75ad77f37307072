//! Fonts and text measurement on the CPU, shared by layout and the renderer.
//!
//! By default only the fonts bundled in `fonts/` are loaded, so every machine
//! shapes and draws the same pixels. An operator may add font files or allow
//! the system's fonts as a fallback for rare characters.

pub mod breaks;
mod fonts;
mod measure;

pub use fonts::{FontError, FontOptions, Fonts, FAMILY, PLACEHOLDER};
pub use measure::{line_height, FittedLine, FittedParagraph, LINE_FACTOR, PARAGRAPH_FACTOR};
