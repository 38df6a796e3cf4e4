//! Answers in words: what the learner answered and what was right, for feedback and the
//! results review.

use crate::i18n::Strings;
use crate::quiz::Grade;

use super::theme::Symbols;

pub use crate::quiz::describe::{chosen_feedback, response, right_answer};

/// "✓ Right · 1 of 1 point" and its kind (right, partly, wrong).
#[must_use]
pub fn verdict(grade: &Grade, symbols: &Symbols, strings: &Strings) -> (String, Verdict) {
    let (mark, key, kind) = if grade.is_correct() {
        (symbols.right, "answer.right", Verdict::Right)
    } else if grade.fraction > 0.0 {
        (symbols.partly, "answer.partly", Verdict::Partly)
    } else {
        (symbols.wrong, "answer.wrong", Verdict::Wrong)
    };
    let one = (grade.max - 1.0).abs() < f64::EPSILON;
    let points = strings.fmt(
        if one {
            "answer.points_one"
        } else {
            "answer.points"
        },
        &[
            ("points", &strings.number(grade.points)),
            ("max", &strings.number(grade.max)),
        ],
    );
    (
        format!("{mark} {} {} {points}", strings.get(key), symbols.dot),
        kind,
    )
}

/// How right an answer was.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Verdict {
    /// Fully right.
    Right,
    /// Partly right.
    Partly,
    /// Wrong.
    Wrong,
}
