//! pulldown-cmark events → [`Document`]: a small state machine with a container stack.

use std::borrow::Cow;
use std::collections::HashMap;

use pulldown_cmark::{Alignment, CowStr, Event, HeadingLevel, Parser, Tag, TagEnd};

use super::{
    Align, Block, Document, Footnote, Inlines, ListItem, MAX_DEPTH, Style, parser_options,
};
use crate::text::{has_forbidden_control, may_hold_controls, sanitize};

/// Parses Markdown into a [`Document`]. Never fails: anything unusual is shown as text.
#[must_use]
pub fn parse(markdown: &str) -> Document {
    let mut b = Builder::new();
    b.source_clean = is_clean(markdown);
    for event in Parser::new_ext(markdown, parser_options()) {
        b.event(event);
    }
    b.finish()
}

/// Parses Markdown like [`parse`], handing each top-level block to `sink` as soon as it is
/// complete instead of keeping it; returns the footnotes. The blocks are exactly those of
/// [`parse`]'s document, in order.
pub(super) fn parse_blocks(markdown: &str, mut sink: impl FnMut(&Block)) -> Vec<Footnote> {
    let mut b = Builder::new();
    b.lend = true;
    b.source_clean = is_clean(markdown);
    for event in Parser::new_ext(markdown, parser_options()) {
        b.event(event);
        // A block that reached the root is final: nothing is added to it later.
        if let Some(root) = b.stack.first_mut()
            && !root.blocks.is_empty()
        {
            let empty = b.spare.blocks.pop().unwrap_or_default();
            let mut blocks = std::mem::replace(&mut root.blocks, empty);
            for block in blocks.drain(..) {
                sink(&block);
                // The buffers were the builder's own, lent: it takes them back.
                b.spare.recycle(block);
            }
            b.spare.blocks.push(blocks);
        }
    }
    let doc = b.finish();
    for block in &doc.blocks {
        sink(block);
    }
    doc.footnotes
}

/// Has `markdown` neither a character [`sanitize`] removes nor a tab? Then text that
/// pulldown-cmark hands out as a slice of it needs no sanitising, one check for the whole
/// lesson instead of one per piece of text.
fn is_clean(markdown: &str) -> bool {
    !has_forbidden_control(markdown) && memchr::memchr(b'\t', markdown.as_bytes()).is_none()
}

/// The text collected in `inlines`, leaving it empty: when `lend`, the buffer itself,
/// replaced by a spare one; otherwise a copy at its size, the buffer being kept.
fn take_text(inlines: &mut Inlines, spare: &mut Spare, lend: bool) -> Inlines {
    if lend {
        let empty = spare.texts.pop().unwrap_or_default();
        std::mem::replace(inlines, empty)
    } else {
        inlines.take_exact()
    }
}

/// Empty buffers of blocks already laid out, to collect the next ones in (see
/// [`parse_blocks`]). Each pool keeps at most [`Spare::MAX`].
#[derive(Default)]
struct Spare {
    texts: Vec<Inlines>,
    blocks: Vec<Vec<Block>>,
    items: Vec<Vec<ListItem>>,
    rows: Vec<Vec<Inlines>>,
}

impl Spare {
    const MAX: usize = 256;

    /// Keeps the buffers of a block that was handed over and laid out.
    fn recycle(&mut self, block: Block) {
        match block {
            Block::Paragraph(text) | Block::Heading { text, .. } => self.keep_text(text),
            Block::Quote(blocks) => self.recycle_blocks(blocks),
            Block::List { mut items, .. } => {
                for item in items.drain(..) {
                    self.recycle_blocks(item.blocks);
                }
                keep(&mut self.items, items);
            }
            Block::Table { header, rows, .. } => {
                for mut row in std::iter::once(header).chain(rows) {
                    for text in row.drain(..) {
                        self.keep_text(text);
                    }
                    keep(&mut self.rows, row);
                }
            }
            Block::Code { .. } | Block::Rule => {}
        }
    }

    fn recycle_blocks(&mut self, mut blocks: Vec<Block>) {
        for block in blocks.drain(..) {
            self.recycle(block);
        }
        keep(&mut self.blocks, blocks);
    }

    fn keep_text(&mut self, mut text: Inlines) {
        text.clear();
        keep(&mut self.texts, text);
    }
}

