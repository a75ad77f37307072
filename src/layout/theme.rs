//! Colours of the three looks: normal boards, the red list and the black list.
//!
//! Red is honour (红榜 in red and gold, a rising rank in red); green marks a
//! fall, as on Chinese market boards; the black list is sober charcoal and white.

use crate::scene::Rgba;

/// The colours of one look.
#[derive(Clone, Debug, PartialEq)]
pub struct Palette {
    /// Behind everything the other colours do not cover.
    pub background: Rgba,
    /// The header band.
    pub header: Rgba,
    /// The slide title.
    pub title: Rgba,
    /// Body text (names, scores).
    pub text: Rgba,
    /// Secondary text: subtitle, column headings, a village's township, an unchanged rank.
    pub muted: Rgba,
    /// Every other table row, for reading across.
    pub stripe: Rgba,
    /// The rule under the header.
    pub rule: Rgba,
    /// The footer band.
    pub footer: Rgba,
}

/// Badge colours: background and text.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Badge {
    /// The badge's background.
    pub fill: Rgba,
    /// The badge's text.
    pub text: Rgba,
}

/// All colours the layout uses.
#[derive(Clone, Debug, PartialEq)]
pub struct Theme {
    /// Boards, notices and the idle slide.
    pub normal: Palette,
    /// Red lists (红榜): red and gold.
    pub red: Palette,
    /// Black lists (黑榜): charcoal and white.
    pub black: Palette,
    /// A rising rank (red by Chinese convention).
    pub up: Rgba,
    /// A falling rank (green by Chinese convention).
    pub down: Rgba,
    /// A unit new to the board.
    pub new: Rgba,
    /// Rank badges of places 1, 2 and 3.
    pub podium: [Badge; 3],
    /// Grade badges: top (一类, 标兵村), second (二类, 先进村), other.
    pub grades: [Badge; 3],
    /// The "data not updated" marker.
    pub stale: Badge,
    /// An emergency's page (紧急): dark amber, so that it is read as a
    /// warning and not as one more notice.
    pub warning: Palette,
    /// A banner (提示) over whatever plays: amber with dark text.
    pub banner: Badge,
    /// Charts: a sub-score bar, its weakest area's bar, the track behind
    /// bars (full marks), the board's mean marked on each bar.
    pub chart: ChartColors,
}

/// The colours of the 比学赶超 charts.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct ChartColors {
    /// A sub-score bar.
    pub bar: Rgba,
    /// The bar of a unit's weakest area (最需改进).
    pub weak: Rgba,
    /// The track a bar fills: full marks.
    pub track: Rgba,
    /// The board's mean, a tick across each bar.
    pub mean: Rgba,
    /// A trend line that is neither top three nor moved.
    pub line: Rgba,
}

impl Default for Theme {
    fn default() -> Self {
        let dark = Rgba::hex(0x1A1A1A);
        Theme {
            normal: Palette {
                background: Rgba::hex(0x0B1F3A),
                header: Rgba::hex(0x071528),
                title: Rgba::hex(0xFFD978),
                text: Rgba::hex(0xFFFFFF),
                muted: Rgba::hex(0xC5D3E8),
                stripe: Rgba::hex(0x11294A),
                rule: Rgba::hex(0xFFD978),
                footer: Rgba::hex(0x071528),
            },
            red: Palette {
                background: Rgba::hex(0x7A0E0E),
                header: Rgba::hex(0x5C0808),
                title: Rgba::hex(0xFFE08A),
                text: Rgba::hex(0xFFFFFF),
                muted: Rgba::hex(0xFFE3C4),
                stripe: Rgba::hex(0x6A0B0B),
                rule: Rgba::hex(0xE8B64C),
                footer: Rgba::hex(0x5C0808),
            },
            black: Palette {
                background: Rgba::hex(0x161616),
                header: Rgba::hex(0x0A0A0A),
                title: Rgba::hex(0xFFFFFF),
                text: Rgba::hex(0xF2F2F2),
                muted: Rgba::hex(0xC4C4C4),
                stripe: Rgba::hex(0x202020),
                rule: Rgba::hex(0x5A5A5A),
                footer: Rgba::hex(0x0A0A0A),
            },
            up: Rgba::hex(0xFF9C9C),
            down: Rgba::hex(0x7DEBA6),
            new: Rgba::hex(0xFFD978),
            podium: [
                Badge {
                    fill: Rgba::hex(0xF2C14E),
                    text: dark,
                },
                Badge {
                    fill: Rgba::hex(0xD5DCE6),
                    text: dark,
                },
                Badge {
                    fill: Rgba::hex(0xE0A070),
                    text: dark,
                },
            ],
            grades: [
                Badge {
                    fill: Rgba::hex(0xF2C14E),
                    text: dark,
                },
                Badge {
                    fill: Rgba::hex(0xA9D2FF),
                    text: dark,
                },
                Badge {
                    fill: Rgba::hex(0x2E4D78),
                    text: Rgba::hex(0xFFFFFF),
                },
            ],
            stale: Badge {
                fill: Rgba::hex(0xFFB300),
                text: dark,
            },
            // Amber is the colour of a warning on Chinese public signs
            // (预警); red would read as honour here.
            warning: Palette {
                background: Rgba::hex(0x3A2400),
                header: Rgba::hex(0x261700),
                title: Rgba::hex(0xFFC83D),
                text: Rgba::hex(0xFFFFFF),
                muted: Rgba::hex(0xFFE3A6),
                stripe: Rgba::hex(0x462C00),
                rule: Rgba::hex(0xFFB300),
                footer: Rgba::hex(0x261700),
            },
            banner: Badge {
                fill: Rgba::hex(0xFFB300),
                text: Rgba::hex(0x111111),
            },
            // Saturated enough to read on an LED wall in daylight; the
            // weakest area in the warning amber, never in red (red is
            // honour and a rising rank here).
            chart: ChartColors {
                bar: Rgba::hex(0x4FC3F7),
                weak: Rgba::hex(0xFFB74D),
                track: Rgba::hex(0x1E3A64),
                mean: Rgba::hex(0xFFFFFF),
                line: Rgba::hex(0x8FA8CC),
            },
        }
    }
}

impl Theme {
    /// The badge for a grade or title.
    pub fn grade_badge(&self, grade: &str) -> Badge {
        match grade {
            "一类" | "标兵村" | "优秀" => self.grades[0],
            "二类" | "先进村" | "良好" => self.grades[1],
            _ => self.grades[2],
        }
    }
}
