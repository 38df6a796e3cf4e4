//! Markdown → a width-independent [`Document`] → wrapped, styled [`Lines`].
//!
//! [`parse`] turns pulldown-cmark events into blocks of styled text; it is the one place
//! where content becomes display text, and it removes every terminal control character
//! (via [`crate::text::sanitize`]). [`Document::lines`] lays the blocks out for a given
//! width, measuring by display width. Styles are semantic ([`Style`]): the terminal shell
//! maps them to colours with its theme, and `kurs show` maps them to ANSI codes.
//! [`render`] does both steps at once, a top-level block at a time.
//!
//! Nesting of quotes and lists deeper than [`limits::MAX_MARKDOWN_DEPTH`] is flattened, so
//! the document's depth — and the work of laying it out — stays bounded for any input.

mod build;
mod layout;

use std::fmt;

use compact_str::CompactString;
use pulldown_cmark::Options;

use crate::limits;

pub use build::parse;

/// The pulldown-cmark extensions kurs reads: tables, footnotes, strikethrough, task lists.
#[must_use]
pub fn parser_options() -> Options {
    Options::ENABLE_TABLES
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_TASKLISTS
}

/// Semantic styles of a piece of text, combined as bit flags.
#[derive(Clone, Copy, Default, PartialEq, Eq, Hash)]
pub struct Style(u16);

impl Style {
    /// Ordinary text.
    pub const PLAIN: Style = Style(0);
    /// `*emphasis*`.
    pub const EMPHASIS: Style = Style(1);
    /// `**strong**`.
    pub const STRONG: Style = Style(1 << 1);
    /// `~~struck~~`.
    pub const STRIKE: Style = Style(1 << 2);
    /// `` `inline code` `` and code blocks.
    pub const CODE: Style = Style(1 << 3);
    /// The text of a link.
    pub const LINK: Style = Style(1 << 4);
    /// The address shown after a link's text.
    pub const URL: Style = Style(1 << 5);
    /// A level-1 heading.
    pub const HEADING1: Style = Style(1 << 6);
    /// A level-2 heading.
    pub const HEADING2: Style = Style(1 << 7);
    /// A heading of level 3 or deeper.
    pub const HEADING3: Style = Style(1 << 8);
    /// Decoration added by the layout: bullets, quote bars, table rules, clip marks.
    pub const MARKER: Style = Style(1 << 9);
    /// Text inside a block quote.
    pub const QUOTE: Style = Style(1 << 10);
    /// Raw HTML, shown as text.
    pub const HTML: Style = Style(1 << 11);
    /// An image placeholder.
    pub const IMAGE: Style = Style(1 << 12);
    /// A footnote reference or label.
    pub const FOOTNOTE: Style = Style(1 << 13);
    /// A table's header cells.
    pub const TABLE_HEADER: Style = Style(1 << 14);

    /// Does this style include all of `other`?
    #[must_use]
    pub const fn contains(self, other: Style) -> bool {
        self.0 & other.0 == other.0
    }

    /// Both styles together.
    #[must_use]
    pub const fn union(self, other: Style) -> Style {
        Style(self.0 | other.0)
    }

    /// Is any heading flag set?
    #[must_use]
    pub const fn is_heading(self) -> bool {
        self.0 & (Self::HEADING1.0 | Self::HEADING2.0 | Self::HEADING3.0) != 0
    }
}

impl std::ops::BitOr for Style {
    type Output = Style;
    fn bitor(self, rhs: Style) -> Style {
        self.union(rhs)
    }
}

impl fmt::Debug for Style {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        const NAMES: [&str; 15] = [
            "emphasis", "strong", "strike", "code", "link", "url", "h1", "h2", "h3", "marker",
            "quote", "html", "image", "footnote", "th",
        ];
        let names: Vec<&str> = NAMES
            .iter()
            .enumerate()
            .filter(|(i, _)| self.0 & (1 << i) != 0)
            .map(|(_, n)| *n)
            .collect();
        if names.is_empty() {
            f.write_str("plain")
        } else {
            f.write_str(&names.join("+"))
        }
    }
}

/// A run of text with one style.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Span {
    /// The text (free of control characters). Short texts — most spans are a few
    /// words or a marker — are kept inline, without an allocation of their own.
    pub text: CompactString,
    /// Its style.
    pub style: Style,
}

/// One laid-out line, owning its spans (see [`Lines`] for many lines at once).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Line {
    /// The spans, left to right.
    pub spans: Vec<Span>,
}

