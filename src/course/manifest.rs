//! The raw TOML shapes of `course.toml`, `module.toml` and lesson front matter, and the
//! conversion of TOML errors into diagnostics.
//!
//! Raw types are strict (`deny_unknown_fields`); the loader turns them into the clean
//! model types of [`crate::course`] after its own checks.

use std::ops::Range;

use serde::Deserialize;
use toml::Spanned;

use crate::diagnostic::Diagnostic;
use crate::text::did_you_mean;

/// `course.toml` as written.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawCourse {
    /// Course-pack format version (only 1 exists).
    pub format: Option<Spanned<i64>>,
    /// Course id; default: the folder name.
    pub id: Option<Spanned<String>>,
    /// The title shown in the catalogue (required).
    pub title: Spanned<String>,
    /// One or two sentences for the catalogue.
    pub description: Option<String>,
    /// The course's own version.
    pub version: Option<String>,
    /// BCP 47 language tag.
    pub language: Option<Spanned<String>>,
    /// Who wrote it.
    pub authors: Option<Vec<String>>,
    /// The content licence.
    pub license: Option<String>,
    /// Estimated minutes.
    pub minutes: Option<u32>,
    /// Modules open one after the other.
    pub sequential: Option<bool>,
    /// Default pass mark for its quizzes.
    pub pass_mark: Option<Spanned<f64>>,
    /// The id of the course this one is another language's edition of.
    pub translation_of: Option<Spanned<String>>,
}

/// The keys `course.toml` accepts (for hints).
pub const COURSE_KEYS: &[&str] = &[
    "format",
    "id",
    "title",
    "description",
    "version",
    "language",
    "authors",
    "license",
    "minutes",
    "sequential",
    "pass_mark",
    "translation_of",
];

/// `module.toml` as written (all optional).
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawModule {
    /// The module's title; default: from the folder name.
    pub title: Option<String>,
    /// A sentence or two shown on the course screen.
    pub description: Option<String>,
    /// Modules that must be complete before this one opens.
    pub requires: Option<Spanned<Vec<Spanned<String>>>>,
}

/// The keys `module.toml` accepts.
pub const MODULE_KEYS: &[&str] = &["title", "description", "requires"];

/// Lesson front matter (between `+++` lines).
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawFrontMatter {
    /// The lesson's title.
    pub title: Option<String>,
    /// Estimated minutes.
    pub minutes: Option<u32>,
}

/// The keys front matter accepts.
pub const FRONT_MATTER_KEYS: &[&str] = &["title", "minutes"];

/// Parses `text` (found at byte `offset` of `source`) as TOML into `T`, turning a failure
/// into a diagnostic on `path` that points at the problem and suggests a fix.
///
/// # Errors
/// The diagnostic describing the first TOML or schema error.
pub fn parse_toml<T: serde::de::DeserializeOwned>(
    path: &str,
    source: &str,
    text: &str,
    offset: usize,
    keys: &[&str],
) -> Result<T, Diagnostic> {
    toml::from_str(text).map_err(|e| {
        let span = e.span().map(|r| shift(r, offset));
        toml_diagnostic(path, source, e.message(), span, keys)
    })
}

fn shift(range: Range<usize>, offset: usize) -> Range<usize> {
    range.start + offset..range.end + offset
}

/// Builds the diagnostic for a TOML error `message`, with a hint for unknown keys.
#[must_use]
pub fn toml_diagnostic(
    path: &str,
    source: &str,
    message: &str,
    span: Option<Range<usize>>,
    keys: &[&str],
) -> Diagnostic {
    let message = message.trim();
    if let Some(key) = message
        .strip_prefix("unknown field `")
        .and_then(|rest| rest.split('`').next())
    {
        let allowed = keys.join(", ");
        let hint = match did_you_mean(key, keys) {
            Some(close) => format!("did you mean `{close}`? Allowed keys: {allowed}"),
            None => format!("allowed keys: {allowed}"),
        };
        return Diagnostic::error(path, format!("unknown key `{key}`"))
            .at_opt(source, span)
            .hint(hint);
    }
    if let Some(field) = message
        .strip_prefix("missing field `")
        .and_then(|rest| rest.split('`').next())
    {
        return Diagnostic::error(path, format!("missing key `{field}`"))
            .at_opt(source, span)
            .hint(format!("add a line `{field} = …`"));
    }
    let first_line = plain_types(message.lines().next().unwrap_or(message));
    let diagnostic = Diagnostic::error(path, &first_line).at_opt(source, span);
    if message.starts_with("invalid type") || message.starts_with("invalid value") {
        diagnostic
            .hint("check the value's type: text in \"quotes\", numbers and true/false without")
    } else {
        diagnostic
    }
}

/// A lesson split into front matter and body.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct LessonParts<'a> {
    /// The front matter's TOML and its byte offset in the file, when there is one.
    pub front_matter: Option<(&'a str, usize)>,
    /// The byte offset of the Markdown body.
    pub body_offset: usize,
}

/// Front matter opened with `+++` and never closed.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct UnclosedFrontMatter;

