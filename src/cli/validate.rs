//! `kurs validate`: every problem of every course, then a summary.

use std::io::{self, Write};
use std::process::ExitCode;

use anyhow::Result;

use crate::course::check::check_library;
use crate::course::{Library, Root};

/// Checks the courses in `roots`. Problems go to standard error, the summary to standard
/// output. Exit status 1 when there is any error, else 0.
///
/// # Errors
/// When a folder cannot be read at all, or output cannot be written.
pub fn run(roots: &[Root]) -> Result<ExitCode> {
    let library = Library::load(roots);
    let nothing_loaded = library.courses.is_empty() && library.failed.is_empty();
    // One folder that cannot be read at all: one clear line. (A folder with no course in
    // it is said below, with the places looked in.)
    if let [only] = library.unavailable.as_slice()
        && nothing_loaded
        && !only.reason.starts_with("it holds no course")
    {
        anyhow::bail!("{only}");
    }
    let report = check_library(&library);
    if report.courses == 0 {
        let places: Vec<String> = roots.iter().map(|r| r.display("")).collect();
        anyhow::bail!(
            "no course packs found in {} (a course is a folder with a course.toml)",
            places.join(", ")
        );
    }
    {
        let mut err = io::stderr().lock();
        for problem in &library.unavailable {
            writeln!(err, "error: {problem}")?;
        }
        for d in &report.diagnostics {
            writeln!(err, "{d}")?;
        }
    }
    let (errors, warnings) = (
        report.errors() + library.unavailable.len(),
        report.warnings(),
    );
    let mut out = io::stdout().lock();
    writeln!(
        out,
        "Checked {} {} with {} lessons and quizzes: {} {}, {} {}.",
        report.courses,
        if report.courses == 1 {
            "course"
        } else {
            "courses"
        },
        report.items,
        errors,
        if errors == 1 { "error" } else { "errors" },
        warnings,
        if warnings == 1 { "warning" } else { "warnings" },
    )?;
    Ok(if errors > 0 {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
}
