//! Learner progress: the records, the changes that build them, and what they say.
//!
//! A profile's progress is a [`Profile`]: per course, per item (keyed by
//! `module-id/item-id`, never by position), what was opened, read, finished and answered.
//! It is never edited in place: every learner action is a [`Change`], applied with
//! [`Profile::apply`] and written by the [`store`] to a journal, so a save costs the same
//! whatever the history, and two kurs on one profile merge instead of overwriting.
//! Records of items that no longer exist in a course are kept.

pub mod report;
pub mod store;
mod time;

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

pub use time::Timestamp;

use crate::course::{Course, ItemKind, ItemPos, ItemRef, Library, Module};
use crate::quiz::Response;

/// The version of the progress format this kurs writes and reads.
pub const SCHEMA: u32 = 1;

/// Unknown fields, kept so that a file written by a newer kurs of the same schema
/// survives a round trip through this one.
pub type Extra = BTreeMap<String, serde_json::Value>;

/// Everything recorded for one learner.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Profile {
    /// The learner's name, as they typed it.
    pub name: String,
    /// When the profile was created.
    pub created: Option<Timestamp>,
    /// When it was last used (the picker lists the most recent first).
    pub last_used: Option<Timestamp>,
    /// The course the learner was last in.
    #[serde(default)]
    pub last_course: Option<String>,
    /// Interface settings chosen by this learner.
    #[serde(default)]
    pub settings: Settings,
    /// Progress per course id.
    #[serde(default)]
    pub courses: BTreeMap<String, CourseRecord>,
    /// Fields this version does not know.
    #[serde(flatten)]
    pub extra: Extra,
}

/// Interface settings of a profile.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Settings {
    /// `dark`, `light`, `high-contrast` or `mono`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub theme: Option<String>,
    /// `en` or `de`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub language: Option<String>,
    /// The widest lines of text get, in columns.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub width: Option<u16>,
    /// Fields this version does not know.
    #[serde(flatten)]
    pub extra: Extra,
}

/// Progress in one course.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct CourseRecord {
    /// The item the learner was last in (`module/item`), for "continue".
    #[serde(default)]
    pub last_item: Option<String>,
    /// When the learner was last in this course.
    #[serde(default)]
    pub last_visit: Option<Timestamp>,
    /// Per item, keyed `module-id/item-id`.
    #[serde(default)]
    pub items: BTreeMap<String, ItemRecord>,
    /// Fields this version does not know.
    #[serde(flatten)]
    pub extra: Extra,
}

/// Progress in one lesson or quiz.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct ItemRecord {
    /// First opened.
    #[serde(default)]
    pub opened: Option<Timestamp>,
    /// A lesson read to its end and left forwards.
    #[serde(default)]
    pub finished: Option<Timestamp>,
    /// Reading position as a fraction of the lesson (0 = top, 1 = end).
    #[serde(default)]
    pub position: f32,
    /// Time spent with the item open.
    #[serde(default)]
    pub seconds: u64,
    /// Quiz attempts, oldest first.
    #[serde(default)]
    pub attempts: Vec<Attempt>,
    /// Fields this version does not know.
    #[serde(flatten)]
    pub extra: Extra,
}

/// One attempt at a quiz.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Attempt {
    /// Unique across machines (merging exports uses it).
    pub id: String,
    /// When it started.
    pub started: Option<Timestamp>,
    /// When the last question was answered.
    #[serde(default)]
    pub ended: Option<Timestamp>,
    /// Drives every shuffle of the attempt, so it can be replayed. Written as a number in
    /// progress files and as a string in JSON reports (see `report::json`); read from
    /// either.
    #[serde(deserialize_with = "seed_from_number_or_text")]
    pub seed: u64,
    /// The answers, in the order given.
    #[serde(default)]
    pub answers: Vec<Answer>,
    /// Set when the attempt is complete.
    #[serde(default)]
    pub result: Option<AttemptResult>,
    /// Fields this version does not know.
    #[serde(flatten)]
    pub extra: Extra,
}

/// The outcome of a complete attempt.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct AttemptResult {
    /// Points earned.
    pub points: f64,
    /// Points available.
    pub max: f64,
    /// Whether the pass mark was reached.
    pub passed: bool,
    /// Whether this was the last attempt the quiz allows (then the quiz counts as done,
    /// passed or not, so a sequential course does not lock the learner out).
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub last: bool,
}

