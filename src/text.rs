//! Small text helpers shared by the core: the one sanitising function, display width,
//! natural sort order and ids from file names.

use std::borrow::Cow;
use std::cmp::Ordering;

use unicode_segmentation::UnicodeSegmentation;
use unicode_width::{UnicodeWidthChar, UnicodeWidthStr};

/// Is `c` a character that must never reach a terminal?
///
/// C0 controls except tab and newline, DEL, and the C1 controls (U+0080–U+009F). Removing
/// these removes every escape sequence (ESC, CSI, OSC, DCS, BEL, backspace, carriage return):
/// what remains of a sequence after its introducer is plain, harmless text.
#[must_use]
pub fn is_forbidden_control(c: char) -> bool {
    (c.is_control() && c != '\t' && c != '\n') || is_bidi_control(c)
}

/// Bidirectional formatting characters can make text display in a different order than
/// it is stored (e.g. hide the real end of a file name); they are removed as well.
fn is_bidi_control(c: char) -> bool {
    matches!(c, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}')
}

/// Removes every terminal control character from `text` (see [`is_forbidden_control`]).
///
/// This is the single gate between content (course files, progress files, file names,
/// arguments) and any output. It borrows when there is nothing to remove, which is the
/// common case, so it is cheap to call on every string.
#[must_use]
pub fn sanitize(text: &str) -> Cow<'_, str> {
    if has_forbidden_control(text) {
        Cow::Owned(text.chars().filter(|&c| !is_forbidden_control(c)).collect())
    } else {
        Cow::Borrowed(text)
    }
}

/// `text.chars().any(is_forbidden_control)`, computed on bytes: this runs on all content
/// text, so the common case (nothing to remove) must be fast.
///
/// Every forbidden character is an ASCII control, DEL, a C1 control (UTF-8 `C2 80` to
/// `C2 9F`) or a bidi control (`E2 80 AA` to `E2 80 AE`, `E2 81 A6` to `E2 81 A9`). The
/// first two are single bytes, looked for a chunk at a time; for the others each `C2` and
/// `E2` byte (found with `memchr`) is looked at with the bytes after it.
pub(crate) fn has_forbidden_control(text: &str) -> bool {
    let bytes = text.as_bytes();
    // Long chunks: this also runs on whole lessons.
    bytes.chunks(8 * CHUNK).any(chunk_has_c0_or_del)
        || memchr::memchr2_iter(0xC2, 0xE2, bytes).any(|i| {
            let next = |k: usize| bytes.get(i + k).copied();
            match next(0) {
                Some(0xC2) => matches!(next(1), Some(0x80..=0x9F)),
                _ => matches!(
                    (next(1), next(2)),
                    (Some(0x80), Some(0xAA..=0xAE)) | (Some(0x81), Some(0xA6..=0xA9))
                ),
            }
        })
}

/// Does `chunk` hold an ASCII control other than tab and newline, or DEL? Without
/// branches, so that it is vectorised.
fn chunk_has_c0_or_del(chunk: &[u8]) -> bool {
    chunk.iter().fold(0u8, |found, &b| {
        found
            | (u8::from(b < 0x20) & u8::from(b != b'\t') & u8::from(b != b'\n'))
            | u8::from(b == 0x7F)
    }) != 0
}

/// The bytes looked at together by [`may_hold_controls`].
const CHUNK: usize = 32;

/// Could `text` hold a tab, a line break or a character [`sanitize`] removes? `false` is
/// certain: `text` has no byte below 0x20, no DEL and no `C2` or `E2` byte (with which
/// C1 and bidi controls start). Ordinary text, accented letters included, passes quickly.
#[must_use]
pub(crate) fn may_hold_controls(text: &str) -> bool {
    text.as_bytes().chunks(CHUNK).any(chunk_may_hold_controls)
}

