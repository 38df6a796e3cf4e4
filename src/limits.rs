//! The documented limits on course content (see docs/course-format.md).
//!
//! Course packs come from strangers; these bounds keep loading and rendering fast and
//! memory use small whatever a file holds. Each limit is reported as a clear error or,
//! for Markdown nesting, rendered flattened.

/// The largest lesson file kurs reads.
pub const MAX_LESSON_BYTES: usize = 8 * 1024 * 1024;

/// The largest TOML file (course.toml, module.toml, a quiz) kurs reads.
pub const MAX_TOML_BYTES: usize = 1024 * 1024;

/// The most questions in one quiz.
pub const MAX_QUESTIONS: usize = 500;

/// The most entries in one list of a question (options, items, pairs, accepted answers,
/// hints).
pub const MAX_LIST: usize = 50;

/// How deeply block quotes and lists nest before deeper levels are shown flattened.
pub const MAX_MARKDOWN_DEPTH: usize = 16;

/// How deeply TOML arrays and tables may nest (deeper files are refused before parsing).
pub const MAX_TOML_DEPTH: usize = 32;

/// The most modules in a course and items in a module.
pub const MAX_ENTRIES: usize = 1000;
