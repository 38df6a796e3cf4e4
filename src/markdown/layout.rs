//! [`Document`] → lines of at most a given width.
//!
//! Text wraps at spaces by display width; words longer than a line break between
//! grapheme clusters. Code is never wrapped: it is clipped and the cut is marked. Tables
//! fit their columns to the width and wrap inside cells; a table too wide for even three
//! columns per cell is shown as one "header: value" record per row. Every step is linear
//! in the size of the document.

use std::cell::Cell;
use std::sync::LazyLock;

use compact_str::CompactString;
use unicode_segmentation::UnicodeSegmentation;
use unicode_width::UnicodeWidthStr;

mod table;

use super::{Align, Block, Document, Footnote, Inlines, Lines, ListItem, RenderOptions, Style};
use crate::text::{self, display_width};

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
                let mut prefix = Prefix::default().nest(ctx, &label, &" ".repeat(w), w);
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
    let number_width = start.map(|s| digits(s.saturating_add(items.len() as u64)));
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
                let n = s.saturating_add(i as u64);
                number.extend(std::iter::repeat_n(' ', w.saturating_sub(digits(n))));
                number.push_str(itoa(n, &mut [0; 20]));
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
    const SPACES: &str = "                                ";
    SPACES
        .get(..n)
        .map_or_else(|| " ".repeat(n).into(), std::borrow::Cow::Borrowed)
}

/// The number of decimal digits of `n`.
fn digits(n: u64) -> usize {
    n.checked_ilog10().map_or(1, |d| d as usize + 1)
}