/// Adds `item` (emptied) to `pool` unless it is full.
fn keep<T>(pool: &mut Vec<T>, item: T) {
    if pool.len() < Spare::MAX {
        pool.push(item);
    }
}

/// A block container being filled.
enum Container {
    Root,
    Quote,
    List {
        start: Option<u64>,
        items: Vec<ListItem>,
    },
    Item {
        task: Option<bool>,
    },
    Footnote {
        label: String,
    },
    /// A quote, list or item beyond the depth limit: its content goes to the parent.
    Flattened,
}

/// What inline text currently flows into. The text itself is collected in
/// [`Builder::inlines`], one leaf at a time.
enum Leaf {
    None,
    Paragraph,
    Heading(u8),
    Code,
    Table(TableState),
}

#[derive(Default)]
struct TableState {
    aligns: Vec<Align>,
    header: Vec<Inlines>,
    rows: Vec<Vec<Inlines>>,
    in_head: bool,
    /// A cell is open: its text is being collected.
    in_cell: bool,
}

struct Frame {
    container: Container,
    blocks: Vec<Block>,
}

struct Builder<'a> {
    stack: Vec<Frame>,
    leaf: Leaf,
    /// The text of the open leaf (paragraph, heading, code block or table cell). It is
    /// reused from leaf to leaf and copied out at its final size, so building a paragraph
    /// does not reallocate as it grows.
    inlines: Inlines,
    /// Counters of open inline styles.
    emphasis: u32,
    strong: u32,
    strike: u32,
    /// Open links: their destinations, to show after the text.
    links: Vec<CowStr<'a>>,
    /// Text of the innermost open link so far, to skip the address when it repeats it.
    link_text: String,
    /// File names of open images, shown after their alt text.
    images: Vec<String>,
    footnote_numbers: HashMap<String, usize>,
    footnotes: Vec<(String, Vec<Block>)>,
    /// Depth of real (not flattened) quote/list containers.
    depth: usize,
    /// Whether the whole source is free of controls and tabs (see [`is_clean`]).
    source_clean: bool,
    /// Whether blocks at the root are handed over at once (see [`parse_blocks`]): then
    /// their text is moved out of [`Self::inlines`] rather than copied, and the buffers
    /// come back in [`Self::spare`] once the block is laid out.
    lend: bool,
    spare: Spare,
}

impl<'a> Builder<'a> {
    fn new() -> Self {
        Self {
            stack: vec![Frame {
                container: Container::Root,
                blocks: Vec::new(),
            }],
            leaf: Leaf::None,
            inlines: Inlines::default(),
            emphasis: 0,
            strong: 0,
            strike: 0,
            links: Vec::new(),
            link_text: String::new(),
            images: Vec::new(),
            footnote_numbers: HashMap::new(),
            footnotes: Vec::new(),
            depth: 0,
            lend: false,
            spare: Spare::default(),
            source_clean: false,
        }
    }

    fn style(&self) -> Style {
        let mut s = Style::PLAIN;
        if self.emphasis > 0 {
            s = s | Style::EMPHASIS;
        }
        if self.strong > 0 {
            s = s | Style::STRONG;
        }
        if self.strike > 0 {
            s = s | Style::STRIKE;
        }
        if !self.links.is_empty() {
            s = s | Style::LINK;
        }
        if !self.images.is_empty() {
            s = s | Style::IMAGE;
        }
        s
    }

    #[allow(clippy::too_many_lines)] // the one exhaustive match is the index of constructs
    fn event(&mut self, event: Event<'a>) {
        match event {
            Event::Start(tag) => self.start(tag),
            Event::End(tag) => self.end(tag),
            Event::Text(text) => self.text(&text, Style::PLAIN),
            Event::Code(text) | Event::InlineMath(text) | Event::DisplayMath(text) => {
                self.text(&text, Style::CODE);
            }
            Event::Html(text) | Event::InlineHtml(text) => self.text(&text, Style::HTML),
            Event::FootnoteReference(label) => {
                let next = self.footnote_numbers.len() + 1;
                let number = *self
                    .footnote_numbers
                    .entry(label.to_string())
                    .or_insert(next);
                self.inline(&format!("[{number}]"), Style::FOOTNOTE);
            }
            Event::SoftBreak => {
                if matches!(self.leaf, Leaf::Paragraph | Leaf::Heading(_)) {
                    self.inlines.push_space();
                } else {
                    self.inline(" ", Style::PLAIN);
                }
            }
            Event::HardBreak => self.inline("\n", Style::PLAIN),
            Event::Rule => {
                self.close_leaf();
                self.push_block(Block::Rule);
            }
            Event::TaskListMarker(done) => {
                if let Some(Frame {
                    container: Container::Item { task },
                    ..
                }) = self.stack.last_mut()
                {
                    *task = Some(done);
                }
            }
        }
    }

