//! The course model and the loader that builds it from folders or the embedded library.
//!
//! Loading happens in two steps, so listing courses stays cheap:
//! 1. [`Library::load`] reads every `course.toml` and `module.toml` and lists the folders:
//!    enough for the catalogue and for progress totals. A course whose structure is
//!    broken becomes a [`FailedCourse`] with its diagnostics; the others stay usable.
//! 2. [`Course::load_item`] reads one lesson or quiz when it is needed.
//!
//! [`check`] runs every check `kurs validate` makes, including Markdown links.

pub mod check;
pub(crate) mod loader;
pub mod manifest;
pub mod source;

use std::borrow::Cow;

pub use loader::{LoadError, load_library, load_one};
pub use source::Root;

use crate::diagnostic::Diagnostic;
use crate::quiz::Quiz;

/// All courses found in the configured places, in catalogue order.
#[derive(Clone, Debug, Default)]
pub struct Library {
    /// Courses that loaded.
    pub courses: Vec<Course>,
    /// Courses whose structure is broken, with the reasons.
    pub failed: Vec<FailedCourse>,
    /// Course folders given that could not be read (missing, unplugged) or that hold no
    /// course. Learners still get the other courses; `validate` fails on them.
    pub unavailable: Vec<LoadError>,
}

impl Library {
    /// The courses' indices in the order a learner with interface language `lang` (a
    /// language code such as `de`) sees them: the courses in that language first, then
    /// the others (each group in library order); and where the others begin, when some
    /// course is in `lang` (a library with none has no "other languages").
    #[must_use]
    pub fn in_language_order(&self, lang: &str) -> (Vec<usize>, Option<usize>) {
        let (mut mine, others): (Vec<usize>, Vec<usize>) = (0..self.courses.len())
            .partition(|&i| self.courses.get(i).is_some_and(|c| c.speaks(lang)));
        let split = (!mine.is_empty() && !others.is_empty()).then_some(mine.len());
        mine.extend(others);
        (mine, split)
    }

    /// Loads the library from `roots` (see [`load_library`]).
    #[must_use]
    pub fn load(roots: &[Root]) -> Self {
        load_library(roots)
    }

    /// The course with `id`.
    #[must_use]
    pub fn course(&self, id: &str) -> Option<&Course> {
        self.courses.iter().find(|c| c.id == id)
    }
}

/// A course that could not be loaded.
#[derive(Clone, Debug)]
pub struct FailedCourse {
    /// The folder name (the best name there is for it).
    pub folder: String,
    /// The course's title, when `course.toml` could be read.
    pub title: Option<String>,
    /// Where it is, for messages.
    pub location: String,
    /// Why it failed (errors first).
    pub diagnostics: Vec<Diagnostic>,
    /// What could be read of its outline, so `kurs validate` can still check its lessons
    /// and quizzes (`None` when `course.toml` itself could not be read).
    pub outline: Option<Box<Course>>,
}

/// A course: its manifest and its outline (modules and items, not yet read).
#[derive(Clone, Debug)]
pub struct Course {
    /// Unique id (progress is keyed by it).
    pub id: String,
    /// Title for the catalogue.
    pub title: String,
    /// A sentence or two.
    pub description: String,
    /// The course's own version.
    pub version: Option<String>,
    /// BCP 47 tag, default `en`.
    pub language: String,
    /// Who wrote it.
    pub authors: Vec<String>,
    /// Licence of the content.
    pub license: Option<String>,
    /// Estimated minutes, when given.
    pub minutes: Option<u32>,
    /// Whether modules open one after the other.
    pub sequential: bool,
    /// Default pass mark for its quizzes.
    pub pass_mark: f64,
    /// The id of the course this one is another language's edition of
    /// (`translation_of` in course.toml).
    pub translation_of: Option<String>,
    /// Modules in order.
    pub modules: Vec<Module>,
    /// Where its files are.
    pub root: Root,
    /// The course folder, relative to `root` (empty when the root is the course).
    pub dir: String,
    /// Warnings found while loading the outline.
    pub warnings: Vec<Diagnostic>,
}

/// A module: a folder of lessons and quizzes.
#[derive(Clone, Debug)]
pub struct Module {
    /// Id: the folder name without its numeric prefix.
    pub id: String,
    /// Title from module.toml, else from the id.
    pub title: String,
    /// From module.toml.
    pub description: Option<String>,
    /// Ids of modules that must be complete first.
    pub requires: Vec<String>,
    /// Lessons and quizzes in order.
    pub items: Vec<ItemRef>,
}

/// A lesson or quiz file in a module (not yet read).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ItemRef {
    /// Id: the file name without prefix and extension.
    pub id: String,
    /// Lesson or quiz.
    pub kind: ItemKind,
    /// The file, relative to the course's root.
    pub file: String,
}

