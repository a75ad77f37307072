//! What `rankwall check` says about a feed, in the catalogue's two
//! languages: the accepted line, what validation dropped and cleaned (each
//! finding through the feed catalogue), and the characters no font covers.
//! The CLI picks the language from `LANG` ([`Lang::from_env`]).

use super::messages::{feed_chinese, Lang};
use crate::feed::{uncovered_chars, Feed, Refusal, Report};
use std::fmt::Write as _;

/// The line an accepted document starts with.
pub fn accepted_line(location: &str, feed: &Feed, lang: Lang) -> String {
    let (boards, lists, notices) = (feed.boards.len(), feed.lists.len(), feed.notices.len());
    let (at, period) = (feed.generated_at.to_rfc3339(), &feed.period.label);
    match lang {
        Lang::En => format!(
            "accepted {location}: {boards} boards, {lists} lists, {notices} notices, generated at {at}, period {period}"
        ),
        Lang::Zh => format!(
            "已接受 {location}：{boards} 个榜单，{lists} 个名单，{notices} 条通知；生成于 {at}；期间：{period}"
        ),
    }
}

/// The line a refused document gets: the reason and its code.
pub fn refused_line(location: &str, refusal: &Refusal, lang: Lang) -> String {
    match lang {
        Lang::En => format!("REFUSED {location}: {refusal} [{}]", refusal.code()),
        Lang::Zh => format!(
            "拒绝 {location}：{}（{refusal}）[{}]",
            feed_chinese(&refusal.to_string()),
            refusal.code()
        ),
    }
}

/// What validation dropped and cleaned, and the characters no font covers.
pub fn report_findings(
    text: &mut String,
    feed: &Feed,
    report: &Report,
    covers: &dyn Fn(char) -> bool,
    lang: Lang,
) {
    let said = |message: &str| match lang {
        Lang::En => message.to_string(),
        Lang::Zh => feed_chinese(message),
    };
    let [dropped, cleaned, uncovered_title] = match lang {
        Lang::En => ["dropped", "cleaned", "characters no font covers"],
        Lang::Zh => ["丢弃", "清理", "字库缺字"],
    };
    let colon = if lang == Lang::Zh { "：" } else { ": " };
    for (title, findings) in [(dropped, &report.dropped), (cleaned, &report.cleaned)] {
        let _ = writeln!(text, "{title}{colon}{}", findings.len());
        for f in findings {
            let _ = writeln!(text, "  {}{colon}{}", f.path, said(&f.message));
        }
    }
    let uncovered = uncovered_chars(feed, covers);
    let _ = writeln!(text, "{uncovered_title}{colon}{}", uncovered.chars.len());
    for (c, (path, n)) in &uncovered.chars {
        let code = *c as u32;
        let _ = match lang {
            Lang::En => writeln!(text, "  {c} U+{code:04X}: {n} time(s), first at {path}"),
            Lang::Zh => writeln!(text, "  {c}（U+{code:04X}）：出现 {n} 次，首次在 {path}"),
        };
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[test]
    fn the_demo_feed_is_described_in_both_languages() {
        let (feed, report) = crate::feed::demo().unwrap();
        let en = accepted_line("demo", &feed, Lang::En);
        let zh = accepted_line("demo", &feed, Lang::Zh);
        assert!(en.starts_with("accepted demo: "), "{en}");
        assert!(zh.starts_with("已接受 demo：") && zh.contains("个榜单"), "{zh}");
        let mut text = String::new();
        report_findings(&mut text, &feed, &report, &|_| false, Lang::Zh);
        assert!(
            text.starts_with("丢弃：") && text.contains("字库缺字："),
            "{text}"
        );
        assert!(!text.contains("time(s)") && text.contains("出现"), "{text}");
    }
}