/// `n` in decimal, written into `buffer`.
fn itoa(mut n: u64, buffer: &mut [u8; 20]) -> &str {
    let mut start = buffer.len();
    loop {
        start -= 1;
        if let Some(b) = buffer.get_mut(start) {
            // A digit: `n % 10` is below 10.
            *b = b'0' + (n % 10) as u8;
        }
        n /= 10;
        if n == 0 || start == 0 {
            break;
        }
    }
    std::str::from_utf8(buffer.get(start..).unwrap_or_default()).unwrap_or_default()
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

/// Wraps `text` to `avail` columns and appends the lines with `prefix`.
///
/// Words are separated by spaces and broken by `\n`. A word may span several style runs;
/// its width is the sum of the widths of its pieces, one per run.
///
/// Returns the width of the widest line (without prefix).
fn wrap(text: &Inlines, base: Style, avail: usize, prefix: &Prefix, out: &mut Lines) -> usize {
    wrap_measured(text, base, avail, prefix, out, None)
}

/// [`wrap`], also appending the width of each line (without prefix) to `widths`.
fn wrap_measured(
    text: &Inlines,
    base: Style,
    avail: usize,
    prefix: &Prefix,
    out: &mut Lines,
    widths: Option<&mut Vec<usize>>,
) -> usize {
    let (line, line_runs) = SPARE.with(Cell::take);
    let mut w = Wrapper {
        text,
        base,
        avail,
        prefix,
        out,
        first: true,
        source: None,
        line,
        line_runs,
        line_width: 0,
        pending_space: None,
        word: None,
        word_width: 0,
        widths,
        widest: 0,
        spaced: false,
    };
    let bytes = text.text.as_bytes();
    // The text the runs cover (all of it, for text built by `Inlines::push`).
    let limit = text.runs.last().map_or(0, |&(end, _)| end).min(bytes.len());
    if limit > avail {
        w.spaced = single_spaced(bytes.get(..limit).unwrap_or_default());
    }
    let mut pos = 0;
    let mut run = 0;
    while pos < limit {
        while text.runs.get(run).is_some_and(|&(end, _)| end <= pos) {
            run += 1;
        }
        let Some(&(end, style)) = text.runs.get(run) else {
            break;
        };
        if w.word.is_none()
            && w.source.is_none()
            && w.line_runs.is_empty()
            && let Some(next) = w.whole_line(pos, run, limit)
        {
            pos = next;
            continue;
        }
        let style = style | base;
        let Some(&b) = bytes.get(pos) else {
            break;
        };
        if b == b' ' || b == b'\n' {
            w.flush_word();
            if b == b'\n' {
                w.end_line();
                w.pending_space = None;
            } else if w.line_width > 0 {
                w.pending_space = Some(style);
            }
            pos += 1;
            continue;
        }
        // A piece of a word: up to the next separator or the end of the run.
        let (length, ascii) = scan_word(bytes.get(pos..end).unwrap_or_default());
        let piece_end = pos + length;
        w.word_width += if ascii {
            length
        } else {
            display_width(text.text.get(pos..piece_end).unwrap_or_default())
        };
        match &mut w.word {
            Some(word) => word.end = piece_end,
            None => {
                w.word = Some(Word {
                    start: pos,
                    end: piece_end,
                    run,
                });
            }
        }
        pos = piece_end;
    }
    w.flush_word();
    if w.source.is_some() || !w.line_runs.is_empty() || w.first {
        w.end_line();
    }
    let widest = w.widest;
    if w.line.capacity() <= MAX_SPARE_BYTES {
        SPARE.with(|spare| spare.set((w.line, w.line_runs)));
    }
    widest
}

/// The length of the word at the start of `bytes` (up to the first space or newline), and
/// whether it is all ASCII. Eight bytes are looked at at once.
fn scan_word(bytes: &[u8]) -> (usize, bool) {
    const ONES: u64 = 0x0101_0101_0101_0101;
    const HIGH: u64 = 0x8080_8080_8080_8080;
    let mut high = 0;
    let mut start = 0;
    while let Some(chunk) = bytes.get(start..start + 8) {
        let word = u64::from_le_bytes(chunk.try_into().unwrap_or_default());
        // Bytes equal to a space or a newline become zero; the lowest zero byte is found
        // exactly by the classic test (higher ones may be false alarms, never lower ones).
        let spaces = word ^ (ONES * u64::from(b' '));
        let newlines = word ^ (ONES * u64::from(b'\n'));
        let zeros =
            (spaces.wrapping_sub(ONES) & !spaces | newlines.wrapping_sub(ONES) & !newlines) & HIGH;
        if zeros != 0 {
            let length = (zeros.trailing_zeros() / 8) as usize;
            // The high bits of the bytes before the separator.
            let before = (1u64 << (8 * length)) - 1;
            high |= word & HIGH & before;
            return (start + length, high == 0);
        }
        high |= word & HIGH;
        start += 8;
    }
    let rest = bytes.get(start..).unwrap_or_default();
    let length = rest
        .iter()
        .position(|&b| b == b' ' || b == b'\n')
        .unwrap_or(rest.len());
    let ascii = high == 0 && rest.get(..length).is_some_and(<[u8]>::is_ascii);
    (start + length, ascii)
}

/// How many bytes of `mask` have their high bit set (the only bits set): a multiplication
/// adds them up in the top byte, faster than a population count where the processor has
/// no instruction for it.
const fn high_bits(mask: u64) -> u32 {
    ((mask >> 7).wrapping_mul(0x0101_0101_0101_0101) >> 56) as u32
}

/// One bit (the high one) for each byte of `word` that is zero.
const fn zero_bytes(word: u64) -> u64 {
    const LOW7: u64 = 0x7f7f_7f7f_7f7f_7f7f;
    !(((word & LOW7) + LOW7) | word | LOW7)
}

/// The UTF-8 continuation bytes (10xxxxxx, which do not start a character) of the eight
/// bytes `word` read at `at` in `text`, as high bits; `None` when a character starting
/// there is not one column wide. ASCII is answered at once.
fn continuation_bytes(text: &str, at: usize, word: u64) -> Option<u64> {
    const ONES: u64 = 0x0101_0101_0101_0101;
    const HIGH: u64 = 0x8080_8080_8080_8080;
    if word & HIGH == 0 {
        return Some(0);
    }
    let continuation = zero_bytes((word & (ONES * 0xc0)) ^ HIGH);
    let mut starts = word & HIGH & !continuation;
    while starts != 0 {
        if !one_column_char(text, at + (starts.trailing_zeros() / 8) as usize) {
            return None;
        }
        starts &= starts - 1;
    }
    Some(continuation)
}

/// For [`Wrapper::line_stretch`]: looks at the characters from `pos` up to the first that
/// does not fit in `avail` columns, eight bytes at a time. Returns the line's end, its
/// width and where the next line starts, or `None` when the word-by-word path must decide:
/// a newline, two spaces in a row, or a character that is not one column wide on its own
/// (see [`text::is_single_grapheme`]). Those being excluded, columns are characters.
fn scan_line(text: &str, pos: usize, avail: usize) -> Option<(usize, usize, usize)> {
    const ONES: u64 = 0x0101_0101_0101_0101;
    let bytes = text.as_bytes();
    // The characters to look at: those of a full line and the one after it.
    let target = avail.saturating_add(1);
    let mut i = pos;
    let mut chars = 0;
    // The last space seen one byte at a time: its position and the characters before it.
    let mut last_space: Option<(usize, usize)> = None;
    // The last chunk with a space: where it starts, its spaces and continuation bytes,
    // and the characters before it. The space's place is worked out only at the end.
    let mut space_chunk: Option<(usize, u64, u64, usize)> = None;
    let mut after_space = false;
    // Whole chunks while even eight characters would not go past the target.
    while chars + 8 <= target {
        let Some(chunk) = bytes.get(i..i + 8) else {
            break;
        };
        let word = u64::from_le_bytes(chunk.try_into().ok()?);
        let spaces = zero_bytes(word ^ (ONES * u64::from(b' ')));
        if spaces & (spaces << 8) != 0 || (after_space && spaces & 0x80 != 0) {
            return None;
        }
        let continuation = continuation_bytes(text, i, word)?;
        if spaces != 0 {
            space_chunk = Some((i, spaces, continuation, chars));
        }
        after_space = spaces >> 63 != 0;
        chars += 8 - high_bits(continuation) as usize;
        i += 8;
    }
    // Newlines in the whole chunks, all at once.
    if memchr::memchr(b'\n', bytes.get(pos..i).unwrap_or_default()).is_some() {
        return None;
    }
    // The rest one byte at a time.
    while chars < target {
        let Some(&b) = bytes.get(i) else {
            break;
        };
        match b {
            b'\n' => return None,
            b' ' => {
                if after_space {
                    return None;
                }
                last_space = Some((i, chars));
                after_space = true;
                chars += 1;
            }
            0..0x80 => {
                after_space = false;
                chars += 1;
            }
            0x80..0xc0 => {}
            _ => {
                if !one_column_char(text, i) {
                    return None;
                }
                after_space = false;
                chars += 1;
            }
        }
        i += 1;
    }
    let last_space = last_space.or_else(|| {
        space_chunk.map(|(at, spaces, continuation, before_chunk)| {
            let k = spaces.ilog2() / 8;
            let below = (1u64 << (8 * k)) - 1;
            let before = k - high_bits(continuation & below);
            (at + k as usize, before_chunk + before as usize)
        })
    });
    if chars < target {
        // The rest of the text fits, without the space that may end it.
        return Some(match last_space {
            Some((space, before)) if after_space => (space, before, bytes.len()),
            _ => (bytes.len(), chars, bytes.len()),
        });
    }
    let (space, before) = last_space?;
    Some((space, before, space + 1))
}

/// Has `bytes` neither a newline nor two spaces in a row? Both are looked for with
/// vector instructions.
fn single_spaced(bytes: &[u8]) -> bool {
    static DOUBLE_SPACE: LazyLock<memchr::memmem::Finder<'static>> =
        LazyLock::new(|| memchr::memmem::Finder::new(b"  "));
    memchr::memchr(b'\n', bytes).is_none() && DOUBLE_SPACE.find(bytes).is_none()
}

/// [`scan_line`] for text known to be [`single_spaced`]: only the characters are counted
/// (ASCII chunks of eight bytes at once, without looking inside), and the last space is
/// found afterwards with `memrchr`.
fn scan_spaced(text: &str, pos: usize, avail: usize) -> Option<(usize, usize, usize)> {
    let bytes = text.as_bytes();
    let target = avail.saturating_add(1);
    let mut i = pos;
    let mut chars = 0;
    while chars + 8 <= target {
        let Some(chunk) = bytes.get(i..i + 8) else {
            break;
        };
        let word = u64::from_le_bytes(chunk.try_into().ok()?);
        chars += 8 - high_bits(continuation_bytes(text, i, word)?) as usize;
        i += 8;
    }
    while chars < target {
        let Some(&b) = bytes.get(i) else {
            break;
        };
        match b {
            0..0x80 => chars += 1,
            0x80..0xc0 => {}
            _ => {
                if !one_column_char(text, i) {
                    return None;
                }
                chars += 1;
            }
        }
        i += 1;
    }
    if chars < target {
        // The rest of the text fits, without the space that may end it.
        return Some(if bytes.last() == Some(&b' ') {
            (bytes.len() - 1, chars - 1, bytes.len())
        } else {
            (bytes.len(), chars, bytes.len())
        });
    }
    let window = bytes.get(pos..i)?;
    let space = memchr::memrchr(b' ', window)?;
    // The characters from the space on, to leave out of the width.
    let after = window
        .get(space..)
        .unwrap_or_default()
        .iter()
        .filter(|&&b| b & 0xc0 != 0x80)
        .count();
    Some((pos + space, chars - after, pos + space + 1))
}

/// Is the character starting at byte `at` one column wide, measured on its own (as
/// [`display_width`] measures it)?
fn one_column_char(text: &str, at: usize) -> bool {
    text.get(at..)
        .and_then(|rest| rest.chars().next())
        .is_some_and(|c| text::is_single_grapheme(c) && text::single_width(c) == 1)
}

/// The width of the word at the start of `text`, if it is made of characters that are
/// measured on their own.
fn word_width(text: &str) -> Option<usize> {
    let (length, ascii) = scan_word(text.as_bytes());
    let word = text.get(..length)?;
    if ascii {
        return Some(length);
    }
    if word.chars().all(text::is_single_grapheme) {
        Some(display_width(word))
    } else {
        None
    }
}

/// Appends `text` with `style` to a line buffer and its runs, merging with the last run
/// when the style is the same.
fn push_run(line: &mut String, runs: &mut Vec<(usize, Style)>, text: &str, style: Style) {
    if text.is_empty() {
        return;
    }
    line.push_str(text);
    let end = line.len();
    match runs.last_mut() {
        Some((last_end, last_style)) if *last_style == style => *last_end = end,
        _ => runs.push((end, style)),
    }
}

/// Line buffers larger than this (a freak line of zero-width characters) are not kept.
const MAX_SPARE_BYTES: usize = 64 * 1024;

#[cfg(test)]
thread_local! {
    /// Whether [`Wrapper::whole_line`] is used: tests turn it off to compare.
    static FAST_LINES: Cell<bool> = const { Cell::new(true) };
}

#[cfg(test)]
fn fast_lines() -> bool {
    FAST_LINES.get()
}

#[cfg(not(test))]
const fn fast_lines() -> bool {
    true
}

thread_local! {
    /// The wrapper's line buffers, kept between paragraphs so that filling a line
    /// allocates nothing once they have grown.
    static SPARE: Cell<(String, Vec<(usize, Style)>)> = const { Cell::new((String::new(), Vec::new())) };
}

/// A range of the text, which starts in run `run` and may continue into the following
/// runs.
#[derive(Clone, Copy)]
struct Word {
    start: usize,
    end: usize,
    run: usize,
}

/// Fills lines word by word.
///
/// Most lines are a stretch of the text: words separated by single spaces, in the text's
/// own styles. Such a line is kept as that range ([`Wrapper::source`]) and its spans are
/// cut from the text when it is complete, so each span is allocated once, at its final
/// size, and nothing is copied word by word. Any other line (a word broken between
/// graphemes, several spaces collapsed into one) is built in a buffer of text and style
/// runs instead, like [`Inlines`].
struct Wrapper<'a> {
    text: &'a Inlines,
    base: Style,
    avail: usize,
    prefix: &'a Prefix,
    out: &'a mut Lines,
    /// Whether the next line is the block's first.
    first: bool,
    /// The line being filled, when it is a stretch of the text.
    source: Option<Word>,
    /// Otherwise the text of the line being filled (without prefix)…
    line: String,
    /// …and its `(end, style)` runs, merged when the style repeats.
    line_runs: Vec<(usize, Style)>,
    line_width: usize,
    /// A space is owed before the next word (with this style).
    pending_space: Option<Style>,
    word: Option<Word>,
    word_width: usize,
    /// Where to note the width of each line, when asked.
    widths: Option<&'a mut Vec<usize>>,
    /// The width of the widest line so far.
    widest: usize,
    /// Whether the text has neither newlines nor two spaces in a row (see
    /// [`scan_spaced`]); found once for the whole text when it may take several lines.
    spaced: bool,
}

