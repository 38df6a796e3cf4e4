//! `kurs list`: the courses, one block each.

use std::io::{self, Write};
use std::process::ExitCode;

use anyhow::Result;

use crate::course::Library;
use crate::i18n::Strings;
use crate::text::{sanitize_line, truncate_to_width};

/// Prints every course and every course that failed to load.
///
/// # Errors
/// When standard output cannot be written.
pub fn run(library: &Library, s: &Strings) -> Result<ExitCode> {
    // Nothing to list, because the folder given cannot be read: that is the answer.
    if library.courses.is_empty()
        && library.failed.is_empty()
        && let Some(missing) = library.unavailable.first()
    {
        anyhow::bail!("{missing}");
    }
    for missing in &library.unavailable {
        writeln!(
            io::stderr().lock(),
            "warning: {}",
            crate::text::sanitize_line(&missing.to_string())
        )?;
    }
    let mut out = io::stdout().lock();
    if library.courses.is_empty() && library.failed.is_empty() {
        writeln!(out, "{}", s.get("cli.no_courses"))?;
        return Ok(ExitCode::SUCCESS);
    }
    let count =
        |n: usize, one: &str, many: &str| format!("{n} {}", s.get(if n == 1 { one } else { many }));
    for course in &library.courses {
        let minutes = course
            .minutes
            .map(|m| {
                format!(
                    " · {}",
                    s.fmt("catalogue.minutes", &[("n", &m.to_string())])
                )
            })
            .unwrap_or_default();
        writeln!(
            out,
            "{}  {} [{}{minutes} · {} · {}]",
            course.id,
            course.title,
            course.language,
            count(course.modules.len(), "cli.module", "cli.modules"),
            count(course.item_count(), "cli.item", "cli.items"),
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
        writeln!(out, "{}  {name} [{}]", failed.folder, s.get("cli.failed"))?;
        writeln!(out, "    {reason}")?;
        let location = sanitize_line(&failed.location);
        writeln!(
            out,
            "    {}",
            s.fmt("cli.validate_hint", &[("location", &location)])
        )?;
    }
    Ok(ExitCode::SUCCESS)
}