    fn start(&mut self, tag: Tag<'a>) {
        match tag {
            Tag::Paragraph
            | Tag::HtmlBlock
            | Tag::DefinitionListTitle
            | Tag::DefinitionListDefinition => {
                self.close_leaf();
                self.leaf = Leaf::Paragraph;
            }
            Tag::Heading { level, .. } => {
                self.close_leaf();
                self.leaf = Leaf::Heading(heading_level(level));
            }
            Tag::CodeBlock(_) => {
                self.close_leaf();
                self.leaf = Leaf::Code;
            }
            Tag::BlockQuote(_) => self.open(Container::Quote),
            Tag::List(start) => {
                let items = self.spare.items.pop().unwrap_or_default();
                self.open(Container::List { start, items });
            }
            Tag::Item => self.open(Container::Item { task: None }),
            Tag::FootnoteDefinition(label) => {
                self.close_leaf();
                // Footnote definitions are collected at the root, whatever the nesting.
                self.stack.push(Frame {
                    container: Container::Footnote {
                        label: label.to_string(),
                    },
                    blocks: Vec::new(),
                });
            }
            Tag::Table(aligns) => {
                self.close_leaf();
                self.leaf = Leaf::Table(TableState {
                    aligns: aligns.iter().map(|a| align(*a)).collect(),
                    header: self.spare.rows.pop().unwrap_or_default(),
                    ..TableState::default()
                });
            }
            Tag::TableHead => {
                if let Leaf::Table(t) = &mut self.leaf {
                    t.in_head = true;
                }
            }
            Tag::TableRow => {
                if let Leaf::Table(t) = &mut self.leaf {
                    t.rows.push(self.spare.rows.pop().unwrap_or_default());
                }
            }
            Tag::TableCell => {
                if let Leaf::Table(t) = &mut self.leaf {
                    t.in_cell = true;
                    self.inlines.clear();
                }
            }
            Tag::Emphasis => self.emphasis += 1,
            Tag::Strong => self.strong += 1,
            Tag::Strikethrough => self.strike += 1,
            Tag::Superscript | Tag::Subscript | Tag::DefinitionList | Tag::MetadataBlock(_) => {}
            Tag::Link { dest_url, .. } => {
                self.links.push(dest_url);
                self.link_text.clear();
            }
            Tag::Image { dest_url, .. } => {
                let name = dest_url.rsplit('/').next().unwrap_or_default();
                self.images.push(sanitize(name).into_owned());
                self.inline("[image: ", Style::IMAGE);
            }
        }
    }

