//! The bundled fonts are the whole Noto Sans CJK SC face in both weights
//! (44,810 code points): GB 2312, the 通用规范汉字表, CJK Extension A as far
//! as Noto covers it, rare name characters of Extension B such as 𠮷 and 𡈼,
//! and the punctuation, arrows and digits the slides use.
// Tests fail by panicking: an unwrap that fails here is a failed test.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use crate::common;

use std::collections::HashSet;
use std::path::Path;

fn code_points(list: &str) -> Vec<u32> {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("fonts").join(list);
    std::fs::read_to_string(&path)
        .unwrap_or_else(|e| panic!("{}: {e}", path.display()))
        .lines()
        .map(|l| u32::from_str_radix(l.trim_start_matches("U+"), 16).expect("U+XXXX"))
        .collect()
}

fn cmap(file: &str) -> HashSet<u32> {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("fonts").join(file);
    let data = std::fs::read(&path).unwrap();
    let face = ttf_parser::Face::parse(&data, 0).expect("a font");
    let mut set = HashSet::new();
    for table in face
        .tables()
        .cmap
        .expect("cmap")
        .subtables
        .into_iter()
        .filter(|t| t.is_unicode())
    {
        table.codepoints(|cp| {
            if table.glyph_index(cp).is_some_and(|g| g.0 != 0) {
                set.insert(cp);
            }
        });
    }
    set
}

fn missing(font: &HashSet<u32>, list: &[u32]) -> Vec<String> {
    list.iter()
        .filter(|cp| !font.contains(cp))
        .map(|cp| format!("U+{cp:04X}"))
        .collect()
}

#[test]
fn lists_have_the_sizes_of_the_standards() {
    assert_eq!(code_points("gb2312.txt").len(), 6763);
    assert_eq!(code_points("tongyong.txt").len(), 8105);
    // Extension A (6,592 code points) as far as Noto Sans CJK SC covers it.
    let ext_a = code_points("ext-a.txt");
    assert_eq!(ext_a.len(), 6582);
    assert!(ext_a.iter().all(|&c| (0x3400..=0x4DBF).contains(&c)));
    // Rare name characters from Extension B: 𠮷, 𡈼 and the standard's own.
    let names = code_points("rare-names.txt");
    assert!(names.len() >= 32, "{} rare name characters", names.len());
    assert!(names.contains(&0x20BB7) && names.contains(&0x2123C));
    assert!(names.iter().all(|&c| (0x20000..=0x2A6DF).contains(&c)));
}

/// Debian's Noto Sans CJK SC maps 44,810 code points; so does each bundled
/// weight (the face whole, not a subset of it).
#[test]
fn each_weight_is_the_whole_face() {
    for font in ["NotoSansCJKsc-Regular.otf", "NotoSansCJKsc-Bold.otf"] {
        assert_eq!(cmap(font).len(), 44_810, "{font}");
    }
}

#[test]
fn both_weights_cover_every_list() {
    for font in ["NotoSansCJKsc-Regular.otf", "NotoSansCJKsc-Bold.otf"] {
        let cmap = cmap(font);
        for list in ["gb2312.txt", "tongyong.txt", "ext-a.txt", "rare-names.txt"] {
            let missing = missing(&cmap, &code_points(list));
            assert!(
                missing.is_empty(),
                "{font} lacks {} of {list}: {:?}",
                missing.len(),
                &missing[..missing.len().min(10)]
            );
        }
        let required: Vec<u32> = "↑↓→·—…，。、：；！？（）《》「」【】０１２３４５６７８９0123456789.%*★●"
            .chars()
            .map(|c| c as u32)
            .chain(0x20..0x7F)
            .collect();
        assert!(
            missing(&cmap, &required).is_empty(),
            "{font}: {:?}",
            missing(&cmap, &required)
        );
    }
}

#[test]
fn the_default_font_set_is_only_the_bundled_fonts() {
    let fonts = rankwall::text::Fonts::bundled();
    assert!(fonts.covers('镇') && fonts.covers('↑'));
    // Beyond Noto (CJK Extension H): only a system font could cover it.
    assert!(!fonts.covers('\u{31350}'), "no system font may sneak in");
    let bundled = cmap("NotoSansCJKsc-Regular.otf")
        .union(&cmap("NotoSansCJKsc-Bold.otf"))
        .count();
    assert_eq!(fonts.coverage_len(), bundled);
}

#[test]
fn extra_font_files_are_loaded_or_refused_clearly() {
    let opts = rankwall::text::FontOptions {
        extra_files: vec!["/nonexistent/font.otf".into()],
        system_fallback: false,
    };
    let err = rankwall::text::Fonts::load(&opts)
        .err()
        .expect("missing file refused");
    assert!(err.to_string().contains("/nonexistent/font.otf"), "{err}");
    let dir = common::temp_dir("fonts");
    let not_font = dir.join("not-a-font.otf");
    std::fs::write(&not_font, b"hello").unwrap();
    let opts = rankwall::text::FontOptions {
        extra_files: vec![not_font.clone()],
        system_fallback: false,
    };
    assert!(matches!(
        rankwall::text::Fonts::load(&opts),
        Err(rankwall::text::FontError::NotAFont { .. })
    ));
}