/// Says Rust's type names in words an author knows: "expected u32" → "expected a whole
/// number".
fn plain_types(message: &str) -> String {
    let mut text = message.to_owned();
    for (rust, plain) in [
        ("expected u32", "expected a whole number"),
        ("expected u64", "expected a whole number"),
        ("expected i64", "expected a whole number"),
        ("expected f64", "expected a number"),
        ("expected a sequence", "expected a list [ … ]"),
        ("expected a boolean", "expected true or false"),
        ("expected a string", "expected text in quotes"),
        ("invalid type: sequence", "invalid type: a list"),
        ("invalid type: map", "invalid type: a table"),
    ] {
        text = text.replace(rust, plain);
    }
    text
}

/// Splits a lesson into front matter and body. A lesson without front matter has no
/// front matter and its body starts at 0.
///
/// # Errors
/// When front matter is opened with `+++` but never closed.
pub fn split_front_matter(source: &str) -> Result<LessonParts<'_>, UnclosedFrontMatter> {
    let none = LessonParts {
        front_matter: None,
        body_offset: 0,
    };
    let Some(first_end) = source.find('\n') else {
        return Ok(none);
    };
    if source.get(..first_end).map(str::trim_end) != Some("+++") {
        return Ok(none);
    }
    let start = first_end + 1;
    let mut pos = start;
    while pos <= source.len() {
        let rest = source.get(pos..).unwrap_or_default();
        let line_end = rest.find('\n').map_or(source.len(), |i| pos + i);
        let line = source.get(pos..line_end).unwrap_or_default();
        if line.trim_end() == "+++" {
            let text = source.get(start..pos).unwrap_or_default();
            return Ok(LessonParts {
                front_matter: Some((text, start)),
                body_offset: (line_end + 1).min(source.len()),
            });
        }
        if line_end >= source.len() {
            break;
        }
        pos = line_end + 1;
    }
    Err(UnclosedFrontMatter)
}

/// The text of the first level-one ATX heading (`# Title`) of a Markdown body, skipping
/// fenced code blocks.
#[must_use]
pub fn first_heading(body: &str) -> Option<&str> {
    let mut fence: Option<&str> = None;
    for line in body.lines() {
        let trimmed = line.trim_start();
        for marker in ["```", "~~~"] {
            if trimmed.starts_with(marker) {
                fence = match fence {
                    Some(open) if open == marker => None,
                    None => Some(marker),
                    other => other,
                };
            }
        }
        if fence.is_some() {
            continue;
        }
        if let Some(rest) = trimmed.strip_prefix("# ") {
            let title = rest.trim().trim_end_matches('#').trim();
            if !title.is_empty() {
                return Some(title);
            }
        }
    }
    None
}

/// A readable title from an id: `why-it-matters` → `Why it matters`.
#[must_use]
pub fn title_from_id(id: &str) -> String {
    let spaced = id.replace(['-', '_'], " ");
    let mut chars = spaced.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

/// Is `tag` a plausible BCP 47 language tag (`en`, `de-AT`, `zh-Hant-TW`)?
#[must_use]
pub fn is_language_tag(tag: &str) -> bool {
    let mut parts = tag.split('-');
    let primary_ok = parts
        .next()
        .is_some_and(|p| (2..=3).contains(&p.len()) && p.bytes().all(|b| b.is_ascii_alphabetic()));
    primary_ok
        && parts.all(|p| (1..=8).contains(&p.len()) && p.bytes().all(|b| b.is_ascii_alphanumeric()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn front_matter_is_split_off() {
        let src = "+++\ntitle = \"T\"\n+++\n# Body\n";
        let parts = split_front_matter(src).expect("closed");
        assert_eq!(parts.front_matter, Some(("title = \"T\"\n", 4)));
        assert_eq!(src.get(parts.body_offset..), Some("# Body\n"));
        let none = split_front_matter("# No front matter\n").expect("no front matter");
        assert_eq!((none.front_matter, none.body_offset), (None, 0));
        assert_eq!(
            split_front_matter("+++\ntitle = 1\n"),
            Err(UnclosedFrontMatter)
        );
        let crlf = "+++\r\ntitle = \"T\"\r\n+++\r\nBody";
        let parts = split_front_matter(crlf).expect("closed");
        assert!(parts.front_matter.is_some());
        assert_eq!(crlf.get(parts.body_offset..), Some("Body"));
    }

    #[test]
    fn first_heading_skips_code() {
        assert_eq!(
            first_heading("```\n# not this\n```\n# Real title #\n"),
            Some("Real title")
        );
        assert_eq!(first_heading("## Sub\ntext"), None);
    }

    #[test]
    fn unknown_keys_get_a_suggestion() {
        #[derive(Debug, Deserialize)]
        #[serde(deny_unknown_fields)]
        #[allow(dead_code)]
        struct T {
            title: String,
        }
        let src = "title = \"x\"\ntilte = \"y\"\n";
        let err = parse_toml::<T>("f.toml", src, src, 0, &["title"]).expect_err("unknown key");
        assert_eq!(err.message, "unknown key `tilte`");
        assert_eq!(
            err.location.as_ref().map(|l| (l.line, l.column)),
            Some((2, 1))
        );
        assert!(
            err.hint
                .as_deref()
                .is_some_and(|h| h.contains("did you mean `title`"))
        );
    }

    #[test]
    fn language_tags() {
        assert!(is_language_tag("en"));
        assert!(is_language_tag("de-AT"));
        assert!(!is_language_tag("english language"));
        assert!(!is_language_tag(""));
    }

    #[test]
    fn titles_from_ids() {
        assert_eq!(title_from_id("why-it-matters"), "Why it matters");
    }
}
