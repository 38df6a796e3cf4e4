//! Styled lines → text for a terminal (ANSI SGR codes) or plain text.

use crate::markdown::{LineRef, Style};

/// The SGR parameters for a style; empty for plain text.
fn sgr(style: Style) -> String {
    let mut codes: Vec<&str> = Vec::new();
    if style.contains(Style::STRONG) || style.is_heading() || style.contains(Style::TABLE_HEADER) {
        codes.push("1");
    }
    if style.contains(Style::MARKER) || style.contains(Style::URL) || style.contains(Style::HTML) {
        codes.push("2");
    }
    if style.contains(Style::EMPHASIS) || style.contains(Style::QUOTE) {
        codes.push("3");
    }
    if style.contains(Style::LINK) {
        codes.push("4");
    }
    if style.contains(Style::STRIKE) {
        codes.push("9");
    }
    if style.contains(Style::HEADING1) || style.contains(Style::HEADING2) {
        codes.push("36");
    } else if style.contains(Style::CODE) {
        codes.push("33");
    } else if style.contains(Style::IMAGE) || style.contains(Style::FOOTNOTE) {
        codes.push("35");
    } else if style.contains(Style::LINK) {
        codes.push("34");
    }
    codes.join(";")
}

/// Renders `line` with ANSI styles (`color`) or as plain text. The text of a line is
/// already free of control characters; only the codes added here reach the terminal.
#[must_use]
pub fn render(line: LineRef<'_>, color: bool) -> String {
    let mut out = String::new();
    for span in line.spans() {
        let codes = if color {
            sgr(span.style)
        } else {
            String::new()
        };
        if codes.is_empty() {
            out.push_str(span.text);
        } else {
            out.push_str("\u{1b}[");
            out.push_str(&codes);
            out.push('m');
            out.push_str(span.text);
            out.push_str("\u{1b}[0m");
        }
    }
    let trimmed = out.trim_end_matches(' ').len();
    out.truncate(trimmed);
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::markdown::{RenderOptions, render as render_markdown};

    #[test]
    fn styles_become_sgr_codes_only_in_color() {
        let lines = render_markdown("**bold** and `code`", RenderOptions::new(40));
        let line = lines.get(0).expect("one line");
        assert_eq!(render(line, false), "bold and code");
        assert_eq!(
            render(line, true),
            "\u{1b}[1mbold\u{1b}[0m and \u{1b}[33mcode\u{1b}[0m"
        );
    }
}
