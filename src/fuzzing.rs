//! Entry points for fuzzing: each takes arbitrary bytes, runs one path of kurs that reads
//! untrusted input exactly as kurs runs it, and checks what must hold for every input.
//!
//! The fuzz targets in `fuzz/` call these, and so does `tests/fuzz_regressions.rs`, which
//! runs every input the fuzzers ever found (`tests/fixtures/fuzz/<target>/`) on each
//! `cargo test`. Not a stable interface, and hidden from the documentation.
//!
//! A panic inside is a finding; so is an `Err`, which says which invariant broke. The
//! invariant all of them check: no text that can reach a terminal — rendered lines,
//! diagnostics as displayed, titles, option texts, messages for the learner — holds a
//! character for which [`is_forbidden_control`] is true.

use std::borrow::Cow;
use std::fmt;
use std::sync::OnceLock;

use unicode_segmentation::UnicodeSegmentation;

use crate::course::loader::manifest_header;
use crate::course::manifest::{self, COURSE_KEYS, MODULE_KEYS, RawCourse, RawModule};
use crate::diagnostic::Diagnostic;
use crate::i18n::{Lang, Strings};
use crate::markdown::{self, RenderOptions};
use crate::progress::Profile;
use crate::progress::store::{Unreadable, encode_snapshot, parse_snapshot, replay};
use crate::quiz::{self, Question, QuestionKind, QuizDefaults, Response, describe, shuffle};
use crate::text::{display_width, is_forbidden_control, is_valid_id};

/// The interface's words, read once (for describing answers).
static STRINGS: OnceLock<Strings> = OnceLock::new();

/// An invariant that an input broke.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Violation(pub String);

impl fmt::Display for Violation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for Violation {}

fn violation<T>(message: impl Into<String>) -> Result<T, Violation> {
    Err(Violation(message.into()))
}

/// Checks that `text` (described by `what`) can be written to a terminal.
///
/// # Errors
/// When `text` holds a character for which [`is_forbidden_control`] is true.
pub fn check_terminal_safe(text: &str, what: &str) -> Result<(), Violation> {
    match text.chars().find(|&c| is_forbidden_control(c)) {
        Some(c) => violation(format!(
            "{what} holds the control character U+{:04X}: {text:?}",
            u32::from(c)
        )),
        None => Ok(()),
    }
}

fn check_diagnostics(diagnostics: &[Diagnostic]) -> Result<(), Violation> {
    for d in diagnostics {
        check_terminal_safe(&d.to_string(), "a diagnostic")?;
    }
    Ok(())
}

/// The render options and Markdown text a fuzz input stands for: the first two bytes
/// (little-endian) give the width (low 15 bits, modulo 501, so 0 to 500) and ASCII
/// decoration (the top bit); the rest is the text, with invalid UTF-8 replaced.
#[must_use]
pub fn markdown_input(data: &[u8]) -> (RenderOptions, Cow<'_, str>) {
    let (head, text) = data.split_at_checked(2).unwrap_or((&[], data));
    let bits = match head {
        [a, b] => u16::from_le_bytes([*a, *b]),
        _ => 0,
    };
    let options = RenderOptions {
        width: usize::from(bits & 0x7fff) % 501,
        ascii: bits & 0x8000 != 0,
    };
    (options, String::from_utf8_lossy(text))
}

/// Renders a fuzz input (see [`markdown_input`]) with [`markdown::render`] and checks the
/// lines: the same as laying out the parsed document (render streams blocks and reuses
/// their buffers), terminal-safe, and no wider than the width (at least 1) unless the line
/// holds a grapheme cluster too wide to fit beside the decoration. Returns the number of
/// lines.
///
/// # Errors
/// The first invariant broken.
pub fn markdown(data: &[u8]) -> Result<usize, Violation> {
    let (options, text) = markdown_input(data);
    let lines = markdown::render(&text, options);
    if lines != markdown::parse(&text).lines(options) {
        return violation("render and parse().lines() differ");
    }
    let width = options.width.max(1);
    for line in &lines {
        for span in line.spans() {
            check_terminal_safe(span.text, "a rendered line")?;
        }
        let widest = line
            .text()
            .graphemes(true)
            .map(display_width)
            .max()
            .unwrap_or(0);
        if widest <= 1 && line.width() > width {
            return violation(format!(
                "a line of {} columns at width {width}: {:?}",
                line.width(),
                line.plain()
            ));
        }
    }
    Ok(lines.len())
}

/// Reads responses from the bytes after a quiz's text.
struct Responses<'a>(&'a [u8]);

