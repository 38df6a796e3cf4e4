//! The bundled library meets its brief: every course in English and German, at least
//! three modules each, a quiz in every module, every question type somewhere,
//! explanations and feedback everywhere, lessons of a readable length that end with key
//! points and sources, German typography in the German courses.
//! It also keeps the size table in the README up to date: run with
//! `KURS_UPDATE_README=1` to rewrite it.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    clippy::missing_panics_doc,
    clippy::must_use_candidate,
    clippy::format_collect,
    clippy::map_unwrap_or,
    missing_docs
)]

use std::collections::BTreeSet;
use std::fmt::Write as _;

use kurs::course::{Course, ItemContent, Library, Root};
use kurs::quiz::{QuestionKind, Quiz};

fn library() -> Library {
    let library = Library::load(&[Root::Embedded]);
    assert!(
        library.failed.is_empty(),
        "no course fails: {:?}",
        library.failed
    );
    library
}

fn quizzes(course: &Course) -> Vec<Quiz> {
    course
        .items()
        .filter_map(|(pos, _, _)| match course.load_item(pos) {
            Ok(ItemContent::Quiz(q)) => Some(q),
            _ => None,
        })
        .collect()
}

fn lessons(course: &Course) -> Vec<(String, String)> {
    course
        .items()
        .filter_map(|(pos, m, i)| match course.load_item(pos) {
            Ok(ItemContent::Lesson(l)) => Some((
                format!("{}/{}/{}", course.id, m.id, i.id),
                l.markdown.into_owned(),
            )),
            _ => None,
        })
        .collect()
}

fn words(text: &str) -> usize {
    text.split_whitespace()
        .filter(|w| w.chars().any(char::is_alphanumeric))
        .count()
}

/// Every course of the library, in catalogue order, with its language.
const COURSES: &[(&str, &str)] = &[
    ("getting-started", "en"),
    ("security-at-work", "en"),
    ("data-protection", "en"),
    ("information-literacy", "en"),
    ("collaboration", "en"),
    ("accessible-services", "en"),
    ("ai-at-work", "en"),
    ("kurs-einstieg", "de"),
    ("sicherheit-am-arbeitsplatz", "de"),
    ("datenschutz", "de"),
    ("informationskompetenz", "de"),
    ("zusammenarbeit", "de"),
    ("barrierefreie-verwaltung", "de"),
    ("ki-am-arbeitsplatz", "de"),
    ("digital-public-services", "en"),
    ("participation", "en"),
    ("working-with-data", "en"),
    ("digitale-verwaltung", "de"),
    ("beteiligung", "de"),
    ("mit-daten-arbeiten", "de"),
];

#[test]
fn the_courses_are_there_in_order() {
    let library = library();
    let found: Vec<(&str, &str)> = library
        .courses
        .iter()
        .map(|c| (c.id.as_str(), c.language.as_str()))
        .collect();
    assert_eq!(found, COURSES);
    for course in &library.courses {
        assert_eq!(
            course.sequential,
            matches!(course.id.as_str(), "getting-started" | "kurs-einstieg"),
            "{}: only the two getting-started courses are sequential",
            course.id
        );
    }
}

/// Every course exists in English and in German: each German course names its English
/// edition with `translation_of`, and every English course has exactly one German one.
#[test]
fn every_course_exists_in_both_languages() {
    let library = library();
    for course in &library.courses {
        match course.language.as_str() {
            "de" => {
                let original = course.translation_of.as_deref().unwrap_or_else(|| {
                    panic!("{}: a German edition names its original", course.id)
                });
                let english = library
                    .course(original)
                    .unwrap_or_else(|| panic!("{}: no course {original}", course.id));
                assert_eq!(english.language, "en", "{}", course.id);
                assert_eq!(
                    english.modules.len(),
                    course.modules.len(),
                    "{}: the same modules as {original}",
                    course.id
                );
            }
            "en" => {
                let editions = library
                    .courses
                    .iter()
                    .filter(|c| c.translation_of.as_deref() == Some(&course.id))
                    .count();
                assert_eq!(editions, 1, "{}: one German edition", course.id);
                assert_eq!(course.translation_of, None, "{}", course.id);
            }
            other => panic!("{}: language {other}", course.id),
        }
    }
}

