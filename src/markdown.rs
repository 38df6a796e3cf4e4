//! Markdown → a width-independent [`Document`] → wrapped, styled [`Line`]s.
//!
//! [`parse`] turns pulldown-cmark events into blocks of styled text; it is the one place
//! where content becomes display text, and it removes every terminal control character
//! (via [`crate::text::sanitize`]). [`Document::lines`] lays the blocks out for a given
//! width, measuring by display width. Styles are semantic ([`Style`]): the terminal shell
//! maps them to colours with its theme, and `kurs show` maps them to ANSI codes.
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

/// One laid-out line.
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
    pub fn lines(&self, options: RenderOptions) -> Vec<Line> {
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
    tail: Vec<Line>,
    complete: bool,
}

impl Progressive {
    /// Nothing laid out yet.
    #[must_use]
    pub fn new(options: RenderOptions) -> Self {
        Self::with_tail(options, Vec::new())
    }

    /// Nothing laid out yet; `tail` follows the document's lines once they are complete.
    #[must_use]
    pub fn with_tail(options: RenderOptions, tail: Vec<Line>) -> Self {
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
                for line in std::mem::take(&mut self.tail) {
                    self.layout.push(line);
                }
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
    pub fn lines(&self) -> &[Line] {
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
        .map(Line::plain)
        .collect()
}

/// Parses `markdown` and lays it out: the two steps in one call.
///
/// The result is that of `parse(markdown).lines(options)`, but each top-level block is
/// laid out as soon as it is parsed and then dropped, so the whole document is never held
/// in memory at once.
#[must_use]
pub fn render(markdown: &str, options: RenderOptions) -> Vec<Line> {
    let mut layout = layout::Layout::new(options);
    let footnotes = build::parse_blocks(markdown, |block| layout.block(&block));
    layout.finish(&footnotes)
}

/// The deepest nesting kept; see the module docs.
pub(crate) const MAX_DEPTH: usize = limits::MAX_MARKDOWN_DEPTH;
