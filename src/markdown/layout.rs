//! [`Document`] → lines of at most a given width.
//!
//! Text wraps at spaces by display width; words longer than a line break between
//! grapheme clusters. Code is never wrapped: it is clipped and the cut is marked. Tables
//! fit their columns to the width and wrap inside cells; a table too wide for even three
//! columns per cell is shown as one "header: value" record per row. Every step is linear
//! in the size of the document.
//!
//! This file lays out blocks (headings, code, quotes, lists, rules) and their prefixes;
//! [`wrap`](mod@wrap) wraps text, [`scan`] finds line ends among bytes, and [`table`] lays out tables.

use compact_str::{CompactString, ToCompactString};
use unicode_segmentation::UnicodeSegmentation;
use unicode_width::UnicodeWidthStr;

mod scan;
mod table;
mod wrap;

use super::{Align, Block, Document, Footnote, Lines, ListItem, RenderOptions, Style};
use crate::text::display_width;
use wrap::wrap;

/// Decoration characters, in Unicode or ASCII.
struct Glyphs {
    quote: &'static str,
    /// With the space after them.
    bullets: [&'static str; 3],
    rule: &'static str,
    h1: &'static str,
    h2: &'static str,
    column: &'static str,
    cross: &'static str,
    clip: &'static str,
}

const UNICODE: Glyphs = Glyphs {
    quote: "│ ",
    bullets: ["• ", "◦ ", "▪ "],
    rule: "─",
    h1: "═",
    h2: "─",
    column: " │ ",
    cross: "─┼─",
    clip: "→",
};

const ASCII: Glyphs = Glyphs {
    quote: "| ",
    bullets: ["* ", "- ", "+ "],
    rule: "-",
    h1: "=",
    h2: "-",
    column: " | ",
    cross: "-+-",
    clip: ">",
};

struct Ctx {
    width: usize,
    glyphs: &'static Glyphs,
}

/// The decoration in front of each line of a block: `first` for its first line, `rest`
/// for the others (list bullets differ; quote bars do not).
#[derive(Clone, Default)]
struct Prefix {
    first: PrefixLine,
    rest: PrefixLine,
    width: usize,
}

/// The decoration of one line: a footnote's label, then markers (quote bars, bullets,
/// numbers). Short ones, as nearly all are, are kept without an allocation.
#[derive(Clone, Default)]
struct PrefixLine {
    /// Shown as [`Style::FOOTNOTE`].
    label: CompactString,
    /// Shown as [`Style::MARKER`].
    marker: CompactString,
}

impl Prefix {
    /// This prefix followed by `first`/`rest` (both `width` columns), unless that would
    /// leave less than half the line for text: then deeper levels are flattened.
    fn nest(&self, ctx: &Ctx, first: &str, rest: &str, width: usize) -> Prefix {
        if self.width + width > ctx.width / 2 {
            return Prefix {
                first: self.first.clone(),
                rest: self.rest.clone(),
                width: self.width,
            };
        }
        let mut p = Prefix {
            first: self.first.clone(),
            rest: self.rest.clone(),
            width: self.width + width,
        };
        p.first.marker.push_str(first);
        p.rest.marker.push_str(rest);
        p
    }

    /// The same prefix for a block that does not start the item (only `rest`).
    fn continuing(&self) -> Prefix {
        Prefix {
            first: self.rest.clone(),
            rest: self.rest.clone(),
            width: self.width,
        }
    }
}

pub(super) fn layout(doc: &Document, options: RenderOptions) -> Lines {
    let mut layout = Layout::new(options);
    for block in &doc.blocks {
        layout.block(block);
    }
    layout.finish(&doc.footnotes)
}

/// A document's layout, built one top-level block at a time (so that a document can be
/// laid out while it is parsed, see [`super::render`]).
pub(super) struct Layout {
    ctx: Ctx,
    out: Lines,
}

impl Layout {
    pub(super) fn new(options: RenderOptions) -> Self {
        Self::with_room(options, Lines::new())
    }

    /// A layout that fills `out` (empty, perhaps with room made).
    pub(super) fn with_room(options: RenderOptions, out: Lines) -> Self {
        Self {
            ctx: Ctx {
                width: options.width.max(1),
                glyphs: if options.ascii { &ASCII } else { &UNICODE },
            },
            out,
        }
    }

    /// Lays out the next top-level block, after a blank line unless it is the first.
    pub(super) fn block(&mut self, block: &Block) {
        let prefix = Prefix::default();
        blank(&mut self.out, &prefix);
        one_block(&self.ctx, block, &prefix, Style::PLAIN, 0, &mut self.out);
    }