impl AttemptResult {
    /// `points / max`, or 0.
    #[must_use]
    pub fn fraction(&self) -> f64 {
        if self.max > 0.0 {
            self.points / self.max
        } else {
            0.0
        }
    }
}

/// One answered question.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Answer {
    /// The question's id.
    pub question: String,
    /// What the learner answered.
    pub response: Response,
    /// Points earned.
    pub points: f64,
    /// Points available.
    pub max: f64,
    /// How many hints were shown before answering.
    #[serde(default)]
    pub hints: u32,
    /// When it was answered.
    pub at: Option<Timestamp>,
}

/// A learner action, as recorded in the journal.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(tag = "change", rename_all = "snake_case")]
pub enum Change {
    /// The profile was created or renamed.
    Named {
        /// The learner's name.
        name: String,
    },
    /// The profile was opened (for "last used first").
    Used,
    /// Settings changed.
    Settings {
        /// The new settings.
        settings: Settings,
    },
    /// An item was opened.
    Opened {
        /// Course id.
        course: String,
        /// `module/item`.
        item: String,
    },
    /// The reading position of a lesson.
    Position {
        /// Course id.
        course: String,
        /// `module/item`.
        item: String,
        /// 0..=1.
        position: f32,
    },
    /// A lesson was finished.
    Finished {
        /// Course id.
        course: String,
        /// `module/item`.
        item: String,
    },
    /// Time spent with an item open.
    Time {
        /// Course id.
        course: String,
        /// `module/item`.
        item: String,
        /// Seconds to add.
        seconds: u64,
    },
    /// A quiz attempt began.
    AttemptStarted {
        /// Course id.
        course: String,
        /// `module/item`.
        item: String,
        /// The attempt's id.
        attempt: String,
        /// Its seed.
        seed: u64,
    },
    /// A question was answered.
    Answered {
        /// Course id.
        course: String,
        /// `module/item`.
        item: String,
        /// The attempt's id.
        attempt: String,
        /// The answer.
        answer: Answer,
    },
    /// An attempt was completed.
    AttemptEnded {
        /// Course id.
        course: String,
        /// `module/item`.
        item: String,
        /// The attempt's id.
        attempt: String,
        /// Its result.
        result: AttemptResult,
    },
    /// All progress in a course (or, without a course, all progress) was reset.
    Reset {
        /// The course, or `None` for everything.
        course: Option<String>,
    },
}

/// An item's state, shown with a mark that does not rely on colour.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Status {
    /// Never opened.
    NotStarted,
    /// Opened, not yet done.
    InProgress,
    /// Lesson finished, or quiz passed (or out of attempts).
    Done,
}

/// The key of an item in a course record: `module-id/item-id`.
#[must_use]
pub fn item_key(module: &Module, item: &ItemRef) -> String {
    format!("{}/{}", module.id, item.id)
}

impl Profile {
    /// A new, empty profile.
    #[must_use]
    pub fn new(name: &str) -> Self {
        Self {
            name: name.to_owned(),
            ..Self::default()
        }
    }

    /// Applies `change`, made at `at`.
    pub fn apply(&mut self, change: &Change, at: Timestamp) {
        match change {
            Change::Named { name } => {
                self.name.clone_from(name);
                self.created.get_or_insert(at);
            }
            Change::Used => self.last_used = Some(at),
            Change::Settings { settings } => self.settings = settings.clone(),
            Change::Opened { course, item } => {
                self.last_course = Some(course.clone());
                let record = self.courses.entry(course.clone()).or_default();
                record.last_item = Some(item.clone());
                record.last_visit = Some(at);
                record
                    .items
                    .entry(item.clone())
                    .or_default()
                    .opened
                    .get_or_insert(at);
            }
            Change::Position {
                course,
                item,
                position,
            } => {
                self.item_mut(course, item).position = position.clamp(0.0, 1.0);
            }
            Change::Finished { course, item } => {
                let record = self.item_mut(course, item);
                record.opened.get_or_insert(at);
                record.finished.get_or_insert(at);
            }
            Change::Time {
                course,
                item,
                seconds,
            } => {
                let record = self.item_mut(course, item);
                record.seconds = record.seconds.saturating_add(*seconds);
            }
            Change::AttemptStarted {
                course,
                item,
                attempt,
                seed,
            } => {
                let record = self.item_mut(course, item);
                record.opened.get_or_insert(at);
                if !record.attempts.iter().any(|a| &a.id == attempt) {
                    record.attempts.push(Attempt {
                        id: attempt.clone(),
                        started: Some(at),
                        seed: *seed,
                        ..Attempt::default()
                    });
                }
            }
            Change::Answered {
                course,
                item,
                attempt,
                answer,
            } => {
                if let Some(a) = self.attempt_mut(course, item, attempt) {
                    match a.answers.iter_mut().find(|x| x.question == answer.question) {
                        Some(existing) => *existing = answer.clone(),
                        None => a.answers.push(answer.clone()),
                    }
                }
            }
            Change::AttemptEnded {
                course,
                item,
                attempt,
                result,
            } => {
                if let Some(a) = self.attempt_mut(course, item, attempt) {
                    a.ended = Some(at);
                    a.result = Some(*result);
                }
            }
            Change::Reset {
                course: Some(course),
            } => {
                self.courses.remove(course);
                if self.last_course.as_ref() == Some(course) {
                    self.last_course = None;
                }
            }
            Change::Reset { course: None } => {
                self.courses.clear();
                self.last_course = None;
            }
        }
    }

