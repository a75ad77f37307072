//! String cleaning: control characters removed, length capped at 200 characters.

/// The longest string kept, in Unicode scalar values.
pub const MAX_CHARS: usize = 200;

/// What [`clean`] changed, for the report.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Cleaning {
    pub removed_controls: usize,
    pub cut_from: Option<usize>,
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
            parts.push(format!("cut from {n} to {MAX_CHARS} characters"));
        }
        parts.join(", ")
    }
}

/// Removes control characters (keeping `\n` when `keep_newlines`, with `\r\n`
/// and a lone `\r` read as `\n`) and cuts the result to [`MAX_CHARS`].
pub fn clean(raw: &str, keep_newlines: bool) -> (String, Cleaning) {
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
    if count > MAX_CHARS {
        out = out.chars().take(MAX_CHARS).collect();
        report.cut_from = Some(count);
    }
    (out, report)
}

/// Bidirectional overrides and similar format characters that could reorder or
/// hide text on a public screen.
fn is_invisible_format(c: char) -> bool {
    matches!(c, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}' | '\u{FEFF}')
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
        assert_eq!(s.chars().count(), 200);
        assert_eq!(r.cut_from, Some(250));
        let (s, r) = clean(&"村".repeat(200), false);
        assert_eq!(s.chars().count(), 200);
        assert!(!r.changed());
    }

    #[test]
    fn removes_bidi_overrides() {
        let (s, r) = clean("A\u{202E}B", false);
        assert_eq!(s, "AB");
        assert!(r.changed());
    }
}
