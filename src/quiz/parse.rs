//! From quiz TOML to a validated [`Quiz`], with every problem found in one pass.

use std::collections::{HashMap, HashSet};
use std::ops::Range;

use toml::Spanned;

use super::grade::normalise_answer;
use super::raw::{
    Answer, OPTION_KEYS, PAIR_KEYS, QUESTION_KEYS, QUIZ_KEYS, RawOption, RawQuestion, RawQuiz,
};
use super::{Choice, Pair, Question, QuestionKind, Quiz};
use crate::course::manifest::toml_diagnostic;
use crate::diagnostic::Diagnostic;
use crate::limits;
use crate::text::{did_you_mean, is_valid_id, sanitize, sanitize_line};

/// What a quiz inherits from its course.
#[derive(Clone, Copy, Debug)]
pub struct QuizDefaults {
    /// The course's pass mark (or the global default 0.8).
    pub pass_mark: f64,
}

impl Default for QuizDefaults {
    fn default() -> Self {
        Self { pass_mark: 0.8 }
    }
}

const TYPES: &[&str] = &[
    "single",
    "multiple",
    "true_false",
    "short",
    "numeric",
    "order",
    "match",
];

/// Parses and validates quiz file `path` with contents `source`.
///
/// Returns the quiz when it has no errors (warnings may be present), and every
/// diagnostic found.
#[must_use]
pub fn parse(path: &str, source: &str, defaults: QuizDefaults) -> (Option<Quiz>, Vec<Diagnostic>) {
    let raw: RawQuiz = match toml::from_str(source) {
        Ok(raw) => raw,
        Err(e) => {
            let keys = keys_for_error(e.message());
            return (
                None,
                vec![toml_diagnostic(path, source, e.message(), e.span(), keys)],
            );
        }
    };
    let mut checker = Checker {
        path,
        source,
        diagnostics: Vec::new(),
    };
    let quiz = checker.quiz(raw, defaults);
    let has_errors = checker.diagnostics.iter().any(Diagnostic::is_error);
    (quiz.filter(|_| !has_errors), checker.diagnostics)
}

/// The key list to suggest from, guessed from which table the unknown key was in.
fn keys_for_error(message: &str) -> &'static [&'static str] {
    let expected = |k: &str| message.contains(&format!("`{k}`"));
    if expected("left") && expected("right") {
        PAIR_KEYS
    } else if expected("text") && expected("correct") {
        OPTION_KEYS
    } else if expected("prompt") {
        QUESTION_KEYS
    } else {
        QUIZ_KEYS
    }
}

struct Checker<'a> {
    path: &'a str,
    source: &'a str,
    diagnostics: Vec<Diagnostic>,
}

