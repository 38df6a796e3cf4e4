//! Finding where a line ends by looking at bytes, several at a time: words, whole lines
//! of plain text, and the characters that may be counted as one column each.

use std::sync::LazyLock;

use crate::text::{self, display_width};

/// The length of the word at the start of `bytes` (up to the first space or newline), and
/// whether it is all ASCII. Eight bytes are looked at at once.
pub(super) fn scan_word(bytes: &[u8]) -> (usize, bool) {
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

/// For the wrapper's `line_stretch`: looks at the characters from `pos` up to the first that
/// does not fit in `avail` columns, eight bytes at a time. Returns the line's end, its
/// width and where the next line starts, or `None` when the word-by-word path must decide:
/// a newline, two spaces in a row, or a character that is not one column wide on its own
/// (see [`text::is_single_grapheme`]). Those being excluded, columns are characters.
pub(super) fn scan_line(text: &str, pos: usize, avail: usize) -> Option<(usize, usize, usize)> {
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
pub(super) fn single_spaced(bytes: &[u8]) -> bool {
    static DOUBLE_SPACE: LazyLock<memchr::memmem::Finder<'static>> =
        LazyLock::new(|| memchr::memmem::Finder::new(b"  "));
    memchr::memchr(b'\n', bytes).is_none() && DOUBLE_SPACE.find(bytes).is_none()
}

/// [`scan_line`] for text known to be [`single_spaced`]: only the characters are counted
/// (ASCII chunks of eight bytes at once, without looking inside), and the last space is
/// found afterwards with `memrchr`.
pub(super) fn scan_spaced(text: &str, pos: usize, avail: usize) -> Option<(usize, usize, usize)> {
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
pub(super) fn word_width(text: &str) -> Option<usize> {
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

#[cfg(test)]
mod tests {
    use super::scan_word;

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
