//! Pure, deterministic grading exactly as DESIGN.md defines it.

use unicode_normalization::UnicodeNormalization;

use super::{Question, QuestionKind, Quiz, Response};

/// The outcome of one answered question.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Grade {
    /// The fraction of the question that was right (0..=1).
    pub fraction: f64,
    /// Points earned (`fraction × points`).
    pub points: f64,
    /// Points available.
    pub max: f64,
}

impl Grade {
    /// Fully right?
    #[must_use]
    pub fn is_correct(&self) -> bool {
        self.fraction >= 1.0 - 1e-9
    }
}

/// Grades `response` to `question`. A response of the wrong shape earns 0 points.
#[must_use]
pub fn grade(question: &Question, response: &Response) -> Grade {
    let fraction = fraction(&question.kind, response).clamp(0.0, 1.0);
    Grade {
        fraction,
        points: fraction * question.points,
        max: question.points,
    }
}

#[allow(clippy::cast_precision_loss)] // counts of options are tiny
fn fraction(kind: &QuestionKind, response: &Response) -> f64 {
    match (kind, response) {
        (QuestionKind::Single { options }, Response::Choice(i)) => {
            bool_score(options.get(*i).is_some_and(|o| o.correct))
        }
        (QuestionKind::Multiple { options }, Response::Choices(picks)) => {
            let mut picked = vec![false; options.len()];
            for &i in picks {
                if let Some(p) = picked.get_mut(i) {
                    *p = true;
                }
            }
            let right_total = options.iter().filter(|o| o.correct).count();
            let wrong_total = options.len() - right_total;
            let (mut right, mut wrong) = (0usize, 0usize);
            for (o, &p) in options.iter().zip(&picked) {
                if p && o.correct {
                    right += 1;
                } else if p {
                    wrong += 1;
                }
            }
            let gained = if right_total == 0 {
                0.0
            } else {
                right as f64 / right_total as f64
            };
            let lost = if wrong_total == 0 {
                0.0
            } else {
                wrong as f64 / wrong_total as f64
            };
            gained - lost
        }
        (QuestionKind::TrueFalse { answer }, Response::Bool(b)) => bool_score(answer == b),
        (
            QuestionKind::Short {
                normalised,
                pattern,
                case_sensitive,
                ..
            },
            Response::Text(text),
        ) => {
            let given = normalise_answer(text, *case_sensitive);
            let listed = normalised.contains(&given);
            let matched = pattern.as_ref().is_some_and(|p| p.is_match(&given));
            bool_score(!given.is_empty() && (listed || matched))
        }
        (QuestionKind::Numeric { answer, tolerance }, Response::Text(text)) => bool_score(
            parse_number(text)
                .is_some_and(|n| (n - answer).abs() <= tolerance + 1e-9 * answer.abs().max(1.0)),
        ),
        (QuestionKind::Order { items }, Response::Order(order)) => {
            if items.is_empty() {
                return 0.0;
            }
            longest_increasing_run(order, items.len()) as f64 / items.len() as f64
        }
        (QuestionKind::Match { pairs }, Response::Match(chosen)) => {
            if pairs.is_empty() {
                return 0.0;
            }
            let right = chosen
                .iter()
                .take(pairs.len())
                .enumerate()
                .filter(|(left, right)| **right == Some(*left))
                .count();
            right as f64 / pairs.len() as f64
        }
        _ => 0.0,
    }
}

fn bool_score(right: bool) -> f64 {
    if right { 1.0 } else { 0.0 }
}

/// The length of the longest subsequence of `order` whose items are in their correct
/// relative order (a longest strictly increasing subsequence of written indices).
/// Indices out of range or repeated are ignored.
fn longest_increasing_run(order: &[usize], n: usize) -> usize {
    let mut seen = vec![false; n];
    // tails[k] = the smallest last index of an increasing run of length k + 1.
    let mut tails: Vec<usize> = Vec::new();
    for &i in order {
        match seen.get_mut(i) {
            Some(s) if !*s => *s = true,
            _ => continue,
        }
        let at = tails.partition_point(|&t| t < i);
        if let Some(slot) = tails.get_mut(at) {
            *slot = i;
        } else {
            tails.push(i);
        }
    }
    tails.len()
}

