//! The font set: bundled Noto Sans CJK SC, optional extra files and system fonts.

use crate::scene::Weight;
use cosmic_text::fontdb::{Database, Source};
use cosmic_text::{Attrs, Family, FeatureTag, FontFeatures, FontSystem};
use std::borrow::Cow;
use std::collections::{HashMap, HashSet};
use std::path::PathBuf;
use std::sync::Arc;
use thiserror::Error;

/// The family name of the bundled fonts.
pub const FAMILY: &str = "Noto Sans CJK SC";

/// What an uncovered character is drawn as: 〓 (U+3013, GETA MARK), the
/// placeholder Chinese typesetting uses for a missing character.
pub const PLACEHOLDER: char = '\u{3013}';

static REGULAR: &[u8] = include_bytes!("../../fonts/NotoSansCJKsc-Regular.otf");
static BOLD: &[u8] = include_bytes!("../../fonts/NotoSansCJKsc-Bold.otf");

/// Which fonts to load besides the bundled ones.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct FontOptions {
    /// Font files (OTF, TTF, TTC) added after the bundled fonts.
    pub extra_files: Vec<PathBuf>,
    /// Whether the system's fonts may be used for characters the others lack.
    pub system_fallback: bool,
}

/// Why an extra font file cannot be used.
#[derive(Debug, Error)]
pub enum FontError {
    /// The file cannot be read (missing, not a regular file, too large).
    #[error("cannot read font file {path}: {source}; fix the path in the theme's font list")]
    Read {
        /// The font file named in the theme.
        path: PathBuf,
        /// The system's reason.
        source: std::io::Error,
    },
    /// The file was read but holds no face fontdb recognises.
    #[error("{path} is not a font file fontdb can read; use an OTF, TTF or TTC file")]
    NotAFont {
        /// The font file named in the theme.
        path: PathBuf,
    },
}

/// The loaded fonts, the code points they cover, and measurement caches.
pub struct Fonts {
    pub(crate) system: FontSystem,
    coverage: HashSet<u32>,
    pub(crate) widths: HashMap<(String, Weight), f32>,
    pub(crate) baselines: HashMap<(u32, u32), f32>,
}

impl Fonts {
    /// Only the bundled fonts: the deterministic default.
    pub fn bundled() -> Self {
        Self::from_database(bundled_database())
    }

    /// The bundled fonts plus what `options` adds.
    pub fn load(options: &FontOptions) -> Result<Self, FontError> {
        let mut db = bundled_database();
        for path in &options.extra_files {
            let max = crate::limited_read::MAX_NAMED_FILE;
            let data = crate::limited_read::read_regular(path, max).map_err(|source| FontError::Read {
                path: path.clone(),
                source,
            })?;
            if db.load_font_source(Source::Binary(Arc::new(data))).is_empty() {
                return Err(FontError::NotAFont { path: path.clone() });
            }
        }
        if options.system_fallback {
            db.load_system_fonts();
        }
        Ok(Self::from_database(db))
    }

    fn from_database(db: Database) -> Self {
        let coverage = coverage_of(&db);
        Fonts {
            system: FontSystem::new_with_locale_and_db("zh-CN".to_string(), db),
            coverage,
            widths: HashMap::new(),
            baselines: HashMap::new(),
        }
    }

    /// Whether some loaded font has a glyph for `c`.
    pub fn covers(&self, c: char) -> bool {
        self.coverage.contains(&(c as u32))
    }

    /// `text` as the screen draws it: every visible character no loaded
    /// font covers replaced by the geta mark 〓 ([`PLACEHOLDER`]), so a name
    /// never shows a blank where a character should be. Spaces and line
    /// breaks are kept. Measuring and drawing both go through this.
    pub fn displayable<'t>(&self, text: &'t str) -> Cow<'t, str> {
        let missing = |c: char| !c.is_whitespace() && !c.is_control() && !self.covers(c);
        if !text.chars().any(missing) {
            return Cow::Borrowed(text);
        }
        Cow::Owned(
            text.chars()
                .map(|c| if missing(c) { PLACEHOLDER } else { c })
                .collect(),
        )
    }

    /// Forgets measured widths and baselines (for benchmarks of cold layout).
    pub fn clear_caches(&mut self) {
        self.widths.clear();
        self.baselines.clear();
    }

    /// The number of code points the loaded fonts cover.
    pub fn coverage_len(&self) -> usize {
        self.coverage.len()
    }

    /// The cosmic-text font system, for shaping (the renderer uses the same one).
    pub fn font_system(&mut self) -> &mut FontSystem {
        &mut self.system
    }

    /// The shaping attributes for a weight: the bundled family, tabular digits.
    pub fn attrs(weight: Weight) -> Attrs<'static> {
        let mut features = FontFeatures::new();
        features.enable(FeatureTag::new(b"tnum"));
        let weight = match weight {
            Weight::Regular => cosmic_text::Weight::NORMAL,
            Weight::Bold => cosmic_text::Weight::BOLD,
        };
        Attrs::new()
            .family(Family::Name(FAMILY))
            .weight(weight)
            .font_features(features)
    }
}

fn bundled_database() -> Database {
    let mut db = Database::new();
    db.load_font_source(Source::Binary(Arc::new(REGULAR)));
    db.load_font_source(Source::Binary(Arc::new(BOLD)));
    db.set_sans_serif_family(FAMILY);
    db
}

/// Every Unicode code point mapped by some face's cmap.
fn coverage_of(db: &Database) -> HashSet<u32> {
    let mut set = HashSet::new();
    for face in db.faces() {
        db.with_face_data(face.id, |data, index| {
            let Ok(parsed) = ttf_parser::Face::parse(data, index) else {
                return;
            };
            let Some(cmap) = parsed.tables().cmap else {
                return;
            };
            for table in cmap.subtables.into_iter().filter(|t| t.is_unicode()) {
                table.codepoints(|cp| {
                    if table.glyph_index(cp).is_some_and(|g| g.0 != 0) {
                        set.insert(cp);
                    }
                });
            }
        });
    }
    set
}
