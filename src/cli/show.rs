//! `kurs show`: a lesson rendered for the terminal, a quiz's questions, or an outline.

use std::fmt::Write as _;
use std::io::{self, IsTerminal, Write};
use std::process::ExitCode;

use anyhow::{Result, bail};

use super::ansi;
use crate::course::{Course, ItemContent, ItemKind, Root, load_one};
use crate::i18n::Strings;
use crate::markdown::{Lines, RenderOptions, render};
use crate::quiz::{FeedbackMode, QuestionKind, Quiz, shuffle};
use crate::text::did_you_mean;

/// The widest text `show` lays out by default, for comfortable reading.
const MAX_DEFAULT_WIDTH: u16 = 100;

/// Prints `path` (`COURSE`, `COURSE/MODULE` or `COURSE/MODULE/ITEM`).
///
/// # Errors
/// Unknown ids (with a suggestion), an item that does not load, or output failures.
pub fn run(
    roots: &[Root],
    path: &str,
    width: Option<u16>,
    plain: bool,
    s: &Strings,
) -> Result<ExitCode> {
    let parts: Vec<&str> = path.trim_matches('/').split('/').collect();
    let (course_id, module_id, item_id) = match parts.as_slice() {
        [c] => (*c, None, None),
        [c, m] => (*c, Some(*m), None),
        [c, m, i] => (*c, Some(*m), Some(*i)),
        _ => bail!(s.fmt("cli.bad_path", &[("path", path)])),
    };
    let library = load_one(roots, course_id);
    let Some(course) = library.course(course_id) else {
        let all = crate::course::load_library(roots);
        let ids: Vec<&str> = all.courses.iter().map(|c| c.id.as_str()).collect();
        bail!(s.fmt(
            "cli.no_course",
            &[("id", course_id), ("hint", &hint(s, course_id, &ids))]
        ));
    };
    let terminal = io::stdout().is_terminal();
    let color = terminal && !plain && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty());
    let width = usize::from(width.unwrap_or(if terminal {
        crate::cli::terminal_width().min(MAX_DEFAULT_WIDTH)
    } else {
        80
    }));
    let options = RenderOptions {
        width,
        ascii: false,
    };

    let lines = match (module_id, item_id) {
        (None, _) => render(&outline(course, None, s), options),
        (Some(m), None) => {
            find_module(course, m, s)?;
            render(&outline(course, Some(m), s), options)
        }
        (Some(m), Some(i)) => {
            let module = find_module(course, m, s)?;
            let Some(pos) = course.find(m, i) else {
                let ids: Vec<&str> = module.items.iter().map(|it| it.id.as_str()).collect();
                bail!(s.fmt(
                    "cli.no_item",
                    &[
                        ("module", m),
                        ("course", course_id),
                        ("id", i),
                        ("hint", &hint(s, i, &ids))
                    ]
                ));
            };
            match course.load_item(pos) {
                Ok(ItemContent::Lesson(lesson)) => {
                    let mut text = String::new();
                    if crate::course::manifest::first_heading(&lesson.markdown).is_none() {
                        let _ = write!(text, "# {}\n\n", escape(&lesson.title));
                    }
                    text.push_str(&lesson.markdown);
                    render(&text, options)
                }
                Ok(ItemContent::Quiz(quiz)) => render(&quiz_markdown(&quiz, s), options),
                Err(diagnostics) => {
                    let mut err = io::stderr().lock();
                    for d in &diagnostics {
                        writeln!(err, "{d}")?;
                    }
                    bail!(s.get("cli.item_errors").to_owned());
                }
            }
        }
    };
    print_lines(&lines, color)?;
    Ok(ExitCode::SUCCESS)
}

/// "did you mean `x`?", or the ids there are.
fn hint(s: &Strings, wanted: &str, ids: &[&str]) -> String {
    match did_you_mean(wanted, ids) {
        Some(close) => s.fmt("cli.did_you_mean", &[("id", close)]),
        None => ids.join(", "),
    }
}

fn find_module<'a>(course: &'a Course, id: &str, s: &Strings) -> Result<&'a crate::course::Module> {
    if let Some(m) = course.modules.iter().find(|m| m.id == id) {
        return Ok(m);
    }
    let ids: Vec<&str> = course.modules.iter().map(|m| m.id.as_str()).collect();
    bail!(s.fmt(
        "cli.no_module",
        &[
            ("course", &course.id),
            ("id", id),
            ("hint", &hint(s, id, &ids))
        ]
    ))
}

fn print_lines(lines: &Lines, color: bool) -> io::Result<()> {
    let mut out = io::BufWriter::new(io::stdout().lock());
    for line in lines {
        writeln!(out, "{}", ansi::render(line, color))?;
    }
    out.flush()
}

