//! The results of a quiz attempt: score, pass mark, a review of every question, retry
//! and continue.
//!
//! The review always shows each answer, whether it was right, and the feedback written
//! for the options chosen. The right answers and explanations are shown too, unless the
//! quiz is an exam — `feedback = "deferred"` with a limited `max_attempts` — that was
//! not passed and still has attempts left: they come once it is passed or no attempts
//! remain.

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::style::Modifier;
use ratatui::text::{Line, Span};

use super::answer_text::{self, Verdict};
use super::app::{App, Go, Session};
use super::keys::Action;
use super::lesson::LessonState;
use super::quiz::QuizState;
use super::view::Hint;
use super::view::Ui;
use crate::course::ItemPos;
use crate::i18n::Strings;
use crate::markdown::{self, RenderOptions};
use crate::progress::ItemRecord;
use crate::quiz::{FeedbackMode, Grade, Quiz, QuizScore, Response, grade, score_quiz};

/// The results screen's state.
#[derive(Clone, Debug)]
pub struct ResultsState {
    /// Index of the course in the library.
    pub course: usize,
    /// The quiz's place.
    pub pos: ItemPos,
    /// The item to continue with.
    pub next: Option<ItemPos>,
    /// The quiz.
    pub quiz: Quiz,
    /// The answers and grades of the attempt, per question.
    pub answers: Vec<Option<(Response, Grade)>>,
    /// The attempt's score.
    pub score: QuizScore,
    /// Completed attempts, this one included.
    pub attempts_done: usize,
    /// The first visible line.
    pub scroll: usize,
    max_scroll: usize,
}

impl ResultsState {
    /// The results of the attempt `state` just finished.
    #[must_use]
    pub fn from_quiz(state: &QuizState, _session: &Session) -> Self {
        let responses: Vec<Option<Response>> = state
            .answers
            .iter()
            .map(|a| a.as_ref().map(|(r, _)| r.clone()))
            .collect();
        Self {
            course: state.course,
            pos: state.pos,
            next: None,
            score: score_quiz(&state.quiz, &responses),
            quiz: state.quiz.clone(),
            answers: state.answers.clone(),
            attempts_done: state.attempts_before + 1,
            scroll: 0,
            max_scroll: 0,
        }
    }

    /// The results of the last complete attempt in `record` (when no attempts are left).
    #[must_use]
    pub fn last_attempt(
        course: usize,
        pos: ItemPos,
        _course_id: &str,
        _key: &str,
        quiz: Quiz,
        record: &ItemRecord,
    ) -> Self {
        let last = record.attempts.iter().rev().find(|a| a.result.is_some());
        let answers: Vec<Option<(Response, Grade)>> = quiz
            .questions
            .iter()
            .map(|q| {
                let answer = last?.answers.iter().find(|a| a.question == q.id)?;
                Some((answer.response.clone(), grade(q, &answer.response)))
            })
            .collect();
        let responses: Vec<Option<Response>> = answers
            .iter()
            .map(|a| a.as_ref().map(|(r, _)| r.clone()))
            .collect();
        Self {
            course,
            pos,
            next: None,
            score: score_quiz(&quiz, &responses),
            quiz,
            answers,
            attempts_done: record.completed_attempts(),
            scroll: 0,
            max_scroll: 0,
        }
    }

    /// Attempts left, `None` for unlimited.
    #[must_use]
    pub fn attempts_left(&self) -> Option<usize> {
        self.quiz
            .max_attempts
            .map(|m| (m as usize).saturating_sub(self.attempts_done))
    }

    /// Whether the review shows the right answers (see the module docs).
    #[must_use]
    pub fn reveal(&self) -> bool {
        let exam = self.quiz.feedback == FeedbackMode::Deferred && self.quiz.max_attempts.is_some();
        !(exam && !self.score.passed && self.attempts_left() != Some(0))
    }