impl Line {
    /// The line's text without styles.
    #[must_use]
    pub fn plain(&self) -> String {
        self.spans.iter().map(|s| s.text.as_str()).collect()
    }

    /// The line's width in terminal columns.
    #[must_use]
    pub fn width(&self) -> usize {
        self.spans
            .iter()
            .map(|s| crate::text::display_width(&s.text))
            .sum()
    }
}

/// Laid-out lines, stored together: the text of every line in one string and the styled
/// spans of every line in one list, so that laying out a long lesson allocates a few
/// growing buffers rather than a few values per line.
#[derive(Clone, Default, PartialEq, Eq)]
pub struct Lines {
    /// The text of all lines, one after the other.
    text: String,
    /// `(end, style)` of every span: a span is `text[end of the one before..end]`.
    spans: Vec<(usize, Style)>,
    /// For each complete line, the end of its spans in `spans`. Spans after the last end
    /// belong to the line being built.
    ends: Vec<usize>,
}

/// A piece of a line in [`Lines`]: text with one style.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct SpanRef<'a> {
    /// The text (free of control characters).
    pub text: &'a str,
    /// Its style.
    pub style: Style,
}

/// One line of [`Lines`].
#[derive(Clone, Copy)]
pub struct LineRef<'a> {
    /// The line's text.
    text: &'a str,
    /// Where the line's text starts in the text of all lines.
    start: usize,
    /// The line's spans, with ends counted in the text of all lines.
    spans: &'a [(usize, Style)],
}

impl<'a> LineRef<'a> {
    /// The line's text without styles.
    #[must_use]
    pub fn text(self) -> &'a str {
        self.text
    }

    /// The line's text without styles, as an owned string.
    #[must_use]
    pub fn plain(self) -> String {
        self.text.to_owned()
    }

    /// The line's width in terminal columns.
    #[must_use]
    pub fn width(self) -> usize {
        crate::text::display_width(self.text)
    }

    /// The spans, left to right.
    #[must_use]
    pub fn spans(self) -> impl DoubleEndedIterator<Item = SpanRef<'a>> + ExactSizeIterator {
        let LineRef { text, start, spans } = self;
        (0..spans.len()).map(move |i| {
            // Each span starts where the one before it ended.
            let from = i
                .checked_sub(1)
                .and_then(|before| spans.get(before))
                .map_or(start, |&(end, _)| end);
            let (to, style) = spans.get(i).copied().unwrap_or((from, Style::PLAIN));
            SpanRef {
                text: text.get(from - start..to - start).unwrap_or_default(),
                style,
            }
        })
    }

    /// A copy that owns its spans.
    #[must_use]
    pub fn to_line(self) -> Line {
        Line {
            spans: self
                .spans()
                .map(|s| Span {
                    text: CompactString::new(s.text),
                    style: s.style,
                })
                .collect(),
        }
    }
}

impl fmt::Debug for LineRef<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_list().entries(self.spans()).finish()
    }
}

impl PartialEq for LineRef<'_> {
    fn eq(&self, other: &Self) -> bool {
        self.spans().eq(other.spans())
    }
}

impl Lines {
    /// No lines.
    #[must_use]
    pub const fn new() -> Self {
        Self {
            text: String::new(),
            spans: Vec::new(),
            ends: Vec::new(),
        }
    }

    /// No lines, with room for those of about `bytes` of Markdown: the text is about as
    /// long, with a span every twenty bytes and a line every fifty or so in prose. Room
    /// made at once saves copying the buffers each time they grow.
    pub(crate) fn for_markdown(bytes: usize) -> Self {
        Self {
            text: String::with_capacity(bytes + bytes / 8),
            spans: Vec::with_capacity(bytes / 16),
            ends: Vec::with_capacity(bytes / 32),
        }
    }

    /// The number of complete lines.
    #[must_use]
    pub fn len(&self) -> usize {
        self.ends.len()
    }

    /// Whether there is no complete line.
    #[must_use]
    pub fn is_empty(&self) -> bool {
        self.ends.is_empty()
    }