/// [`may_hold_controls`] for one chunk, without branches so that it is vectorised.
fn chunk_may_hold_controls(chunk: &[u8]) -> bool {
    chunk.iter().fold(0u8, |found, &b| {
        found | u8::from(b < 0x20) | u8::from(b == 0x7F) | u8::from(b == 0xC2) | u8::from(b == 0xE2)
    }) != 0
}

/// Like [`sanitize`], and also turns tabs and line breaks into single spaces: for text that
/// must stay on one line (titles, option texts, ids, file names).
#[must_use]
pub fn sanitize_line(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        if c == '\t' || c == '\n' {
            out.push(' ');
        } else if !is_forbidden_control(c) {
            out.push(c);
        }
    }
    out
}

/// The number of terminal columns `text` takes, measured per grapheme cluster as ratatui
/// does (CJK and most emoji take two columns).
#[must_use]
pub fn display_width(text: &str) -> usize {
    if text.is_ascii() {
        return text.len();
    }
    // Most non-ASCII text (accented Latin letters, dashes, quotes, currency signs) is made
    // of characters that each form a grapheme cluster of their own: measure them one by
    // one and skip grapheme segmentation, which gives the same sum.
    let mut width = 0;
    for c in text.chars() {
        if !is_single_grapheme(c) {
            return text.graphemes(true).map(UnicodeWidthStr::width).sum();
        }
        width += single_width(c);
    }
    width
}

/// The width of a character that is a grapheme cluster of its own: as the string of that
/// one character measures (the tests compare every such character).
pub(crate) fn single_width(c: char) -> usize {
    if c.is_ascii() {
        // Controls are removed before anything is measured; as strings they count 1.
        return 1;
    }
    UnicodeWidthChar::width(c).unwrap_or(1)
}

/// Is `c` a grapheme cluster of its own next to any other such character? True for
/// characters whose grapheme-break property is "Other" or "Control" in these ranges (no
/// combining marks, joiners, regional indicators, Hangul jamo or Indic marks), and not for
/// CR, which joins a following LF.
pub(crate) fn is_single_grapheme(c: char) -> bool {
    c != '\r'
        && (c < '\u{300}'
            || matches!(c, '\u{2010}'..='\u{2027}' | '\u{2030}'..='\u{205E}' | '\u{20A0}'..='\u{20CF}'))
}

/// Shortens `text` to at most `max` columns, ending it with `…` when it was cut.
#[must_use]
pub fn truncate_to_width(text: &str, max: usize) -> Cow<'_, str> {
    if display_width(text) <= max {
        return Cow::Borrowed(text);
    }
    let mut out = String::new();
    let mut used = 0;
    let limit = max.saturating_sub(1);
    for g in text.graphemes(true) {
        let w = g.width();
        if used + w > limit {
            break;
        }
        used += w;
        out.push_str(g);
    }
    if max > 0 {
        out.push('…');
    }
    Cow::Owned(out)
}

/// Compares two file names in natural order: runs of digits compare by their value, so
/// `2-intro` sorts before `10-outro`; ties fall back to plain byte order.
#[must_use]
pub fn natural_cmp(a: &str, b: &str) -> Ordering {
    let (mut left, mut right) = (a.as_bytes(), b.as_bytes());
    loop {
        match (left.first(), right.first()) {
            (None, None) => return a.cmp(b),
            (None, Some(_)) => return Ordering::Less,
            (Some(_), None) => return Ordering::Greater,
            (Some(l), Some(r)) if l.is_ascii_digit() && r.is_ascii_digit() => {
                let (left_digits, left_rest) = split_digits(left);
                let (right_digits, right_rest) = split_digits(right);
                let (left_value, right_value) = (trim_zeros(left_digits), trim_zeros(right_digits));
                let by_value = left_value
                    .len()
                    .cmp(&right_value.len())
                    .then_with(|| left_value.cmp(right_value));
                if by_value != Ordering::Equal {
                    return by_value;
                }
                left = left_rest;
                right = right_rest;
            }
            (Some(l), Some(r)) => {
                if l != r {
                    return l.cmp(r);
                }
                left = left.get(1..).unwrap_or_default();
                right = right.get(1..).unwrap_or_default();
            }
        }
    }
}