impl Responses<'_> {
    fn byte(&mut self) -> u8 {
        match self.0.split_first() {
            Some((b, rest)) => {
                self.0 = rest;
                *b
            }
            None => 0,
        }
    }

    /// An index; `0xFE` and `0xFD` stand for indices far out of range.
    fn index(&mut self) -> usize {
        match self.byte() {
            0xFE => usize::MAX,
            0xFD => usize::MAX / 2 + 1,
            b => usize::from(b),
        }
    }

    fn indices(&mut self) -> Vec<usize> {
        let n = self.byte() % 16;
        (0..n).map(|_| self.index()).collect()
    }

    fn text(&mut self) -> String {
        let n = usize::from(self.byte());
        let (text, rest) = self.0.split_at_checked(n).unwrap_or((self.0, &[]));
        self.0 = rest;
        String::from_utf8_lossy(text).into_owned()
    }

    fn response(&mut self) -> Response {
        match self.byte() % 6 {
            0 => Response::Choice(self.index()),
            1 => Response::Choices(self.indices()),
            2 => Response::Bool(self.byte() & 1 == 1),
            3 => Response::Text(self.text()),
            4 => Response::Order(self.indices()),
            _ => {
                let n = self.byte() % 16;
                Response::Match(
                    (0..n)
                        .map(|_| match self.byte() {
                            0 => None,
                            _ => Some(self.index()),
                        })
                        .collect(),
                )
            }
        }
    }
}

/// The number of entries a question shows (options, items, pairs), if it has entries.
fn entries(question: &Question) -> Option<usize> {
    match &question.kind {
        QuestionKind::Single { options } | QuestionKind::Multiple { options } => {
            Some(options.len())
        }
        QuestionKind::Order { items } => Some(items.len()),
        QuestionKind::Match { pairs } => Some(pairs.len()),
        _ => None,
    }
}

/// The fully right responses to `question`, as a learner would give them from what is
/// shown (for a short question, each accepted answer as displayed).
fn right_responses(question: &Question) -> Vec<Response> {
    match &question.kind {
        QuestionKind::Single { options } => options
            .iter()
            .position(|o| o.correct)
            .map(Response::Choice)
            .into_iter()
            .collect(),
        QuestionKind::Multiple { options } => vec![Response::Choices(
            (0..options.len())
                .filter(|&i| options.get(i).is_some_and(|o| o.correct))
                .collect(),
        )],
        QuestionKind::TrueFalse { answer } => vec![Response::Bool(*answer)],
        QuestionKind::Short { accept, .. } => {
            accept.iter().map(|a| Response::Text(a.clone())).collect()
        }
        QuestionKind::Numeric { answer, .. } => vec![Response::Text(answer.to_string())],
        QuestionKind::Order { items } => vec![Response::Order((0..items.len()).collect())],
        QuestionKind::Match { pairs } => {
            vec![Response::Match((0..pairs.len()).map(Some).collect())]
        }
    }
}

/// Responses of every shape, with indices in and far out of range.
fn odd_responses(n: usize) -> Vec<Response> {
    vec![
        Response::Choice(0),
        Response::Choice(n),
        Response::Choice(usize::MAX),
        Response::Choices(vec![0, 1, 0, n, usize::MAX]),
        Response::Choices(Vec::new()),
        Response::Bool(true),
        Response::Bool(false),
        Response::Text(String::new()),
        Response::Text(" 72,5 ".to_owned()),
        Response::Order((0..n).rev().collect()),
        Response::Order(vec![usize::MAX, 0, 0, n]),
        Response::Match(vec![None, Some(usize::MAX), Some(1), Some(0)]),
        Response::Match(Vec::new()),
    ]
}

fn check_question_texts(question: &Question, strings: &Strings) -> Result<(), Violation> {
    check_terminal_safe(&question.id, "a question id")?;
    check_terminal_safe(&question.prompt, "a prompt")?;
    for hint in &question.hints {
        check_terminal_safe(hint, "a hint")?;
    }
    if let Some(e) = &question.explanation {
        check_terminal_safe(e, "an explanation")?;
    }
    match &question.kind {
        QuestionKind::Single { options } | QuestionKind::Multiple { options } => {
            for o in options {
                check_terminal_safe(&o.text, "an option text")?;
                if let Some(f) = &o.feedback {
                    check_terminal_safe(f, "an option's feedback")?;
                }
            }
        }
        QuestionKind::Short { accept, .. } => {
            for a in accept {
                check_terminal_safe(a, "an accepted answer")?;
            }
        }
        QuestionKind::Order { items } => {
            for i in items {
                check_terminal_safe(i, "an order item")?;
            }
        }
        QuestionKind::Match { pairs } => {
            for p in pairs {
                check_terminal_safe(&p.left, "a pair's left side")?;
                check_terminal_safe(&p.right, "a pair's right side")?;
            }
        }
        QuestionKind::TrueFalse { .. } | QuestionKind::Numeric { .. } => {}
    }
    check_terminal_safe(
        &describe::right_answer(question, strings),
        "the right answer in words",
    )
}

