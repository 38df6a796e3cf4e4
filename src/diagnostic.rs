//! Problems found in course packs, with the place they were found.
//!
//! A [`Diagnostic`] names the file, line and column, carries the source line so it can be
//! shown with a caret under the problem, and may add a one-line hint that says how to fix
//! it. Everything taken from content is sanitised when the diagnostic is built.

use std::fmt;
use std::ops::Range;

use crate::text::{display_width, sanitize_line};

/// How bad a problem is: errors stop a course from loading; warnings do not.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Severity {
    /// Suspicious but legal content.
    Warning,
    /// Content kurs cannot use.
    Error,
}

/// A place in a file: 1-based line and column (in characters), with the line's text.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Location {
    /// 1-based line number.
    pub line: usize,
    /// 1-based column, counted in characters.
    pub column: usize,
    /// How many columns to underline (at least one).
    pub width: usize,
    /// The source line, sanitised, for display; a very long line is cut to a window
    /// around the problem, with `…` where it was cut.
    pub source_line: String,
    /// The 1-based character column of the problem within `source_line`.
    pub shown_column: usize,
}

/// How many characters of a source line are shown around the problem.
const WINDOW: usize = 100;

impl Location {
    /// The location of byte `range` in `source` (clamped to the source).
    #[must_use]
    pub fn from_range(source: &str, range: Range<usize>) -> Self {
        let start = floor_char_boundary(source, range.start.min(source.len()));
        let end = floor_char_boundary(source, range.end.clamp(start, source.len()));
        let line_start = source
            .get(..start)
            .and_then(|s| s.rfind('\n'))
            .map_or(0, |i| i + 1);
        let line_end = source
            .get(start..)
            .and_then(|s| s.find('\n'))
            .map_or(source.len(), |i| start + i);
        let line = source
            .get(..start)
            .map_or(0, |s| s.bytes().filter(|&b| b == b'\n').count())
            + 1;
        // A file with Windows line ends (a checkout with CRLF, an editor that writes
        // them): the `\r` before the line break is no column of the line.
        let before = source
            .get(line_start..start)
            .unwrap_or_default()
            .trim_end_matches('\r');
        let column = before.chars().count() + 1;
        let marked = source.get(start..end.min(line_end)).unwrap_or_default();
        let raw_line = source.get(line_start..line_end).unwrap_or_default();
        let full = sanitize_line(raw_line.trim_end_matches('\r'));
        let (source_line, shown_column) = window(&full, column);
        Self {
            line,
            column,
            width: display_width(&sanitize_line(marked)).clamp(1, WINDOW),
            source_line,
            shown_column,
        }
    }
}

/// At most [`WINDOW`] characters of `line` around `column`, with `…` marking cuts, and
/// the column within the window.
fn window(line: &str, column: usize) -> (String, usize) {
    let count = line.chars().count();
    if count <= WINDOW {
        return (line.to_owned(), column);
    }
    let start = column
        .saturating_sub(WINDOW / 3)
        .min(count.saturating_sub(WINDOW));
    let mut shown: String = line.chars().skip(start).take(WINDOW).collect();
    let mut shown_column = column - start;
    if start > 0 {
        shown.insert(0, '…');
        shown_column += 1;
    }
    if start + WINDOW < count {
        shown.push('…');
    }
    (shown, shown_column)
}

fn floor_char_boundary(s: &str, mut index: usize) -> usize {
    while index > 0 && !s.is_char_boundary(index) {
        index -= 1;
    }
    index
}

/// One problem in a course pack.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Diagnostic {
    /// Error or warning.
    pub severity: Severity,
    /// What is wrong, in one sentence (sanitised).
    pub message: String,
    /// The file, as the author would type it (sanitised).
    pub path: String,
    /// Where in the file, when known.
    pub location: Option<Location>,
    /// How to fix it, when a hint helps.
    pub hint: Option<String>,
}

impl Diagnostic {
    /// An error about a whole file.
    #[must_use]
    pub fn error(path: impl AsRef<str>, message: impl AsRef<str>) -> Self {
        Self::new(Severity::Error, path, message)
    }

    /// A warning about a whole file.
    #[must_use]
    pub fn warning(path: impl AsRef<str>, message: impl AsRef<str>) -> Self {
        Self::new(Severity::Warning, path, message)
    }

    fn new(severity: Severity, path: impl AsRef<str>, message: impl AsRef<str>) -> Self {
        Self {
            severity,
            message: sanitize_line(message.as_ref()),
            path: sanitize_line(path.as_ref()),
            location: None,
            hint: None,
        }
    }

    /// Points the diagnostic at byte `range` of `source` (the file's full text).
    #[must_use]
    pub fn at(mut self, source: &str, range: Range<usize>) -> Self {
        self.location = Some(Location::from_range(source, range));
        self
    }

