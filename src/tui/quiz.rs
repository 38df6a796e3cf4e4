//! The quiz player: one question at a time, an input for each question type, hints,
//! and immediate or deferred feedback. Every answer is saved as it is given.

mod page;

use ratatui::layout::Rect;

pub use page::render;

use super::app::{App, Go, Overlay, Session};
use super::keys::Action;
use super::picker::edit;
use super::results::ResultsState;
use super::view::Hint;
use super::view::Ui;
use crate::course::ItemPos;
use crate::i18n::Strings;
use crate::progress::{Answer, AttemptResult, Change, ItemRecord, Timestamp};
use crate::quiz::{
    FeedbackMode, Grade, QuestionKind, Quiz, Response, grade, parse_number, score_quiz, shuffle,
};

/// The input of the current question.
#[derive(Clone, Debug)]
pub enum Input {
    /// Single choice and true/false: the highlighted option is the answer.
    Choice {
        /// Option indices in display order.
        order: Vec<usize>,
        /// Highlighted row.
        cursor: usize,
    },
    /// Multiple choice.
    Multi {
        /// Option indices in display order.
        order: Vec<usize>,
        /// Highlighted row.
        cursor: usize,
        /// Ticked, by option index.
        ticked: Vec<bool>,
    },
    /// Short answer or number.
    Text(tui_input::Input),
    /// Order: the items as arranged.
    Order {
        /// Item indices in the learner's order.
        arrangement: Vec<usize>,
        /// Highlighted row.
        cursor: usize,
        /// Whether the highlighted item is picked up.
        carrying: bool,
    },
    /// Match: a partner for each left item.
    Match {
        /// Right-item indices in display order (numbered 1..).
        right_order: Vec<usize>,
        /// Highlighted left item.
        cursor: usize,
        /// For each left item, the display number (index into `right_order`) chosen.
        chosen: Vec<Option<usize>>,
    },
}

/// Answering, or looking at the feedback of the answer just given.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Phase {
    /// The learner is answering.
    Answering,
    /// Immediate feedback is shown.
    Feedback(Grade),
}

/// The player's state.
#[derive(Clone, Debug)]
pub struct QuizState {
    /// Index of the course in the library.
    pub course: usize,
    /// The quiz's place.
    pub pos: ItemPos,
    course_id: String,
    key: String,
    /// The quiz.
    pub quiz: Quiz,
    /// This attempt's id.
    pub attempt: String,
    /// This attempt's seed.
    pub seed: u64,
    /// The current question.
    pub index: usize,
    /// Given answers with their grades, per question.
    pub answers: Vec<Option<(Response, Grade)>>,
    /// Hints shown, per question.
    pub hints: Vec<u32>,
    /// The current question's input.
    pub input: Input,
    /// Answering or feedback.
    pub phase: Phase,
    /// A note for the learner (e.g. "type an answer first").
    pub message: Option<String>,
    /// The first visible line of the page.
    pub scroll: usize,
    /// Completed attempts before this one.
    pub attempts_before: usize,
    /// Set when the last question was answered.
    pub finished: bool,
    /// The largest useful `scroll`, from the last layout.
    max_scroll: usize,
    /// The page line of the highlighted row at the last layout.
    last_focus: usize,
}