    fn end(&mut self, tag: TagEnd) {
        match tag {
            TagEnd::Paragraph
            | TagEnd::Heading(_)
            | TagEnd::CodeBlock
            | TagEnd::HtmlBlock
            | TagEnd::Table
            | TagEnd::DefinitionListTitle
            | TagEnd::DefinitionListDefinition => self.close_leaf(),
            TagEnd::BlockQuote(_) | TagEnd::List(_) | TagEnd::Item => self.close(),
            TagEnd::FootnoteDefinition => {
                self.close_leaf();
                if let Some(Frame {
                    container: Container::Footnote { label },
                    blocks,
                }) = self.stack.pop()
                {
                    self.footnotes.push((label, blocks));
                }
            }
            TagEnd::TableHead => {
                if let Leaf::Table(t) = &mut self.leaf {
                    t.in_head = false;
                }
            }
            TagEnd::TableCell => {
                if let Leaf::Table(t) = &mut self.leaf
                    && t.in_cell
                {
                    t.in_cell = false;
                    let cell = take_text(&mut self.inlines, &mut self.spare, self.lend);
                    if t.in_head {
                        t.header.push(cell);
                    } else if let Some(row) = t.rows.last_mut() {
                        row.push(cell);
                    }
                }
            }
            TagEnd::Emphasis => self.emphasis = self.emphasis.saturating_sub(1),
            TagEnd::Strong => self.strong = self.strong.saturating_sub(1),
            TagEnd::Strikethrough => self.strike = self.strike.saturating_sub(1),
            TagEnd::TableRow
            | TagEnd::Superscript
            | TagEnd::Subscript
            | TagEnd::DefinitionList
            | TagEnd::MetadataBlock(_) => {}
            TagEnd::Link => {
                let Some(url) = self.links.pop() else { return };
                // An address that is a slice of a clean source is clean.
                let url = if self.source_clean && matches!(url, CowStr::Borrowed(_)) {
                    Cow::Borrowed(&*url)
                } else {
                    sanitize(&url)
                };
                let shown = url.strip_prefix("mailto:").unwrap_or(&url);
                let repeats =
                    self.link_text.trim() == shown || url.is_empty() || url.starts_with('#');
                if !repeats {
                    self.inline(" (", Style::URL);
                    self.inline(&url, Style::URL);
                    self.inline(")", Style::URL);
                }
                self.link_text.clear();
            }
            TagEnd::Image => {
                let name = self.images.pop().unwrap_or_default();
                if name.is_empty() {
                    self.inline("]", Style::IMAGE);
                } else {
                    self.inline(&format!(" ({name})]"), Style::IMAGE);
                }
            }
        }
    }

    /// Content text: sanitised, tabs turned into spaces (outside code blocks).
    fn text(&mut self, text: &CowStr<'_>, extra: Style) {
        // Text that is a slice of a clean source is known to be clean; other text (from
        // entities, say) is looked at.
        let from_clean = self.source_clean && matches!(text, CowStr::Borrowed(_));
        let text: &str = text;
        // The common case first: clean text in a paragraph or heading, outside links.
        if from_clean
            && matches!(self.leaf, Leaf::Paragraph | Leaf::Heading(_))
            && self.links.is_empty()
        {
            let style = self.style() | extra;
            self.inlines.push(text, style);
            return;
        }
        // Most other text has neither controls nor tabs either: then it is used as it is.
        let plain = from_clean || !may_hold_controls(text);
        let clean = if plain {
            Cow::Borrowed(text)
        } else {
            sanitize(text)
        };
        if let Leaf::Code = self.leaf {
            self.inlines.text.push_str(&clean);
            return;
        }
        if !self.links.is_empty() {
            self.link_text.push_str(&clean);
        }
        let style = self.style() | extra;
        if !plain && clean.contains('\t') {
            self.inline(&clean.replace('\t', " "), style);
        } else {
            self.inline(&clean, style);
        }
    }

    /// Appends already-clean text to the current inline leaf, opening a paragraph when
    /// text arrives outside one (tight list items).
    fn inline(&mut self, text: &str, style: Style) {
        match &self.leaf {
            Leaf::Paragraph | Leaf::Heading(_) => self.inlines.push(text, style),
            Leaf::Table(t) => {
                if t.in_cell {
                    self.inlines.push(text, style);
                }
            }
            Leaf::Code => self.inlines.text.push_str(text),
            Leaf::None => {
                self.inlines.push(text, style);
                self.leaf = Leaf::Paragraph;
            }
        }
    }

    fn open(&mut self, container: Container) {
        self.close_leaf();
        let nests = matches!(container, Container::Quote | Container::List { .. });
        if nests && self.depth >= MAX_DEPTH {
            self.stack.push(Frame {
                container: Container::Flattened,
                blocks: self.spare.blocks.pop().unwrap_or_default(),
            });
            return;
        }
        if matches!(container, Container::Item { .. })
            && !matches!(
                self.stack.last().map(|f| &f.container),
                Some(Container::List { .. })
            )
        {
            // An item of a flattened list.
            self.stack.push(Frame {
                container: Container::Flattened,
                blocks: self.spare.blocks.pop().unwrap_or_default(),
            });
            return;
        }
        if nests {
            self.depth += 1;
        }
        self.stack.push(Frame {
            container,
            blocks: self.spare.blocks.pop().unwrap_or_default(),
        });
    }

