//! A quiz as numbered prompts with typed answers.

use std::io::{BufRead, Write};

use anyhow::Result;

use super::{Choice, Plain, WIDTH};
use crate::markdown::{self, RenderOptions};
use crate::progress::{Answer, AttemptResult, Change, ItemRecord, Timestamp};
use crate::quiz::{
    FeedbackMode, Grade, Question, QuestionKind, Quiz, Response, grade, parse_number, score_quiz,
    shuffle,
};

/// What the learner does after a quiz.
pub(super) enum After {
    /// Go on to the next item.
    Next,
    /// Try again.
    Retry,
    /// Back to the course.
    Course,
    /// The input ended.
    Quit,
}

/// The answer to one prompt.
enum Typed {
    /// A response to grade.
    Response(Response),
    /// Leave the quiz (confirmed).
    Leave,
    /// The input ended.
    End,
}

impl<R: BufRead, W: Write> Plain<'_, R, W> {
    /// Runs an attempt at `quiz` (keyed `course`/`key`), resuming an unfinished one.
    pub(super) fn quiz(&mut self, course: &str, key: &str, quiz: &Quiz) -> Result<After> {
        let s = self.strings;
        let record = self
            .store
            .profile()
            .item(course, key)
            .cloned()
            .unwrap_or_default();
        let completed = record.completed_attempts();
        if quiz.max_attempts.is_some_and(|m| completed >= m as usize)
            && record.open_attempt().is_none()
        {
            self.say(s.get("results.no_attempts_left"))?;
            return Ok(After::Course);
        }
        let (attempt, seed, mut answers) = self.start_attempt(course, key, quiz, &record);
        self.say("")?;
        self.say(&s.fmt(
            "sr.quiz",
            &[
                ("title", &quiz.title),
                ("n", &quiz.questions.len().to_string()),
                ("percent", &s.percent(quiz.pass_mark)),
            ],
        ))?;
        for (index, question) in quiz.questions.iter().enumerate() {
            if answers.get(index).is_some_and(Option::is_some) {
                continue;
            }
            let order = shuffle::display_order(question, seed, quiz.shuffle);
            let (response, hints) = match self.ask_question(quiz, index, &order)? {
                (Typed::Response(r), hints) => (r, hints),
                (Typed::Leave, _) => return Ok(After::Course),
                (Typed::End, _) => return Ok(After::Quit),
            };
            let g = grade(question, &response);
            self.store.record(Change::Answered {
                course: course.to_owned(),
                item: key.to_owned(),
                attempt: attempt.clone(),
                answer: Answer {
                    question: question.id.clone(),
                    response: response.clone(),
                    points: g.points,
                    max: g.max,
                    hints,
                    at: Some(Timestamp::now()),
                },
            });
            self.save();
            if quiz.feedback == FeedbackMode::Immediate {
                self.feedback(question, &response, &g, true)?;
                if self.ask(s.get("quiz.enter_to_continue"))?.is_none() {
                    return Ok(After::Quit);
                }
            }
            if let Some(slot) = answers.get_mut(index) {
                *slot = Some((response, g));
            }
        }
        let responses: Vec<Option<Response>> = answers
            .iter()
            .map(|a| a.as_ref().map(|(r, _)| r.clone()))
            .collect();
        let score = score_quiz(quiz, &responses);
        let last = quiz
            .max_attempts
            .is_some_and(|m| completed + 1 >= m as usize);
        self.store.record(Change::AttemptEnded {
            course: course.to_owned(),
            item: key.to_owned(),
            attempt,
            result: AttemptResult {
                points: score.points,
                max: score.max,
                passed: score.passed,
                last,
            },
        });
        self.save();
        self.results(quiz, &answers, score.passed, completed + 1)
    }

    /// Resumes the open attempt or starts a new one: its id, seed and answers so far.
    fn start_attempt(
        &mut self,
        course: &str,
        key: &str,
        quiz: &Quiz,
        record: &ItemRecord,
    ) -> (String, u64, Vec<Option<(Response, Grade)>>) {
        let mut answers: Vec<Option<(Response, Grade)>> = vec![None; quiz.questions.len()];
        if let Some(open) = record.open_attempt() {
            for answer in &open.answers {
                if let Some(i) = quiz.questions.iter().position(|q| q.id == answer.question)
                    && let (Some(slot), Some(q)) = (answers.get_mut(i), quiz.questions.get(i))
                {
                    *slot = Some((answer.response.clone(), grade(q, &answer.response)));
                }
            }
            return (open.id.clone(), open.seed, answers);
        }
        let id = uuid::Uuid::new_v4();
        let (attempt, seed) = (id.to_string(), id.as_u64_pair().1);
        self.store.record(Change::AttemptStarted {
            course: course.to_owned(),
            item: key.to_owned(),
            attempt: attempt.clone(),
            seed,
        });
        self.save();
        (attempt, seed, answers)
    }

    /// Asks question `index` until it is answered; returns the response and hints used.
    fn ask_question(&mut self, quiz: &Quiz, index: usize, order: &[usize]) -> Result<(Typed, u32)> {
        let s = self.strings;
        let Some(question) = quiz.questions.get(index) else {
            return Ok((Typed::End, 0));
        };
        self.say("")?;
        let kind = s
            .get(&format!("quiz.kind.{}", question.kind.name()))
            .to_owned();
        self.say(&format!(
            "{} ({kind}, {}):",
            s.fmt(
                "quiz.question_of",
                &[
                    ("n", &(index + 1).to_string()),
                    ("total", &quiz.questions.len().to_string())
                ]
            ),
            s.fmt(
                if (question.points - 1.0).abs() < f64::EPSILON {
                    "quiz.one_point"
                } else {
                    "quiz.points"
                },
                &[("n", &s.number(question.points))]
            ),
        ))?;
        self.markdown(&question.prompt)?;
        let labels = option_labels(question, order, s);
        for (n, label) in labels.iter().enumerate() {
            self.say(&format!("  {}. {label}", n + 1))?;
        }
        if let QuestionKind::Match { pairs } = &question.kind {
            self.say(s.get("quiz.partners"))?;
            for (n, r) in order.iter().enumerate() {
                let right = pairs.get(*r).map(|p| p.right.as_str()).unwrap_or_default();
                self.say(&format!("  {}. {right}", n + 1))?;
            }
        }
        let mut hints = 0u32;
        let instruction = s
            .get(&format!("sr.answer.{}", question.kind.name()))
            .to_owned();
        loop {
            let typed = if let QuestionKind::Match { pairs } = &question.kind {
                self.ask_pairs(
                    pairs.iter().map(|p| p.left.clone()).collect(),
                    order,
                    &instruction,
                )?
            } else {
                let Some(text) = self.ask(&instruction)? else {
                    return Ok((Typed::End, hints));
                };
                match text.to_lowercase().as_str() {
                    "h" | "?" => {
                        hints = self.hint(question, hints)?;
                        continue;
                    }
                    "q" => {
                        if self.confirm_leave()? {
                            Typed::Leave
                        } else {
                            continue;
                        }
                    }
                    _ => match parse_response(question, order, &text) {
                        Ok(response) => Typed::Response(response),
                        Err(key) => {
                            self.say(s.get(key))?;
                            continue;
                        }
                    },
                }
            };
            return Ok((typed, hints));
        }
    }

    /// Asks the partner of each left item of a match question.
    fn ask_pairs(
        &mut self,
        lefts: Vec<String>,
        order: &[usize],
        instruction: &str,
    ) -> Result<Typed> {
        self.say(instruction)?;
        let mut chosen = Vec::new();
        for left in lefts {
            let prompt = self.strings.fmt("sr.partner_for", &[("term", &left)]);
            match self.choose(&prompt, order.len())? {
                Choice::Number(n) => chosen.push(order.get(n - 1).copied()),
                Choice::Back => {
                    if self.confirm_leave()? {
                        return Ok(Typed::Leave);
                    }
                    return self.ask_pairs(Vec::new(), order, instruction);
                }
                Choice::End => return Ok(Typed::End),
            }
        }
        Ok(Typed::Response(Response::Match(chosen)))
    }

    fn confirm_leave(&mut self) -> Result<bool> {
        let answer = self.ask(self.strings.get("sr.leave"))?;
        Ok(answer.is_none_or(|a| matches!(a.to_lowercase().as_str(), "y" | "yes" | "j" | "ja")))
    }

    /// Shows the next hint; returns how many have been shown.
    fn hint(&mut self, question: &Question, shown: u32) -> Result<u32> {
        let s = self.strings;
        if let Some(hint) = question.hints.get(shown as usize) {
            let label = s.fmt(
                "quiz.hint_n",
                &[
                    ("n", &(shown + 1).to_string()),
                    ("total", &question.hints.len().to_string()),
                ],
            );
            self.say(&format!("{label}:"))?;
            self.markdown(hint)?;
            Ok(shown + 1)
        } else {
            self.say(s.get(if question.hints.is_empty() {
                "quiz.no_hints"
            } else {
                "quiz.no_more_hints"
            }))?;
            Ok(shown)
        }
    }

    /// Says whether an answer was right, with the option feedback and, when `reveal`,
    /// the right answer and the explanation.
    fn feedback(
        &mut self,
        question: &Question,
        response: &Response,
        g: &Grade,
        reveal: bool,
    ) -> Result<()> {
        let s = self.strings;
        let verdict = if g.is_correct() {
            s.get("answer.right")
        } else if g.fraction > 0.0 {
            s.get("answer.partly")
        } else {
            s.get("answer.wrong")
        };
        let one = (g.max - 1.0).abs() < f64::EPSILON;
        let points = s.fmt(
            if one {
                "answer.points_one"
            } else {
                "answer.points"
            },
            &[("points", &s.number(g.points)), ("max", &s.number(g.max))],
        );
        self.say(&format!("{verdict}. {points}."))?;
        for (option, text) in crate::quiz::describe::chosen_feedback(question, response) {
            self.say(&format!("\"{option}\": {text}"))?;
        }
        if reveal && !g.is_correct() {
            self.say(&format!(
                "{} {}",
                s.get("answer.right_answer"),
                crate::quiz::describe::right_answer(question, s)
            ))?;
        }
        if reveal && let Some(explanation) = &question.explanation {
            self.say(&format!("{}:", s.get("answer.explanation")))?;
            self.markdown(explanation)?;
        }
        Ok(())
    }

    fn results(
        &mut self,
        quiz: &Quiz,
        answers: &[Option<(Response, Grade)>],
        passed: bool,
        attempts: usize,
    ) -> Result<After> {
        let s = self.strings;
        let responses: Vec<Option<Response>> = answers
            .iter()
            .map(|a| a.as_ref().map(|(r, _)| r.clone()))
            .collect();
        let score = score_quiz(quiz, &responses);
        self.say("")?;
        self.say(&s.fmt("results.title", &[("quiz", &quiz.title)]))?;
        self.say(&s.fmt(
            "results.score",
            &[
                ("points", &s.number(score.points)),
                ("max", &s.number(score.max)),
                ("percent", &s.percent(score.fraction)),
            ],
        ))?;
        self.say(&s.fmt(
            "results.pass_mark",
            &[("percent", &s.percent(quiz.pass_mark))],
        ))?;
        self.say(s.get(if passed {
            "results.passed"
        } else {
            "results.not_yet"
        }))?;
        let left = quiz
            .max_attempts
            .map(|m| (m as usize).saturating_sub(attempts));
        let exam = quiz.feedback == FeedbackMode::Deferred && quiz.max_attempts.is_some();
        let reveal = !(exam && !passed && left != Some(0));
        if !reveal {
            self.say(s.get("results.answers_hidden"))?;
        }
        for (i, question) in quiz.questions.iter().enumerate() {
            self.say("")?;
            self.say(&s.fmt("sr.review", &[("n", &(i + 1).to_string())]))?;
            self.markdown(&question.prompt)?;
            match answers.get(i).and_then(Option::as_ref) {
                Some((response, g)) => {
                    self.say(&format!(
                        "{} {}",
                        s.get("answer.yours"),
                        crate::quiz::describe::response(question, response, s)
                    ))?;
                    self.feedback(question, response, g, reveal)?;
                }
                None => self.say(s.get("answer.none"))?,
            }
        }
        self.say("")?;
        let can_retry = left != Some(0);
        let prompt = if can_retry {
            s.get("sr.after_quiz_retry")
        } else {
            s.get("sr.after_quiz")
        };
        loop {
            let Some(answer) = self.ask(prompt)? else {
                return Ok(After::Quit);
            };
            match answer.to_lowercase().as_str() {
                "" | "n" => return Ok(After::Next),
                "r" if can_retry => return Ok(After::Retry),
                "q" => return Ok(After::Course),
                _ => self.say(prompt)?,
            }
        }
    }

    /// Says Markdown as plain text (ASCII decoration, no box-drawing).
    fn markdown(&mut self, text: &str) -> Result<()> {
        let lines = markdown::render(
            text,
            RenderOptions {
                width: WIDTH,
                ascii: true,
            },
        );
        for line in &lines {
            self.say(line.text().trim_end())?;
        }
        Ok(())
    }
}

