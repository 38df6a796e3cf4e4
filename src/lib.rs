//! kurs: a terminal course runner for digital-skills training.
//!
//! A pure core with no terminal in it, and a thin shell around it. Data flows one way:
//!
//! ```text
//! files ─▶ course ─▶ markdown, quiz ─▶ tui views / cli output
//!                 learner actions ─▶ progress
//! ```
//!
//! - [`course`]: the model (course, module, lesson, quiz items) and the loader, from a
//!   folder or from the library embedded in the binary; errors carry <file:line:column>.
//! - [`quiz`]: question types, responses, pure grading and seeded shuffling.
//! - [`markdown`]: pulldown-cmark → width-independent blocks → wrapped, styled lines.
//!   Terminal control characters in content are removed here, with [`text::sanitize`].
//! - [`diagnostic`]: problems with their place, rendered like compiler errors.
//! - [`cli`]: the command line; each command is a thin call into the core.

pub mod cli;
pub mod course;
pub mod diagnostic;
mod embedded;
#[doc(hidden)]
pub mod fuzzing;
pub mod i18n;
pub mod limits;
pub mod markdown;
pub mod plain;
pub mod progress;
pub mod quiz;
pub mod start;
pub mod text;
pub mod tui;

/// Helpers for the unit tests.
#[cfg(test)]
mod test_support {
    /// An environment (`name → value`) made of `pairs`, for code that reads variables
    /// through a function.
    pub(crate) fn env(
        pairs: &'static [(&'static str, &'static str)],
    ) -> impl Fn(&str) -> Option<String> {
        move |k: &str| {
            pairs
                .iter()
                .find(|(n, _)| *n == k)
                .map(|(_, v)| (*v).to_owned())
        }
    }
}