/// Escapes Markdown punctuation so plain text (titles, options) shows as written.
fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        if c.is_ascii_punctuation() {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

/// The course (or one module) as Markdown: titles with the ids to pass to `kurs show`.
fn outline(course: &Course, only_module: Option<&str>, s: &Strings) -> String {
    let mut md = String::new();
    let _ = writeln!(md, "# {}\n", escape(&course.title));
    if !course.description.is_empty() {
        let _ = writeln!(md, "{}\n", escape(&course.description));
    }
    for (index, module) in course.modules.iter().enumerate() {
        if only_module.is_some_and(|m| m != module.id) {
            continue;
        }
        let _ = writeln!(md, "## {}. {}\n", index + 1, escape(&module.title));
        if let Some(d) = &module.description {
            let _ = writeln!(md, "{}\n", escape(d));
        }
        for (i, item) in module.items.iter().enumerate() {
            let pos = crate::course::ItemPos {
                module: index,
                item: i,
            };
            let title = course.load_item(pos).map_or_else(
                |_| s.get("cli.item_has_errors").to_owned(),
                |c| c.title().to_owned(),
            );
            let kind = match item.kind {
                ItemKind::Lesson => s.get("course.lesson"),
                ItemKind::Quiz => s.get("course.quiz"),
            };
            let path = format!("{}/{}/{}", course.id, module.id, item.id);
            let line = s.fmt(
                "cli.outline_item",
                &[("title", &escape(&title)), ("kind", kind), ("path", &path)],
            );
            let _ = writeln!(md, "- {line}");
        }
        md.push('\n');
    }
    md
}

/// A quiz's questions as Markdown, without the answers. Order and match entries are
/// shown in a fixed shuffled order, as a learner would see them.
fn quiz_markdown(quiz: &Quiz, s: &Strings) -> String {
    let mut md = String::new();
    let _ = writeln!(md, "# {}\n", escape(&quiz.title));
    let total = quiz.questions.len();
    let attempts = quiz.max_attempts.map_or_else(
        || s.get("cli.unlimited_attempts").to_owned(),
        |n| s.fmt("cli.attempts", &[("n", &n.to_string())]),
    );
    let feedback = match quiz.feedback {
        FeedbackMode::Immediate => s.get("cli.feedback_immediate"),
        FeedbackMode::Deferred => s.get("cli.feedback_deferred"),
    };
    let summary = s.fmt(
        "cli.quiz_summary",
        &[
            ("n", &total.to_string()),
            ("percent", &s.percent(quiz.pass_mark)),
            ("attempts", &attempts),
            ("feedback", feedback),
        ],
    );
    let _ = writeln!(md, "{summary}\n");
    for (n, q) in quiz.questions.iter().enumerate() {
        let one = (q.points - 1.0).abs() < f64::EPSILON;
        let points = s.fmt(
            if one { "quiz.one_point" } else { "quiz.points" },
            &[("n", &s.number(q.points))],
        );
        let kind = s.get(&format!("quiz.kind.{}", q.kind.name())).to_owned();
        let heading = s.fmt(
            "quiz.question_of",
            &[("n", &(n + 1).to_string()), ("total", &total.to_string())],
        );
        let _ = writeln!(md, "## {heading} · {kind} · {points}\n");
        let _ = writeln!(md, "{}\n", q.prompt);
        let order = shuffle::display_order(q, 0, false);
        match &q.kind {
            QuestionKind::Single { options } | QuestionKind::Multiple { options } => {
                for o in options {
                    let _ = writeln!(md, "- {}", escape(&o.text));
                }
            }
            QuestionKind::TrueFalse { .. } => {
                let _ = writeln!(md, "- {}\n- {}", s.get("quiz.true"), s.get("quiz.false"));
            }
            QuestionKind::Short { .. } => {
                let _ = writeln!(md, "*{}*", s.get("cli.typed_answer"));
            }
            QuestionKind::Numeric { .. } => {
                let _ = writeln!(md, "*{}*", s.get("cli.typed_number"));
            }
            QuestionKind::Order { items } => {
                for i in &order {
                    if let Some(item) = items.get(*i) {
                        let _ = writeln!(md, "- {}", escape(item));
                    }
                }
            }
            QuestionKind::Match { pairs } => {
                let _ = writeln!(md, "{}\n|---|---|", s.get("cli.match_header"));
                for (left, right) in pairs.iter().zip(&order) {
                    let partner = pairs
                        .get(*right)
                        .map(|p| p.right.as_str())
                        .unwrap_or_default();
                    let _ = writeln!(md, "| {} | {} |", escape(&left.left), escape(partner));
                }
            }
        }
        match q.hints.len() {
            0 => {}
            1 => {
                let _ = writeln!(md, "\n*{}*", s.get("cli.hint_available"));
            }
            n => {
                let _ = writeln!(
                    md,
                    "\n*{}*",
                    s.fmt("cli.hints_available", &[("n", &n.to_string())])
                );
            }
        }
        md.push('\n');
    }
    md
}
