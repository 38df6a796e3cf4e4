//! Colours and symbols as data: a [`Theme`] of styles and a set of [`Symbols`].
//!
//! State is never shown by colour alone: every status has a symbol (and, in lists, a
//! word), so the `mono` theme loses nothing but colour.

use ratatui::style::{Color, Modifier, Style};

use crate::markdown::Style as Md;

/// The styles of the interface.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Theme {
    /// The theme's name.
    pub name: &'static str,
    /// The background of the whole screen (`Reset` for the terminal's own).
    pub background: Color,
    /// Body text.
    pub text: Style,
    /// Secondary text (descriptions, hints).
    pub dim: Style,
    /// The top bar.
    pub header: Style,
    /// The bottom key bar.
    pub bar: Style,
    /// Key names in the key bar.
    pub bar_key: Style,
    /// Key names in help texts.
    pub key: Style,
    /// The selected row.
    pub selected: Style,
    /// Titles and emphasis in the interface.
    pub accent: Style,
    /// Right answers, done items.
    pub good: Style,
    /// Wrong answers, errors.
    pub bad: Style,
    /// Warnings, locked items.
    pub warn: Style,
    /// Level-1 and -2 headings in lessons.
    pub heading: Style,
    /// Smaller headings.
    pub subheading: Style,
    /// Code.
    pub code: Style,
    /// Link text.
    pub link: Style,
    /// Decoration (bullets, rules, quote bars).
    pub marker: Style,
    /// Borders of panels.
    pub border: Style,
}

/// The colours a theme is made of.
struct Palette {
    background: Color,
    text: Color,
    dim: Color,
    accent: Color,
    good: Color,
    bad: Color,
    warn: Color,
    code: Color,
    marker: Color,
    header: (Color, Color),
    bar: (Color, Color),
    bar_key: Color,
    selected: (Color, Color),
}

const fn rgb(hex: u32) -> Color {
    let [_, r, g, b] = hex.to_be_bytes();
    Color::Rgb(r, g, b)
}

