//! Quizzes: the seven question types, learners' responses, and pure grading.
//!
//! A quiz file is parsed strictly ([`parse`](fn@parse)) into the clean types below; every problem
//! becomes a [`Diagnostic`](crate::diagnostic::Diagnostic) with its place. Grading
//! ([`grade`](fn@grade)) and shuffling ([`shuffle`]) are pure functions of their inputs, so an attempt
//! can be replayed from its seed and responses.

pub mod describe;
mod grade;
mod parse;
mod raw;
pub mod shuffle;

pub use grade::{
    Grade, QuizScore, grade, normalise_answer, parse_number, score_quiz, shown_fraction,
};
pub use parse::{QuizDefaults, parse};
pub use raw::FeedbackMode;

/// A parsed, validated quiz.
#[derive(Clone, Debug)]
pub struct Quiz {
    /// Shown above the questions.
    pub title: String,
    /// Fraction of the points needed to pass (0..=1).
    pub pass_mark: f64,
    /// Whether options are shuffled per attempt (order and match items always are).
    pub shuffle: bool,
    /// How many attempts a learner has; `None` is unlimited.
    pub max_attempts: Option<u32>,
    /// When right/wrong and explanations are shown.
    pub feedback: FeedbackMode,
    /// The questions, in the order written (never shuffled).
    pub questions: Vec<Question>,
}

impl Quiz {
    /// The points all questions together are worth.
    #[must_use]
    pub fn total_points(&self) -> f64 {
        self.questions.iter().map(|q| q.points).sum()
    }
}

/// One question.
#[derive(Clone, Debug)]
pub struct Question {
    /// Unique in the quiz; progress is keyed by it.
    pub id: String,
    /// Markdown.
    pub prompt: String,
    /// What a fully right answer earns.
    pub points: f64,
    /// Revealed one at a time.
    pub hints: Vec<String>,
    /// Shown after answering, right or wrong.
    pub explanation: Option<String>,
    /// The type-specific part.
    pub kind: QuestionKind,
}

/// The seven question types.
#[derive(Clone, Debug)]
pub enum QuestionKind {
    /// Exactly one option is right.
    Single {
        /// The options as written.
        options: Vec<Choice>,
    },
    /// Any number of options may be right; partial credit.
    Multiple {
        /// The options as written.
        options: Vec<Choice>,
    },
    /// A statement that is true or false.
    TrueFalse {
        /// Whether the statement is true.
        answer: bool,
    },
    /// A typed answer compared after normalisation.
    Short {
        /// Accepted answers as written (for showing the right answer).
        accept: Vec<String>,
        /// Accepted answers, normalised (for comparing).
        normalised: Vec<String>,
        /// A regular expression matched against the normalised answer.
        pattern: Option<regex_lite::Regex>,
        /// Whether case matters.
        case_sensitive: bool,
    },
    /// A typed number, within a tolerance.
    Numeric {
        /// The expected value.
        answer: f64,
        /// Allowed absolute difference.
        tolerance: f64,
    },
    /// Items to put in order (written in the right order).
    Order {
        /// The items in the right order.
        items: Vec<String>,
    },
    /// Left items to pair with right items.
    Match {
        /// The right pairs.
        pairs: Vec<Pair>,
    },
}

impl QuestionKind {
    /// The type's name as written in quiz files.
    #[must_use]
    pub fn name(&self) -> &'static str {
        match self {
            QuestionKind::Single { .. } => "single",
            QuestionKind::Multiple { .. } => "multiple",
            QuestionKind::TrueFalse { .. } => "true_false",
            QuestionKind::Short { .. } => "short",
            QuestionKind::Numeric { .. } => "numeric",
            QuestionKind::Order { .. } => "order",
            QuestionKind::Match { .. } => "match",
        }
    }
}

/// An option of a choice question.
#[derive(Clone, Debug, PartialEq)]
pub struct Choice {
    /// The option's text (one line).
    pub text: String,
    /// Whether choosing it is right.
    pub correct: bool,
    /// Shown when the learner chose it.
    pub feedback: Option<String>,
}

/// A pair of a match question.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Pair {
    /// The term on the left.
    pub left: String,
    /// Its partner on the right.
    pub right: String,
}

/// A learner's answer to one question. Indices always refer to positions as written in
/// the quiz file, never to the shuffled display order.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(tag = "type", content = "value", rename_all = "snake_case")]
pub enum Response {
    /// Single choice: the chosen option.
    Choice(usize),
    /// Multiple choice: the ticked options.
    Choices(Vec<usize>),
    /// True or false.
    Bool(bool),
    /// A short answer or a number, as typed.
    Text(String),
    /// Order: the items (by written index) in the order the learner placed them.
    Order(Vec<usize>),
    /// Match: for each left item, the index of the right item paired with it.
    Match(Vec<Option<usize>>),
}
