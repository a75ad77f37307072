//! String cleaning: control characters removed, length capped at 200
//! characters (4,000 for a notice body), a cut always marked with "…".

/// The longest string kept, in Unicode scalar values.
pub const MAX_CHARS: usize = 200;

/// The longest notice body kept (contract Amendment 1): paged on screen.
pub const MAX_BODY_CHARS: usize = 4_000;

/// What [`clean`] changed, for the report.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Cleaning {
    pub removed_controls: usize,
    pub cut_from: Option<usize>,
    /// The length the string was cut to (before the "…" was added).
    pub cut_to: usize,
}

impl Cleaning {
    pub fn changed(&self) -> bool {
        self.removed_controls > 0 || self.cut_from.is_some()
    }

    pub fn describe(&self) -> String {
        let mut parts = Vec::new();
        if self.removed_controls > 0 {
            parts.push(format!("{} control character(s) removed", self.removed_controls));
        }
        if let Some(n) = self.cut_from {
            parts.push(format!(
                "cut from {n} to {} characters and ended with \"…\"",
                self.cut_to
            ));
        }
        parts.join(", ")
    }
}

/// Removes control characters (keeping `\n` when `keep_newlines`, with `\r\n`
/// and a lone `\r` read as `\n`) and cuts the result to [`MAX_CHARS`]
/// ([`MAX_BODY_CHARS`] for a notice body, the text that keeps line breaks),
/// adding "…" so the cut shows on screen.
pub fn clean(raw: &str, keep_newlines: bool) -> (String, Cleaning) {
    let limit = if keep_newlines { MAX_BODY_CHARS } else { MAX_CHARS };
    let mut out = String::with_capacity(raw.len());
    let mut report = Cleaning::default();
    let normalised = raw.replace("\r\n", "\n");
    for c in normalised.chars() {
        let c = if keep_newlines && c == '\r' { '\n' } else { c };
        if keep_newlines && c == '\n' {
            out.push(c);
        } else if c.is_control() || is_invisible_format(c) {
            report.removed_controls += 1;
        } else {
            out.push(c);
        }
    }
    let count = out.chars().count();
    if count > limit {
        out = out.chars().take(limit).collect();
        out.push('…');
        report.cut_from = Some(count);
        report.cut_to = limit;
    }
    (out, report)
}

/// Format characters (Unicode category Cf) and the line and paragraph
/// separators (Zl, Zp): invisible on a screen, they could hide, join or
/// reorder text (bidirectional overrides, zero-width spaces and joiners) or
/// break a log line. The Cf list is Unicode 15's.
pub fn is_invisible_format(c: char) -> bool {
    matches!(
        c,
        '\u{00AD}'
            | '\u{0600}'..='\u{0605}'
            | '\u{061C}'
            | '\u{06DD}'
            | '\u{070F}'
            | '\u{0890}'..='\u{0891}'
            | '\u{08E2}'
            | '\u{180E}'
            | '\u{200B}'..='\u{200F}'
            | '\u{2028}'..='\u{202E}'
            | '\u{2060}'..='\u{2064}'
            | '\u{2066}'..='\u{206F}'
            | '\u{FEFF}'
            | '\u{FFF9}'..='\u{FFFB}'
            | '\u{110BD}'
            | '\u{110CD}'
            | '\u{13430}'..='\u{1343F}'
            | '\u{1BCA0}'..='\u{1BCA3}'
            | '\u{1D173}'..='\u{1D17A}'
            | '\u{E0001}'
            | '\u{E0020}'..='\u{E007F}'
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn removes_controls_and_keeps_newlines_only_when_asked() {
        let (s, r) = clean("王\u{0007}华\n村\t", false);
        assert_eq!(s, "王华村");
        assert_eq!(r.removed_controls, 3);
        let (s, r) = clean("第一行\r\n第二行\u{0000}", true);
        assert_eq!(s, "第一行\n第二行");
        assert_eq!(r.removed_controls, 1);
    }

    #[test]
    fn cuts_at_200_characters_not_bytes() {
        let long: String = "村".repeat(250);
        let (s, r) = clean(&long, false);
        assert_eq!(s, format!("{}…", "村".repeat(200)), "cut at 200, the cut marked");
        assert_eq!(r.cut_from, Some(250));
        let (s, r) = clean(&"村".repeat(200), false);
        assert_eq!(s.chars().count(), 200);
        assert!(!r.changed());
    }

    #[test]
    fn removes_zero_width_marks_and_separators() {
        for c in [
            '\u{200B}', '\u{200E}', '\u{200F}', '\u{2028}', '\u{2029}', '\u{061C}', '\u{00AD}',
        ] {
            let (s, r) = clean(&format!("王{c}华"), false);
            assert_eq!(s, "王华", "U+{:04X} kept", u32::from(c));
            assert_eq!(r.removed_controls, 1);
        }
        // A line separator is not a line break, even in a notice body.
        let (s, _) = clean("第一行\u{2028}第二行\n第三行", true);
        assert_eq!(s, "第一行第二行\n第三行");
    }

    #[test]
    fn removes_bidi_overrides() {
        let (s, r) = clean("A\u{202E}B", false);
        assert_eq!(s, "AB");
        assert!(r.changed());
    }
}