impl Theme {
    /// The names of the themes, the default first.
    pub const NAMES: [&'static str; 4] = ["dark", "light", "high-contrast", "mono"];

    /// The theme called `name`.
    #[must_use]
    pub fn by_name(name: &str) -> Option<Self> {
        match name {
            "dark" => Some(Self::dark()),
            "light" => Some(Self::light()),
            "high-contrast" => Some(Self::high_contrast()),
            "mono" => Some(Self::mono()),
            _ => None,
        }
    }

    /// The theme after this one in [`Theme::NAMES`] (for switching with a key).
    #[must_use]
    pub fn next(&self) -> Self {
        let i = Self::NAMES
            .iter()
            .position(|n| *n == self.name)
            .unwrap_or(0);
        let name = Self::NAMES
            .get((i + 1) % Self::NAMES.len())
            .copied()
            .unwrap_or("dark");
        Self::by_name(name).unwrap_or_else(Self::dark)
    }

    /// Light text on a dark background (the default). Every text colour has a contrast
    /// of at least 4.5:1 against its background (WCAG 2.2 AA).
    #[must_use]
    pub fn dark() -> Self {
        Self::from_palette(
            "dark",
            &Palette {
                background: rgb(0x1e_1e_1e),
                text: rgb(0xe6_e6_e6),
                dim: rgb(0xb0_b0_b0),
                accent: rgb(0x87_ce_fa),
                good: rgb(0x87_e0_87),
                bad: rgb(0xff_a0_a0),
                warn: rgb(0xff_d7_5f),
                code: rgb(0xff_d7_87),
                marker: rgb(0x9a_9a_9a),
                header: (rgb(0xff_ff_ff), rgb(0x1f_3a_5f)),
                bar: (rgb(0xe6_e6_e6), rgb(0x30_30_30)),
                bar_key: rgb(0xff_d7_5f),
                selected: (rgb(0x00_00_00), rgb(0x87_ce_fa)),
            },
        )
    }

    /// Dark text on a white background, for light terminals and bright rooms (contrast
    /// at least 4.5:1).
    #[must_use]
    pub fn light() -> Self {
        Self::from_palette(
            "light",
            &Palette {
                background: rgb(0xff_ff_ff),
                text: rgb(0x1a_1a_1a),
                dim: rgb(0x55_55_55),
                accent: rgb(0x0b_4f_8a),
                good: rgb(0x1a_6b_1a),
                bad: rgb(0xa8_00_1e),
                warn: rgb(0x7a_4a_00),
                code: rgb(0x6b_36_00),
                marker: rgb(0x6a_6a_6a),
                header: (rgb(0xff_ff_ff), rgb(0x0b_4f_8a)),
                bar: (rgb(0x1a_1a_1a), rgb(0xe4_e4_e4)),
                bar_key: rgb(0x0b_4f_8a),
                selected: (rgb(0xff_ff_ff), rgb(0x0b_4f_8a)),
            },
        )
    }

    /// White and bright colours on black, every pair with a contrast of at least 7:1
    /// (WCAG 2.2 AAA), for low vision.
    #[must_use]
    pub fn high_contrast() -> Self {
        Self::from_palette(
            "high-contrast",
            &Palette {
                background: rgb(0x00_00_00),
                text: rgb(0xff_ff_ff),
                dim: rgb(0xe0_e0_e0),
                accent: rgb(0x00_ff_ff),
                good: rgb(0x00_ff_00),
                bad: rgb(0xff_90_90),
                warn: rgb(0xff_ff_00),
                code: rgb(0xff_ff_00),
                marker: rgb(0xc8_c8_c8),
                header: (rgb(0x00_00_00), rgb(0xff_ff_00)),
                bar: (rgb(0x00_00_00), rgb(0xff_ff_ff)),
                bar_key: rgb(0x00_00_00),
                selected: (rgb(0x00_00_00), rgb(0x00_ff_ff)),
            },
        )
    }

    fn from_palette(name: &'static str, p: &Palette) -> Self {
        let on = |fg: Color| Style::new().fg(fg).bg(p.background);
        Self {
            name,
            background: p.background,
            text: on(p.text),
            dim: on(p.dim),
            header: Style::new()
                .fg(p.header.0)
                .bg(p.header.1)
                .add_modifier(Modifier::BOLD),
            bar: Style::new().fg(p.bar.0).bg(p.bar.1),
            bar_key: Style::new()
                .fg(p.bar_key)
                .bg(p.bar.1)
                .add_modifier(Modifier::BOLD),
            key: on(p.accent).add_modifier(Modifier::BOLD),
            selected: Style::new().fg(p.selected.0).bg(p.selected.1),
            accent: on(p.accent).add_modifier(Modifier::BOLD),
            good: on(p.good),
            bad: on(p.bad),
            warn: on(p.warn),
            heading: on(p.accent).add_modifier(Modifier::BOLD),
            subheading: on(p.text).add_modifier(Modifier::BOLD),
            code: on(p.code),
            link: on(p.accent).add_modifier(Modifier::UNDERLINED),
            marker: on(p.marker),
            border: on(p.marker),
        }
    }

    /// No colours at all: only bold, underline and reverse video, on the terminal's own
    /// colours. Used when `NO_COLOR` is set or the terminal has no colour.
    #[must_use]
    pub fn mono() -> Self {
        let plain = Style::new();
        Self {
            name: "mono",
            background: Color::Reset,
            text: plain,
            dim: plain,
            header: plain.add_modifier(Modifier::REVERSED | Modifier::BOLD),
            bar: plain.add_modifier(Modifier::REVERSED),
            bar_key: plain.add_modifier(Modifier::REVERSED | Modifier::BOLD),
            key: plain.add_modifier(Modifier::BOLD),
            selected: plain.add_modifier(Modifier::REVERSED),
            accent: plain.add_modifier(Modifier::BOLD),
            good: plain,
            bad: plain.add_modifier(Modifier::BOLD),
            warn: plain.add_modifier(Modifier::BOLD),
            heading: plain.add_modifier(Modifier::BOLD | Modifier::UNDERLINED),
            subheading: plain.add_modifier(Modifier::BOLD),
            code: plain,
            link: plain.add_modifier(Modifier::UNDERLINED),
            marker: plain,
            border: plain,
        }
    }

    /// Every style that shows text, with its name, for contrast checks.
    #[must_use]
    pub fn text_styles(&self) -> Vec<(&'static str, Style)> {
        vec![
            ("text", self.text),
            ("dim", self.dim),
            ("header", self.header),
            ("bar", self.bar),
            ("bar_key", self.bar_key),
            ("key", self.key),
            ("selected", self.selected),
            ("accent", self.accent),
            ("good", self.good),
            ("bad", self.bad),
            ("warn", self.warn),
            ("heading", self.heading),
            ("subheading", self.subheading),
            ("code", self.code),
            ("link", self.link),
            ("marker", self.marker),
        ]
    }

    /// The style for lesson text with semantic style `md`.
    #[must_use]
    pub fn markdown(&self, md: Md) -> Style {
        let mut style = self.text;
        if md.contains(Md::HEADING1) || md.contains(Md::HEADING2) {
            style = self.heading;
        } else if md.contains(Md::HEADING3) || md.contains(Md::TABLE_HEADER) {
            style = self.subheading;
        } else if md.contains(Md::CODE) {
            style = self.code;
        } else if md.contains(Md::MARKER) || md.contains(Md::URL) || md.contains(Md::HTML) {
            style = self.marker;
        } else if md.contains(Md::LINK) {
            style = self.link;
        } else if md.contains(Md::IMAGE) || md.contains(Md::FOOTNOTE) {
            style = self.accent;
        }
        if md.contains(Md::STRONG) {
            style = style.add_modifier(Modifier::BOLD);
        }
        if md.contains(Md::EMPHASIS) || md.contains(Md::QUOTE) {
            style = style.add_modifier(Modifier::ITALIC);
        }
        if md.contains(Md::STRIKE) {
            style = style.add_modifier(Modifier::CROSSED_OUT);
        }
        style
    }
}

/// The WCAG 2.2 relative luminance of an RGB colour (0 for black, 1 for white).
#[must_use]
pub fn luminance(color: Color) -> Option<f64> {
    let Color::Rgb(r, g, b) = color else {
        return None;
    };
    let channel = |c: u8| {
        let c = f64::from(c) / 255.0;
        if c <= 0.040_45 {
            c / 12.92
        } else {
            ((c + 0.055) / 1.055).powf(2.4)
        }
    };
    Some(0.2126 * channel(r) + 0.7152 * channel(g) + 0.0722 * channel(b))
}

/// The WCAG 2.2 contrast ratio of two RGB colours (1 to 21).
#[must_use]
pub fn contrast(a: Color, b: Color) -> Option<f64> {
    let (la, lb) = (luminance(a)?, luminance(b)?);
    let (light, dark) = if la > lb { (la, lb) } else { (lb, la) };
    Some((light + 0.05) / (dark + 0.05))
}

/// The symbols of the interface, in Unicode or plain ASCII.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Symbols {
    /// Whether these are the ASCII fallbacks.
    pub ascii: bool,
    /// A done item.
    pub done: &'static str,
    /// An item in progress.
    pub in_progress: &'static str,
    /// An item not started.
    pub not_started: &'static str,
    /// A locked module or item.
    pub locked: &'static str,
    /// An item or course with errors.
    pub broken: &'static str,
    /// A chosen radio option.
    pub radio_on: &'static str,
    /// An unchosen radio option.
    pub radio_off: &'static str,
    /// A ticked box.
    pub check_on: &'static str,
    /// An unticked box.
    pub check_off: &'static str,
    /// The marker of the selected row.
    pub pointer: &'static str,
    /// A right answer.
    pub right: &'static str,
    /// A wrong answer.
    pub wrong: &'static str,
    /// Part right.
    pub partly: &'static str,
    /// Between a matched pair.
    pub pairs_with: &'static str,
    /// A filled gauge cell.
    pub gauge_full: &'static str,
    /// An empty gauge cell.
    pub gauge_empty: &'static str,
    /// Separator in bars.
    pub dot: &'static str,
}