impl QuizState {
    /// Opens quiz `quiz` (at `pos` of course `course`, keyed `course_id`/`key`): resumes an
    /// unfinished attempt, or starts a new one, or — when no attempts are left — gives the
    /// results of the last one instead.
    ///
    /// # Errors
    /// The results screen to show instead of a new attempt.
    pub fn open(
        course: usize,
        pos: ItemPos,
        course_id: &str,
        key: &str,
        quiz: Quiz,
        record: &ItemRecord,
        session: &mut Session,
    ) -> Result<Self, Box<ResultsState>> {
        let completed = record.completed_attempts();
        let count = quiz.questions.len();
        let mut state = Self {
            course,
            pos,
            course_id: course_id.to_owned(),
            key: key.to_owned(),
            quiz,
            attempt: String::new(),
            seed: 0,
            index: 0,
            answers: vec![None; count],
            hints: vec![0; count],
            input: Input::Choice {
                order: Vec::new(),
                cursor: 0,
            },
            phase: Phase::Answering,
            message: None,
            scroll: 0,
            attempts_before: completed,
            finished: false,
            max_scroll: 0,
            last_focus: 0,
        };
        if let Some(open) = record.open_attempt() {
            state.attempt.clone_from(&open.id);
            state.seed = open.seed;
            for answer in &open.answers {
                if let Some(i) = state
                    .quiz
                    .questions
                    .iter()
                    .position(|q| q.id == answer.question)
                {
                    if let (Some(slot), Some(q)) =
                        (state.answers.get_mut(i), state.quiz.questions.get(i))
                    {
                        *slot = Some((answer.response.clone(), grade(q, &answer.response)));
                    }
                    if let Some(h) = state.hints.get_mut(i) {
                        *h = answer.hints;
                    }
                }
            }
            state.index = state
                .answers
                .iter()
                .position(Option::is_none)
                .unwrap_or(count);
            if state.index >= count {
                state.finish(session);
                return Err(Box::new(ResultsState::from_quiz(&state, session)));
            }
        } else if state
            .quiz
            .max_attempts
            .is_some_and(|m| completed >= m as usize)
        {
            return Err(Box::new(ResultsState::last_attempt(
                course, pos, course_id, key, state.quiz, record,
            )));
        } else {
            (state.attempt, state.seed) = session.new_attempt();
            session.record(Change::AttemptStarted {
                course: course_id.to_owned(),
                item: key.to_owned(),
                attempt: state.attempt.clone(),
                seed: state.seed,
            });
        }
        state.input = state.fresh_input();
        Ok(state)
    }

    /// A new input for the current question.
    fn fresh_input(&self) -> Input {
        let Some(q) = self.quiz.questions.get(self.index) else {
            return Input::Choice {
                order: Vec::new(),
                cursor: 0,
            };
        };
        let order = shuffle::display_order(q, self.seed, self.quiz.shuffle);
        match &q.kind {
            QuestionKind::Single { .. } => Input::Choice { order, cursor: 0 },
            QuestionKind::TrueFalse { .. } => Input::Choice {
                order: vec![0, 1],
                cursor: 0,
            },
            QuestionKind::Multiple { options } => Input::Multi {
                order,
                cursor: 0,
                ticked: vec![false; options.len()],
            },
            QuestionKind::Short { .. } | QuestionKind::Numeric { .. } => {
                Input::Text(tui_input::Input::default())
            }
            QuestionKind::Order { .. } => Input::Order {
                arrangement: order,
                cursor: 0,
                carrying: false,
            },
            QuestionKind::Match { pairs } => Input::Match {
                right_order: order,
                cursor: 0,
                chosen: vec![None; pairs.len()],
            },
        }
    }

    /// Whether a text field has the focus.
    #[must_use]
    pub fn typing(&self) -> bool {
        self.phase == Phase::Answering && matches!(self.input, Input::Text(_))
    }

    /// Whether leaving now leaves an attempt unfinished.
    #[must_use]
    pub fn unfinished(&self) -> bool {
        !self.finished
    }

    /// Keeps the scroll position within the page for a body of `(width, height)`, and
    /// the highlighted row in view when it moved.
    pub fn layout(&mut self, (width, height): (u16, u16), ui: &Ui) {
        let page = page::build(self, ui, width);
        let viewport = usize::from(height).max(1);
        self.max_scroll = page.lines.len().saturating_sub(viewport);
        if page.focus != self.last_focus {
            self.last_focus = page.focus;
            if page.focus < self.scroll {
                self.scroll = page.focus;
            } else if page.focus >= self.scroll + viewport {
                self.scroll = page.focus + 1 - viewport;
            }
        }
        self.scroll = self.scroll.min(self.max_scroll);
    }