    fn close(&mut self) {
        self.close_leaf();
        if self.stack.len() <= 1 {
            return;
        }
        let Some(frame) = self.stack.pop() else {
            return;
        };
        match frame.container {
            Container::Quote => {
                self.depth -= 1;
                self.push_block(Block::Quote(frame.blocks));
            }
            Container::List { start, items } => {
                self.depth -= 1;
                self.push_block(Block::List { start, items });
            }
            Container::Item { task } => {
                if let Some(Frame {
                    container: Container::List { items, .. },
                    ..
                }) = self.stack.last_mut()
                {
                    items.push(ListItem {
                        task,
                        blocks: frame.blocks,
                    });
                }
            }
            Container::Flattened => {
                for block in frame.blocks {
                    self.push_block(block);
                }
            }
            Container::Root | Container::Footnote { .. } => {
                // Not closed by quote/list/item ends: put it back.
                self.stack.push(frame);
            }
        }
    }

    fn close_leaf(&mut self) {
        let block = match std::mem::replace(&mut self.leaf, Leaf::None) {
            Leaf::None => return,
            Leaf::Paragraph => {
                if self.inlines.text.is_empty() {
                    self.inlines.clear();
                    return;
                }
                trim_trailing_newlines(&mut self.inlines);
                Block::Paragraph(self.leaf_text())
            }
            Leaf::Heading(level) => Block::Heading {
                level,
                text: self.leaf_text(),
            },
            Leaf::Code => {
                let lines = code_lines(&self.inlines.text);
                self.inlines.clear();
                Block::Code { lines }
            }
            Leaf::Table(t) => {
                // Text of a cell left open is dropped.
                self.inlines.clear();
                let columns = t.aligns.len().max(t.header.len());
                let mut aligns = t.aligns;
                aligns.resize(columns, Align::Left);
                Block::Table {
                    aligns,
                    header: t.header,
                    rows: t.rows,
                }
            }
        };
        self.push_block(block);
    }

    /// The text of the leaf being closed: moved out when the block goes straight to the
    /// caller (see [`Self::lend`]), otherwise copied at its size.
    fn leaf_text(&mut self) -> Inlines {
        take_text(&mut self.inlines, &mut self.spare, self.lend)
    }

    fn push_block(&mut self, block: Block) {
        if let Some(frame) = self.stack.last_mut() {
            frame.blocks.push(block);
        }
    }

    fn finish(mut self) -> Document {
        self.close_leaf();
        while self.stack.len() > 1 {
            let before = self.stack.len();
            self.close();
            if self.stack.len() == before {
                // A footnote left open: collect it.
                if let Some(Frame {
                    container: Container::Footnote { label },
                    blocks,
                }) = self.stack.pop()
                {
                    self.footnotes.push((label, blocks));
                }
            }
        }
        let blocks = self.stack.pop().map(|f| f.blocks).unwrap_or_default();
        let mut numbers = self.footnote_numbers;
        let mut footnotes: Vec<Footnote> = self
            .footnotes
            .into_iter()
            .map(|(label, blocks)| {
                let next = numbers.len() + 1;
                let number = *numbers.entry(label).or_insert(next);
                Footnote { number, blocks }
            })
            .collect();
        footnotes.sort_by_key(|f| f.number);
        Document { blocks, footnotes }
    }
}

fn trim_trailing_newlines(i: &mut Inlines) {
    while i.text.ends_with('\n') {
        i.text.pop();
        let len = i.text.len();
        if let Some((end, _)) = i.runs.last_mut() {
            *end = len;
        }
        if i.runs.last().is_some_and(|(end, _)| {
            i.runs.len() > 1
                && i.runs
                    .get(i.runs.len() - 2)
                    .is_some_and(|(prev, _)| prev == end)
        }) {
            i.runs.pop();
        }
    }
}

/// Splits code into lines, expanding tabs to the next multiple of 4 columns.
fn code_lines(code: &str) -> Vec<String> {
    let code = code.strip_suffix('\n').unwrap_or(code);
    code.split('\n')
        .map(|line| {
            if !line.contains('\t') {
                return line.to_owned();
            }
            let mut out = String::with_capacity(line.len() + 8);
            let mut column = 0;
            for c in line.chars() {
                if c == '\t' {
                    let n = 4 - column % 4;
                    out.extend(std::iter::repeat_n(' ', n));
                    column += n;
                } else {
                    out.push(c);
                    column += 1;
                }
            }
            out
        })
        .collect()
}