fn check_grade(
    question: &Question,
    response: &Response,
    strings: &Strings,
) -> Result<(), Violation> {
    let grade = quiz::grade(question, response);
    if !(0.0..=1.0).contains(&grade.fraction) || !grade.points.is_finite() {
        return violation(format!(
            "question `{}` graded {response:?} as {grade:?}",
            question.id
        ));
    }
    if !matches!(response, Response::Text(_)) {
        // Text responses are the learner's own typing, shown back as typed.
        check_terminal_safe(
            &describe::response(question, response, strings),
            "a response in words",
        )?;
    }
    for (text, feedback) in describe::chosen_feedback(question, response) {
        check_terminal_safe(&text, "a chosen option")?;
        check_terminal_safe(&feedback, "a chosen option's feedback")?;
    }
    Ok(())
}

/// Parses a quiz from a fuzz input with [`quiz::parse`], then grades responses of every
/// shape to each question with [`quiz::grade`] and scores attempts with
/// [`quiz::score_quiz`]. The input is the quiz's TOML up to the first `0xFF` byte (never
/// part of UTF-8 text; invalid UTF-8 before it is replaced); the bytes after it describe
/// one response per question.
///
/// Checks: diagnostics and every text of the quiz are terminal-safe; a quiz comes back
/// only without errors; grades are fractions 0..=1 with finite points; shuffles are
/// permutations; the right answers, given as shown, earn every point and pass; a score
/// is a fraction 0..=1. Returns the number of diagnostics.
///
/// # Errors
/// The first invariant broken.
pub fn quiz(data: &[u8]) -> Result<usize, Violation> {
    let split = data.iter().position(|&b| b == 0xFF).unwrap_or(data.len());
    let (toml, rest) = data.split_at(split);
    let mut responses = Responses(rest.get(1..).unwrap_or_default());
    let source = String::from_utf8_lossy(toml);
    let (parsed, diagnostics) = quiz::parse("fuzz.quiz.toml", &source, QuizDefaults::default());
    check_diagnostics(&diagnostics)?;
    let Some(quiz) = parsed else {
        return Ok(diagnostics.len());
    };
    if diagnostics.iter().any(Diagnostic::is_error) {
        return violation("a quiz with errors was returned");
    }
    check_terminal_safe(&quiz.title, "the quiz title")?;
    let strings = STRINGS.get_or_init(|| Strings::new(Lang::En));
    let mut given = Vec::new();
    let mut right = Vec::new();
    for question in &quiz.questions {
        check_question_texts(question, strings)?;
        let n = entries(question).unwrap_or(0);
        for seed in [0, u64::MAX] {
            let mut order = shuffle::display_order(question, seed, quiz.shuffle);
            order.sort_unstable();
            if order != (0..n).collect::<Vec<_>>() {
                return violation(format!(
                    "the display order of question `{}` is not a permutation of its {n} entries",
                    question.id
                ));
            }
        }
        let response = responses.response();
        for r in odd_responses(n).iter().chain([&response]) {
            check_grade(question, r, strings)?;
        }
        given.push(Some(response));
        let rights = right_responses(question);
        for r in &rights {
            check_grade(question, r, strings)?;
            if !quiz::grade(question, r).is_correct() {
                return violation(format!(
                    "question `{}`: the right answer {r:?}, given as shown, is graded wrong",
                    question.id
                ));
            }
        }
        right.push(rights.into_iter().next());
    }
    let score = quiz::score_quiz(&quiz, &given);
    if !(0.0..=1.0).contains(&score.fraction) {
        return violation(format!("an attempt scored {score:?}"));
    }
    // A short question with only a `pattern` has no answer to construct; the best score is
    // known only when every question has one.
    if right.iter().any(Option::is_none) {
        return Ok(diagnostics.len());
    }
    let best = quiz::score_quiz(&quiz, &right);
    if !best.passed || best.fraction.is_nan() || best.fraction < 1.0 - 1e-9 {
        return violation(format!("every right answer scored {best:?}"));
    }
    Ok(diagnostics.len())
}