    fn item_mut(&mut self, course: &str, item: &str) -> &mut ItemRecord {
        self.courses
            .entry(course.to_owned())
            .or_default()
            .items
            .entry(item.to_owned())
            .or_default()
    }

    /// The attempt with id `attempt`, created if the journal never saw it start.
    fn attempt_mut(&mut self, course: &str, item: &str, attempt: &str) -> Option<&mut Attempt> {
        let attempts = &mut self.item_mut(course, item).attempts;
        if let Some(i) = attempts.iter().position(|a| a.id == attempt) {
            attempts.get_mut(i)
        } else {
            attempts.push(Attempt {
                id: attempt.to_owned(),
                ..Attempt::default()
            });
            attempts.last_mut()
        }
    }

    /// The record of an item, if any.
    #[must_use]
    pub fn item(&self, course: &str, key: &str) -> Option<&ItemRecord> {
        self.courses.get(course)?.items.get(key)
    }

    /// Which modules of `course` are locked for this learner (`sequential` and
    /// `requires`): a module opens when the ones it waits for are done. The one rule for
    /// every front end.
    #[must_use]
    pub fn locked_modules(&self, course: &Course) -> Vec<bool> {
        course.locked_modules(|m, i| self.status(&course.id, m, i) == Status::Done)
    }

    /// Whether the item at `pos` of `course` is in a locked module.
    #[must_use]
    pub fn is_locked(&self, course: &Course, pos: ItemPos) -> bool {
        self.locked_modules(course)
            .get(pos.module)
            .copied()
            .unwrap_or(false)
    }

    /// The state of `item` in `course`.
    #[must_use]
    pub fn status(&self, course: &str, module: &Module, item: &ItemRef) -> Status {
        let Some(record) = self.item(course, &item_key(module, item)) else {
            return Status::NotStarted;
        };
        match item.kind {
            ItemKind::Lesson if record.finished.is_some() => Status::Done,
            ItemKind::Quiz if record.passed() => Status::Done,
            ItemKind::Quiz if record.out_of_attempts() => Status::Done,
            _ if record.opened.is_some() || !record.attempts.is_empty() => Status::InProgress,
            _ => Status::NotStarted,
        }
    }

    /// Where "continue where you left off" leads: the course (its index in
    /// `library.courses`) and the item the learner was last in — or the one after it,
    /// when that one is done.
    #[must_use]
    pub fn resume(&self, library: &Library) -> Option<(usize, ItemPos)> {
        let id = self.last_course.as_ref()?;
        let index = library.courses.iter().position(|c| &c.id == id)?;
        let course = library.courses.get(index)?;
        let key = self.courses.get(id)?.last_item.as_ref()?;
        let (module, item) = key.split_once('/')?;
        let pos = course.find(module, item)?;
        let done = course
            .modules
            .get(pos.module)
            .zip(course.item(pos))
            .is_some_and(|(m, i)| self.status(id, m, i) == Status::Done);
        let pos = if done {
            course.next_pos(pos).unwrap_or(pos)
        } else {
            pos
        };
        Some((index, pos))
    }