    /// Line `index`, if there is one.
    #[must_use]
    pub fn get(&self, index: usize) -> Option<LineRef<'_>> {
        let end = *self.ends.get(index)?;
        let first = match index.checked_sub(1) {
            Some(before) => self.ends.get(before).copied().unwrap_or(0),
            None => 0,
        };
        let start = self.text_end(first);
        Some(LineRef {
            text: self.text.get(start..self.text_end(end)).unwrap_or_default(),
            start,
            spans: self.spans.get(first..end).unwrap_or_default(),
        })
    }

    /// Where the text of the first `spans` spans ends.
    fn text_end(&self, spans: usize) -> usize {
        spans
            .checked_sub(1)
            .and_then(|last| self.spans.get(last))
            .map_or(0, |&(end, _)| end)
    }

    /// The lines in order.
    #[must_use]
    pub fn iter(&self) -> Iter<'_> {
        Iter {
            lines: self,
            next: 0,
            end: self.len(),
        }
    }

    /// Copies of the lines that own their spans.
    #[must_use]
    pub fn to_vec(&self) -> Vec<Line> {
        self.iter().map(LineRef::to_line).collect()
    }

    /// The start of the spans of the line being built.
    fn open_start(&self) -> usize {
        self.ends.last().copied().unwrap_or(0)
    }

    /// The spans of the line being built.
    pub(crate) fn open_spans(&self) -> usize {
        self.spans.len() - self.open_start()
    }

    /// Appends `text` with `style` to the line being built, merging it with the last span
    /// when the style is the same.
    pub(crate) fn push_span(&mut self, text: &str, style: Style) {
        if text.is_empty() {
            return;
        }
        self.text.push_str(text);
        self.style_to(self.text.len(), style);
    }

    /// Appends several spans at once: `text`, whose `(end, style)` runs (ends counted
    /// from the start of `text`, increasing, the last at its end) give the styles.
    pub(crate) fn push_runs(&mut self, text: &str, runs: impl IntoIterator<Item = (usize, Style)>) {
        let base = self.push_text(text);
        for (end, style) in runs {
            self.style_to(base + end.min(text.len()), style);
        }
    }

    /// Appends `text` without styling it yet: [`Self::style_to`] must follow, up to its
    /// end. Returns where it starts.
    pub(crate) fn push_text(&mut self, text: &str) -> usize {
        let base = self.text.len();
        self.text.push_str(text);
        base
    }

    /// Gives `style` to the text after the last span up to `end`, merging with the last
    /// span of the line being built when the style is the same.
    pub(crate) fn style_to(&mut self, end: usize, style: Style) {
        let in_line = self.spans.len() > self.open_start();
        match self.spans.last_mut() {
            Some((last_end, _)) if in_line && *last_end >= end => {}
            Some((last_end, last_style)) if in_line && *last_style == style => *last_end = end,
            _ => self.spans.push((end, style)),
        }
    }

    /// Appends `n` plain spaces to the line being built.
    pub(crate) fn push_spaces(&mut self, n: usize) {
        let mut left = n;
        while left > 0 {
            let k = left.min(SPACES.len());
            self.push_span(SPACES.get(..k).unwrap_or_default(), Style::PLAIN);
            left -= k;
        }
    }

    /// Removes trailing white space from the last span of the line being built (and the
    /// span, when nothing else is left of it).
    pub(crate) fn trim_open_end(&mut self) {
        if self.open_spans() == 0 {
            return;
        }
        // The last span starts where the one before it (in this line or the last) ends.
        let start = self.text_end(self.spans.len() - 1);
        let trimmed = self.text.get(start..).map_or(0, |t| t.trim_end().len());
        self.text.truncate(start + trimmed);
        if trimmed == 0 {
            self.spans.pop();
        } else if let Some((end, _)) = self.spans.last_mut() {
            *end = start + trimmed;
        }
    }

    /// Completes the line being built (possibly empty).
    pub(crate) fn end_line(&mut self) {
        self.ends.push(self.spans.len());
    }

    /// Appends a copy of `line`.
    pub fn push(&mut self, line: &Line) {
        for span in &line.spans {
            self.push_span(&span.text, span.style);
        }
        self.end_line();
    }

    /// Appends a copy of `line`.
    pub fn push_ref(&mut self, line: LineRef<'_>) {
        for span in line.spans() {
            self.push_span(span.text, span.style);
        }
        self.end_line();
    }

    /// Removes every line, keeping the buffers.
    pub(crate) fn clear(&mut self) {
        self.text.clear();
        self.spans.clear();
        self.ends.clear();
    }
}

impl fmt::Debug for Lines {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_list().entries(self.iter()).finish()
    }
}

impl<'a> IntoIterator for &'a Lines {
    type Item = LineRef<'a>;
    type IntoIter = Iter<'a>;
    fn into_iter(self) -> Iter<'a> {
        self.iter()
    }
}