/// German courses use German typography and keep no English leftovers: quotation marks
/// „…“ (never straight double quotes in prose or quiz texts), a non-breaking space before
/// %, and German headings.
#[test]
fn german_courses_use_german_typography() {
    for course in library().courses.iter().filter(|c| c.language == "de") {
        for (id, text) in lessons(course) {
            let prose = without_code(&text);
            assert!(!prose.contains('"'), "{id}: straight double quote; use „…“");
            for english in ["## Key points", "## Sources", "Learning objectives"] {
                assert!(
                    !text.contains(english),
                    "{id}: English leftover {english:?}"
                );
            }
            assert!(
                !prose
                    .as_bytes()
                    .windows(3)
                    .any(|w| w[0].is_ascii_digit() && w[1] == b' ' && w[2] == b'%'),
                "{id}: a non-breaking space goes before %"
            );
        }
        for quiz in quizzes(course) {
            for q in &quiz.questions {
                let mut texts = vec![q.prompt.clone()];
                texts.extend(q.explanation.clone());
                texts.extend(q.hints.iter().cloned());
                if let QuestionKind::Single { options } | QuestionKind::Multiple { options } =
                    &q.kind
                {
                    for o in options {
                        texts.push(o.text.clone());
                        texts.extend(o.feedback.clone());
                    }
                }
                for text in texts {
                    assert!(
                        !without_code(&text).contains('"'),
                        "{}/{}/{}: straight double quote; use „…“: {text}",
                        course.id,
                        quiz.title,
                        q.id
                    );
                }
            }
        }
    }
}

/// Markdown text without code blocks and code spans (where straight quotes belong).
fn without_code(text: &str) -> String {
    let mut out = String::new();
    let mut fenced = false;
    for line in text.lines() {
        if line.trim_start().starts_with("```") {
            fenced = !fenced;
            continue;
        }
        if !fenced {
            let mut in_span = false;
            for part in line.split('`') {
                if !in_span {
                    out.push_str(part);
                }
                in_span = !in_span;
            }
            out.push('\n');
        }
    }
    out
}

/// The subject-matter review's correction is visible: the AI Act lesson gives the dates
/// of the adopted Digital Omnibus and no longer calls it a proposal.
#[test]
fn the_ai_act_lesson_gives_the_adopted_dates() {
    let library = library();
    let course = library.course("ai-at-work").expect("ai-at-work");
    let (_, lesson) = lessons(course)
        .into_iter()
        .find(|(id, _)| id.ends_with("eu-ai-act/when-the-rules-apply"))
        .expect("the timeline lesson");
    for date in [
        "2 December 2026",
        "2 December 2027",
        "2 August 2028",
        "2026/1744",
    ] {
        assert!(lesson.contains(date), "the lesson gives {date}");
    }
    let lower = lesson.to_lowercase();
    assert!(
        !lower.contains("proposal"),
        "the Omnibus is no longer a proposal"
    );
    assert!(!lower.contains("as of november 2026"));
}

#[test]
fn every_course_has_modules_with_lessons_and_a_quiz() {
    for course in &library().courses {
        assert!(
            (3..=6).contains(&course.modules.len()),
            "{}: {} modules",
            course.id,
            course.modules.len()
        );
        for module in &course.modules {
            let quizzes = module
                .items
                .iter()
                .filter(|i| i.kind == kurs::course::ItemKind::Quiz)
                .count();
            let lessons = module.items.len() - quizzes;
            assert_eq!(quizzes, 1, "{}/{}: one quiz", course.id, module.id);
            assert!(
                (2..=4).contains(&lessons),
                "{}/{}: {lessons} lessons",
                course.id,
                module.id
            );
            assert_eq!(
                module.items.last().map(|i| i.kind),
                Some(kurs::course::ItemKind::Quiz),
                "{}/{}: the quiz comes last",
                course.id,
                module.id
            );
        }
        assert!(
            course.version.is_some() && course.minutes.is_some(),
            "{}: version and minutes",
            course.id
        );
        assert_eq!(
            course.license.as_deref(),
            Some("CC-BY-4.0"),
            "{}",
            course.id
        );
        assert_eq!(course.authors, ["kurs contributors"], "{}", course.id);
    }
}

#[test]
fn quizzes_explain_every_answer_and_use_every_type() {
    let mut types = BTreeSet::new();
    for course in &library().courses {
        for quiz in quizzes(course) {
            assert!(
                (5..=10).contains(&quiz.questions.len()),
                "{}/{}: {} questions",
                course.id,
                quiz.title,
                quiz.questions.len()
            );
            let kinds: BTreeSet<&str> = quiz.questions.iter().map(|q| q.kind.name()).collect();
            assert!(
                kinds.len() >= 2,
                "{}/{}: several question types",
                course.id,
                quiz.title
            );
            for q in &quiz.questions {
                types.insert(q.kind.name());
                assert!(
                    q.explanation.as_ref().is_some_and(|e| !e.trim().is_empty()),
                    "{}/{}/{}: an explanation",
                    course.id,
                    quiz.title,
                    q.id
                );
                if let QuestionKind::Single { options } | QuestionKind::Multiple { options } =
                    &q.kind
                {
                    for o in options.iter().filter(|o| !o.correct) {
                        assert!(
                            o.feedback.is_some(),
                            "{}/{}/{}: feedback for \"{}\"",
                            course.id,
                            quiz.title,
                            q.id,
                            o.text
                        );
                    }
                }
            }
        }
    }
    assert_eq!(types.len(), 7, "every question type occurs: {types:?}");
}

