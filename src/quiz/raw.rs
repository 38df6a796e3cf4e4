//! Quiz files as written: strict serde types that keep the place of each value.

use std::fmt;

use serde::de::{self, Deserializer, Visitor};
use serde::{Deserialize, Serialize};
use toml::Spanned;

/// When a learner sees right/wrong and the explanations.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum FeedbackMode {
    /// After each question.
    #[default]
    Immediate,
    /// On the results screen, after the last question (exam style).
    Deferred,
}

/// A `*.quiz.toml` file.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawQuiz {
    pub title: Option<String>,
    pub pass_mark: Option<Spanned<f64>>,
    pub shuffle: Option<bool>,
    pub max_attempts: Option<Spanned<u32>>,
    pub feedback: Option<FeedbackMode>,
    #[serde(default)]
    pub question: Vec<Spanned<RawQuestion>>,
}

/// The keys a quiz file accepts at its top level.
pub const QUIZ_KEYS: &[&str] = &[
    "title",
    "pass_mark",
    "shuffle",
    "max_attempts",
    "feedback",
    "question",
];

/// One `[[question]]` table. Every type-specific key is optional here; the validation
/// pass says which keys a type needs and which it does not use.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawQuestion {
    pub id: Option<Spanned<String>>,
    #[serde(rename = "type")]
    pub kind: Option<Spanned<String>>,
    pub prompt: Option<Spanned<String>>,
    pub points: Option<Spanned<f64>>,
    pub hints: Option<Vec<String>>,
    pub explanation: Option<String>,
    pub options: Option<Spanned<Vec<Spanned<RawOption>>>>,
    pub answer: Option<Spanned<Answer>>,
    pub tolerance: Option<Spanned<f64>>,
    pub accept: Option<Spanned<Vec<Spanned<String>>>>,
    pub pattern: Option<Spanned<String>>,
    pub case_sensitive: Option<Spanned<bool>>,
    pub items: Option<Spanned<Vec<Spanned<String>>>>,
    pub pairs: Option<Spanned<Vec<Spanned<RawPair>>>>,
}

/// The keys a question accepts.
pub const QUESTION_KEYS: &[&str] = &[
    "id",
    "type",
    "prompt",
    "points",
    "hints",
    "explanation",
    "options",
    "answer",
    "tolerance",
    "accept",
    "pattern",
    "case_sensitive",
    "items",
    "pairs",
];

/// An option of a choice question.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawOption {
    pub text: String,
    #[serde(default)]
    pub correct: bool,
    pub feedback: Option<String>,
}

/// The keys an option accepts.
pub const OPTION_KEYS: &[&str] = &["text", "correct", "feedback"];

/// A pair of a match question.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawPair {
    pub left: String,
    pub right: String,
}

/// The keys a pair accepts.
pub const PAIR_KEYS: &[&str] = &["left", "right"];

/// `answer` is a boolean for `true_false` and a number for `numeric`.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Answer {
    /// `answer = true` / `false`.
    Bool(bool),
    /// `answer = 72` / `72.5`.
    Number(f64),
}

impl<'de> Deserialize<'de> for Answer {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct AnswerVisitor;
        impl Visitor<'_> for AnswerVisitor {
            type Value = Answer;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("true or false (true_false questions) or a number (numeric questions)")
            }
            fn visit_bool<E: de::Error>(self, v: bool) -> Result<Answer, E> {
                Ok(Answer::Bool(v))
            }
            fn visit_i64<E: de::Error>(self, v: i64) -> Result<Answer, E> {
                #[allow(clippy::cast_precision_loss)] // quiz answers are far below 2^52
                Ok(Answer::Number(v as f64))
            }
            fn visit_u64<E: de::Error>(self, v: u64) -> Result<Answer, E> {
                #[allow(clippy::cast_precision_loss)] // as above
                Ok(Answer::Number(v as f64))
            }
            fn visit_f64<E: de::Error>(self, v: f64) -> Result<Answer, E> {
                Ok(Answer::Number(v))
            }
        }
        deserializer.deserialize_any(AnswerVisitor)
    }
}