    /// The learner's response from the current input, or a message saying what is missing.
    fn response(&self, strings: &Strings) -> Result<Response, String> {
        let missing = || strings.get("quiz.choose_first").to_owned();
        let q = self.quiz.questions.get(self.index).ok_or_else(missing)?;
        match (&self.input, &q.kind) {
            (Input::Choice { order, cursor }, QuestionKind::TrueFalse { .. }) => {
                Ok(Response::Bool(order.get(*cursor) == Some(&0)))
            }
            (Input::Choice { order, cursor }, _) => order
                .get(*cursor)
                .map(|i| Response::Choice(*i))
                .ok_or_else(missing),
            (Input::Multi { ticked, .. }, _) => Ok(Response::Choices(
                ticked
                    .iter()
                    .enumerate()
                    .filter(|(_, t)| **t)
                    .map(|(i, _)| i)
                    .collect(),
            )),
            (Input::Text(input), QuestionKind::Numeric { .. }) => {
                let text = input.value().trim();
                if text.is_empty() {
                    Err(strings.get("quiz.type_first").to_owned())
                } else if parse_number(text).is_none() {
                    Err(strings.get("quiz.not_a_number").to_owned())
                } else {
                    Ok(Response::Text(text.to_owned()))
                }
            }
            (Input::Text(input), _) => {
                if input.value().trim().is_empty() {
                    Err(strings.get("quiz.type_first").to_owned())
                } else {
                    Ok(Response::Text(input.value().to_owned()))
                }
            }
            (Input::Order { arrangement, .. }, _) => Ok(Response::Order(arrangement.clone())),
            (
                Input::Match {
                    right_order,
                    chosen,
                    ..
                },
                _,
            ) => {
                if chosen.iter().any(Option::is_none) {
                    return Err(strings.get("quiz.pair_all").to_owned());
                }
                Ok(Response::Match(
                    chosen
                        .iter()
                        .map(|c| c.and_then(|d| right_order.get(d).copied()))
                        .collect(),
                ))
            }
        }
    }

    /// Grades and records the current answer.
    fn submit(&mut self, session: &mut Session, strings: &Strings) {
        let response = match self.response(strings) {
            Ok(r) => r,
            Err(message) => {
                self.message = Some(message);
                return;
            }
        };
        let Some(q) = self.quiz.questions.get(self.index) else {
            return;
        };
        let g = grade(q, &response);
        session.record(Change::Answered {
            course: self.course_id.clone(),
            item: self.key.clone(),
            attempt: self.attempt.clone(),
            answer: Answer {
                question: q.id.clone(),
                response: response.clone(),
                points: g.points,
                max: g.max,
                hints: self.hints.get(self.index).copied().unwrap_or(0),
                at: Some(Timestamp::now()),
            },
        });
        session.save(strings);
        if let Some(slot) = self.answers.get_mut(self.index) {
            *slot = Some((response, g));
        }
        match self.quiz.feedback {
            FeedbackMode::Immediate => {
                self.phase = Phase::Feedback(g);
                self.scroll = 0;
            }
            FeedbackMode::Deferred => self.advance(session, strings),
        }
    }

    fn advance(&mut self, session: &mut Session, strings: &Strings) {
        self.phase = Phase::Answering;
        self.scroll = 0;
        self.message = None;
        self.index = self
            .answers
            .iter()
            .position(Option::is_none)
            .unwrap_or(self.quiz.questions.len());
        if self.index >= self.quiz.questions.len() {
            self.finish(session);
            session.save(strings);
        } else {
            self.input = self.fresh_input();
        }
    }