fn split_digits(s: &[u8]) -> (&[u8], &[u8]) {
    let n = s.iter().take_while(|b| b.is_ascii_digit()).count();
    s.split_at(n)
}

fn trim_zeros(s: &[u8]) -> &[u8] {
    let n = s.iter().take_while(|&&b| b == b'0').count();
    s.get(n..).unwrap_or_default()
}

/// The id of a module folder or item file: its name without a numeric ordering prefix
/// (`01-`, `2_`, `3.`, `04 `) and without `suffix` (e.g. `.md`).
///
/// A name made only of a prefix keeps its digits, so the id is never empty unless the
/// name is.
#[must_use]
pub fn id_from_name<'a>(name: &'a str, suffix: &str) -> &'a str {
    let stem = name.strip_suffix(suffix).unwrap_or(name);
    let digits = stem.bytes().take_while(u8::is_ascii_digit).count();
    if digits > 0
        && let Some(rest) = stem.get(digits..)
        && let Some(rest) = rest.strip_prefix(['-', '_', '.', ' '])
        && !rest.is_empty()
    {
        return rest;
    }
    stem
}

/// Is `id` made of lowercase ASCII letters, digits, `-` and `_` (and not empty)?
#[must_use]
pub fn is_valid_id(id: &str) -> bool {
    !id.is_empty()
        && id
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-' || b == b'_')
}

/// The Levenshtein distance of two short strings, for "did you mean …?" hints.
#[must_use]
pub fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut row: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut prev = row.first().copied().unwrap_or(0);
        if let Some(first) = row.first_mut() {
            *first = i + 1;
        }
        for (j, cb) in b.iter().enumerate() {
            let cost = usize::from(ca != *cb);
            let (Some(&del), Some(&ins)) = (row.get(j + 1), row.get(j)) else {
                break;
            };
            let value = (del + 1).min(ins + 1).min(prev + cost);
            prev = del;
            if let Some(cell) = row.get_mut(j + 1) {
                *cell = value;
            }
        }
    }
    row.last().copied().unwrap_or(0)
}