/// The numbered options of a question as shown (display order).
fn option_labels(question: &Question, order: &[usize], s: &crate::i18n::Strings) -> Vec<String> {
    match &question.kind {
        QuestionKind::Single { options } | QuestionKind::Multiple { options } => order
            .iter()
            .filter_map(|i| options.get(*i))
            .map(|o| o.text.clone())
            .collect(),
        QuestionKind::TrueFalse { .. } => vec![
            s.get("quiz.true").to_owned(),
            s.get("quiz.false").to_owned(),
        ],
        QuestionKind::Order { items } => order
            .iter()
            .filter_map(|i| items.get(*i))
            .cloned()
            .collect(),
        QuestionKind::Match { pairs } => pairs.iter().map(|p| p.left.clone()).collect(),
        QuestionKind::Short { .. } | QuestionKind::Numeric { .. } => Vec::new(),
    }
}

/// Reads a typed answer. The error is the key of a message saying what to type.
fn parse_response(
    question: &Question,
    order: &[usize],
    text: &str,
) -> Result<Response, &'static str> {
    let numbers = || -> Option<Vec<usize>> {
        text.split(|c: char| c == ',' || c == ';' || c.is_whitespace())
            .filter(|p| !p.is_empty())
            .map(|p| {
                p.parse::<usize>()
                    .ok()
                    .filter(|n| (1..=order.len()).contains(n))
            })
            .collect()
    };
    match &question.kind {
        QuestionKind::Single { .. } => match numbers().as_deref() {
            Some([n]) => order
                .get(n - 1)
                .map(|i| Response::Choice(*i))
                .ok_or("sr.invalid.single"),
            _ => Err("sr.invalid.single"),
        },
        QuestionKind::TrueFalse { .. } => match text.to_lowercase().as_str() {
            "1" | "true" | "t" | "wahr" | "w" | "richtig" => Ok(Response::Bool(true)),
            "2" | "false" | "f" | "falsch" => Ok(Response::Bool(false)),
            _ => Err("sr.invalid.true_false"),
        },
        QuestionKind::Multiple { .. } => {
            if text.trim() == "0" {
                return Ok(Response::Choices(Vec::new()));
            }
            let picks = numbers().ok_or("sr.invalid.multiple")?;
            Ok(Response::Choices(
                picks
                    .iter()
                    .filter_map(|n| order.get(n - 1).copied())
                    .collect(),
            ))
        }
        QuestionKind::Short { .. } => {
            if text.trim().is_empty() {
                Err("quiz.type_first")
            } else {
                Ok(Response::Text(text.to_owned()))
            }
        }
        QuestionKind::Numeric { .. } => {
            if parse_number(text).is_some() {
                Ok(Response::Text(text.trim().to_owned()))
            } else {
                Err("quiz.not_a_number")
            }
        }
        QuestionKind::Order { items } => {
            let picks = numbers()
                .filter(|p| p.len() == items.len())
                .ok_or("sr.invalid.order")?;
            let mut seen = picks.clone();
            seen.sort_unstable();
            seen.dedup();
            if seen.len() != picks.len() {
                return Err("sr.invalid.order");
            }
            Ok(Response::Order(
                picks
                    .iter()
                    .filter_map(|n| order.get(n - 1).copied())
                    .collect(),
            ))
        }
        QuestionKind::Match { .. } => Err("sr.invalid.single"),
    }
}
