//! Tables: columns fitted to the width, text wrapped inside cells.

use std::cell::Cell;

use super::wrap::{wrap, wrap_cell};
use super::{Ctx, Prefix, blank, pad, push_prefix};
use crate::markdown::{Align, Inlines, Lines, Style};
use crate::text::display_width;

/// The narrowest a column may get before the table is shown as records instead.
const MIN_COLUMN: usize = 3;

pub(super) fn table(
    ctx: &Ctx,
    aligns: &[Align],
    header: &[Inlines],
    rows: &[Vec<Inlines>],
    prefix: &Prefix,
    base: Style,
    out: &mut Lines,
) {
    let columns = rows
        .iter()
        .map(Vec::len)
        .chain([header.len(), aligns.len()])
        .max()
        .unwrap_or(0);
    if columns == 0 {
        return;
    }
    let avail = ctx.width.saturating_sub(prefix.width).max(1);
    let separator = display_width(ctx.glyphs.column);
    let content = avail.saturating_sub(separator * (columns - 1));
    if content < MIN_COLUMN * columns {
        records(header, rows, avail, prefix, base, out);
        return;
    }
    let mut natural = vec![1usize; columns];
    let mut words = vec![1usize; columns];
    for row in std::iter::once(header).chain(rows.iter().map(Vec::as_slice)) {
        for ((cell, n), word) in row.iter().zip(natural.iter_mut()).zip(words.iter_mut()) {
            let (widest, longest) = cell_widths(&cell.text);
            *n = (*n).max(widest);
            *word = (*word).max(longest);
        }
    }
    let widths = fit(&natural, &words, content);
    let header_style = base | Style::TABLE_HEADER | Style::STRONG;
    let mut first = true;
    row_lines(
        ctx,
        header,
        &widths,
        aligns,
        header_style,
        prefix,
        &mut first,
        out,
    );
    push_prefix(out, if first { &prefix.first } else { &prefix.rest });
    for (i, w) in widths.iter().enumerate() {
        if i > 0 {
            out.push_span(ctx.glyphs.cross, Style::MARKER);
        }
        super::push_repeated(out, ctx.glyphs.rule, *w, Style::MARKER);
    }
    out.end_line();
    for row in rows {
        row_lines(ctx, row, &widths, aligns, base, prefix, &mut first, out);
    }
}

/// The width of a cell's widest line and of its longest word. In ASCII, widths are
/// lengths and the only white space splitting words is ASCII.
fn cell_widths(text: &str) -> (usize, usize) {
    if text.is_ascii() {
        let widest = text.split('\n').map(str::len).max().unwrap_or(0);
        let longest = text
            .split_ascii_whitespace()
            .map(str::len)
            .max()
            .unwrap_or(0);
        return (widest, longest);
    }
    let widest = text.split('\n').map(display_width).max().unwrap_or(0);
    let longest = text
        .split_whitespace()
        .map(display_width)
        .max()
        .unwrap_or(0);
    (widest, longest)
}

/// Column widths that add up to at most `content`: natural widths when they fit.
/// Otherwise columns narrower than a fair share keep their natural width (a fair share
/// is what is left divided by the columns left, found again after each column settles),
/// and the others share the rest in proportion to their natural widths, each keeping
/// room for its longest word so that words are not cut. When even the words do not fit,
/// the widest columns are capped at one level instead.
fn fit(natural: &[usize], words: &[usize], content: usize) -> Vec<usize> {
    if natural.iter().sum::<usize>() <= content {
        return natural.to_vec();
    }
    let mut widths = vec![0usize; natural.len()];
    let mut open: Vec<usize> = (0..natural.len()).collect();
    let mut remaining = content;
    loop {
        let fair = remaining / open.len().max(1);
        let (small, large): (Vec<usize>, Vec<usize>) = open
            .iter()
            .partition(|&&i| natural.get(i).is_some_and(|&n| n <= fair));
        if small.is_empty() || large.is_empty() {
            break;
        }
        for i in small {
            let n = natural.get(i).copied().unwrap_or(1);
            if let Some(w) = widths.get_mut(i) {
                *w = n;
            }
            remaining -= n;
        }
        open = large;
    }
    let floor = |i: usize| {
        natural
            .get(i)
            .copied()
            .unwrap_or(1)
            .min(words.get(i).copied().unwrap_or(1))
            .max(1)
    };
    let floors: usize = open.iter().map(|&i| floor(i)).sum();
    if floors > remaining {
        return cap_widest(natural, content);
    }
    let extra = remaining - floors;
    let lacking: Vec<usize> = open
        .iter()
        .map(|&i| natural.get(i).copied().unwrap_or(1) - floor(i))
        .collect();
    let lacking_total: usize = lacking.iter().sum();
    for (&i, &l) in open.iter().zip(&lacking) {
        if let Some(w) = widths.get_mut(i) {
            *w = floor(i) + (l * extra).checked_div(lacking_total).unwrap_or(0);
        }
    }
    // Hand out what rounding down left over, one column at a time.
    let mut left = content.saturating_sub(widths.iter().sum());
    for (w, &n) in widths.iter_mut().zip(natural) {
        if left == 0 {
            break;
        }
        if *w < n {
            *w += 1;
            left -= 1;
        }
    }
    widths
}