    /// Records the attempt's result.
    fn finish(&mut self, session: &mut Session) {
        let responses: Vec<Option<Response>> = self
            .answers
            .iter()
            .map(|a| a.as_ref().map(|(r, _)| r.clone()))
            .collect();
        let score = score_quiz(&self.quiz, &responses);
        session.record(Change::AttemptEnded {
            course: self.course_id.clone(),
            item: self.key.clone(),
            attempt: self.attempt.clone(),
            result: AttemptResult {
                points: score.points,
                max: score.max,
                passed: score.passed,
                last: self
                    .quiz
                    .max_attempts
                    .is_some_and(|m| self.attempts_before + 1 >= m as usize),
            },
        });
        self.finished = true;
    }

    fn hint(&mut self, strings: &Strings) {
        let Some(q) = self.quiz.questions.get(self.index) else {
            return;
        };
        let Some(shown) = self.hints.get_mut(self.index) else {
            return;
        };
        if q.hints.is_empty() {
            self.message = Some(strings.get("quiz.no_hints").to_owned());
        } else if (*shown as usize) < q.hints.len() {
            *shown += 1;
        } else {
            self.message = Some(strings.get("quiz.no_more_hints").to_owned());
        }
    }

    /// The course id and item key of this quiz.
    #[must_use]
    pub fn keys(&self) -> (&str, &str) {
        (&self.course_id, &self.key)
    }
}

/// Handles an action in the quiz.
pub fn update(
    state: &mut QuizState,
    action: &Action,
    session: &mut Session,
    strings: &Strings,
) -> Option<Go> {
    state.message = None;
    if let Phase::Feedback(_) = state.phase {
        match action {
            Action::Enter | Action::Space | Action::Next | Action::Right => {
                state.advance(session, strings);
                if state.finished {
                    return Some(Go::Finished);
                }
            }
            Action::Up | Action::ScrollUp => state.scroll = state.scroll.saturating_sub(1),
            Action::Down | Action::ScrollDown => {
                state.scroll = (state.scroll + 1).min(state.max_scroll);
            }
            Action::Back => session.overlay = Some(Overlay::LeaveQuiz { quit: false }),
            _ => {}
        }
        return None;
    }
    match action {
        Action::Enter => {
            state.submit(session, strings);
            if state.finished {
                return Some(Go::Finished);
            }
            return None;
        }
        Action::Back => {
            session.overlay = Some(Overlay::LeaveQuiz { quit: false });
            return None;
        }
        Action::Hint => {
            state.hint(strings);
            return None;
        }
        Action::ScrollUp => {
            state.scroll = state.scroll.saturating_sub(3);
            return None;
        }
        Action::ScrollDown => {
            state.scroll = (state.scroll + 3).min(state.max_scroll);
            return None;
        }
        _ => {}
    }
    input_action(&mut state.input, action);
    None
}

/// Applies a navigation or editing action to the current question's input.
fn input_action(input: &mut Input, action: &Action) {
    match input {
        Input::Choice { order, cursor } => match action {
            Action::Up => *cursor = cursor.saturating_sub(1),
            Action::Down => *cursor = (*cursor + 1).min(order.len().saturating_sub(1)),
            Action::Number(n) if usize::from(*n) <= order.len() => *cursor = usize::from(*n) - 1,
            _ => {}
        },
        Input::Multi {
            order,
            cursor,
            ticked,
        } => match action {
            Action::Up => *cursor = cursor.saturating_sub(1),
            Action::Down => *cursor = (*cursor + 1).min(order.len().saturating_sub(1)),
            Action::Space => toggle(ticked, order.get(*cursor).copied()),
            Action::Number(n) if usize::from(*n) <= order.len() => {
                *cursor = usize::from(*n) - 1;
                toggle(ticked, order.get(*cursor).copied());
            }
            _ => {}
        },
        Input::Text(text) => edit(text, action),
        Input::Order {
            arrangement,
            cursor,
            carrying,
        } => match action {
            Action::Space => *carrying = !*carrying,
            Action::Up if *cursor > 0 => {
                if *carrying {
                    arrangement.swap(*cursor, *cursor - 1);
                }
                *cursor -= 1;
            }
            Action::Down if *cursor + 1 < arrangement.len() => {
                if *carrying {
                    arrangement.swap(*cursor, *cursor + 1);
                }
                *cursor += 1;
            }
            _ => {}
        },
        Input::Match {
            right_order,
            cursor,
            chosen,
        } => {
            let n = right_order.len();
            match action {
                Action::Up => *cursor = cursor.saturating_sub(1),
                Action::Down => *cursor = (*cursor + 1).min(chosen.len().saturating_sub(1)),
                Action::Right | Action::Space => {
                    if let Some(c) = chosen.get_mut(*cursor) {
                        *c = Some(c.map_or(0, |v| (v + 1) % n.max(1)));
                    }
                }
                Action::Left => {
                    if let Some(c) = chosen.get_mut(*cursor) {
                        *c = Some(c.map_or(n.saturating_sub(1), |v| (v + n.max(1) - 1) % n.max(1)));
                    }
                }
                Action::Number(k) if usize::from(*k) <= n => {
                    if let Some(c) = chosen.get_mut(*cursor) {
                        *c = Some(usize::from(*k) - 1);
                    }
                }
                _ => {}
            }
        }
    }
}