impl FromIterator<Line> for Lines {
    fn from_iter<I: IntoIterator<Item = Line>>(iter: I) -> Self {
        let mut lines = Lines::new();
        for line in iter {
            lines.push(&line);
        }
        lines
    }
}

/// The lines of [`Lines`] in order; skipping ahead costs nothing.
#[derive(Clone, Debug)]
pub struct Iter<'a> {
    lines: &'a Lines,
    next: usize,
    end: usize,
}

impl<'a> Iterator for Iter<'a> {
    type Item = LineRef<'a>;

    fn next(&mut self) -> Option<LineRef<'a>> {
        if self.next >= self.end {
            return None;
        }
        let line = self.lines.get(self.next);
        self.next += 1;
        line
    }

    fn nth(&mut self, n: usize) -> Option<LineRef<'a>> {
        self.next = self.next.saturating_add(n).min(self.end);
        self.next()
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        let left = self.end - self.next;
        (left, Some(left))
    }
}

impl DoubleEndedIterator for Iter<'_> {
    fn next_back(&mut self) -> Option<Self::Item> {
        if self.next >= self.end {
            return None;
        }
        self.end -= 1;
        self.lines.get(self.end)
    }
}

impl ExactSizeIterator for Iter<'_> {}

/// Text with styles: one string and the style of each byte range.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Inlines {
    /// All the text; `\n` marks a hard line break.
    pub text: String,
    /// `(end, style)`: the style of `text[previous end..end]`. Ends increase.
    pub runs: Vec<(usize, Style)>,
}

impl Inlines {
    /// Appends `text` with `style`, merging with the previous run when the style matches.
    pub fn push(&mut self, text: &str, style: Style) {
        if text.is_empty() {
            return;
        }
        self.text.push_str(text);
        let end = self.text.len();
        match self.runs.last_mut() {
            Some((last_end, last_style)) if *last_style == style => *last_end = end,
            _ => self.runs.push((end, style)),
        }
    }

    /// Appends a plain space (as `push(" ", Style::PLAIN)`, without copying a string).
    pub(crate) fn push_space(&mut self) {
        self.text.push(' ');
        let end = self.text.len();
        match self.runs.last_mut() {
            Some((last_end, Style::PLAIN)) => *last_end = end,
            _ => self.runs.push((end, Style::PLAIN)),
        }
    }

    /// `(text, style)` pieces in order.
    pub fn pieces(&self) -> impl Iterator<Item = (&str, Style)> {
        let mut start = 0;
        self.runs.iter().map(move |&(end, style)| {
            let piece = self.text.get(start..end).unwrap_or_default();
            start = end;
            (piece, style)
        })
    }

    /// Empties the text and runs, keeping their buffers.
    pub(crate) fn clear(&mut self) {
        self.text.clear();
        self.runs.clear();
    }

    /// A copy allocated at its exact size, leaving `self` empty with its buffers kept (for
    /// a scratch value that is filled again and again).
    pub(crate) fn take_exact(&mut self) -> Inlines {
        let copy = Inlines {
            text: self.text.as_str().to_owned(),
            runs: self.runs.as_slice().to_vec(),
        };
        self.clear();
        copy
    }

    /// Is there no visible text?
    #[must_use]
    pub fn is_blank(&self) -> bool {
        self.text.trim().is_empty()
    }
}

/// Column alignment of a table.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Align {
    /// Left (the default).
    Left,
    /// Centred.
    Center,
    /// Right.
    Right,
}

/// A block of a document.
#[derive(Clone, Debug, PartialEq)]
pub enum Block {
    /// A paragraph (also tight list text and HTML blocks).
    Paragraph(Inlines),
    /// A heading of `level` 1–6.
    Heading {
        /// 1 to 6.
        level: u8,
        /// The heading text.
        text: Inlines,
    },
    /// A fenced or indented code block: never wrapped, clipped at the width.
    Code {
        /// The lines, tabs expanded.
        lines: Vec<String>,
    },
    /// A block quote.
    Quote(Vec<Block>),
    /// A bullet or numbered list.
    List {
        /// The first number of a numbered list.
        start: Option<u64>,
        /// The items.
        items: Vec<ListItem>,
    },
    /// A table.
    Table {
        /// One per column.
        aligns: Vec<Align>,
        /// Header cells.
        header: Vec<Inlines>,
        /// Body rows.
        rows: Vec<Vec<Inlines>>,
    },
    /// A horizontal rule.
    Rule,
}