/// What an item is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ItemKind {
    /// A Markdown lesson.
    Lesson,
    /// A TOML quiz.
    Quiz,
}

/// A lesson's content.
#[derive(Clone, Debug)]
pub struct Lesson {
    /// From front matter, else the first `#` heading, else the file name.
    pub title: String,
    /// From front matter.
    pub minutes: Option<u32>,
    /// The Markdown body (after front matter).
    pub markdown: Cow<'static, str>,
}

/// A loaded item.
#[derive(Clone, Debug)]
pub enum ItemContent {
    /// A lesson to read.
    Lesson(Lesson),
    /// A quiz to take.
    Quiz(Quiz),
}

impl ItemContent {
    /// The item's title.
    #[must_use]
    pub fn title(&self) -> &str {
        match self {
            ItemContent::Lesson(l) => &l.title,
            ItemContent::Quiz(q) => &q.title,
        }
    }
}

/// A module and item position inside a course.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ItemPos {
    /// Index into `Course::modules`.
    pub module: usize,
    /// Index into `Module::items`.
    pub item: usize,
}

impl Course {
    /// Whether the course is written in language `code` (`de-AT` counts as `de`).
    #[must_use]
    pub fn speaks(&self, code: &str) -> bool {
        self.language
            .split('-')
            .next()
            .is_some_and(|primary| primary.eq_ignore_ascii_case(code))
    }

    /// All items in order, with their positions.
    pub fn items(&self) -> impl Iterator<Item = (ItemPos, &Module, &ItemRef)> {
        self.modules.iter().enumerate().flat_map(|(m, module)| {
            module
                .items
                .iter()
                .enumerate()
                .map(move |(i, item)| (ItemPos { module: m, item: i }, module, item))
        })
    }

    /// How many lessons and quizzes the course has.
    #[must_use]
    pub fn item_count(&self) -> usize {
        self.modules.iter().map(|m| m.items.len()).sum()
    }

    /// The item at `pos`.
    #[must_use]
    pub fn item(&self, pos: ItemPos) -> Option<&ItemRef> {
        self.modules.get(pos.module)?.items.get(pos.item)
    }

    /// Finds `module_id/item_id`.
    #[must_use]
    pub fn find(&self, module_id: &str, item_id: &str) -> Option<ItemPos> {
        let m = self.modules.iter().position(|m| m.id == module_id)?;
        let i = self
            .modules
            .get(m)?
            .items
            .iter()
            .position(|i| i.id == item_id)?;
        Some(ItemPos { module: m, item: i })
    }

    /// The position after `pos`, across modules.
    #[must_use]
    pub fn next_pos(&self, pos: ItemPos) -> Option<ItemPos> {
        let mut found = false;
        for (p, _, _) in self.items() {
            if found {
                return Some(p);
            }
            found = p == pos;
        }
        None
    }

    /// The position before `pos`, across modules.
    #[must_use]
    pub fn prev_pos(&self, pos: ItemPos) -> Option<ItemPos> {
        let mut last = None;
        for (p, _, _) in self.items() {
            if p == pos {
                return last;
            }
            last = Some(p);
        }
        None
    }

    /// The display path of a file of this course.
    #[must_use]
    pub fn display_path(&self, rel: &str) -> String {
        self.root.display(rel)
    }

    /// Reads and parses the item at `pos`.
    ///
    /// # Errors
    /// The diagnostics that stop the item from loading (warnings are dropped here;
    /// [`check`] reports them).
    pub fn load_item(&self, pos: ItemPos) -> Result<ItemContent, Vec<Diagnostic>> {
        let Some(item) = self.item(pos) else {
            return Err(vec![Diagnostic::error(
                self.display_path(&self.dir),
                "no such item",
            )]);
        };
        loader::load_item(self, item).map(|(content, _)| content)
    }

    /// Which modules are locked, given which items are complete.
    ///
    /// A module is locked when the course is `sequential` and an earlier module is not
    /// complete, or when a module it `requires` is not complete.
    #[must_use]
    pub fn locked_modules(&self, is_done: impl Fn(&Module, &ItemRef) -> bool) -> Vec<bool> {
        let complete: Vec<bool> = self
            .modules
            .iter()
            .map(|m| m.items.iter().all(|i| is_done(m, i)))
            .collect();
        self.modules
            .iter()
            .enumerate()
            .map(|(index, module)| {
                let earlier_open =
                    !self.sequential || complete.get(..index).is_none_or(|c| c.iter().all(|&d| d));
                let required_done = module.requires.iter().all(|r| {
                    self.modules
                        .iter()
                        .position(|m| &m.id == r)
                        .is_none_or(|i| complete.get(i).copied().unwrap_or(true))
                });
                !(earlier_open && required_done)
            })
            .collect()
    }
}