/// Runs a fuzz input (invalid UTF-8 replaced, a byte-order mark dropped, as the loader
/// reads files) through what the loader does with a `course.toml`: the strict TOML parse
/// and every check of its values. The same text is also read as a `module.toml`.
///
/// Checks: every diagnostic and the course's title and language are terminal-safe; a
/// course.toml without errors has a valid id and a pass mark in 0..=1. Returns the number
/// of diagnostics.
///
/// # Errors
/// The first invariant broken.
pub fn course_manifest(data: &[u8]) -> Result<usize, Violation> {
    let text = String::from_utf8_lossy(data);
    let source = text.strip_prefix('\u{feff}').unwrap_or(&text);
    let path = "fuzz-course/course.toml";
    let mut count = 0;
    match manifest::parse_toml::<RawCourse>(path, source, source, 0, COURSE_KEYS) {
        Err(d) => {
            check_diagnostics(std::slice::from_ref(&d))?;
            count += 1;
        }
        Ok(raw) => {
            let (header, errors) = manifest_header(&raw, source, path, "fuzz-course");
            check_diagnostics(&errors)?;
            count += errors.len();
            check_terminal_safe(&header.title, "the course title")?;
            check_terminal_safe(&header.language, "the course language")?;
            if errors.is_empty()
                && (!is_valid_id(&header.id) || !(0.0..=1.0).contains(&header.pass_mark))
            {
                return violation(format!(
                    "a course.toml without errors has id {:?} and pass mark {}",
                    header.id, header.pass_mark
                ));
            }
        }
    }
    let module_path = "fuzz-course/01-module/module.toml";
    if let Err(d) = manifest::parse_toml::<RawModule>(module_path, source, source, 0, MODULE_KEYS) {
        check_diagnostics(std::slice::from_ref(&d))?;
        count += 1;
    }
    Ok(count)
}

/// A profile that was read must survive being written and read again: the snapshot kurs
/// writes for it (as compaction does) reads back, and writing that gives the same bytes.
fn check_round_trip(profile: &Profile, what: &str) -> Result<(), Violation> {
    let Ok(first) = encode_snapshot(profile, 7) else {
        return violation(format!("{what}: the profile read cannot be written"));
    };
    match parse_snapshot(&first) {
        Ok((again, 7)) => match encode_snapshot(&again, 7) {
            Ok(second) if second == first => Ok(()),
            _ => violation(format!(
                "{what}: the snapshot written changes when read and written again:\n{}",
                String::from_utf8_lossy(&first)
            )),
        },
        Ok((_, journal)) => violation(format!("{what}: journal 7 reads back as {journal}")),
        Err(e) => violation(format!(
            "{what}: the snapshot kurs writes cannot be read back ({}):\n{}",
            match e {
                Unreadable::Newer(schema) => format!("schema {schema}"),
                Unreadable::Broken(reason) => reason,
            },
            String::from_utf8_lossy(&first)
        )),
    }
}

fn check_unreadable(error: &Unreadable, what: &str) -> Result<(), Violation> {
    match error {
        Unreadable::Newer(_) => Ok(()),
        Unreadable::Broken(reason) => {
            check_terminal_safe(reason, &format!("the reason a {what} cannot be read"))
        }
    }
}

/// Reads a fuzz input as a progress snapshot (`<profile>.json`) with the store's parser.
///
/// Checks: the reason a broken file is reported with (shown to the learner) is
/// terminal-safe, and a profile read survives a write and a read (see the module docs).
///
/// # Errors
/// The first invariant broken.
pub fn progress_snapshot(data: &[u8]) -> Result<(), Violation> {
    match parse_snapshot(data) {
        Ok((profile, _)) => check_round_trip(&profile, "snapshot"),
        Err(e) => check_unreadable(&e, "snapshot"),
    }
}

/// Replays a fuzz input as a progress journal (`<profile>.<N>.log`) onto an empty
/// profile with the store's replay. Checks as [`progress_snapshot`] does.
///
/// # Errors
/// The first invariant broken.
pub fn progress_journal(data: &[u8]) -> Result<(), Violation> {
    let mut profile = Profile::default();
    match replay(&mut profile, data) {
        Ok(_) => check_round_trip(&profile, "journal"),
        Err(e) => check_unreadable(&e, "journal"),
    }
}

/// Both progress readers on one input: the `progress` fuzz target.
///
/// # Errors
/// The first invariant broken.
pub fn progress(data: &[u8]) -> Result<(), Violation> {
    progress_snapshot(data)?;
    progress_journal(data)
}