    /// Keeps the scroll position within the page.
    pub fn layout(&mut self, (width, height): (u16, u16), ui: &Ui) {
        let lines = page(self, ui, width);
        self.max_scroll = lines.len().saturating_sub(usize::from(height).max(1));
        self.scroll = self.scroll.min(self.max_scroll);
    }
}

/// Handles an action on the results screen.
pub fn update(
    state: &mut ResultsState,
    action: &Action,
    session: &mut Session,
    strings: &Strings,
) -> Option<Go> {
    match action {
        Action::Up | Action::ScrollUp => {
            state.scroll = state
                .scroll
                .saturating_sub(if *action == Action::Up { 1 } else { 3 });
        }
        Action::Down | Action::ScrollDown => {
            state.scroll =
                (state.scroll + if *action == Action::Down { 1 } else { 3 }).min(state.max_scroll);
        }
        Action::PageUp => state.scroll = state.scroll.saturating_sub(10),
        Action::PageDown | Action::Space => {
            state.scroll = (state.scroll + 10).min(state.max_scroll);
        }
        Action::Home => state.scroll = 0,
        Action::End => state.scroll = state.max_scroll,
        Action::Retry => {
            if state.attempts_left() == Some(0) {
                session.status = Some(strings.get("results.no_attempts_left").to_owned());
            } else {
                return Some(Go::Item {
                    course: state.course,
                    pos: state.pos,
                });
            }
        }
        Action::Enter | Action::Next | Action::Right => {
            return Some(Go::item_or_course(state.course, state.next, state.pos));
        }
        Action::Back | Action::Left => {
            return Some(Go::Course {
                course: state.course,
                select: Some(state.pos),
            });
        }
        _ => {}
    }
    None
}

fn page(state: &ResultsState, ui: &Ui, width: u16) -> Vec<Line<'static>> {
    let s = ui.strings;
    let w = usize::from(LessonState::reading_width(width, ui.reading));
    let mut lines: Vec<Line<'static>> = Vec::new();
    let text = |t: String, style| Line::from(Span::styled(t, style));
    lines.push(text(
        s.fmt("results.title", &[("quiz", &state.quiz.title)]),
        ui.theme.accent,
    ));
    lines.push(Line::default());
    let score = &state.score;
    lines.push(text(
        s.fmt(
            "results.score",
            &[
                ("points", &s.number(score.points)),
                ("max", &s.number(score.max)),
                ("percent", &s.percent(score.fraction)),
            ],
        ),
        ui.theme.text.add_modifier(Modifier::BOLD),
    ));
    lines.push(text(
        s.fmt(
            "results.pass_mark",
            &[("percent", &s.percent(state.quiz.pass_mark))],
        ),
        ui.theme.text,
    ));
    if score.passed {
        lines.push(text(
            format!("{} {}", ui.symbols.right, s.get("results.passed")),
            ui.theme.good.add_modifier(Modifier::BOLD),
        ));
    } else {
        lines.push(text(
            s.get("results.not_yet").to_owned(),
            ui.theme.warn.add_modifier(Modifier::BOLD),
        ));
    }
    let attempts = match state.attempts_left() {
        None => s.get("results.unlimited").to_owned(),
        Some(0) => s.get("results.no_attempts_left").to_owned(),
        Some(1) => s.get("results.attempts_left_one").to_owned(),
        Some(n) => s.fmt("results.attempts_left", &[("n", &n.to_string())]),
    };
    lines.push(text(attempts, ui.theme.dim));
    let reveal = state.reveal();
    if !reveal {
        for part in markdown::wrap_plain(s.get("results.answers_hidden"), w) {
            lines.push(text(part, ui.theme.dim));
        }
    }
    for (i, q) in state.quiz.questions.iter().enumerate() {
        review(
            i,
            q,
            state.answers.get(i).and_then(Option::as_ref),
            reveal,
            ui,
            w,
            &mut lines,
        );
    }
    lines
}