impl Wrapper<'_> {
    /// The common case in one step: at the start of an empty line, where the text ahead is
    /// words separated by single spaces, the line is the stretch of text up to the last
    /// space that fits, found without handling each word. Returns where the next line
    /// starts, or `None` (nothing done) when the word-by-word path is needed to decide: a
    /// newline, several spaces, characters that join others into one cluster, or a word
    /// too long for a line next.
    ///
    /// The lines are exactly those the word-by-word path makes.
    fn whole_line(&mut self, pos: usize, run: usize, limit: usize) -> Option<usize> {
        if !fast_lines() {
            return None;
        }
        let (end, width, next) = self.line_stretch(pos, limit)?;
        self.source = Some(Word {
            start: pos,
            end,
            run,
        });
        self.line_width = width;
        if next < limit {
            self.end_line();
        }
        Some(next)
    }

    /// For [`Self::whole_line`]: the end and width of the line starting at `pos`, and
    /// where the next one starts.
    fn line_stretch(&self, pos: usize, limit: usize) -> Option<(usize, usize, usize)> {
        let text = self.text.text.get(..limit)?;
        let bytes = text.as_bytes();
        let first = *bytes.get(pos)?;
        if first == b' ' || first == b'\n' {
            return None;
        }
        let (end, width, next) = if self.spaced {
            scan_spaced(text, pos, self.avail)?
        } else {
            scan_line(text, pos, self.avail)?
        };
        // The word-by-word path puts the next word on a line of its own, unless it is
        // longer than a line and there is room to start breaking it on this one (or the
        // line is as yet zero columns wide).
        if width == 0 {
            return None;
        }
        if let Some(rest) = bytes.get(next..).filter(|rest| !rest.is_empty()) {
            if matches!(rest.first(), Some(b' ' | b'\n')) {
                return None;
            }
            if width + 2 < self.avail && word_width(text.get(next..)?)? > self.avail {
                return None;
            }
        }
        Some((end, width, next))
    }

    fn flush_word(&mut self) {
        let Some(word) = self.word.take() else {
            return;
        };
        let space = self.pending_space.filter(|_| self.line_width > 0);
        let space_width = usize::from(space.is_some());
        if self.line_width + space_width + self.word_width <= self.avail {
            self.append(word, space);
        } else if self.word_width <= self.avail {
            self.end_line();
            self.append(word, None);
        } else {
            // Longer than a line: fill the current line, then break between graphemes.
            if self.line_width + space_width + 1 < self.avail {
                if let Some(style) = space {
                    self.source_to_buffer();
                    self.push(" ", style);
                    self.line_width += 1;
                }
            } else if self.line_width > 0 {
                self.end_line();
            }
            self.break_word(word);
        }
        self.word_width = 0;
        self.pending_space = None;
    }

    /// Appends `word`, after a space of style `space` when one is owed.
    fn append(&mut self, word: Word, space: Option<Style>) {
        self.line_width += usize::from(space.is_some()) + self.word_width;
        match &mut self.source {
            // One space (the text's own, with its style) between the line and the word.
            Some(line) if space.is_some() && line.end + 1 == word.start => {
                line.end = word.end;
                return;
            }
            Some(_) => self.source_to_buffer(),
            None if space.is_none() && self.line_runs.is_empty() => {
                self.source = Some(word);
                return;
            }
            None => {}
        }
        if let Some(style) = space {
            self.push(" ", style);
        }
        self.push_pieces(word);
    }

    /// Appends the pieces of `word` (a range of the text) to the buffer.
    fn push_pieces(&mut self, word: Word) {
        let (line, runs) = (&mut self.line, &mut self.line_runs);
        for_each_piece(self.text, self.base, word, |piece, style| {
            push_run(line, runs, piece, style);
        });
    }

    /// Moves a line kept as a stretch of the text into the buffer.
    fn source_to_buffer(&mut self) {
        if let Some(line) = self.source.take() {
            self.push_pieces(line);
        }
    }

    /// Appends `text` to the buffer, merging with the last run when the style is the same.
    fn push(&mut self, text: &str, style: Style) {
        push_run(&mut self.line, &mut self.line_runs, text, style);
    }

    fn break_word(&mut self, word: Word) {
        self.source_to_buffer();
        let text = self.text;
        for_each_piece(text, self.base, word, |piece, style| {
            self.break_piece(piece, style);
        });
    }

    /// Appends a piece of a word too long for a line, breaking it between graphemes.
    fn break_piece(&mut self, piece: &str, style: Style) {
        if piece.is_ascii() && fast_lines() {
            // Each byte is a grapheme one column wide (controls are gone): the piece is
            // cut in stretches that fill the lines.
            let mut rest = piece;
            while !rest.is_empty() {
                if self.line_width >= self.avail && self.line_width > 0 {
                    self.end_line();
                }
                let room = self.avail.saturating_sub(self.line_width).max(1);
                let (head, tail) = rest.split_at(room.min(rest.len()));
                self.push(head, style);
                self.line_width += head.len();
                rest = tail;
            }
            return;
        }
        for g in piece.graphemes(true) {
            let w = g.width();
            if self.line_width + w > self.avail && self.line_width > 0 {
                self.end_line();
            }
            self.push(g, style);
            self.line_width += w;
        }
    }

    fn end_line(&mut self) {
        let prefix = if self.first {
            &self.prefix.first
        } else {
            &self.prefix.rest
        };
        push_prefix(self.out, prefix);
        if let Some(line) = self.source.take() {
            // The line is a stretch of the text: copied at once, then styled piece by piece.
            let out = &mut *self.out;
            let mut end =
                out.push_text(self.text.text.get(line.start..line.end).unwrap_or_default());
            for_each_piece(self.text, self.base, line, |piece, style| {
                end += piece.len();
                out.style_to(end, style);
            });
        } else {
            self.out
                .push_runs(&self.line, self.line_runs.iter().copied());
        }
        self.out.end_line();
        self.widest = self.widest.max(self.line_width);
        if let Some(widths) = self.widths.as_deref_mut() {
            widths.push(self.line_width);
        }
        self.line.clear();
        self.line_runs.clear();
        self.first = false;
        self.line_width = 0;
    }
}