#[test]
fn lessons_are_readable_and_end_with_key_points_and_sources() {
    for course in &library().courses {
        let (points, sources) = if course.language == "de" {
            ("## Das Wichtigste", "## Quellen")
        } else {
            ("## Key points", "## Sources")
        };
        for (id, text) in lessons(course) {
            let n = words(&text);
            assert!((250..=950).contains(&n), "{id}: {n} words");
            let p = text
                .find(points)
                .unwrap_or_else(|| panic!("{id}: no \"{points}\""));
            let s = text
                .find(sources)
                .unwrap_or_else(|| panic!("{id}: no \"{sources}\""));
            assert!(p < s, "{id}: key points before sources");
            assert!(
                !text[s + sources.len()..].contains("\n## "),
                "{id}: the sources are the last section"
            );
        }
    }
}

#[test]
fn every_lesson_fits_80_columns() {
    use kurs::markdown::{RenderOptions, render};
    for course in &library().courses {
        for (id, text) in lessons(course) {
            for line in &render(&text, RenderOptions::new(78)) {
                let plain = line.plain();
                assert!(
                    !plain.ends_with('→') || !plain.starts_with("  "),
                    "{id}: code clipped at 80 columns: {plain}"
                );
            }
        }
    }
}

/// The library's size as a Markdown table, with each course's other-language edition.
fn size_table() -> String {
    let library = library();
    let edition = |id: &str, of: Option<&str>| -> String {
        of.map(str::to_owned)
            .or_else(|| {
                library
                    .courses
                    .iter()
                    .find(|c| c.translation_of.as_deref() == Some(id))
                    .map(|c| c.id.clone())
            })
            .map_or_else(String::new, |other| format!("`{other}`"))
    };
    let mut table = String::from(
        "| Course | Id | Language | Other edition | Modules | Lessons | Quizzes | Questions | Words | Minutes |\n|---|---|---|---|--:|--:|--:|--:|--:|--:|\n",
    );
    let mut totals = [0usize; 6];
    for course in &library.courses {
        let lessons = lessons(course);
        let quizzes = quizzes(course);
        let questions: usize = quizzes.iter().map(|q| q.questions.len()).sum();
        let words: usize = lessons.iter().map(|(_, t)| words(t)).sum();
        let minutes = course.minutes.unwrap_or(0) as usize;
        let row = [
            course.modules.len(),
            lessons.len(),
            quizzes.len(),
            questions,
            words,
            minutes,
        ];
        for (t, r) in totals.iter_mut().zip(row) {
            *t += r;
        }
        let _ = writeln!(
            table,
            "| {} | `{}` | {} | {} | {} | {} | {} | {} | {} | {} |",
            course.title,
            course.id,
            course.language,
            edition(&course.id, course.translation_of.as_deref()),
            row[0],
            row[1],
            row[2],
            row[3],
            row[4],
            row[5]
        );
    }
    let _ = writeln!(
        table,
        "| **All {} courses** | | | | {} | {} | {} | {} | {} | {} |",
        library.courses.len(),
        totals[0],
        totals[1],
        totals[2],
        totals[3],
        totals[4],
        totals[5]
    );
    table
}

/// The README and courses/README.md both show the library's size table; run with
/// `KURS_UPDATE_README=1` to rewrite them.
#[test]
fn the_readmes_show_the_library_size() {
    const START: &str = "<!-- library-size -->\n";
    const END: &str = "<!-- /library-size -->";
    let table = size_table();
    println!("{table}");
    for file in ["README.md", "courses/README.md"] {
        let readme = std::fs::read_to_string(file).expect(file);
        let (Some(start), Some(end)) = (readme.find(START), readme.find(END)) else {
            panic!("{file} has no {START:?} … {END:?} section");
        };
        let current = &readme[start + START.len()..end];
        if current == table {
            continue;
        }
        if std::env::var_os("KURS_UPDATE_README").is_some() {
            let updated = format!("{}{START}{table}{}", &readme[..start], &readme[end..]);
            std::fs::write(file, updated).expect(file);
        } else {
            panic!(
                "the size table in {file} is out of date; run `KURS_UPDATE_README=1 cargo test --test library`:\n{table}"
            );
        }
    }
}
