//! `kurs progress`, `kurs reset` and `kurs paths`.

use std::io::{self, BufRead, IsTerminal, Write};
use std::path::Path;
use std::process::ExitCode;

use anyhow::{Result, bail};

use crate::course::{Library, Root};
use crate::i18n::Strings;
use crate::progress::store::DataDir;
use crate::progress::{Change, Profile};
use crate::text::sanitize_line;

/// The profile a command is about: the one named, else the one used last.
fn chosen(data: &DataDir, requested: Option<&str>, s: &Strings) -> Result<Option<String>> {
    let profiles = data.profiles()?;
    match requested {
        Some(name) => {
            let name = crate::progress::store::clean_name(name)?;
            if profiles.iter().any(|p| p.name == name) {
                Ok(Some(name))
            } else {
                let names: Vec<String> = profiles.iter().map(|p| p.name.clone()).collect();
                if names.is_empty() {
                    bail!(s.fmt("cli.no_profile_yet", &[("name", &name)]));
                }
                bail!(s.fmt(
                    "cli.no_profile",
                    &[("name", &name), ("names", &names.join(", "))]
                ));
            }
        }
        None => Ok(profiles.first().map(|p| p.name.clone())),
    }
}

/// Prints a readable summary per course for one profile.
///
/// # Errors
/// An unknown profile, unreadable progress, or output failures.
pub fn show(
    library: &Library,
    data: &DataDir,
    requested: Option<&str>,
    s: &Strings,
) -> Result<ExitCode> {
    let (profiles, problems) = data.read_all_reporting()?;
    warn_unreadable(&problems)?;
    let mut out = io::stdout().lock();
    let Some(name) = chosen(data, requested, s)? else {
        writeln!(out, "{}", s.get("cli.no_progress"))?;
        return Ok(ExitCode::SUCCESS);
    };
    let others: Vec<String> = profiles
        .iter()
        .map(|p| sanitize_line(&p.name))
        .filter(|n| *n != name)
        .collect();
    let profile = profiles
        .into_iter()
        .find(|p| p.name == name)
        .unwrap_or_else(|| Profile::new(&name));
    writeln!(
        out,
        "{}",
        s.fmt(
            "cli.progress_of",
            &[("name", &sanitize_line(&profile.name))]
        )
    )?;
    if requested.is_none() && !others.is_empty() {
        writeln!(
            out,
            "{}",
            s.fmt("cli.other_profiles", &[("names", &others.join(", "))])
        )?;
    }
    writeln!(out)?;
    let mut any = false;
    for course in &library.courses {
        if let Some(record) = profile.courses.get(&course.id) {
            any = true;
            course_lines(&mut out, &profile, course, record, s)?;
        }
    }
    for id in profile
        .courses
        .keys()
        .filter(|id| library.course(id).is_none())
    {
        any = true;
        writeln!(out, "{}  {}", sanitize_line(id), s.get("cli.not_installed"))?;
    }
    if !any {
        writeln!(out, "{}", s.get("cli.no_course_started"))?;
    }
    Ok(ExitCode::SUCCESS)
}

/// The summary line of one course and a line per item.
fn course_lines(
    out: &mut impl Write,
    profile: &Profile,
    course: &crate::course::Course,
    record: &crate::progress::CourseRecord,
    s: &Strings,
) -> Result<()> {
    let summary = profile.course_summary(course);
    let average = summary
        .quiz_average
        .map(|a| {
            format!(
                " · {}",
                s.fmt("catalogue.quiz_average", &[("percent", &s.percent(a))])
            )
        })
        .unwrap_or_default();
    let last = record
        .last_visit
        .map(|t| format!(" · {}", s.fmt("cli.last_visit", &[("date", &t.rfc3339())])))
        .unwrap_or_default();
    let done = s.fmt(
        "catalogue.done_of",
        &[
            ("done", &summary.done.to_string()),
            ("total", &summary.total.to_string()),
        ],
    );
    writeln!(out, "{}  {done}{average}{last}", course.title)?;
    for (_, module, item) in course.items() {
        let status = profile.status(&course.id, module, item);
        let words @ [done, started, not_started] = [
            s.get("status.done"),
            s.get("status.in_progress"),
            s.get("status.not_started"),
        ];
        let word = match status {
            crate::progress::Status::Done => done,
            crate::progress::Status::InProgress => started,
            crate::progress::Status::NotStarted => not_started,
        };
        let widest = words
            .iter()
            .map(|w| crate::text::display_width(w))
            .max()
            .unwrap_or(0);
        let mark = format!(
            "[{word}]{}",
            " ".repeat(widest - crate::text::display_width(word))
        );
        let key = crate::progress::item_key(module, item);
        let best = profile
            .item(&course.id, &key)
            .and_then(crate::progress::ItemRecord::best)
            .map(|b| format!("  {}", s.fmt("cli.best", &[("percent", &s.percent(b))])))
            .unwrap_or_default();
        writeln!(out, "    {mark} {key}{best}")?;
    }
    Ok(())
}