/// Calls `f` with the pieces of `word` in `text`, one per style: the parts of the runs it
/// covers, where parts that follow each other with the same style (base included) are one
/// piece.
fn for_each_piece<'t>(
    text: &'t Inlines,
    base: Style,
    word: Word,
    mut f: impl FnMut(&'t str, Style),
) {
    // Where the current run's part starts, and the piece being collected.
    let mut part_start = word.start;
    let mut current: Option<(usize, Style)> = None;
    for &(end, style) in text.runs.get(word.run..).unwrap_or_default() {
        if part_start >= word.end {
            break;
        }
        if end.min(word.end) > part_start {
            let style = style | base;
            match current {
                Some((_, current_style)) if current_style == style => {}
                Some((piece_start, current_style)) => {
                    f(
                        text.text.get(piece_start..part_start).unwrap_or_default(),
                        current_style,
                    );
                    current = Some((part_start, style));
                }
                None => current = Some((part_start, style)),
            }
        }
        part_start = part_start.max(end);
    }
    if let Some((piece_start, style)) = current {
        f(
            text.text.get(piece_start..word.end).unwrap_or_default(),
            style,
        );
    }
}

/// Wraps one table cell to `width` columns, without prefix, appending its lines to `out`
/// and their widths to `widths`.
fn wrap_cell(text: &Inlines, base: Style, width: usize, out: &mut Lines, widths: &mut Vec<usize>) {
    wrap_measured(
        text,
        base,
        width.max(1),
        &Prefix::default(),
        out,
        Some(widths),
    );
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

#[cfg(test)]
mod tests {
    use super::{FAST_LINES, Prefix, scan_word, wrap};
    use crate::markdown::{Inlines, Line, Lines, Style};

    /// Wraps with the one-line-at-a-time path on or off.
    fn wrapped(text: &Inlines, avail: usize, fast: bool) -> Vec<Line> {
        FAST_LINES.set(fast);
        let mut out = Lines::new();
        wrap(text, Style::PLAIN, avail, &Prefix::default(), &mut out);
        FAST_LINES.set(true);
        out.to_vec()
    }

    #[test]
    fn whole_lines_are_those_of_the_word_by_word_path() {
        // Pieces that reach every case: single and double spaces, hard breaks, words
        // longer than a line, non-ASCII and wide characters, and style changes inside
        // and between words.
        let pieces = [
            "a",
            "bc",
            "def",
            " ",
            " ",
            " ",
            "  ",
            "\n",
            " \n",
            "é",
            "日本",
            "word",
            "x",
            "abcdefghijklmnopqrstuvwxyz0123456789",
            "--",
            ".",
            "\u{a0}",
            "—",
            "Behörde",
            "\u{301}",
            "\u{ad}",
            "🙂",
            "Grundverordnungsänderungsgesetz",
        ];
        // Words and single spaces, as most paragraphs are: ASCII, other letters, and a
        // few characters that are not one column wide.
        let ascii = [
            "a",
            "bc",
            "def",
            "word",
            "abcdefghijklmnopqrstu",
            ".",
            "x y",
        ];
        let letters = [
            "a",
            "über",
            "é",
            "—",
            "naïve",
            "Behörde",
            "x y",
            "abcdefghijklmnopq",
        ];
        let odd = [
            "a", "über", "日本", "e\u{301}", "\u{ad}", "x y", "🙂", "word",
        ];
        let styles = [Style::PLAIN, Style::STRONG, Style::CODE];
        let mut seed: u64 = 0x9e37_79b9_7f4a_7c15;
        let mut next = move |n: usize| {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            usize::try_from(seed % n as u64).unwrap_or(0)
        };
        let mut compared = 0;
        for pieces in [&pieces[..], &ascii, &letters, &odd] {
            for _ in 0..1500 {
                let mut text = Inlines::default();
                for _ in 0..next(60) {
                    let piece = pieces[next(pieces.len())];
                    text.push(piece, styles[next(styles.len())]);
                    // Words alone are separated by single spaces.
                    if pieces.len() < 10 && next(3) > 0 {
                        text.push(" ", styles[next(styles.len())]);
                    }
                }
                for avail in [1, 2, 3, 5, 8, 13, 20, 37, 64, 100] {
                    let (fast, slow) = (wrapped(&text, avail, true), wrapped(&text, avail, false));
                    if let Some(i) =
                        (0..fast.len().max(slow.len())).find(|&i| fast.get(i) != slow.get(i))
                    {
                        panic!(
                            "{:?} at {avail}, line {i}: {:?} instead of {:?}",
                            text.text,
                            fast.get(i),
                            slow.get(i)
                        );
                    }
                    compared += 1;
                }
            }
        }
        assert_eq!(compared, 60_000);
    }

    #[test]
    fn word_scanning_matches_a_byte_loop() {
        let pieces = [
            "a", "bc", " ", "\n", "é", "日本", "x\u{301}", "\u{a0}", "ü", "—", "\t",
        ];
        let mut text = String::new();
        for i in 0..4000_usize {
            text.push_str(pieces[(i * 7 + i / 3) % pieces.len()]);
        }
        let bytes = text.as_bytes();
        for start in 0..bytes.len() {
            let rest = &bytes[start..];
            let length = rest
                .iter()
                .position(|&b| b == b' ' || b == b'\n')
                .unwrap_or(rest.len());
            assert_eq!(
                scan_word(rest),
                (length, rest[..length].is_ascii()),
                "at {start}"
            );
        }
    }
}
