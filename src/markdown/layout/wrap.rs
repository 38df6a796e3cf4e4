//! Wrapping styled text to a width: a whole line at a time where the text allows it
//! (see [`super::scan`]), word by word otherwise.

use std::cell::Cell;

use unicode_segmentation::UnicodeSegmentation;
use unicode_width::UnicodeWidthStr;

use super::scan::{scan_line, scan_spaced, scan_word, single_spaced, word_width};
use super::{Prefix, push_prefix};
use crate::markdown::{Inlines, Lines, Style};
use crate::text::display_width;

/// Wraps `text` to `avail` columns and appends the lines with `prefix`.
///
/// Words are separated by spaces and broken by `\n`. A word may span several style runs;
/// its width is the sum of the widths of its pieces, one per run.
///
/// Returns the width of the widest line (without prefix).
pub(super) fn wrap(
    text: &Inlines,
    base: Style,
    avail: usize,
    prefix: &Prefix,
    out: &mut Lines,
) -> usize {
    wrap_measured(text, base, avail, prefix, out, None)
}

/// [`wrap`], also appending the width of each line (without prefix) to `widths`.
fn wrap_measured(
    text: &Inlines,
    base: Style,
    avail: usize,
    prefix: &Prefix,
    out: &mut Lines,
    mut widths: Option<&mut Vec<usize>>,
) -> usize {
    let bytes = text.text.as_bytes();
    // The text the runs cover (all of it, for text built by `Inlines::push`).
    let limit = text.runs.last().map_or(0, |&(end, _)| end).min(bytes.len());
    if let Some(width) = one_line(text, base, limit, avail, prefix, out) {
        if let Some(widths) = widths.as_deref_mut() {
            widths.push(width);
        }
        return width;
    }
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
            push_stretch(self.out, self.text, self.base, line);
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

/// Most list items, table cells and headings are one line: the text (up to `limit`) as it
/// stands, when it fits in `avail` columns and [`scan_line`] finds it whole (no newline,
/// no double, leading or trailing space, only characters one column wide). Appends that
/// line, without the wrapper's machinery, and returns its width; `None` (nothing done)
/// otherwise.
fn one_line(
    text: &Inlines,
    base: Style,
    limit: usize,
    avail: usize,
    prefix: &Prefix,
    out: &mut Lines,
) -> Option<usize> {
    if !fast_lines() || limit == 0 || limit > avail {
        return None;
    }
    let all = text.text.get(..limit)?;
    if all.starts_with(' ') {
        return None;
    }
    let width = match scan_line(all, 0, avail)? {
        (end, width, next) if end == limit && next == limit && width > 0 => width,
        _ => return None,
    };
    push_prefix(out, &prefix.first);
    let whole = Word {
        start: 0,
        end: limit,
        run: 0,
    };
    push_stretch(out, text, base, whole);
    out.end_line();
    Some(width)
}

/// Appends the stretch `line` of `text` to the line being built: copied at once, then
/// styled piece by piece.
fn push_stretch(out: &mut Lines, text: &Inlines, base: Style, line: Word) {
    let mut end = out.push_text(text.text.get(line.start..line.end).unwrap_or_default());
    for_each_piece(text, base, line, |piece, style| {
        end += piece.len();
        out.style_to(end, style);
    });
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
pub(super) fn wrap_cell(
    text: &Inlines,
    base: Style,
    width: usize,
    out: &mut Lines,
    widths: &mut Vec<usize>,
) {
    wrap_measured(
        text,
        base,
        width.max(1),
        &Prefix::default(),
        out,
        Some(widths),
    );
}

#[cfg(test)]
mod tests {
    use super::{FAST_LINES, wrap};
    use crate::markdown::layout::Prefix;
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
}