impl Symbols {
    /// Unicode symbols.
    pub const UNICODE: Symbols = Symbols {
        ascii: false,
        done: "✓",
        in_progress: "●",
        not_started: "○",
        locked: "🔒",
        broken: "⚠",
        radio_on: "(•)",
        radio_off: "( )",
        check_on: "[x]",
        check_off: "[ ]",
        pointer: "▶",
        right: "✓",
        wrong: "✗",
        partly: "◐",
        pairs_with: "→",
        gauge_full: "█",
        gauge_empty: "░",
        dot: "·",
    };

    /// ASCII fallbacks for terminals that cannot show the Unicode ones.
    pub const ASCII: Symbols = Symbols {
        ascii: true,
        done: "[x]",
        in_progress: "[~]",
        not_started: "[ ]",
        locked: "[#]",
        broken: "[!]",
        radio_on: "(*)",
        radio_off: "( )",
        check_on: "[x]",
        check_off: "[ ]",
        pointer: ">",
        right: "OK",
        wrong: "X",
        partly: "~",
        pairs_with: "->",
        gauge_full: "#",
        gauge_empty: "-",
        dot: "|",
    };

    /// Unicode unless the environment says the terminal cannot show it: `TERM=dumb` or
    /// `linux` (the console), a locale that is not UTF-8, `KURS_ASCII=1`, or — on
    /// Windows — the classic console (no `WT_SESSION`, so not Windows Terminal), whose
    /// fonts lack ✓ ◐ 🔒 and show them as boxes.
    #[must_use]
    pub fn detect(env: impl Fn(&str) -> Option<String>) -> Symbols {
        Self::detect_on(env, cfg!(windows))
    }

