//! Tables: columns fitted to the width, text wrapped inside cells.

use super::{Ctx, Prefix, blank, pad, push_span, wrap, wrap_cell};
use crate::markdown::{Align, Inlines, Line, Style};
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
    out: &mut Vec<Line>,
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
    for row in std::iter::once(header).chain(rows.iter().map(Vec::as_slice)) {
        for (cell, n) in row.iter().zip(natural.iter_mut()) {
            let widest = cell.text.split('\n').map(display_width).max().unwrap_or(0);
            *n = (*n).max(widest);
        }
    }
    let widths = fit(&natural, content);
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
    let mut rule = Line {
        spans: if first {
            prefix.first.clone()
        } else {
            prefix.rest.clone()
        },
    };
    for (i, w) in widths.iter().enumerate() {
        if i > 0 {
            push_span(&mut rule.spans, ctx.glyphs.cross, Style::MARKER);
        }
        push_span(&mut rule.spans, &ctx.glyphs.rule.repeat(*w), Style::MARKER);
    }
    out.push(rule);
    for row in rows {
        row_lines(ctx, row, &widths, aligns, base, prefix, &mut first, out);
    }
}

/// Column widths that add up to at most `content`: natural widths when they fit;
/// otherwise the widest columns are capped at one level (found by binary search) and
/// what is left over goes to the capped columns.
fn fit(natural: &[usize], content: usize) -> Vec<usize> {
    if natural.iter().sum::<usize>() <= content {
        return natural.to_vec();
    }
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
    let cap = low;
    let mut widths: Vec<usize> = natural.iter().map(|&n| n.min(cap)).collect();
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
    out: &mut Vec<Line>,
) {
    let empty = Inlines::default();
    let wrapped: Vec<Vec<Line>> = widths
        .iter()
        .enumerate()
        .map(|(i, &w)| wrap_cell(cells.get(i).unwrap_or(&empty), style, w))
        .collect();
    let height = wrapped.iter().map(Vec::len).max().unwrap_or(1).max(1);
    for k in 0..height {
        let mut line = Line {
            spans: if *first {
                prefix.first.clone()
            } else {
                prefix.rest.clone()
            },
        };
        *first = false;
        for (i, (cell, &w)) in wrapped.iter().zip(widths).enumerate() {
            if i > 0 {
                push_span(&mut line.spans, ctx.glyphs.column, Style::MARKER);
            }
            let part = cell.get(k);
            let used = part.map_or(0, Line::width);
            let align = aligns.get(i).copied().unwrap_or(Align::Left);
            let (before, after) = pad(align, used, w);
            push_span(&mut line.spans, &" ".repeat(before), Style::PLAIN);
            if let Some(part) = part {
                for span in &part.spans {
                    push_span(&mut line.spans, &span.text, span.style);
                }
            }
            // No trailing padding after the last column.
            if i + 1 < widths.len() {
                push_span(&mut line.spans, &" ".repeat(after), Style::PLAIN);
            }
        }
        if let Some(last) = line.spans.last_mut() {
            let trimmed = last.text.trim_end().len();
            last.text.truncate(trimmed);
        }
        line.spans.retain(|s| !s.text.is_empty());
        out.push(line);
    }
}

/// A table too wide for the screen: each row becomes a block of `header: value` lines.
fn records(
    header: &[Inlines],
    rows: &[Vec<Inlines>],
    avail: usize,
    prefix: &Prefix,
    base: Style,
    out: &mut Vec<Line>,
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
    use super::fit;

    #[test]
    fn fitting_caps_the_widest_columns() {
        assert_eq!(fit(&[5, 10, 3], 40), [5, 10, 3]);
        assert_eq!(fit(&[5, 30, 30], 40), [5, 18, 17]);
        assert_eq!(fit(&[50, 50], 10), [5, 5]);
        let many = fit(&vec![100; 1000], 5000);
        assert_eq!(many.iter().sum::<usize>(), 5000);
    }
}
