//! `kurs list`: the courses, one block each.

use std::io::{self, Write};
use std::process::ExitCode;

use anyhow::Result;

use crate::course::Library;
use crate::text::{sanitize_line, truncate_to_width};

/// Prints every course and every course that failed to load.
///
/// # Errors
/// When standard output cannot be written.
pub fn run(library: &Library) -> Result<ExitCode> {
    let mut out = io::stdout().lock();
    if library.courses.is_empty() && library.failed.is_empty() {
        writeln!(
            out,
            "No courses found. Point kurs at a folder with --courses DIR."
        )?;
        return Ok(ExitCode::SUCCESS);
    }
    for course in &library.courses {
        let minutes = course
            .minutes
            .map(|m| format!(" · {m} min"))
            .unwrap_or_default();
        let modules = course.modules.len();
        let items = course.item_count();
        writeln!(
            out,
            "{}  {} [{}{minutes} · {modules} {} · {items} {}]",
            course.id,
            course.title,
            course.language,
            plural(modules, "module", "modules"),
            plural(items, "item", "items"),
        )?;
        if !course.description.is_empty() {
            writeln!(out, "    {}", truncate_to_width(&course.description, 100))?;
        }
    }
    for failed in &library.failed {
        let reason = failed
            .diagnostics
            .iter()
            .find(|d| d.is_error())
            .map_or_else(String::new, |d| format!("{}: {}", d.place(), d.message));
        let name = failed.title.as_deref().unwrap_or(&failed.folder);
        writeln!(out, "{}  {name} [could not be loaded]", failed.folder)?;
        writeln!(out, "    {reason}")?;
        writeln!(
            out,
            "    Run `kurs validate {}` for details.",
            sanitize_line(&failed.location)
        )?;
    }
    Ok(ExitCode::SUCCESS)
}

fn plural<'a>(n: usize, one: &'a str, many: &'a str) -> &'a str {
    if n == 1 { one } else { many }
}