/// Normalises a short answer for comparison: trimmed, inner white space collapsed,
/// Unicode NFC and, unless `case_sensitive`, case-folded (lower case, and `ß` as `ss`).
#[must_use]
pub fn normalise_answer(text: &str, case_sensitive: bool) -> String {
    let collapsed = text.split_whitespace().collect::<Vec<_>>().join(" ");
    let nfc: String = collapsed.nfc().collect();
    if case_sensitive {
        nfc
    } else {
        nfc.to_lowercase().replace('ß', "ss")
    }
}

/// Reads a number as a learner types it: `72`, `72.0`, `72,0`, `-3.5`, `+4`. A comma is a
/// decimal separator; a number with both a comma and a dot is not accepted.
#[must_use]
pub fn parse_number(text: &str) -> Option<f64> {
    let t = text.trim();
    if t.is_empty() || (t.contains(',') && t.contains('.')) || t.matches(',').count() > 1 {
        return None;
    }
    let t = t.replace(',', ".");
    let t = t.strip_prefix('+').unwrap_or(&t);
    if !t
        .bytes()
        .all(|b| b.is_ascii_digit() || b == b'.' || b == b'-' || b == b'e' || b == b'E')
    {
        return None;
    }
    t.parse::<f64>().ok().filter(|n| n.is_finite())
}

/// The tolerance of the pass decision and of shown scores: sums of fractional points
/// are not exact in floating point (0.1 + 0.2 + … may fall a hair below the mark).
const EPSILON: f64 = 1e-9;

/// A score as people are shown it, with `digits` decimals: always rounded **down**, so
/// a score below the pass mark never reads as the pass mark (159 of 200 points is 79 %,
/// not 80 %). The one rule for the TUI, screen-reader mode and every report.
#[must_use]
pub fn shown_fraction(fraction: f64, digits: i32) -> f64 {
    let scale = 10f64.powi(digits);
    ((fraction.clamp(0.0, 1.0) * scale) + EPSILON).floor() / scale
}

/// The result of a whole attempt.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct QuizScore {
    /// Points earned.
    pub points: f64,
    /// Points available.
    pub max: f64,
    /// `points / max` (0 when nothing is available).
    pub fraction: f64,
    /// `fraction >= pass_mark`.
    pub passed: bool,
}