/// Resets a profile's progress in one course or in all, after confirmation.
///
/// # Errors
/// No `--profile`, an unknown profile, no confirmation, or a failed write.
pub fn reset(
    data: &DataDir,
    requested: Option<&str>,
    course: Option<&str>,
    yes: bool,
) -> Result<ExitCode> {
    let Some(requested) = requested else {
        bail!("say whose progress to reset with --profile NAME");
    };
    let Some(name) = chosen(data, Some(requested), &Strings::new(crate::i18n::Lang::En))? else {
        bail!("there is no profile \"{requested}\"");
    };
    if let Some(course) = course {
        let profile = data
            .read_all()?
            .into_iter()
            .find(|p| p.name == name)
            .unwrap_or_default();
        if !profile.courses.contains_key(course) {
            let with: Vec<&str> = profile.courses.keys().map(String::as_str).collect();
            let list = if with.is_empty() {
                format!("{name} has no progress in any course")
            } else {
                format!("{name} has progress in: {}", with.join(", "))
            };
            bail!(
                "{name} has no progress in \"{}\", so nothing was deleted; {}",
                sanitize_line(course),
                sanitize_line(&list)
            );
        }
    }
    let what = course.map_or_else(
        || "all progress".to_owned(),
        |c| format!("the progress in \"{}\"", sanitize_line(c)),
    );
    if !yes {
        if !io::stdin().is_terminal() {
            bail!("this deletes {what} of {name}; add --yes to confirm");
        }
        let mut err = io::stderr().lock();
        write!(
            err,
            "Delete {what} of {name}? This cannot be undone. Type yes to confirm: "
        )?;
        err.flush()?;
        let mut answer = String::new();
        io::stdin().lock().read_line(&mut answer)?;
        if !matches!(
            answer.trim().to_lowercase().as_str(),
            "yes" | "y" | "ja" | "j"
        ) {
            writeln!(err, "Nothing was deleted.")?;
            return Ok(ExitCode::from(1));
        }
    }
    let mut store = data.open(&name)?;
    store.record(Change::Reset {
        course: course.map(str::to_owned),
    });
    store.compact()?;
    writeln!(io::stdout().lock(), "Deleted {what} of {name}.")?;
    Ok(ExitCode::SUCCESS)
}

/// Warns, on standard error, about each profile, or part of one, that could not be read
/// (see `DataDir::read_all_reporting`).
///
/// # Errors
/// When standard error cannot be written.
pub(super) fn warn_unreadable(problems: &[String]) -> io::Result<()> {
    let mut err = io::stderr().lock();
    for problem in problems {
        writeln!(err, "warning: {}.", sanitize_line(problem))?;
    }
    Ok(())
}

/// Prints the data folder, the machine id and the course folders.
///
/// # Errors
/// When output cannot be written.
pub fn paths(data: &DataDir, roots: &[Root]) -> Result<ExitCode> {
    let mut out = io::stdout().lock();
    writeln!(out, "kurs {}", env!("CARGO_PKG_VERSION"))?;
    writeln!(out, "progress:  {}", shown(&data.root))?;
    writeln!(out, "profiles:  {}", shown(&data.profiles_dir()))?;
    if let Ok(id) = std::fs::read_to_string(data.root.join("machine-id")) {
        writeln!(out, "machine:   {}", sanitize_line(id.trim()))?;
    }
    for root in roots {
        match root {
            Root::Embedded => writeln!(out, "courses:   (bundled library)")?,
            Root::Dir(dir) => writeln!(out, "courses:   {}", shown(dir))?,
        }
    }
    Ok(ExitCode::SUCCESS)
}

fn shown(path: &Path) -> String {
    sanitize_line(&path.display().to_string())
}