    /// Points the diagnostic at byte `range` when there is one.
    #[must_use]
    pub fn at_opt(self, source: &str, range: Option<Range<usize>>) -> Self {
        match range {
            Some(range) => self.at(source, range),
            None => self,
        }
    }

    /// Adds a hint saying how to fix the problem.
    #[must_use]
    pub fn hint(mut self, hint: impl AsRef<str>) -> Self {
        self.hint = Some(sanitize_line(hint.as_ref()));
        self
    }

    /// Is this an error (as opposed to a warning)?
    #[must_use]
    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }

    /// `file:line:column`, or just the file when the place is unknown.
    #[must_use]
    pub fn place(&self) -> String {
        match &self.location {
            Some(l) => format!("{}:{}:{}", self.path, l.line, l.column),
            None => self.path.clone(),
        }
    }
}

impl fmt::Display for Diagnostic {
    /// Renders the diagnostic the way rustc does:
    ///
    /// ```text
    /// error: unknown field `anwser`
    ///   --> pack/01-basics/02-check.quiz.toml:12:1
    ///    |
    /// 12 | anwser = 72
    ///    | ^^^^^^
    ///    = hint: did you mean `answer`?
    /// ```
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let label = match self.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
        };
        writeln!(f, "{label}: {}", self.message)?;
        let gutter = self
            .location
            .as_ref()
            .map_or(1, |l| l.line.to_string().len());
        let pad = " ".repeat(gutter);
        writeln!(f, "{pad}--> {}", self.place())?;
        if let Some(l) = &self.location {
            let before: String = l
                .source_line
                .chars()
                .take(l.shown_column.saturating_sub(1))
                .collect();
            let indent = " ".repeat(display_width(&before));
            writeln!(f, "{pad} |")?;
            writeln!(f, "{} | {}", l.line, l.source_line)?;
            writeln!(f, "{pad} | {indent}{}", "^".repeat(l.width.min(80)))?;
        }
        if let Some(hint) = &self.hint {
            writeln!(f, "{pad} = hint: {hint}")?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn locations_count_lines_and_characters() {
        let src = "a = 1\nbé = 2\nc = 3";
        let at = Location::from_range(src, 10..11);
        assert_eq!((at.line, at.column), (2, 4));
        assert_eq!(at.source_line, "bé = 2");
        let end = Location::from_range(src, 100..200);
        assert_eq!(end.line, 3);
    }

    #[test]
    fn windows_line_ends_do_not_count_as_a_column() {
        // A problem at the end of a line (an unclosed string, say) in a CRLF file is at
        // the same column as in the LF file.
        let lf = "title = \"x\"\nprompt = \"open\nnext = 1\n";
        let crlf = lf.replace('\n', "\r\n");
        let end_lf = lf.find("open").unwrap_or(0) + 4;
        let end_crlf = crlf.find("open").unwrap_or(0) + 5;
        let (a, b) = (
            Location::from_range(lf, end_lf..end_lf),
            Location::from_range(&crlf, end_crlf..end_crlf),
        );
        assert_eq!((b.line, b.column), (a.line, a.column));
        assert_eq!(b.source_line, a.source_line);
    }

    #[test]
    fn long_lines_are_shown_as_a_window() {
        let src = format!("x = {}BAD{}", "a".repeat(5000), "b".repeat(5000));
        let d = Diagnostic::error("f.toml", "bad").at(&src, 5004..5007);
        let shown = d.to_string();
        assert!(shown.lines().all(|l| l.chars().count() < 130), "{shown}");
        let source = shown.lines().nth(3).unwrap_or_default();
        let caret = shown.lines().nth(4).unwrap_or_default();
        let at = |s: &str, pat: char| s.chars().position(|c| c == pat);
        assert_eq!(
            at(source, 'B'),
            at(caret, '^'),
            "the caret stays under the problem:\n{shown}"
        );
        assert!(shown.contains("f.toml:1:5005"));
    }

    #[test]
    fn display_shows_place_caret_and_hint() {
        let src = "title = \"x\"\nanwser = 72\n";
        let d = Diagnostic::error("q.quiz.toml", "unknown field `anwser`")
            .at(src, 12..18)
            .hint("did you mean `answer`?");
        let shown = d.to_string();
        assert_eq!(
            shown,
            "error: unknown field `anwser`\n --> q.quiz.toml:2:1\n  |\n2 | anwser = 72\n  | ^^^^^^\n  = hint: did you mean `answer`?\n"
        );
    }

    #[test]
    fn content_is_sanitised() {
        let src = "x = \"\u{1b}]52;c;AAAA\u{7}\"";
        let d = Diagnostic::error("e\u{1b}[2J.toml", "bad \u{9b}value").at(src, 0..1);
        let shown = d.to_string();
        assert!(!shown.chars().any(crate::text::is_forbidden_control));
    }
}