/// Scores an attempt: `responses[i]` answers `quiz.questions[i]`; a missing response
/// earns nothing.
#[must_use]
pub fn score_quiz(quiz: &Quiz, responses: &[Option<Response>]) -> QuizScore {
    let mut points = 0.0;
    let mut max = 0.0;
    for (i, q) in quiz.questions.iter().enumerate() {
        max += q.points;
        if let Some(Some(r)) = responses.get(i) {
            points += grade(q, r).points;
        }
    }
    let fraction = if max > 0.0 { points / max } else { 0.0 };
    QuizScore {
        points,
        max,
        fraction,
        passed: fraction + EPSILON >= quiz.pass_mark,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::quiz::{Choice, Pair};

    fn q(kind: QuestionKind) -> Question {
        Question {
            id: "q".into(),
            prompt: String::new(),
            points: 2.0,
            hints: vec![],
            explanation: None,
            kind,
        }
    }

    fn options(correct: &[bool]) -> Vec<Choice> {
        correct
            .iter()
            .enumerate()
            .map(|(i, &c)| Choice {
                text: format!("o{i}"),
                correct: c,
                feedback: None,
            })
            .collect()
    }

    fn close(a: f64, b: f64) -> bool {
        (a - b).abs() < 1e-9
    }

    #[test]
    fn single_and_true_false_are_all_or_nothing() {
        let single = q(QuestionKind::Single {
            options: options(&[false, true, false]),
        });
        assert!(close(grade(&single, &Response::Choice(1)).points, 2.0));
        assert!(close(grade(&single, &Response::Choice(0)).points, 0.0));
        assert!(close(grade(&single, &Response::Choice(99)).points, 0.0));
        assert!(
            close(grade(&single, &Response::Bool(true)).points, 0.0),
            "wrong shape"
        );
        let tf = q(QuestionKind::TrueFalse { answer: false });
        assert!(grade(&tf, &Response::Bool(false)).is_correct());
        assert!(!grade(&tf, &Response::Bool(true)).is_correct());
    }

    #[test]
    fn multiple_gives_partial_credit_and_penalises_wrong_picks() {
        // Two right (0, 1), two wrong (2, 3).
        let m = q(QuestionKind::Multiple {
            options: options(&[true, true, false, false]),
        });
        let f = |picks: Vec<usize>| grade(&m, &Response::Choices(picks)).fraction;
        assert!(close(f(vec![0, 1]), 1.0));
        assert!(close(f(vec![0]), 0.5));
        assert!(close(f(vec![0, 1, 2]), 0.5));
        assert!(close(f(vec![0, 2]), 0.0));
        assert!(close(f(vec![2, 3]), 0.0), "clamped at 0");
        assert!(close(f(vec![0, 0, 0]), 0.5), "repeated picks count once");
        assert!(close(f(vec![]), 0.0));
        let all_right = q(QuestionKind::Multiple {
            options: options(&[true, true]),
        });
        assert!(close(
            grade(&all_right, &Response::Choices(vec![0])).fraction,
            0.5
        ));
    }

    #[test]
    fn short_answers_are_normalised() {
        let accept = vec!["Two-factor authentication".to_owned(), "Straße".to_owned()];
        let normalised = accept.iter().map(|a| normalise_answer(a, false)).collect();
        let short = q(QuestionKind::Short {
            accept,
            normalised,
            pattern: None,
            case_sensitive: false,
        });
        let ok = |t: &str| grade(&short, &Response::Text(t.into())).is_correct();
        assert!(ok("two-factor authentication"));
        assert!(ok("  TWO-FACTOR    Authentication \n"));
        assert!(ok("STRASSE"));
        assert!(ok("strasse"));
        assert!(!ok("two factor"));
        assert!(!ok(""));
        // NFC: "é" written as e + combining accent equals the precomposed form.
        let cafe = vec!["caf\u{e9}".to_owned()];
        let n = cafe.iter().map(|a| normalise_answer(a, true)).collect();
        let precise = q(QuestionKind::Short {
            accept: cafe,
            normalised: n,
            pattern: None,
            case_sensitive: true,
        });
        assert!(grade(&precise, &Response::Text("cafe\u{301}".into())).is_correct());
        assert!(
            !grade(&precise, &Response::Text("CAFÉ".into())).is_correct(),
            "case matters here"
        );
    }

    #[test]
    fn short_answer_patterns_match_the_normalised_answer() {
        let pattern = regex_lite::RegexBuilder::new("^two[- ]factor")
            .case_insensitive(true)
            .build()
            .ok();
        let short = q(QuestionKind::Short {
            accept: vec![],
            normalised: vec![],
            pattern,
            case_sensitive: false,
        });
        assert!(grade(&short, &Response::Text("Two  Factor auth".into())).is_correct());
        assert!(!grade(&short, &Response::Text("2fa".into())).is_correct());
    }

    #[test]
    fn numbers_accept_comma_decimals_within_tolerance() {
        let n = q(QuestionKind::Numeric {
            answer: 72.0,
            tolerance: 0.0,
        });
        for text in ["72", "72.0", "72,0", " +72 "] {
            assert!(
                grade(&n, &Response::Text(text.into())).is_correct(),
                "{text}"
            );
        }
        for text in ["72.5", "seventy-two", "", "7 2", "1.000,0", "inf", "NaN"] {
            assert!(
                !grade(&n, &Response::Text(text.into())).is_correct(),
                "{text}"
            );
        }
        let t = q(QuestionKind::Numeric {
            answer: 3.5,
            tolerance: 0.25,
        });
        assert!(grade(&t, &Response::Text("3,3".into())).is_correct());
        assert!(grade(&t, &Response::Text("3.75".into())).is_correct());
        assert!(!grade(&t, &Response::Text("3.8".into())).is_correct());
        assert_eq!(parse_number("-1,5"), Some(-1.5));
        assert_eq!(parse_number("1e3"), Some(1000.0));
    }

    #[test]
    fn order_scores_the_longest_run_in_relative_order() {
        let o = q(QuestionKind::Order {
            items: (0..5).map(|i| i.to_string()).collect(),
        });
        let f = |order: Vec<usize>| grade(&o, &Response::Order(order)).fraction;
        assert!(close(f(vec![0, 1, 2, 3, 4]), 1.0));
        assert!(close(f(vec![1, 0, 2, 3, 4]), 0.8));
        assert!(close(f(vec![4, 0, 1, 2, 3]), 0.8));
        assert!(close(f(vec![4, 3, 2, 1, 0]), 0.2));
        assert!(close(f(vec![0, 2, 1, 4, 3]), 0.6));
        assert!(
            close(f(vec![0, 0, 9, 1]), 0.4),
            "repeats and strays are ignored"
        );
    }

    #[test]
    fn match_scores_pairs_right() {
        let pairs = (0..4)
            .map(|i| Pair {
                left: format!("l{i}"),
                right: format!("r{i}"),
            })
            .collect();
        let m = q(QuestionKind::Match { pairs });
        let f = |chosen: Vec<Option<usize>>| grade(&m, &Response::Match(chosen)).fraction;
        assert!(close(f(vec![Some(0), Some(1), Some(2), Some(3)]), 1.0));
        assert!(close(f(vec![Some(1), Some(0), Some(2), Some(3)]), 0.5));
        assert!(close(f(vec![Some(0), None]), 0.25));
    }

    #[test]
    fn shown_scores_are_never_rounded_up_to_the_pass_mark() {
        assert!((shown_fraction(159.0 / 200.0, 2) - 0.79).abs() < 1e-12);
        assert!((shown_fraction(160.0 / 200.0, 2) - 0.80).abs() < 1e-12);
        // A sum that falls a hair below 0.8 still shows (and passes) as 80 %.
        let sum = 0.7 + 0.1;
        assert!(sum < 0.8);
        assert!((shown_fraction(sum, 2) - 0.80).abs() < 1e-12);
        assert!((shown_fraction(0.999, 2) - 0.99).abs() < 1e-12);
        assert!((shown_fraction(1.7, 2) - 1.0).abs() < 1e-12);
    }

    #[test]
    fn quizzes_pass_at_the_pass_mark() {
        let quiz = Quiz {
            title: "t".into(),
            pass_mark: 0.75,
            shuffle: true,
            max_attempts: None,
            feedback: crate::quiz::FeedbackMode::Immediate,
            questions: vec![
                q(QuestionKind::TrueFalse { answer: true }),
                q(QuestionKind::TrueFalse { answer: true }),
                q(QuestionKind::Multiple {
                    options: options(&[true, true, false]),
                }),
            ],
        };
        let yes = Some(Response::Bool(true));
        let score = score_quiz(
            &quiz,
            &[yes.clone(), yes.clone(), Some(Response::Choices(vec![0]))],
        );
        assert!(close(score.points, 5.0) && close(score.max, 6.0));
        assert!(score.passed);
        let score = score_quiz(&quiz, &[yes, None, Some(Response::Choices(vec![0, 1]))]);
        assert!(close(score.fraction, 4.0 / 6.0));
        assert!(!score.passed);
    }
}