/// The review of question `i`: the prompt, the learner's answer, right or wrong, and —
/// when `reveal` — the right answer and the explanation.
fn review(
    index: usize,
    question: &crate::quiz::Question,
    answer: Option<&(Response, Grade)>,
    reveal: bool,
    ui: &Ui,
    width: usize,
    lines: &mut Vec<Line<'static>>,
) {
    let s = ui.strings;
    let text = |t: String, style| Line::from(Span::styled(t, style));
    lines.push(Line::default());
    let prompt = markdown::render(
        &question.prompt,
        RenderOptions {
            width: width.saturating_sub(4).max(10),
            ascii: ui.symbols.ascii,
        },
    );
    for (n, line) in prompt.iter().enumerate() {
        let lead = if n == 0 {
            format!("{:>2}. ", index + 1)
        } else {
            "    ".to_owned()
        };
        let mut spans = vec![Span::styled(lead, ui.theme.accent)];
        spans.extend(line.spans().map(|sp| {
            Span::styled(
                sp.text.to_owned(),
                ui.theme.markdown(sp.style).add_modifier(Modifier::BOLD),
            )
        }));
        lines.push(Line::from(spans));
    }
    match answer {
        Some((response, g)) => {
            let yours = format!(
                "{} {}",
                s.get("answer.yours"),
                answer_text::response(question, response, s)
            );
            for part in markdown::wrap_plain(&yours, width.saturating_sub(4)) {
                lines.push(text(format!("    {part}"), ui.theme.text));
            }
            let (verdict, kind) = answer_text::verdict(g, ui.symbols, s);
            let style = match kind {
                Verdict::Right => ui.theme.good,
                Verdict::Partly => ui.theme.warn,
                Verdict::Wrong => ui.theme.bad,
            };
            lines.push(text(format!("    {verdict}"), style));
            for (option, feedback) in answer_text::chosen_feedback(question, response) {
                for part in markdown::wrap_plain(
                    &format!("“{option}”: {feedback}"),
                    width.saturating_sub(4),
                ) {
                    lines.push(text(format!("    {part}"), ui.theme.dim));
                }
            }
            if reveal && !g.is_correct() {
                let right = format!(
                    "{} {}",
                    s.get("answer.right_answer"),
                    answer_text::right_answer(question, s)
                );
                for part in markdown::wrap_plain(&right, width.saturating_sub(4)) {
                    lines.push(text(format!("    {part}"), ui.theme.text));
                }
            }
        }
        None => lines.push(text(format!("    {}", s.get("answer.none")), ui.theme.dim)),
    }
    if reveal && let Some(explanation) = &question.explanation {
        let explained = markdown::render(
            explanation,
            RenderOptions {
                width: width.saturating_sub(4).max(10),
                ascii: ui.symbols.ascii,
            },
        );
        for line in &explained {
            let mut spans = vec![Span::raw("    ")];
            spans.extend(line.spans().map(|sp| {
                Span::styled(
                    sp.text.to_owned(),
                    ui.theme.markdown(sp.style).patch(ui.theme.dim),
                )
            }));
            lines.push(Line::from(spans));
        }
    }
}

/// Draws the results.
pub fn render(state: &ResultsState, app: &App, area: Rect, buf: &mut Buffer) {
    super::view::reading_column(
        app,
        page(state, &app.ui(), area.width),
        state.scroll,
        area,
        buf,
    );
}

/// The key bar entries.
#[must_use]
pub fn keys(state: &ResultsState, app: &App) -> Vec<Hint> {
    let s = &app.strings;
    let mut keys = vec![Hint::new("↑↓", s.get("keys.scroll"), Action::Down)];
    if state.attempts_left() != Some(0) {
        keys.push(Hint::new("r", s.get("keys.retry"), Action::Retry));
    }
    keys.push(Hint::new("Enter", s.get("keys.continue"), Action::Enter));
    keys.push(Hint::new("q", s.get("keys.back"), Action::Back));
    keys
}
