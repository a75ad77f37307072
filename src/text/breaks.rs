//! Line breaking for Chinese text set as a block (a notice's body): no line
//! starts with closing punctuation (，。、）」 …), none ends with an opening
//! one (（「 …), a run of Latin letters or digits (2026-11, 85.5%) stays
//! whole where it fits a line, and the last line is not a single character
//! when a character can be moved down to it. Pure: the width of a line
//! comes from the `measure` it is given, so it is tested without fonts.

/// Characters no line may start with (they close or follow what precedes).
const CLOSING: &str = "，。、；：！？）」』】》〉〕］｝”’…‥·・%％,.;:!?)]}>〗〙";
/// Characters no line may end with (they open what follows).
const OPENING: &str = "（「『【《〈〔［｛“‘([{<〖〘";

/// Whether `c` may not start a line.
pub fn is_closing(c: char) -> bool {
    CLOSING.contains(c)
}

/// Whether `c` may not end a line.
pub fn is_opening(c: char) -> bool {
    OPENING.contains(c)
}

/// The unbreakable units of a paragraph: a Latin word or number (with the
/// space after it) or one other character, closing punctuation joined to
/// the unit before it and opening punctuation to the unit after it.
fn units(paragraph: &str) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    let mut opening = String::new();
    let mut latin = false;
    for c in paragraph.chars() {
        let word = c.is_ascii_alphanumeric() || (latin && matches!(c, '.' | '-' | '/' | ':' | '_'));
        if is_closing(c) && !out.is_empty() && opening.is_empty() {
            if let Some(last) = out.last_mut() {
                last.push(c);
            }
            latin = false;
        } else if is_opening(c) {
            opening.push(c);
            latin = false;
        } else if c == ' ' {
            match out.last_mut() {
                Some(last) if opening.is_empty() => last.push(c),
                _ => opening.push(c),
            }
            latin = false;
        } else if word && latin && opening.is_empty() {
            if let Some(last) = out.last_mut() {
                last.push(c);
            }
        } else {
            out.push(std::mem::take(&mut opening) + &c.to_string());
            latin = c.is_ascii_alphanumeric();
        }
    }
    if !opening.is_empty() {
        out.push(opening);
    }
    out
}

/// `text` broken into lines no wider than `width` by `measure`; each `\n`
/// starts a new paragraph. A unit wider than a whole line is broken between
/// characters (it cannot be helped).
pub fn break_lines(text: &str, width: f32, mut measure: impl FnMut(&str) -> f32) -> Vec<String> {
    let mut lines = Vec::new();
    for paragraph in text.split('\n') {
        let mut para: Vec<Vec<String>> = Vec::new();
        let mut line: Vec<String> = Vec::new();
        for unit in units(paragraph) {
            let candidate = format!("{}{unit}", line.concat());
            if line.is_empty() || measure(candidate.trim_end()) <= width {
                line.push(unit);
                continue;
            }
            para.push(std::mem::take(&mut line));
            line.push(unit);
        }
        para.push(line);
        let para = split_long_units(para, width, &mut measure);
        let para = no_widow(para, width, &mut measure);
        lines.extend(para.into_iter().map(|l| l.concat().trim_end().to_string()));
    }
    lines
}

/// Lines whose one unit is wider than `width` cut between characters.
fn split_long_units(
    para: Vec<Vec<String>>,
    width: f32,
    measure: &mut impl FnMut(&str) -> f32,
) -> Vec<Vec<String>> {
    let mut out = Vec::new();
    for line in para {
        let text = line.concat();
        if line.len() != 1 || measure(text.trim_end()) <= width {
            out.push(line);
            continue;
        }
        let mut piece = String::new();
        for c in text.chars() {
            let candidate = format!("{piece}{c}");
            if !piece.is_empty() && measure(candidate.trim_end()) > width {
                out.push(vec![std::mem::take(&mut piece)]);
            }
            piece.push(c);
        }
        out.push(vec![piece]);
    }
    out
}

/// Moves the last unit of the line before down when the last line would be
/// a single character and the move fits.
fn no_widow(
    mut para: Vec<Vec<String>>,
    width: f32,
    measure: &mut impl FnMut(&str) -> f32,
) -> Vec<Vec<String>> {
    let n = para.len();
    let last = para[n.saturating_sub(1)].concat();
    let letters = last.trim_end().chars().filter(|c| !is_closing(*c)).count();
    if n < 2 || letters != 1 || para[n - 2].len() < 3 {
        return para;
    }
    let moved = para[n - 2].last().cloned().unwrap_or_default();
    let last = format!("{moved}{}", para[n - 1].concat());
    if measure(last.trim_end()) <= width {
        para[n - 2].pop();
        para[n - 1].insert(0, moved);
    }
    para
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every character one unit wide.
    fn chars(s: &str) -> f32 {
        s.chars().count() as f32
    }

    #[test]
    fn no_line_starts_with_closing_or_ends_with_opening_punctuation() {
        let lines = break_lines("请各村于十一月底前完成清理，逐户（含空置房）检查。", 6.0, chars);
        for l in &lines {
            let first = l.chars().next().unwrap_or(' ');
            let last = l.chars().last().unwrap_or(' ');
            assert!(!is_closing(first) && !is_opening(last), "{lines:?}");
        }
        assert_eq!(
            lines.concat(),
            "请各村于十一月底前完成清理，逐户（含空置房）检查。"
        );
    }

    #[test]
    fn latin_runs_stay_whole_and_the_last_line_is_not_one_character() {
        let lines = break_lines("截至2026-11底共85.5%完成", 8.0, chars);
        assert!(lines.iter().any(|l| l.contains("2026-11")), "{lines:?}");
        let lines = break_lines("一二三四五六七", 6.0, chars);
        assert_eq!(lines, ["一二三四五", "六七"]);
        assert_eq!(break_lines("甲\n乙丙", 6.0, chars), ["甲", "乙丙"]);
        // A character and its full stop are a single character too.
        assert_eq!(
            break_lines("一二三四五六七。", 7.0, chars),
            ["一二三四五", "六七。"]
        );
    }

    #[test]
    fn a_unit_wider_than_the_line_is_cut_between_characters() {
        let lines = break_lines("abcdefghijkl", 5.0, chars);
        assert!(lines.iter().all(|l| chars(l) <= 5.0), "{lines:?}");
        assert_eq!(lines.concat(), "abcdefghijkl");
    }
}