fn heading_level(level: HeadingLevel) -> u8 {
    match level {
        HeadingLevel::H1 => 1,
        HeadingLevel::H2 => 2,
        HeadingLevel::H3 => 3,
        HeadingLevel::H4 => 4,
        HeadingLevel::H5 => 5,
        HeadingLevel::H6 => 6,
    }
}

fn align(a: Alignment) -> Align {
    match a {
        Alignment::None | Alignment::Left => Align::Left,
        Alignment::Center => Align::Center,
        Alignment::Right => Align::Right,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn blocks_are_recognised() {
        let doc =
            parse("# Title\n\nSome *text*.\n\n> quoted\n\n- a\n- [x] b\n\n```\ncode\n```\n\n---\n");
        let kinds: Vec<&str> = doc
            .blocks
            .iter()
            .map(|b| match b {
                Block::Heading { .. } => "heading",
                Block::Paragraph(_) => "paragraph",
                Block::Quote(_) => "quote",
                Block::List { .. } => "list",
                Block::Code { .. } => "code",
                Block::Rule => "rule",
                Block::Table { .. } => "table",
            })
            .collect();
        assert_eq!(
            kinds,
            ["heading", "paragraph", "quote", "list", "code", "rule"]
        );
        let Some(Block::List { items, .. }) = doc.blocks.get(3) else {
            panic!("list")
        };
        assert_eq!(items.get(1).and_then(|i| i.task), Some(true));
    }

    #[test]
    fn links_show_their_address_once() {
        let doc = parse("[NCSC](https://ncsc.gov.uk) and <https://example.org>");
        let Some(Block::Paragraph(p)) = doc.blocks.first() else {
            panic!("paragraph")
        };
        assert_eq!(p.text, "NCSC (https://ncsc.gov.uk) and https://example.org");
    }

    #[test]
    fn images_become_placeholders() {
        let doc = parse("![A chart](assets/chart.png)");
        let Some(Block::Paragraph(p)) = doc.blocks.first() else {
            panic!("paragraph")
        };
        assert_eq!(p.text, "[image: A chart (chart.png)]");
    }

    #[test]
    fn control_characters_never_survive() {
        let doc = parse(
            "a\u{1b}[2J b\u{9b}c `x\u{7}` \u{1b}]8;;http://x\u{1b}\\\n\n```\n\u{1b}[31mred\n```",
        );
        let text = format!("{doc:?}");
        assert!(!text.contains('\u{1b}') && !text.contains('\u{9b}') && !text.contains('\u{7}'));
    }

    #[test]
    fn deep_nesting_is_flattened() {
        fn depth(blocks: &[Block]) -> usize {
            blocks
                .iter()
                .map(|b| match b {
                    Block::Quote(inner) => 1 + depth(inner),
                    Block::List { items, .. } => {
                        1 + items.iter().map(|i| depth(&i.blocks)).max().unwrap_or(0)
                    }
                    _ => 0,
                })
                .max()
                .unwrap_or(0)
        }
        let doc = parse(&(">".repeat(10_000) + " deep"));
        assert_eq!(depth(&doc.blocks), MAX_DEPTH);
        let mut lists = String::new();
        for i in 0..5000 {
            lists.push_str(&"  ".repeat(i));
            lists.push_str("- x\n");
        }
        assert!(depth(&parse(&lists).blocks) <= MAX_DEPTH);
    }

    #[test]
    fn footnotes_are_numbered_by_reference() {
        let doc = parse("A[^b] and B[^a].\n\n[^a]: Second.\n[^b]: First.\n");
        let numbers: Vec<usize> = doc.footnotes.iter().map(|f| f.number).collect();
        assert_eq!(numbers, [1, 2]);
        let Some(Block::Paragraph(p)) = doc.blocks.first() else {
            panic!("paragraph")
        };
        assert_eq!(p.text, "A[1] and B[2].");
    }

    #[test]
    fn tabs_are_expanded_in_code() {
        assert_eq!(code_lines("a\tb\n\tc\n"), ["a   b", "    c"]);
    }
}