/// An item of a list.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct ListItem {
    /// `Some(done)` for task list items.
    pub task: Option<bool>,
    /// The item's content.
    pub blocks: Vec<Block>,
}

/// A footnote definition, numbered in order of first reference.
#[derive(Clone, Debug, PartialEq)]
pub struct Footnote {
    /// The number shown.
    pub number: usize,
    /// Its content.
    pub blocks: Vec<Block>,
}

/// A parsed Markdown document, independent of any width.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Document {
    /// The blocks in order.
    pub blocks: Vec<Block>,
    /// Footnotes, shown after the blocks.
    pub footnotes: Vec<Footnote>,
}

/// How to lay out a document.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct RenderOptions {
    /// The width in terminal columns (at least 1 is used).
    pub width: usize,
    /// Use only ASCII for decoration (bullets, rules, table borders).
    pub ascii: bool,
}

impl RenderOptions {
    /// Unicode decoration at `width`.
    #[must_use]
    pub fn new(width: usize) -> Self {
        Self {
            width,
            ascii: false,
        }
    }
}

impl Document {
    /// Lays the document out in lines of at most `options.width` columns.
    #[must_use]
    pub fn lines(&self, options: RenderOptions) -> Lines {
        layout::layout(self, options)
    }
}

/// A document's lines, laid out a part at a time: enough for the first screen of a long
/// lesson now, the rest later. The lines are exactly those of [`Document::lines`].
#[derive(Debug)]
pub struct Progressive {
    layout: layout::Layout,
    /// The next top-level block to lay out.
    next: usize,
    /// Lines to add after the document's.
    tail: Lines,
    complete: bool,
}

impl Progressive {
    /// Nothing laid out yet.
    #[must_use]
    pub fn new(options: RenderOptions) -> Self {
        Self::with_tail(options, Lines::new())
    }

    /// Nothing laid out yet; `tail` follows the document's lines once they are complete.
    #[must_use]
    pub fn with_tail(options: RenderOptions, tail: Lines) -> Self {
        Self {
            layout: layout::Layout::new(options),
            next: 0,
            tail,
            complete: false,
        }
    }

    /// Lays out `doc`'s blocks until there are at least `lines` lines or all are done.
    /// `doc` must be the same document each time.
    pub fn extend(&mut self, doc: &Document, lines: usize) {
        while !self.complete && self.layout.lines().len() < lines {
            if let Some(block) = doc.blocks.get(self.next) {
                self.layout.block(block);
                self.next += 1;
            } else {
                self.layout.footnotes(&doc.footnotes);
                for line in &self.tail {
                    self.layout.push(line);
                }
                self.tail = Lines::new();
                self.complete = true;
            }
        }
    }

    /// Lays out the rest of `doc`.
    pub fn complete(&mut self, doc: &Document) {
        self.extend(doc, usize::MAX);
    }

    /// Whether every line is laid out.
    #[must_use]
    pub fn is_complete(&self) -> bool {
        self.complete
    }

    /// The lines laid out so far.
    #[must_use]
    pub fn lines(&self) -> &Lines {
        self.layout.lines()
    }
}

/// Wraps plain text (not Markdown) to `width` columns, by display width. The text is
/// sanitised like any content.
#[must_use]
pub fn wrap_plain(text: &str, width: usize) -> Vec<String> {
    let mut inlines = Inlines::default();
    inlines.push(
        &crate::text::sanitize(text).replace('\t', " "),
        Style::PLAIN,
    );
    let doc = Document {
        blocks: vec![Block::Paragraph(inlines)],
        footnotes: Vec::new(),
    };
    doc.lines(RenderOptions::new(width))
        .iter()
        .map(LineRef::plain)
        .collect()
}

/// Parses `markdown` and lays it out: the two steps in one call.
///
/// The result is that of `parse(markdown).lines(options)`, but each top-level block is
/// laid out as soon as it is parsed and then dropped, so the whole document is never held
/// in memory at once.
#[must_use]
pub fn render(markdown: &str, options: RenderOptions) -> Lines {
    let mut layout = layout::Layout::with_room(options, Lines::for_markdown(markdown.len()));
    let footnotes = build::parse_blocks(markdown, |block| layout.block(block));
    layout.finish(&footnotes)
}

/// Spaces to copy padding and indentation from.
const SPACES: &str = "                                                                ";

/// The deepest nesting kept; see the module docs.
pub(crate) const MAX_DEPTH: usize = limits::MAX_MARKDOWN_DEPTH;
