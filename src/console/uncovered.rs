//! The check a playlist gets before it is saved, beyond the config's own:
//! every character of an operator's message that no font the screens carry
//! can draw is an error naming that character, at the item's line, so a
//! message never reaches a public screen with a 〓 where a word should be.
//! (The feed's characters are the data office's, and are reported on the
//! 数据 page instead.)

use crate::config::Settings;
use crate::text::{FontOptions, Fonts};
use serde_json::{json, Value};

/// One message per character no bundled font covers, in the editor's form
/// (`severity`, `text`, `line`, `item`); none when the config writes no
/// message. Loads the fonts only when there is a message to check.
pub fn uncovered_in_messages(settings: &Settings, text: &str) -> Vec<Value> {
    if settings.messages.is_empty() && settings.banners.is_empty() {
        return Vec::new();
    }
    let fonts = match Fonts::load(&FontOptions::default()) {
        Ok(fonts) => fonts,
        Err(e) => {
            tracing::error!("console: the fonts: {e}");
            return vec![
                json!({"severity": "error", "text": "无法加载字体，未能检查消息中的字：请稍后再试。"}),
            ];
        }
    };
    let mut out = Vec::new();
    for message in settings.messages.iter().chain(&settings.banners) {
        let item = item_of(&message.id);
        let line = item.and_then(|i| item_line(text, i)).unwrap_or(1);
        let mut seen = Vec::new();
        for c in message.title.chars().chain(message.body.chars()) {
            if c.is_whitespace() || c.is_control() || fonts.covers(c) || seen.contains(&c) {
                continue;
            }
            seen.push(c);
            let said = format!(
                "第 {line} 行：错误：消息中的「{c}」（U+{:04X}）没有字体能显示，屏幕上会是〓（建议：换一个字或写法）",
                c as u32
            );
            out.push(json!({"severity": "error", "text": said, "line": line, "item": item}));
        }
    }
    out
}

/// The 0-based item of a message id `message.N`.
fn item_of(id: &str) -> Option<usize> {
    if !crate::config::is_message_id(id) {
        return None;
    }
    id.strip_prefix("message.")?.parse::<usize>().ok()?.checked_sub(1)
}

/// The line (1-based) of the `[[playlist]]` header of item `index`.
fn item_line(text: &str, index: usize) -> Option<usize> {
    text.lines()
        .enumerate()
        .filter(|(_, l)| l.trim_start().starts_with("[[playlist]]"))
        .nth(index)
        .map(|(n, _)| n + 1)
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[test]
    fn a_character_no_font_has_is_named_at_its_items_line() {
        let text = "[[playlist]]\nselect = { level = \"township\" }\n\n[[playlist]]\n\
                    message = { title = \"停水通知\", body = \"王\u{20000}华家门前 明日停水\" }\n";
        let settings = crate::config::parse("g.toml", text, None).settings.unwrap();
        let said = uncovered_in_messages(&settings, text);
        assert_eq!(said.len(), 1, "{said:?}");
        let s = said[0]["text"].as_str().unwrap();
        assert!(
            s.starts_with("第 4 行：错误：") && s.contains("\u{20000}") && s.contains("U+20000"),
            "{s}"
        );
        assert_eq!(said[0]["item"], 1);
        let plain = text.replace('\u{20000}', "");
        let settings = crate::config::parse("g.toml", &plain, None).settings.unwrap();
        assert!(uncovered_in_messages(&settings, &plain).is_empty());
    }
}