/// Caps the widest columns at one width (found by binary search) so the total fits.
fn cap_widest(natural: &[usize], content: usize) -> Vec<usize> {
    let total = |cap: usize| natural.iter().map(|&n| n.min(cap)).sum::<usize>();
    let (mut low, mut high) = (1, natural.iter().copied().max().unwrap_or(1));
    while low < high {
        let mid = low + (high - low).div_ceil(2);
        if total(mid) <= content {
            low = mid;
        } else {
            high = mid - 1;
        }
    }
    let mut widths: Vec<usize> = natural.iter().map(|&n| n.min(low)).collect();
    let mut left = content.saturating_sub(widths.iter().sum());
    for (w, &n) in widths.iter_mut().zip(natural) {
        if left == 0 {
            break;
        }
        if n > *w {
            *w += 1;
            left -= 1;
        }
    }
    widths
}

#[allow(clippy::too_many_arguments)] // the pieces of one row; a struct would only rename them
fn row_lines(
    ctx: &Ctx,
    cells: &[Inlines],
    widths: &[usize],
    aligns: &[Align],
    style: Style,
    prefix: &Prefix,
    first: &mut bool,
    out: &mut Lines,
) {
    let empty = Inlines::default();
    // The cells' lines, one cell after the other, in a buffer kept between rows.
    let (mut cells_lines, mut used_widths, mut starts) = CELLS.with(Cell::take);
    cells_lines.clear();
    used_widths.clear();
    starts.clear();
    for (i, &w) in widths.iter().enumerate() {
        starts.push(cells_lines.len());
        wrap_cell(
            cells.get(i).unwrap_or(&empty),
            style,
            w,
            &mut cells_lines,
            &mut used_widths,
        );
    }
    starts.push(cells_lines.len());
    let height = starts
        .windows(2)
        .map(|pair| pair.last().unwrap_or(&0) - pair.first().unwrap_or(&0))
        .max()
        .unwrap_or(1)
        .max(1);
    for row in 0..height {
        push_prefix(out, if *first { &prefix.first } else { &prefix.rest });
        *first = false;
        for (i, &w) in widths.iter().enumerate() {
            if i > 0 {
                out.push_span(ctx.glyphs.column, Style::MARKER);
            }
            let (start, end) = (
                starts.get(i).copied().unwrap_or(0),
                starts.get(i + 1).copied().unwrap_or(0),
            );
            let n = Some(start + row).filter(|&n| n < end);
            let part = n.and_then(|n| cells_lines.get(n));
            let used = n.and_then(|n| used_widths.get(n)).copied().unwrap_or(0);
            let align = aligns.get(i).copied().unwrap_or(Align::Left);
            let (before, after) = pad(align, used, w);
            out.push_spaces(before);
            if let Some(part) = part {
                for span in part.spans() {
                    out.push_span(span.text, span.style);
                }
            }
            // No trailing padding after the last column.
            if i + 1 < widths.len() {
                out.push_spaces(after);
            }
        }
        out.trim_open_end();
        out.end_line();
    }
    if cells_lines.open_spans() == 0 {
        CELLS.with(|cell| cell.set((cells_lines, used_widths, starts)));
    }
}

thread_local! {
    /// The buffer cells are wrapped into, kept between rows and tables.
    static CELLS: Cell<(Lines, Vec<usize>, Vec<usize>)> =
        const { Cell::new((Lines::new(), Vec::new(), Vec::new())) };
}

/// A table too wide for the screen: each row becomes a block of `header: value` lines.
fn records(
    header: &[Inlines],
    rows: &[Vec<Inlines>],
    avail: usize,
    prefix: &Prefix,
    base: Style,
    out: &mut Lines,
) {
    for (r, row) in rows.iter().enumerate() {
        if r > 0 {
            blank(out, &prefix.continuing());
        }
        for (i, cell) in row.iter().enumerate() {
            let mut text = Inlines::default();
            match header.get(i) {
                Some(h) if !h.is_blank() => {
                    for (piece, style) in h.pieces() {
                        text.push(piece, style | Style::TABLE_HEADER | Style::STRONG);
                    }
                }
                _ => text.push(&format!("{}", i + 1), Style::TABLE_HEADER | Style::STRONG),
            }
            text.push(": ", Style::MARKER);
            for (piece, style) in cell.pieces() {
                text.push(piece, style);
            }
            let p = if r == 0 && i == 0 {
                prefix.clone()
            } else {
                prefix.continuing()
            };
            wrap(&text, base, avail, &p, out);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::{cap_widest, fit};

    #[test]
    fn natural_widths_when_they_fit() {
        assert_eq!(fit(&[5, 10, 3], &[5, 4, 3], 40), [5, 10, 3]);
    }

    #[test]
    fn long_texts_get_the_room_and_words_stay_whole() {
        // "Personal data" (13, longest word 8), a long meaning (72, 12), "Art. 4(12)" (10, 5).
        let widths = fit(&[13, 72, 10], &[8, 12, 5], 34);
        assert_eq!(widths.iter().sum::<usize>(), 34);
        assert!(widths[1] > widths[0] && widths[1] > widths[2], "{widths:?}");
        assert!(
            widths[0] >= 8 && widths[1] >= 12 && widths[2] >= 5,
            "{widths:?}"
        );
    }

    #[test]
    fn widest_columns_are_capped_when_words_do_not_fit() {
        assert_eq!(fit(&[50, 50], &[30, 30], 10), [5, 5]);
        assert_eq!(cap_widest(&[5, 30, 30], 40), [5, 18, 17]);
        let many = fit(&vec![100; 1000], &vec![100; 1000], 5000);
        assert_eq!(many.iter().sum::<usize>(), 5000);
    }
}