fn toggle(ticked: &mut [bool], index: Option<usize>) {
    if let Some(t) = index.and_then(|i| ticked.get_mut(i)) {
        *t = !*t;
    }
}

/// The terminal cursor for a text answer (column, row), when a text field has focus.
#[must_use]
pub fn cursor(state: &QuizState, app: &App, area: Rect) -> Option<(u16, u16)> {
    let page = page::build(state, &app.ui(), area.width);
    let (column, line) = page.text_cursor?;
    let row = line.checked_sub(state.scroll)?;
    let row = u16::try_from(row).ok().filter(|r| *r < area.height)?;
    Some((
        area.x + page::left(area.width, app.reading) + column,
        area.y + row,
    ))
}

/// The key bar entries.
#[must_use]
pub fn keys(state: &QuizState, app: &App) -> Vec<Hint> {
    let s = &app.strings;
    let k = |key: &str, label: &str, action: Action| Hint::new(key, s.get(label), action);
    let space = s.get("keynames.space");
    if let Phase::Feedback(_) = state.phase {
        return vec![
            k("Enter", "keys.continue", Action::Enter),
            k("↑↓", "keys.scroll", Action::Down),
            k("Esc", "keys.leave_quiz", Action::Back),
        ];
    }
    let hint_key = if state.typing() { "Tab" } else { "h" };
    let mut keys = match &state.input {
        Input::Choice { .. } => vec![
            k("↑↓ 1-9", "keys.choose", Action::Down),
            k("Enter", "keys.submit", Action::Enter),
        ],
        Input::Multi { .. } => vec![
            k("↑↓", "keys.move", Action::Down),
            k(space, "keys.tick", Action::Space),
            k("Enter", "keys.submit", Action::Enter),
        ],
        Input::Text(_) => vec![
            k("←→", "keys.cursor", Action::Right),
            k("Enter", "keys.submit", Action::Enter),
        ],
        Input::Order { carrying, .. } => vec![
            k(
                "↑↓",
                if *carrying {
                    "keys.move_item"
                } else {
                    "keys.move"
                },
                Action::Down,
            ),
            k(
                space,
                if *carrying {
                    "keys.put_down"
                } else {
                    "keys.pick_up"
                },
                Action::Space,
            ),
            k("Enter", "keys.submit", Action::Enter),
        ],
        Input::Match { .. } => vec![
            k("↑↓", "keys.choose_term", Action::Down),
            k("←→ 1-9", "keys.choose_partner", Action::Right),
            k("Enter", "keys.submit", Action::Enter),
        ],
    };
    if state
        .quiz
        .questions
        .get(state.index)
        .is_some_and(|q| !q.hints.is_empty())
    {
        keys.push(k(hint_key, "keys.hint", Action::Hint));
    }
    keys.push(k("Esc", "keys.leave_quiz", Action::Back));
    keys
}