    /// Lays out the footnotes and returns all the lines.
    pub(super) fn finish(mut self, footnotes: &[Footnote]) -> Lines {
        self.footnotes(footnotes);
        self.out
    }

    /// The lines so far.
    pub(super) fn lines(&self) -> &Lines {
        &self.out
    }

    /// Appends a line as it is.
    pub(super) fn push(&mut self, line: super::LineRef<'_>) {
        self.out.push_ref(line);
    }

    /// Lays out the footnotes, after the blocks.
    pub(super) fn footnotes(&mut self, footnotes: &[Footnote]) {
        let ctx = &self.ctx;
        let out = &mut self.out;
        if !footnotes.is_empty() {
            blank(out, &Prefix::default());
            let rule_width = ctx.width.min(20);
            out.push_span(&ctx.glyphs.rule.repeat(rule_width), Style::MARKER);
            out.end_line();
            for note in footnotes {
                let label = format!("[{}] ", note.number);
                let w = display_width(&label);
                let mut prefix = Prefix::default().nest(ctx, &label, &spaces(w), w);
                // The label is shown as a footnote's, not as a marker.
                prefix.first.label = std::mem::take(&mut prefix.first.marker);
                blocks(ctx, &note.blocks, &prefix, Style::PLAIN, 0, out);
            }
        }
    }
}

impl std::fmt::Debug for Layout {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Layout")
            .field("width", &self.ctx.width)
            .field("lines", &self.out.len())
            .finish_non_exhaustive()
    }
}

/// Lays out `list` one after the other, separated by blank lines.
fn blocks(
    ctx: &Ctx,
    list: &[Block],
    prefix: &Prefix,
    base: Style,
    list_depth: usize,
    out: &mut Lines,
) {
    let Some((first, rest)) = list.split_first() else {
        return;
    };
    one_block(ctx, first, prefix, base, list_depth, out);
    if rest.is_empty() {
        return;
    }
    let continuing = prefix.continuing();
    for block in rest {
        if !matches!(block, Block::List { .. }) || list_depth == 0 {
            blank(out, &continuing);
        }
        one_block(ctx, block, &continuing, base, list_depth, out);
    }
}

fn one_block(
    ctx: &Ctx,
    block: &Block,
    prefix: &Prefix,
    base: Style,
    list_depth: usize,
    out: &mut Lines,
) {
    let avail = ctx.width.saturating_sub(prefix.width).max(1);
    match block {
        Block::Paragraph(text) => {
            wrap(text, base, avail, prefix, out);
        }
        Block::Heading { level, text } => {
            let style = match level {
                1 => Style::HEADING1 | Style::STRONG,
                2 => Style::HEADING2 | Style::STRONG,
                _ => Style::HEADING3 | Style::STRONG,
            };
            let widest = wrap(text, base | style, avail, prefix, out);
            let underline = match level {
                1 => ctx.glyphs.h1,
                2 => ctx.glyphs.h2,
                _ => return,
            };
            push_prefix(out, &prefix.rest);
            push_repeated(out, underline, widest.min(avail), Style::MARKER);
            out.end_line();
        }
        Block::Code { lines } => {
            let indent = if avail > 8 { "  " } else { "" };
            let avail = avail.saturating_sub(indent.len()).max(1);
            for (i, text) in lines.iter().enumerate() {
                push_prefix(out, if i == 0 { &prefix.first } else { &prefix.rest });
                out.push_span(indent, Style::PLAIN);
                clip(out, text, base | Style::CODE, avail, ctx.glyphs.clip);
                out.end_line();
            }
        }
        Block::Quote(inner) => {
            let nested = prefix.nest(
                ctx,
                ctx.glyphs.quote,
                ctx.glyphs.quote,
                display_width(ctx.glyphs.quote),
            );
            blocks(ctx, inner, &nested, base | Style::QUOTE, 0, out);
        }
        Block::List { start, items } => list(ctx, *start, items, prefix, base, list_depth, out),
        Block::Table {
            aligns,
            header,
            rows,
        } => table::table(ctx, aligns, header, rows, prefix, base, out),
        Block::Rule => {
            push_prefix(out, &prefix.first);
            push_repeated(out, ctx.glyphs.rule, avail, Style::MARKER);
            out.end_line();
        }
    }
}

