//! `kurs show`: a lesson rendered for the terminal, a quiz's questions, or an outline.

use std::fmt::Write as _;
use std::io::{self, IsTerminal, Write};
use std::process::ExitCode;

use anyhow::{Result, bail};

use super::ansi;
use crate::course::{Course, ItemContent, ItemKind, Root, load_one};
use crate::markdown::{Line, RenderOptions, render};
use crate::quiz::{FeedbackMode, QuestionKind, Quiz, shuffle};
use crate::text::did_you_mean;

/// The widest text `show` lays out by default, for comfortable reading.
const MAX_DEFAULT_WIDTH: u16 = 100;

/// Prints `path` (`COURSE`, `COURSE/MODULE` or `COURSE/MODULE/ITEM`).
///
/// # Errors
/// Unknown ids (with a suggestion), an item that does not load, or output failures.
pub fn run(roots: &[Root], path: &str, width: Option<u16>, plain: bool) -> Result<ExitCode> {
    let parts: Vec<&str> = path.trim_matches('/').split('/').collect();
    let (course_id, module_id, item_id) = match parts.as_slice() {
        [c] => (*c, None, None),
        [c, m] => (*c, Some(*m), None),
        [c, m, i] => (*c, Some(*m), Some(*i)),
        _ => bail!("`{path}` is not COURSE, COURSE/MODULE or COURSE/MODULE/ITEM"),
    };
    let library = load_one(roots, course_id)?;
    let Some(course) = library.course(course_id) else {
        let all = crate::course::load_library(roots)?;
        let ids: Vec<&str> = all.courses.iter().map(|c| c.id.as_str()).collect();
        let hint = match did_you_mean(course_id, &ids) {
            Some(close) => format!("did you mean `{close}`?"),
            None => format!("courses: {}", ids.join(", ")),
        };
        bail!("there is no course `{course_id}` ({hint})");
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
        (None, _) => render(&outline(course, None), options),
        (Some(m), None) => {
            find_module(course, m)?;
            render(&outline(course, Some(m)), options)
        }
        (Some(m), Some(i)) => {
            let module = find_module(course, m)?;
            let Some(pos) = course.find(m, i) else {
                let ids: Vec<&str> = module.items.iter().map(|it| it.id.as_str()).collect();
                let hint = did_you_mean(i, &ids).map_or_else(
                    || format!("items: {}", ids.join(", ")),
                    |close| format!("did you mean `{close}`?"),
                );
                bail!("module `{m}` of `{course_id}` has no item `{i}` ({hint})");
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
                Ok(ItemContent::Quiz(quiz)) => render(&quiz_markdown(&quiz), options),
                Err(diagnostics) => {
                    let mut err = io::stderr().lock();
                    for d in &diagnostics {
                        writeln!(err, "{d}")?;
                    }
                    bail!("this item has errors; fix them and run `kurs validate`");
                }
            }
        }
    };
    print_lines(&lines, color)?;
    Ok(ExitCode::SUCCESS)
}

fn find_module<'a>(course: &'a Course, id: &str) -> Result<&'a crate::course::Module> {
    if let Some(m) = course.modules.iter().find(|m| m.id == id) {
        return Ok(m);
    }
    let ids: Vec<&str> = course.modules.iter().map(|m| m.id.as_str()).collect();
    let hint = did_you_mean(id, &ids).map_or_else(
        || format!("modules: {}", ids.join(", ")),
        |close| format!("did you mean `{close}`?"),
    );
    bail!("course `{}` has no module `{id}` ({hint})", course.id)
}

fn print_lines(lines: &[Line], color: bool) -> io::Result<()> {
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
fn outline(course: &Course, only_module: Option<&str>) -> String {
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
                |_| "(has errors: run kurs validate)".to_owned(),
                |c| c.title().to_owned(),
            );
            let kind = match item.kind {
                ItemKind::Lesson => "lesson",
                ItemKind::Quiz => "quiz",
            };
            let _ = writeln!(
                md,
                "- {} ({kind}): `{}/{}/{}`",
                escape(&title),
                course.id,
                module.id,
                item.id
            );
        }
        md.push('\n');
    }
    md
}

/// A quiz's questions as Markdown, without the answers. Order and match entries are
/// shown in a fixed shuffled order, as a learner would see them.
fn quiz_markdown(quiz: &Quiz) -> String {
    let mut md = String::new();
    let _ = writeln!(md, "# {}\n", escape(&quiz.title));
    let total = quiz.questions.len();
    let attempts = quiz.max_attempts.map_or_else(
        || "unlimited attempts".to_owned(),
        |n| format!("{n} attempts"),
    );
    let feedback = match quiz.feedback {
        FeedbackMode::Immediate => "feedback after each question",
        FeedbackMode::Deferred => "feedback at the end",
    };
    let _ = writeln!(
        md,
        "{total} questions · pass mark {:.0} % · {attempts} · {feedback}\n",
        quiz.pass_mark * 100.0
    );
    for (n, q) in quiz.questions.iter().enumerate() {
        let points = if (q.points - 1.0).abs() < f64::EPSILON {
            "1 point".to_owned()
        } else {
            format!("{} points", q.points)
        };
        let kind = match &q.kind {
            QuestionKind::Single { .. } => "single choice",
            QuestionKind::Multiple { .. } => "multiple choice",
            QuestionKind::TrueFalse { .. } => "true or false",
            QuestionKind::Short { .. } => "short answer",
            QuestionKind::Numeric { .. } => "number",
            QuestionKind::Order { .. } => "put in order",
            QuestionKind::Match { .. } => "match the pairs",
        };
        let _ = writeln!(md, "## Question {} of {total} · {kind} · {points}\n", n + 1);
        let _ = writeln!(md, "{}\n", q.prompt);
        let order = shuffle::display_order(q, 0, false);
        match &q.kind {
            QuestionKind::Single { options } | QuestionKind::Multiple { options } => {
                for o in options {
                    let _ = writeln!(md, "- {}", escape(&o.text));
                }
            }
            QuestionKind::TrueFalse { .. } => md.push_str("- True\n- False\n"),
            QuestionKind::Short { .. } => md.push_str("*Typed answer.*\n"),
            QuestionKind::Numeric { .. } => {
                md.push_str("*Typed number (a comma or a dot for decimals).*\n");
            }
            QuestionKind::Order { items } => {
                for i in &order {
                    if let Some(item) = items.get(*i) {
                        let _ = writeln!(md, "- {}", escape(item));
                    }
                }
            }
            QuestionKind::Match { pairs } => {
                md.push_str("| Term | Partners to choose from |\n|---|---|\n");
                for (left, right) in pairs.iter().zip(&order) {
                    let partner = pairs
                        .get(*right)
                        .map(|p| p.right.as_str())
                        .unwrap_or_default();
                    let _ = writeln!(md, "| {} | {} |", escape(&left.left), escape(partner));
                }
            }
        }
        if !q.hints.is_empty() {
            let _ = writeln!(
                md,
                "\n*{} {} available.*",
                q.hints.len(),
                if q.hints.len() == 1 { "hint" } else { "hints" }
            );
        }
        md.push('\n');
    }
    md
}