    /// How many items of `course` are done, and the average best quiz score (0..=1) over
    /// the quizzes attempted.
    #[must_use]
    pub fn course_summary(&self, course: &Course) -> CourseSummary {
        let mut done = 0;
        let mut best_scores = Vec::new();
        for (_, module, item) in course.items() {
            if self.status(&course.id, module, item) == Status::Done {
                done += 1;
            }
            if let Some(best) = self
                .item(&course.id, &item_key(module, item))
                .and_then(ItemRecord::best)
            {
                best_scores.push(best);
            }
        }
        #[allow(clippy::cast_precision_loss)] // a handful of quizzes
        let average = (!best_scores.is_empty())
            .then(|| best_scores.iter().sum::<f64>() / best_scores.len() as f64);
        CourseSummary {
            done,
            total: course.item_count(),
            quiz_average: average,
        }
    }
}

/// A course's progress at a glance.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct CourseSummary {
    /// Items done.
    pub done: usize,
    /// Items in the course.
    pub total: usize,
    /// The average of the best scores of the quizzes attempted.
    pub quiz_average: Option<f64>,
}

impl ItemRecord {
    /// Whether any complete attempt passed.
    #[must_use]
    pub fn passed(&self) -> bool {
        self.attempts
            .iter()
            .any(|a| a.result.is_some_and(|r| r.passed))
    }

    /// Whether the last attempt the quiz allows has been made.
    #[must_use]
    pub fn out_of_attempts(&self) -> bool {
        self.attempts
            .iter()
            .any(|a| a.result.is_some_and(|r| r.last))
    }

    /// The number of complete attempts.
    #[must_use]
    pub fn completed_attempts(&self) -> usize {
        self.attempts.iter().filter(|a| a.result.is_some()).count()
    }

    /// The best score of the complete attempts (0..=1).
    #[must_use]
    pub fn best(&self) -> Option<f64> {
        self.attempts
            .iter()
            .filter_map(|a| a.result.map(|r| r.fraction()))
            .fold(None, |best, s| Some(best.map_or(s, |b: f64| b.max(s))))
    }

    /// The attempt that was started and not completed, if any (to continue it).
    #[must_use]
    pub fn open_attempt(&self) -> Option<&Attempt> {
        self.attempts.last().filter(|a| a.result.is_none())
    }
}

#[cfg(test)]
mod tests;

/// A seed written as a number (progress files) or as a decimal string (JSON reports,
/// which JavaScript and jq read without losing precision above 2^53).
fn seed_from_number_or_text<'de, D: serde::Deserializer<'de>>(d: D) -> Result<u64, D::Error> {
    #[derive(Deserialize)]
    #[serde(untagged)]
    enum Seed {
        Number(u64),
        Text(String),
    }
    match Seed::deserialize(d)? {
        Seed::Number(n) => Ok(n),
        Seed::Text(t) => t.parse().map_err(serde::de::Error::custom),
    }
}

/// Time spent on a lesson or quiz, as kurs counts it for every front end: the time
/// between the learner's actions, each gap capped at [`ActiveTime::IDLE_CAP`], so a
/// learner who walks away is not counted as learning.
#[derive(Clone, Copy, Debug)]
pub struct ActiveTime {
    last: std::time::Instant,
    total: std::time::Duration,
}

impl Default for ActiveTime {
    fn default() -> Self {
        Self::new()
    }
}

impl ActiveTime {
    /// Gaps between actions longer than this count only this long.
    pub const IDLE_CAP: std::time::Duration = std::time::Duration::from_secs(120);

    /// A clock that starts now, with nothing counted.
    #[must_use]
    pub fn new() -> Self {
        Self {
            last: std::time::Instant::now(),
            total: std::time::Duration::ZERO,
        }
    }

    /// The learner acted: the time since the last action counts (capped).
    pub fn touch(&mut self) {
        let now = std::time::Instant::now();
        self.total += now.duration_since(self.last).min(Self::IDLE_CAP);
        self.last = now;
    }

    /// Whole seconds counted and not yet taken.
    #[must_use]
    pub fn seconds(&self) -> u64 {
        self.total.as_secs()
    }

    /// Takes `seconds` of the counted time (they have been recorded).
    pub fn take(&mut self, seconds: u64) {
        self.total = self
            .total
            .saturating_sub(std::time::Duration::from_secs(seconds));
    }

    /// Forgets what was counted (a new item was opened).
    pub fn reset(&mut self) {
        self.total = std::time::Duration::ZERO;
    }
}