fn list(
    ctx: &Ctx,
    start: Option<u64>,
    items: &[ListItem],
    prefix: &Prefix,
    base: Style,
    depth: usize,
    out: &mut Lines,
) {
    let number_width = start.map(|s| {
        s.saturating_add(items.len() as u64)
            .to_compact_string()
            .len()
    });
    let bullets = ctx.glyphs.bullets;
    let bullet = bullets.get(depth % bullets.len()).copied().unwrap_or("* ");
    // The prefix is built for the first item and changed only where the next marker
    // differs: bullets and task boxes repeat, numbers keep their width.
    let mut last: Option<(CompactString, Prefix)> = None;
    let mut number = String::new();
    for (i, item) in items.iter().enumerate() {
        let marker = match (item.task, start, number_width) {
            (Some(true), _, _) => "[x] ",
            (Some(false), _, _) => "[ ] ",
            (None, Some(s), Some(w)) => {
                number.clear();
                let n = s.saturating_add(i as u64).to_compact_string();
                number.extend(std::iter::repeat_n(' ', w.saturating_sub(n.len())));
                number.push_str(&n);
                number.push_str(". ");
                number.as_str()
            }
            _ => bullet,
        };
        let nested = match &mut last {
            Some((last_marker, nested)) if last_marker == marker => nested,
            Some((last_marker, nested))
                if last_marker.len() == marker.len()
                    && last_marker.ends_with(". ")
                    && marker.ends_with(". ")
                    && nested.width > prefix.width =>
            {
                // Only the number changed (not its width): it ends the first line's
                // prefix.
                let text = &mut nested.first.marker;
                let keep = text.len().saturating_sub(marker.len());
                text.truncate(keep);
                text.push_str(marker);
                last_marker.clear();
                last_marker.push_str(marker);
                nested
            }
            _ => {
                let w = display_width(marker);
                let nested = prefix.nest(ctx, marker, &spaces(w), w);
                &mut last.insert((CompactString::new(marker), nested)).1
            }
        };
        let nested = &*nested;
        if item.blocks.is_empty() {
            push_prefix(out, &nested.first);
            out.end_line();
            continue;
        }
        blocks(ctx, &item.blocks, nested, base, depth + 1, out);
    }
}

/// `n` spaces, borrowed from a constant when there are few.
fn spaces(n: usize) -> std::borrow::Cow<'static, str> {
    super::SPACES
        .get(..n)
        .map_or_else(|| " ".repeat(n).into(), std::borrow::Cow::Borrowed)
}

/// Appends a blank line carrying the prefix's decoration (e.g. a quote bar).
fn blank(out: &mut Lines, prefix: &Prefix) {
    if out.is_empty() {
        return;
    }
    push_prefix(out, &prefix.rest);
    out.trim_open_end();
    out.end_line();
}

/// Appends `glyph` `n` times, in one span.
fn push_repeated(out: &mut Lines, glyph: &str, n: usize, style: Style) {
    // As many glyphs as fit in an inline string, pushed together.
    let per = (24 / glyph.len().max(1)).clamp(1, n.max(1));
    let mut chunk = CompactString::default();
    for _ in 0..per {
        chunk.push_str(glyph);
    }
    for _ in 0..n / per {
        out.push_span(&chunk, style);
    }
    for _ in 0..n % per {
        out.push_span(glyph, style);
    }
}

/// Appends a prefix to the line being built.
fn push_prefix(out: &mut Lines, prefix: &PrefixLine) {
    out.push_span(&prefix.label, Style::FOOTNOTE);
    out.push_span(&prefix.marker, Style::MARKER);
}

/// Appends `text` clipped to `avail` columns; a cut is marked with `mark`.
fn clip(out: &mut Lines, text: &str, style: Style, avail: usize, mark: &str) {
    if display_width(text) <= avail {
        out.push_span(text, style);
        return;
    }
    let mut used = 0;
    let mut end = 0;
    let limit = avail.saturating_sub(1);
    for (i, g) in text.grapheme_indices(true) {
        let w = g.width();
        if used + w > limit {
            break;
        }
        used += w;
        end = i + g.len();
    }
    out.push_span(text.get(..end).unwrap_or_default(), style);
    out.push_span(mark, Style::MARKER);
}

/// Centres or right-aligns are applied by the table; this gives the padding needed.
fn pad(align: Align, used: usize, width: usize) -> (usize, usize) {
    let room = width.saturating_sub(used);
    match align {
        Align::Left => (0, room),
        Align::Right => (room, 0),
        Align::Center => (room / 2, room - room / 2),
    }
}