/// The candidate closest to `word`, if it is close enough to be a likely typo.
#[must_use]
pub fn did_you_mean<'a>(word: &str, candidates: &[&'a str]) -> Option<&'a str> {
    candidates
        .iter()
        .map(|c| (edit_distance(word, c), *c))
        .filter(|(d, c)| *d <= 2.max(c.len() / 3) && *d < c.len())
        .min_by_key(|(d, _)| *d)
        .map(|(_, c)| c)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sanitize_removes_escape_sequences_and_keeps_text() {
        let hostile = "a\u{1b}[2Jb\u{1b}]52;c;SGVsbG8=\u{7}c\u{8}d\re\u{9b}31mf\u{7f}g\th\ni";
        assert_eq!(sanitize(hostile), "a[2Jb]52;c;SGVsbG8=cde31mfg\th\ni");
        assert!(matches!(sanitize("plain text ü"), Cow::Borrowed(_)));
        assert_eq!(sanitize("x\u{202E}cod.exe"), "xcod.exe");
    }

    #[test]
    fn the_byte_scan_finds_exactly_the_forbidden_characters() {
        for c in (0..=0x10_FFFF).filter_map(char::from_u32) {
            for text in [
                format!("{c}"),
                format!("a{c}"),
                format!("{}{c}", "x".repeat(31)),
                format!("{}{c}é", "x".repeat(40)),
            ] {
                assert_eq!(
                    has_forbidden_control(&text),
                    is_forbidden_control(c),
                    "U+{:04X} in {text:?}",
                    u32::from(c)
                );
            }
        }
    }

    #[test]
    fn the_quick_test_never_misses_a_control() {
        for c in (0..=0x10_FFFF).filter_map(char::from_u32) {
            let text = format!("{}{c}", "x".repeat(40));
            if is_forbidden_control(c) || c == '\t' || c == '\n' {
                assert!(may_hold_controls(&text), "U+{:04X}", u32::from(c));
            }
        }
        assert!(!may_hold_controls("Behörde, café, naïve: plain text ü"));
    }

    #[test]
    fn single_characters_measure_as_their_strings() {
        for c in (0..=0x10_FFFF)
            .filter_map(char::from_u32)
            .filter(|&c| is_single_grapheme(c))
        {
            assert_eq!(
                single_width(c),
                c.to_string().width(),
                "U+{:04X}",
                u32::from(c)
            );
        }
    }

    #[test]
    fn width_without_segmentation_matches_graphemes() {
        let singles: Vec<char> = (0..=0x10_FFFF)
            .filter_map(char::from_u32)
            .filter(|&c| is_single_grapheme(c))
            .collect();
        let by_graphemes =
            |s: &str| -> usize { s.graphemes(true).map(UnicodeWidthStr::width).sum() };
        for &c in &singles {
            for &d in singles.iter().step_by(7) {
                let text = format!("{c}{d}é");
                assert_eq!(text.graphemes(true).count(), 3, "{text:?}");
                assert_eq!(display_width(&text), by_graphemes(&text), "{text:?}");
            }
        }
        for text in [
            "e\u{301}x",
            "ü\u{308}",
            "a\r\nb—",
            "👍🏽 ok",
            "日本語 café",
            "🇩🇪€",
        ] {
            assert_eq!(display_width(text), by_graphemes(text), "{text:?}");
        }
    }

    #[test]
    fn sanitize_line_flattens_whitespace_controls() {
        assert_eq!(sanitize_line("a\tb\nc\u{1b}d"), "a b cd");
    }

    #[test]
    fn width_counts_wide_characters_twice() {
        assert_eq!(display_width("abc"), 3);
        assert_eq!(display_width("日本"), 4);
        assert_eq!(display_width("👍"), 2);
        assert_eq!(display_width("e\u{301}"), 1);
    }

    #[test]
    fn truncation_marks_the_cut() {
        assert_eq!(truncate_to_width("hello world", 8), "hello w…");
        assert_eq!(truncate_to_width("hello", 8), "hello");
        assert_eq!(truncate_to_width("日本語", 4), "日…");
    }

    #[test]
    fn natural_order_compares_numbers_by_value() {
        let mut names = vec!["10-end", "2-middle", "01-start", "b", "a2", "a10"];
        names.sort_by(|a, b| natural_cmp(a, b));
        assert_eq!(names, ["01-start", "2-middle", "10-end", "a2", "a10", "b"]);
        assert_eq!(natural_cmp("01-a", "1-a"), Ordering::Less);
    }

    #[test]
    fn ids_drop_numeric_prefixes_and_suffixes() {
        assert_eq!(id_from_name("01-passwords", ""), "passwords");
        assert_eq!(id_from_name("2_phishing.md", ".md"), "phishing");
        assert_eq!(id_from_name("03-check.quiz.toml", ".quiz.toml"), "check");
        assert_eq!(id_from_name("07.md", ".md"), "07");
        assert_eq!(id_from_name("2fa.md", ".md"), "2fa");
        assert_eq!(id_from_name("plain.md", ".md"), "plain");
    }

    #[test]
    fn suggestions_find_close_keys() {
        let keys = ["answer", "accept", "options", "explanation"];
        assert_eq!(did_you_mean("anwser", &keys), Some("answer"));
        assert_eq!(did_you_mean("explantion", &keys), Some("explanation"));
        assert_eq!(did_you_mean("zzz", &keys), None);
        assert_eq!(edit_distance("kitten", "sitting"), 3);
    }
}