impl Checker<'_> {
    fn error(&mut self, span: Option<Range<usize>>, message: impl AsRef<str>, hint: Option<&str>) {
        let mut d = Diagnostic::error(self.path, message).at_opt(self.source, span);
        if let Some(h) = hint {
            d = d.hint(h);
        }
        self.diagnostics.push(d);
    }

    fn warn(&mut self, span: Option<Range<usize>>, message: impl AsRef<str>, hint: &str) {
        let d = Diagnostic::warning(self.path, message)
            .at_opt(self.source, span)
            .hint(hint);
        self.diagnostics.push(d);
    }

    fn quiz(&mut self, raw: RawQuiz, defaults: QuizDefaults) -> Option<Quiz> {
        let pass_mark = match raw.pass_mark {
            Some(p) => {
                let value = *p.get_ref();
                if !(0.0..=1.0).contains(&value) {
                    self.error(
                        Some(p.span()),
                        format!("pass_mark {value} is outside 0..=1"),
                        Some("write it as a fraction: 0.8 means 80 %"),
                    );
                }
                value
            }
            None => defaults.pass_mark,
        };
        let max_attempts = match raw.max_attempts {
            Some(m) if *m.get_ref() == 0 => {
                self.error(
                    Some(m.span()),
                    "max_attempts must be at least 1",
                    Some("leave it out for unlimited attempts"),
                );
                None
            }
            Some(m) => Some(m.into_inner()),
            None => None,
        };
        if raw.question.is_empty() {
            self.error(
                Some(0..0),
                "the quiz has no questions",
                Some("add at least one [[question]] table"),
            );
        }
        if raw.question.len() > limits::MAX_QUESTIONS {
            self.error(
                Some(0..0),
                format!(
                    "the quiz has {} questions; kurs reads at most {}",
                    raw.question.len(),
                    limits::MAX_QUESTIONS
                ),
                Some("split it into several quizzes"),
            );
            return None;
        }
        let shuffle = raw.shuffle.unwrap_or(true);
        let mut seen: HashMap<String, usize> = HashMap::new();
        let mut questions = Vec::new();
        let mut correct_positions = Vec::new();
        for spanned in raw.question {
            let span = spanned.span();
            let q = spanned.into_inner();
            if let Some(question) = self.question(&q, span, &mut seen) {
                if let QuestionKind::Single { options } = &question.kind {
                    correct_positions.push(options.iter().position(|o| o.correct));
                }
                questions.push(question);
            }
        }
        if !shuffle && correct_positions.len() >= 3 {
            let first = correct_positions.first().copied().flatten();
            if correct_positions.iter().all(|p| *p == first) {
                self.warn(
                    None,
                    "the right option is in the same place in every single-choice question",
                    "vary its position, or set `shuffle = true`",
                );
            }
        }
        let total: f64 = questions.iter().map(|q| q.points).sum();
        if !questions.is_empty() && total <= 0.0 {
            self.error(
                None,
                "the questions are worth 0 points together",
                Some("give at least one question `points` above 0"),
            );
        }
        if !total.is_finite() {
            // Each is finite, but the sum overflowed: every score would be NaN, and no
            // attempt could pass.
            self.error(
                None,
                "the questions' points add up to more than kurs can count",
                Some("use small numbers for `points`, such as 1 to 10"),
            );
        }
        Some(Quiz {
            title: raw
                .title
                .map_or_else(|| "Quiz".to_owned(), |t| sanitize_line(&t)),
            pass_mark,
            shuffle,
            max_attempts,
            feedback: raw.feedback.unwrap_or_default(),
            questions,
        })
    }

    #[allow(clippy::too_many_lines)] // one arm per question type reads best in one place
    fn question(
        &mut self,
        q: &RawQuestion,
        span: Range<usize>,
        seen: &mut HashMap<String, usize>,
    ) -> Option<Question> {
        let head = Some(span.start..span.start);
        let id = match &q.id {
            None => {
                self.error(
                    head.clone(),
                    "question has no `id`",
                    Some(
                        "add `id = \"…\"`: unique in this quiz; learners' progress is keyed by it",
                    ),
                );
                None
            }
            Some(id) => {
                let value = id.get_ref();
                if !is_valid_id(value) {
                    self.error(
                        Some(id.span()),
                        format!("question id `{value}` may only use a-z, 0-9, `-` and `_`"),
                        Some("for example `id = \"breach-hours\"`"),
                    );
                }
                if let Some(first) = seen.get(value) {
                    let line =
                        crate::diagnostic::Location::from_range(self.source, *first..*first).line;
                    self.error(
                        Some(id.span()),
                        format!("question id `{value}` is used twice"),
                        Some(&format!(
                            "it is first used on line {line}; ids must be unique in a quiz"
                        )),
                    );
                } else {
                    seen.insert(value.clone(), id.span().start);
                }
                Some(value.clone())
            }
        };
        let Some(kind_name) = &q.kind else {
            self.error(
                head,
                "question has no `type`",
                Some("add `type = \"single\"` (or multiple, true_false, short, numeric, order, match)"),
            );
            return None;
        };
        let type_name = kind_name.get_ref().as_str();
        if !TYPES.contains(&type_name) {
            let hint = match did_you_mean(type_name, TYPES) {
                Some(t) => format!("did you mean `{t}`? Types: {}", TYPES.join(", ")),
                None => format!("types: {}", TYPES.join(", ")),
            };
            self.error(
                Some(kind_name.span()),
                format!("unknown question type `{type_name}`"),
                Some(&hint),
            );
            return None;
        }
        self.unused_keys(q, type_name);
        let prompt = match &q.prompt {
            Some(p) if !p.get_ref().trim().is_empty() => sanitize(p.get_ref()).into_owned(),
            Some(p) => {
                self.error(
                    Some(p.span()),
                    "the prompt is empty",
                    Some("say what the learner should answer"),
                );
                String::new()
            }
            None => {
                self.error(
                    head.clone(),
                    "question has no `prompt`",
                    Some("add `prompt = \"…\"` (Markdown)"),
                );
                String::new()
            }
        };
        let points = match &q.points {
            Some(p) if !p.get_ref().is_finite() || *p.get_ref() < 0.0 => {
                self.error(Some(p.span()), "points must be a number of 0 or more", None);
                1.0
            }
            Some(p) => *p.get_ref(),
            None => 1.0,
        };
        let hints = q.hints.as_deref().unwrap_or_default();
        if hints.len() > limits::MAX_LIST {
            self.error(
                head.clone(),
                format!("more than {} hints", limits::MAX_LIST),
                None,
            );
        }
        let kind = match type_name {
            "single" | "multiple" => self.choice(q, type_name, head.clone()),
            "true_false" => {
                if let Some(a) = &q.answer {
                    match a.get_ref() {
                        Answer::Bool(b) => Some(QuestionKind::TrueFalse { answer: *b }),
                        Answer::Number(_) => {
                            self.error(
                                Some(a.span()),
                                "a true_false answer must be `true` or `false`",
                                Some("write `answer = true` or `answer = false`, without quotes"),
                            );
                            None
                        }
                    }
                } else {
                    self.error(
                        head.clone(),
                        "true_false question has no `answer`",
                        Some("add `answer = true` or `answer = false`"),
                    );
                    None
                }
            }
            "short" => self.short(q, head.clone()),
            "numeric" => self.numeric(q, head.clone()),
            "order" => self.order(q, head.clone()),
            _ => self.pairs(q, head.clone()),
        };
        Some(Question {
            id: id?,
            prompt,
            points,
            hints: hints
                .iter()
                .take(limits::MAX_LIST)
                .map(|h| sanitize(h).into_owned())
                .collect(),
            explanation: q.explanation.as_deref().map(|e| sanitize(e).into_owned()),
            kind: kind?,
        })
    }

    /// Reports keys that the question's type does not use.
    fn unused_keys(&mut self, q: &RawQuestion, type_name: &str) {
        let present: [(&str, Option<Range<usize>>); 8] = [
            ("options", q.options.as_ref().map(Spanned::span)),
            ("answer", q.answer.as_ref().map(Spanned::span)),
            ("tolerance", q.tolerance.as_ref().map(Spanned::span)),
            ("accept", q.accept.as_ref().map(Spanned::span)),
            ("pattern", q.pattern.as_ref().map(Spanned::span)),
            (
                "case_sensitive",
                q.case_sensitive.as_ref().map(Spanned::span),
            ),
            ("items", q.items.as_ref().map(Spanned::span)),
            ("pairs", q.pairs.as_ref().map(Spanned::span)),
        ];
        for (key, span) in present {
            let Some(span) = span else { continue };
            let users = users_of(key);
            if !users.contains(&type_name) {
                self.error(
                    Some(span),
                    format!("`{key}` is not used by `{type_name}` questions"),
                    Some(&format!(
                        "remove it; `{key}` belongs to: {}",
                        users.join(", ")
                    )),
                );
            }
        }
    }

    fn choice(
        &mut self,
        q: &RawQuestion,
        type_name: &str,
        head: Option<Range<usize>>,
    ) -> Option<QuestionKind> {
        let Some(options) = &q.options else {
            self.error(
                head,
                format!("{type_name} question has no `options`"),
                Some("add `options = [ { text = \"…\", correct = true }, { text = \"…\" } ]`"),
            );
            return None;
        };
        let list = options.get_ref();
        if list.len() < 2 || list.len() > limits::MAX_LIST {
            self.error(
                Some(options.span()),
                format!(
                    "a {type_name} question needs 2 to {} options, not {}",
                    limits::MAX_LIST,
                    list.len()
                ),
                None,
            );
            return None;
        }
        let correct = list.iter().filter(|o| o.get_ref().correct).count();
        if type_name == "single" && correct != 1 {
            let hint = if correct == 0 {
                "mark the right option with `correct = true`"
            } else {
                "use `type = \"multiple\"` when several options are right"
            };
            self.error(
                Some(options.span()),
                format!(
                    "a single question needs exactly one correct option, this one has {correct}"
                ),
                Some(hint),
            );
        }
        if type_name == "multiple" && correct == 0 {
            self.error(
                Some(options.span()),
                "a multiple question needs at least one correct option",
                Some("mark the right options with `correct = true`"),
            );
        }
        let mut texts: HashSet<String> = HashSet::new();
        let mut choices = Vec::new();
        for option in list {
            let RawOption {
                text,
                correct,
                feedback,
            } = option.get_ref();
            let text = sanitize_line(text);
            if text.trim().is_empty() {
                self.error(Some(option.span()), "an option has empty text", None);
            }
            if !texts.insert(text.trim().to_lowercase()) {
                self.warn(
                    Some(option.span()),
                    format!("the option \"{text}\" appears twice"),
                    "give each option a different text",
                );
            }
            choices.push(Choice {
                text,
                correct: *correct,
                feedback: feedback.as_deref().map(|f| sanitize(f).into_owned()),
            });
        }
        Some(if type_name == "single" {
            QuestionKind::Single { options: choices }
        } else {
            QuestionKind::Multiple { options: choices }
        })
    }

    fn short(&mut self, q: &RawQuestion, head: Option<Range<usize>>) -> Option<QuestionKind> {
        let case_sensitive = q.case_sensitive.as_ref().is_some_and(|c| *c.get_ref());
        let accept: Vec<&Spanned<String>> = q
            .accept
            .as_ref()
            .map(|a| a.get_ref().iter().collect())
            .unwrap_or_default();
        if accept.is_empty() && q.pattern.is_none() {
            self.error(
                head,
                "short question has neither `accept` nor `pattern`",
                Some("add `accept = [\"answer\", \"other spelling\"]`"),
            );
            return None;
        }
        if accept.len() > limits::MAX_LIST {
            self.error(
                q.accept.as_ref().map(Spanned::span),
                format!("more than {} accepted answers", limits::MAX_LIST),
                None,
            );
            return None;
        }
        // Compared as shown: an answer is normalised from its sanitised text, so a learner
        // who types an accepted answer as displayed is right even when the file hides
        // control characters in it.
        let shown: Vec<String> = accept.iter().map(|a| sanitize_line(a.get_ref())).collect();
        let mut normalised = Vec::new();
        for (a, text) in accept.iter().zip(&shown) {
            let n = normalise_answer(text, case_sensitive);
            if n.is_empty() {
                self.error(Some(a.span()), "an accepted answer is empty", None);
            }
            normalised.push(n);
        }
        let pattern = match &q.pattern {
            Some(p) => match regex_lite::RegexBuilder::new(p.get_ref())
                .case_insensitive(!case_sensitive)
                .build()
            {
                Ok(re) => Some(re),
                Err(e) => {
                    let first = e.to_string();
                    let first = first
                        .lines()
                        .last()
                        .unwrap_or("invalid regular expression")
                        .trim()
                        .to_owned();
                    self.error(
                        Some(p.span()),
                        format!("the pattern is not a valid regular expression: {first}"),
                        Some("patterns use Rust regex syntax; write them as 'single-quoted' TOML strings"),
                    );
                    None
                }
            },
            None => None,
        };
        Some(QuestionKind::Short {
            accept: shown,
            normalised,
            pattern,
            case_sensitive,
        })
    }

    fn numeric(&mut self, q: &RawQuestion, head: Option<Range<usize>>) -> Option<QuestionKind> {
        let answer = if let Some(a) = &q.answer {
            match a.get_ref() {
                Answer::Number(n) if n.is_finite() => *n,
                _ => {
                    self.error(
                        Some(a.span()),
                        "a numeric answer must be a number",
                        Some("write it without quotes, with a dot for decimals: `answer = 3.5`"),
                    );
                    return None;
                }
            }
        } else {
            self.error(
                head,
                "numeric question has no `answer`",
                Some("add `answer = 72`"),
            );
            return None;
        };
        let tolerance = match &q.tolerance {
            Some(t) if !t.get_ref().is_finite() || *t.get_ref() < 0.0 => {
                self.error(
                    Some(t.span()),
                    "tolerance must be a number of 0 or more",
                    None,
                );
                return None;
            }
            Some(t) => *t.get_ref(),
            None => 0.0,
        };
        Some(QuestionKind::Numeric { answer, tolerance })
    }

    fn order(&mut self, q: &RawQuestion, head: Option<Range<usize>>) -> Option<QuestionKind> {
        let Some(items) = &q.items else {
            self.error(
                head,
                "order question has no `items`",
                Some("add `items = [\"first\", \"second\", \"third\"]` in the right order"),
            );
            return None;
        };
        let list = self.distinct_lines(items, "items", "item")?;
        Some(QuestionKind::Order { items: list })
    }

    fn pairs(&mut self, q: &RawQuestion, head: Option<Range<usize>>) -> Option<QuestionKind> {
        let Some(pairs) = &q.pairs else {
            self.error(
                head,
                "match question has no `pairs`",
                Some("add `pairs = [ { left = \"term\", right = \"meaning\" }, … ]`"),
            );
            return None;
        };
        let list = pairs.get_ref();
        if list.len() < 2 || list.len() > limits::MAX_LIST {
            self.error(
                Some(pairs.span()),
                format!(
                    "a match question needs 2 to {} pairs, not {}",
                    limits::MAX_LIST,
                    list.len()
                ),
                None,
            );
            return None;
        }
        let mut lefts = HashSet::new();
        let mut rights = HashSet::new();
        let mut out = Vec::new();
        let mut ok = true;
        for p in list {
            let pair = Pair {
                left: sanitize_line(&p.get_ref().left),
                right: sanitize_line(&p.get_ref().right),
            };
            if pair.left.trim().is_empty() || pair.right.trim().is_empty() {
                self.error(Some(p.span()), "a pair has an empty side", None);
                ok = false;
            }
            if !lefts.insert(pair.left.trim().to_lowercase()) {
                self.error(
                    Some(p.span()),
                    format!("the left item \"{}\" appears twice", pair.left),
                    Some("each left item must be different"),
                );
                ok = false;
            }
            if !rights.insert(pair.right.trim().to_lowercase()) {
                self.error(
                    Some(p.span()),
                    format!("the right item \"{}\" appears twice", pair.right),
                    Some("each right item must be different, or grading is ambiguous"),
                );
                ok = false;
            }
            out.push(pair);
        }
        ok.then_some(QuestionKind::Match { pairs: out })
    }

    /// Checks a list of one-line texts: 2 to the limit, none empty, no duplicates.
    fn distinct_lines(
        &mut self,
        list: &Spanned<Vec<Spanned<String>>>,
        key: &str,
        what: &str,
    ) -> Option<Vec<String>> {
        let items = list.get_ref();
        if items.len() < 2 || items.len() > limits::MAX_LIST {
            self.error(
                Some(list.span()),
                format!(
                    "`{key}` needs 2 to {} entries, not {}",
                    limits::MAX_LIST,
                    items.len()
                ),
                None,
            );
            return None;
        }
        let mut seen = HashSet::new();
        let mut out = Vec::new();
        let mut ok = true;
        for item in items {
            let text = sanitize_line(item.get_ref());
            if text.trim().is_empty() {
                self.error(Some(item.span()), format!("an {what} is empty"), None);
                ok = false;
            }
            if !seen.insert(text.trim().to_lowercase()) {
                self.error(
                    Some(item.span()),
                    format!("the {what} \"{text}\" appears twice"),
                    Some("each entry must be different, or grading is ambiguous"),
                );
                ok = false;
            }
            out.push(text);
        }
        ok.then_some(out)
    }
}