    /// [`Symbols::detect`] for a system that is (`windows`) or is not Windows: a pure
    /// function of the environment, tested on every system.
    #[must_use]
    pub fn detect_on(env: impl Fn(&str) -> Option<String>, windows: bool) -> Symbols {
        if env("KURS_ASCII").is_some_and(|v| !v.is_empty() && v != "0") {
            return Symbols::ASCII;
        }
        if windows {
            let windows_terminal = env("WT_SESSION").is_some_and(|v| !v.is_empty());
            return if windows_terminal {
                Symbols::UNICODE
            } else {
                Symbols::ASCII
            };
        }
        if env("TERM").is_some_and(|t| t == "dumb" || t == "linux") {
            return Symbols::ASCII;
        }
        let locale = env("LC_ALL")
            .filter(|v| !v.is_empty())
            .or_else(|| env("LC_CTYPE").filter(|v| !v.is_empty()))
            .or_else(|| env("LANG").filter(|v| !v.is_empty()));
        match locale {
            Some(l) => {
                let l = l.to_ascii_lowercase();
                if l.contains("utf-8") || l.contains("utf8") {
                    Symbols::UNICODE
                } else {
                    Symbols::ASCII
                }
            }
            None => Symbols::UNICODE,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ascii_where_unicode_cannot_show() {
        let env = crate::test_support::env;
        assert!(!Symbols::detect(env(&[("LANG", "de_DE.UTF-8")])).ascii);
        assert!(Symbols::detect(env(&[("LANG", "C")])).ascii);
        assert!(Symbols::detect(env(&[("TERM", "dumb"), ("LANG", "en_US.UTF-8")])).ascii);
        assert!(Symbols::detect(env(&[("KURS_ASCII", "1")])).ascii);
        assert!(!Symbols::detect(env(&[])).ascii);
        // Windows: Windows Terminal has the glyphs, the classic console does not (and
        // Windows sets no LANG to go by).
        assert!(!Symbols::detect_on(env(&[("WT_SESSION", "a1b2")]), true).ascii);
        assert!(Symbols::detect_on(env(&[]), true).ascii);
        assert!(
            Symbols::detect_on(env(&[("WT_SESSION", "a1b2"), ("KURS_ASCII", "1")]), true).ascii
        );
    }

    #[test]
    fn contrast_of_black_and_white_is_21() {
        let ratio = contrast(Color::Rgb(0, 0, 0), Color::Rgb(255, 255, 255)).unwrap_or(0.0);
        assert!((ratio - 21.0).abs() < 1e-9);
        assert!(
            (contrast(Color::Rgb(0x77, 0x77, 0x77), Color::Rgb(255, 255, 255)).unwrap_or(0.0)
                - 4.48)
                .abs()
                < 0.01
        );
    }

    /// Every text style's contrast against its background, per theme.
    fn ratios(theme: &Theme) -> Vec<(&'static str, f64)> {
        theme
            .text_styles()
            .into_iter()
            .map(|(name, style)| {
                let fg = style.fg.unwrap_or(Color::Reset);
                let bg = style.bg.unwrap_or(theme.background);
                (name, contrast(fg, bg).unwrap_or(0.0))
            })
            .collect()
    }

    #[test]
    fn high_contrast_reaches_7_to_1_everywhere() {
        for (name, ratio) in ratios(&Theme::high_contrast()) {
            assert!(ratio >= 7.0, "high-contrast {name}: {ratio:.2}:1");
        }
    }

    #[test]
    fn light_and_dark_reach_4_5_to_1_everywhere() {
        for theme in [Theme::dark(), Theme::light()] {
            for (name, ratio) in ratios(&theme) {
                assert!(ratio >= 4.5, "{} {name}: {ratio:.2}:1", theme.name);
            }
        }
    }

    #[test]
    fn mono_uses_no_colour() {
        for (name, style) in Theme::mono().text_styles() {
            assert!(style.fg.is_none() && style.bg.is_none(), "{name}");
        }
    }

    #[test]
    fn themes_by_name_cycle() {
        let mut theme = Theme::dark();
        for expected in ["light", "high-contrast", "mono", "dark"] {
            theme = theme.next();
            assert_eq!(theme.name, expected);
        }
        assert!(Theme::by_name("neon").is_none());
    }

    #[test]
    fn every_ascii_symbol_is_ascii() {
        let s = Symbols::ASCII;
        for text in [
            s.done,
            s.in_progress,
            s.not_started,
            s.locked,
            s.broken,
            s.radio_on,
            s.pointer,
            s.right,
            s.wrong,
            s.partly,
            s.pairs_with,
            s.gauge_full,
            s.gauge_empty,
            s.dot,
        ] {
            assert!(text.is_ascii(), "{text}");
        }
    }
}
