//! Everything `kurs validate` checks beyond loading: every item is read and parsed, and
//! every local link and image in a lesson must point at a file inside the course.

use pulldown_cmark::{Event, LinkType, Parser, Tag};

use super::loader::{lesson_front, read_text};
use super::source::LinkTarget;
use super::{Course, ItemKind, Library};
use crate::diagnostic::Diagnostic;
use crate::limits;
use crate::markdown;
use crate::quiz::{self, QuizDefaults};

/// The outcome of checking a library.
#[derive(Debug, Default)]
pub struct Report {
    /// How many courses were checked (loaded or not).
    pub courses: usize,
    /// How many lessons and quizzes were read.
    pub items: usize,
    /// Every problem, in the order found.
    pub diagnostics: Vec<Diagnostic>,
}

impl Report {
    /// The number of errors.
    #[must_use]
    pub fn errors(&self) -> usize {
        self.diagnostics.iter().filter(|d| d.is_error()).count()
    }

    /// The number of warnings.
    #[must_use]
    pub fn warnings(&self) -> usize {
        self.diagnostics.len() - self.errors()
    }
}

/// Checks every course of `library`, failed ones included.
#[must_use]
pub fn check_library(library: &Library) -> Report {
    let mut report = Report::default();
    for failed in &library.failed {
        report.courses += 1;
        report
            .diagnostics
            .extend(failed.diagnostics.iter().cloned());
        if let Some(outline) = &failed.outline {
            check_items(outline, &mut report);
        }
    }
    for course in &library.courses {
        report.courses += 1;
        report.diagnostics.extend(course.warnings.iter().cloned());
        check_items(course, &mut report);
    }
    report
}

/// Checks every lesson and quiz of `course`.
fn check_items(course: &Course, report: &mut Report) {
    for (_, _, item) in course.items() {
        report.items += 1;
        report
            .diagnostics
            .extend(check_item(course, &item.file, item.kind, &item.id));
    }
}

/// Reads, parses and checks one item, returning all its problems.
fn check_item(course: &Course, file: &str, kind: ItemKind, id: &str) -> Vec<Diagnostic> {
    let path = course.display_path(file);
    let max = match kind {
        ItemKind::Lesson => limits::MAX_LESSON_BYTES,
        ItemKind::Quiz => limits::MAX_TOML_BYTES,
    };
    let source = match read_text(&course.root, file, max) {
        Ok(s) => s,
        Err(d) => return vec![d],
    };
    match kind {
        ItemKind::Quiz => {
            let defaults = QuizDefaults {
                pass_mark: course.pass_mark,
            };
            quiz::parse(&path, &source, defaults).1
        }
        ItemKind::Lesson => match lesson_front(&path, &source, id) {
            Err(diagnostics) => diagnostics,
            Ok((_, _, body_offset)) => {
                let mut out = check_links(course, file, &path, &source, body_offset);
                if source
                    .get(body_offset..)
                    .unwrap_or_default()
                    .trim()
                    .is_empty()
                {
                    out.push(
                        Diagnostic::warning(&path, "the lesson is empty")
                            .hint("write the lesson, or remove the file until it is ready"),
                    );
                }
                out
            }
        },
    }
}

/// Checks the local links and images of a lesson.
fn check_links(
    course: &Course,
    file: &str,
    path: &str,
    source: &str,
    body_offset: usize,
) -> Vec<Diagnostic> {
    let body = source.get(body_offset..).unwrap_or_default();
    let from_dir = file.rsplit_once('/').map_or("", |(dir, _)| dir);
    let mut out = Vec::new();
    for (event, range) in Parser::new_ext(body, markdown::parser_options()).into_offset_iter() {
        let (dest, what) = match &event {
            // `<name@example.org>` is a mail link, not a file.
            Event::Start(Tag::Link {
                link_type: LinkType::Email,
                ..
            }) => continue,
            Event::Start(Tag::Link { dest_url, .. }) => (dest_url, "link"),
            Event::Start(Tag::Image { dest_url, .. }) => (dest_url, "image"),
            _ => continue,
        };
        let span = range.start + body_offset..range.end + body_offset;
        if dest
            .trim_start()
            .get(..5)
            .is_some_and(|s| s.eq_ignore_ascii_case("file:"))
        {
            out.push(
                Diagnostic::warning(
                    path,
                    format!("the {what} `{dest}` points to a file on the author's computer"),
                )
                .hint("learners' computers do not have it: copy the file into the course (e.g. assets/) and link to it relatively")
                .at(source, span),
            );
            continue;
        }
        let Some(mut target) = local_target(dest) else {
            continue;
        };
        if target.contains('\\') {
            // `images\\dialog.png` works on Windows only; the same path with `/` works
            // everywhere, in the bundled library too.
            let forward = target.replace('\\', "/");
            if course.root.resolve_link(&course.dir, from_dir, &forward) == LinkTarget::Found {
                out.push(
                    Diagnostic::warning(path, format!("the {what} `{target}` uses `\\`"))
                        .hint(format!("write `{forward}`: `\\` works on Windows only"))
                        .at(source, span.clone()),
                );
                target = forward;
            }
        }
        let problem = match course.root.resolve_link(&course.dir, from_dir, &target) {
            LinkTarget::Found => continue,
            LinkTarget::Missing => Diagnostic::error(path, format!("the {what} target `{target}` does not exist"))
                .hint("paths are relative to this lesson's folder; check the spelling, or add the file (e.g. under assets/)"),
            LinkTarget::Outside => Diagnostic::error(path, format!("the {what} target `{target}` is outside the course folder"))
                .hint("a course must carry its own files: copy it into the course (e.g. assets/) and link to that"),
        };
        out.push(problem.at(source, span));
    }
    out
}

/// The local file a link destination names, or `None` for web links, mail links and
/// anchors. Fragments and queries are dropped and `%20`-style escapes decoded.
fn local_target(dest: &str) -> Option<String> {
    let dest = dest.trim();
    if dest.is_empty() || dest.starts_with('#') {
        return None;
    }
    // A scheme (`https:`, `mailto:`) makes it a web link; a drive letter (`C:`) does not.
    if let Some((scheme, _)) = dest.split_once(':') {
        let is_scheme = scheme.len() > 1
            && scheme.starts_with(|c: char| c.is_ascii_alphabetic())
            && scheme
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || "+-.".contains(c));
        if is_scheme {
            return None;
        }
    }
    let path = dest.split(['#', '?']).next().unwrap_or(dest);
    Some(percent_decode(path))
}

fn percent_decode(s: &str) -> String {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while let Some(&b) = bytes.get(i) {
        let hex = bytes
            .get(i + 1..i + 3)
            .and_then(|h| std::str::from_utf8(h).ok())
            .and_then(|h| u8::from_str_radix(h, 16).ok());
        if let (b'%', Some(v)) = (b, hex) {
            out.push(v);
            i += 3;
        } else {
            out.push(b);
            i += 1;
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_local_destinations_are_checked() {
        assert_eq!(local_target("https://example.org/x"), None);
        assert_eq!(local_target("mailto:a@example.org"), None);
        assert_eq!(local_target("#section"), None);
        assert_eq!(
            local_target("assets/a%20b.png#top").as_deref(),
            Some("assets/a b.png")
        );
        assert_eq!(local_target("../x.txt?v=1").as_deref(), Some("../x.txt"));
        assert_eq!(local_target("C:/x.txt").as_deref(), Some("C:/x.txt"));
    }
}
