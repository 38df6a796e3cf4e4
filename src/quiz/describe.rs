//! Answers in words: what a learner answered and what was right, for feedback and
//! the results review (in the course runner and in screen-reader mode).

use crate::i18n::Strings;

use super::{Question, QuestionKind, Response};

/// What `response` to `question` was, in words.
#[must_use]
pub fn response(question: &Question, response: &Response, strings: &Strings) -> String {
    match (&question.kind, response) {
        (QuestionKind::Single { options }, Response::Choice(i)) => {
            options.get(*i).map(|o| o.text.clone()).unwrap_or_default()
        }
        (QuestionKind::Multiple { options }, Response::Choices(picks)) => {
            let texts: Vec<&str> = picks
                .iter()
                .filter_map(|i| options.get(*i))
                .map(|o| o.text.as_str())
                .collect();
            if texts.is_empty() {
                strings.get("answer.nothing_ticked").to_owned()
            } else {
                texts.join("; ")
            }
        }
        (QuestionKind::TrueFalse { .. }, Response::Bool(b)) => truth(*b, strings).to_owned(),
        (QuestionKind::Order { items }, Response::Order(order)) => numbered(
            order
                .iter()
                .filter_map(|i| items.get(*i))
                .map(String::as_str),
        ),
        (QuestionKind::Match { pairs }, Response::Match(chosen)) => pairs
            .iter()
            .zip(chosen.iter().chain(std::iter::repeat(&None)))
            .map(|(p, c)| {
                format!(
                    "{} → {}",
                    p.left,
                    c.and_then(|r| pairs.get(r))
                        .map_or("—", |r| r.right.as_str())
                )
            })
            .collect::<Vec<_>>()
            .join("; "),
        (_, Response::Text(text)) => text.clone(),
        _ => String::new(),
    }
}

/// The right answer in words.
#[must_use]
pub fn right_answer(question: &Question, strings: &Strings) -> String {
    match &question.kind {
        QuestionKind::Single { options } | QuestionKind::Multiple { options } => options
            .iter()
            .filter(|o| o.correct)
            .map(|o| o.text.as_str())
            .collect::<Vec<_>>()
            .join("; "),
        QuestionKind::TrueFalse { answer } => truth(*answer, strings).to_owned(),
        QuestionKind::Short { accept, .. } => {
            if accept.is_empty() {
                strings.get("answer.pattern").to_owned()
            } else {
                accept.join(" / ")
            }
        }
        QuestionKind::Numeric { answer, tolerance } => {
            if *tolerance > 0.0 {
                format!(
                    "{} (± {})",
                    strings.number(*answer),
                    strings.number(*tolerance)
                )
            } else {
                strings.number(*answer)
            }
        }
        QuestionKind::Order { items } => numbered(items.iter().map(String::as_str)),
        QuestionKind::Match { pairs } => pairs
            .iter()
            .map(|p| format!("{} → {}", p.left, p.right))
            .collect::<Vec<_>>()
            .join("; "),
    }
}

/// The feedback written for the options the learner chose.
#[must_use]
pub fn chosen_feedback(question: &Question, response: &Response) -> Vec<(String, String)> {
    let (QuestionKind::Single { options } | QuestionKind::Multiple { options }) = &question.kind
    else {
        return Vec::new();
    };
    let picks: Vec<usize> = match response {
        Response::Choice(i) => vec![*i],
        Response::Choices(v) => v.clone(),
        _ => Vec::new(),
    };
    picks
        .iter()
        .filter_map(|i| options.get(*i))
        .filter_map(|o| o.feedback.as_ref().map(|f| (o.text.clone(), f.clone())))
        .collect()
}

fn truth(value: bool, strings: &Strings) -> &str {
    strings.get(if value { "quiz.true" } else { "quiz.false" })
}

fn numbered<'a>(items: impl Iterator<Item = &'a str>) -> String {
    items
        .enumerate()
        .map(|(i, t)| format!("{}. {t}", i + 1))
        .collect::<Vec<_>>()
        .join("  ")
}