/// The question types that use `key`.
fn users_of(key: &str) -> &'static [&'static str] {
    match key {
        "options" => &["single", "multiple"],
        "answer" => &["true_false", "numeric"],
        "tolerance" => &["numeric"],
        "accept" | "pattern" | "case_sensitive" => &["short"],
        "items" => &["order"],
        "pairs" => &["match"],
        _ => &[],
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(src: &str) -> (Option<Quiz>, Vec<Diagnostic>) {
        parse("q.quiz.toml", src, QuizDefaults::default())
    }

    fn messages(src: &str) -> Vec<String> {
        check(src).1.into_iter().map(|d| d.message).collect()
    }

    #[test]
    fn every_type_parses() {
        let src = r#"
title = "All"
[[question]]
id = "s"
type = "single"
prompt = "p"
options = [{ text = "a", correct = true }, { text = "b", feedback = "no" }]
[[question]]
id = "m"
type = "multiple"
prompt = "p"
options = [{ text = "a", correct = true }, { text = "b" }]
[[question]]
id = "t"
type = "true_false"
prompt = "p"
answer = false
[[question]]
id = "sh"
type = "short"
prompt = "p"
accept = ["Two-Factor  Authentication"]
[[question]]
id = "n"
type = "numeric"
prompt = "p"
answer = 72
tolerance = 0.5
[[question]]
id = "o"
type = "order"
prompt = "p"
items = ["a", "b", "c"]
[[question]]
id = "ma"
type = "match"
prompt = "p"
pairs = [{ left = "a", right = "1" }, { left = "b", right = "2" }]
"#;
        let (quiz, diags) = check(src);
        assert!(diags.is_empty(), "{diags:?}");
        let quiz = quiz.expect("valid quiz");
        let names: Vec<_> = quiz.questions.iter().map(|q| q.kind.name()).collect();
        assert_eq!(names, TYPES);
        assert!((quiz.pass_mark - 0.8).abs() < f64::EPSILON);
        match &quiz.questions.get(3).map(|q| &q.kind) {
            Some(QuestionKind::Short { normalised, .. }) => {
                assert_eq!(normalised, &["two-factor authentication"]);
            }
            other => panic!("unexpected {other:?}"),
        }
    }

    #[test]
    fn single_needs_exactly_one_correct_option() {
        let src = "[[question]]\nid = \"a\"\ntype = \"single\"\nprompt = \"p\"\noptions = [{ text = \"a\", correct = true }, { text = \"b\", correct = true }]\n";
        let (quiz, diags) = check(src);
        assert!(quiz.is_none());
        let d = diags.first().expect("one error");
        assert_eq!(
            d.message,
            "a single question needs exactly one correct option, this one has 2"
        );
        assert_eq!(
            d.location.as_ref().map(|l| (l.line, l.column)),
            Some((5, 11))
        );
    }

    #[test]
    fn duplicate_ids_unknown_types_and_misplaced_keys() {
        let src = "[[question]]\nid = \"a\"\ntype = \"true_false\"\nprompt = \"p\"\nanswer = true\n\n[[question]]\nid = \"a\"\ntype = \"singel\"\nprompt = \"p\"\n\n[[question]]\nid = \"b\"\ntype = \"numeric\"\nprompt = \"p\"\nanswer = 3\naccept = [\"3\"]\n";
        let (_, diags) = check(src);
        let found: Vec<_> = diags
            .iter()
            .map(|d| (d.message.as_str(), d.location.as_ref().map(|l| l.line)))
            .collect();
        assert_eq!(
            found,
            [
                ("question id `a` is used twice", Some(8)),
                ("unknown question type `singel`", Some(9)),
                ("`accept` is not used by `numeric` questions", Some(17)),
            ]
        );
        assert!(
            diags
                .get(1)
                .and_then(|d| d.hint.as_deref())
                .is_some_and(|h| h.starts_with("did you mean `single`"))
        );
    }

    #[test]
    fn unknown_keys_name_their_place() {
        let src = "[[question]]\nid = \"a\"\ntype = \"numeric\"\nprompt = \"p\"\nanwser = 3\n";
        let (_, diags) = check(src);
        let d = diags.first().expect("an error");
        assert_eq!(d.message, "unknown key `anwser`");
        assert_eq!(
            d.location.as_ref().map(|l| (l.line, l.column)),
            Some((5, 1))
        );
        assert!(
            d.hint
                .as_deref()
                .is_some_and(|h| h.contains("did you mean `answer`"))
        );
    }

    #[test]
    fn bad_values_are_errors() {
        assert_eq!(
            messages(
                "pass_mark = 1.5\n[[question]]\nid = \"a\"\ntype = \"true_false\"\nprompt = \"p\"\nanswer = true\n"
            ),
            ["pass_mark 1.5 is outside 0..=1"]
        );
        assert_eq!(messages("title = \"x\"\n"), ["the quiz has no questions"]);
        let regex = messages(
            "[[question]]\nid = \"a\"\ntype = \"short\"\nprompt = \"p\"\npattern = '(unclosed'\n",
        );
        assert_eq!(regex.len(), 1);
        assert!(
            regex
                .first()
                .is_some_and(|m| m.starts_with("the pattern is not a valid regular expression"))
        );
        assert_eq!(
            messages(
                "[[question]]\nid = \"a\"\ntype = \"true_false\"\nprompt = \"p\"\nanswer = 1\n"
            ),
            ["a true_false answer must be `true` or `false`"]
        );
        assert_eq!(
            messages(
                "[[question]]\nid = \"a\"\ntype = \"order\"\nprompt = \"p\"\nitems = [\"x\", \"x\"]\n"
            ),
            ["the item \"x\" appears twice"]
        );
    }

    #[test]
    fn points_that_add_up_to_infinity_are_an_error() {
        // Without this check every score was NaN: not even all right answers passed.
        let q = |id: &str| {
            format!(
                "[[question]]\nid = \"{id}\"\ntype = \"true_false\"\nprompt = \"p\"\nanswer = true\npoints = 1.7e308\n"
            )
        };
        let (quiz, diags) = check(&format!("{}{}", q("a"), q("b")));
        assert!(quiz.is_none());
        let found: Vec<_> = diags.iter().map(|d| d.message.as_str()).collect();
        assert_eq!(
            found,
            ["the questions' points add up to more than kurs can count"]
        );
        assert!(check(&q("a")).0.is_some(), "one large value alone is fine");
    }

    #[test]
    fn accepted_answers_with_control_characters_are_graded_as_shown() {
        // Found by the quiz fuzz target: the answer was shown without its escape sequence
        // but compared with it, so typing the answer as shown was graded wrong.
        let src = "[[question]]\nid = \"a\"\ntype = \"short\"\nprompt = \"p\"\naccept = [\"two\\u001b[31m factor\"]\n";
        let (quiz, diags) = check(src);
        assert!(diags.is_empty(), "{diags:?}");
        let question = quiz
            .as_ref()
            .and_then(|q| q.questions.first())
            .expect("a question");
        let QuestionKind::Short { accept, .. } = &question.kind else {
            panic!("a short question");
        };
        assert_eq!(accept, &["two[31m factor"]);
        let typed = crate::quiz::Response::Text("two[31m factor".into());
        assert!(crate::quiz::grade(question, &typed).is_correct());
        // An answer of nothing but control characters is empty.
        let src =
            "[[question]]\nid = \"a\"\ntype = \"short\"\nprompt = \"p\"\naccept = [\"\\u0007\"]\n";
        assert_eq!(messages(src), ["an accepted answer is empty"]);
    }

    #[test]
    fn same_place_for_the_right_option_warns_without_shuffle() {
        let q = |id: &str| {
            format!(
                "[[question]]\nid = \"{id}\"\ntype = \"single\"\nprompt = \"p\"\noptions = [{{ text = \"a\", correct = true }}, {{ text = \"b\" }}]\n"
            )
        };
        let src = format!("shuffle = false\n{}{}{}", q("a"), q("b"), q("c"));
        let (quiz, diags) = check(&src);
        assert!(quiz.is_some(), "warnings do not stop a quiz");
        assert_eq!(diags.len(), 1);
        assert!(!diags.iter().any(Diagnostic::is_error));
    }
}
