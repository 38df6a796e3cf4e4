//! `kurs report` and `kurs report merge`.

use std::fmt::Write as _;
use std::io::{self, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::{Context, Result};
use serde::Serialize;

use super::Format;
use crate::course::Library;
use crate::progress::report::{self, Export};
use crate::progress::store::{DataDir, write_atomic};
use crate::text::{is_forbidden_control, sanitize_line};

/// Exports the profiles of this machine (or of `from` exports) as CSV, JSON or xAPI.
///
/// # Errors
/// Unreadable progress or exports, or a failed write.
pub fn export(
    library: &Library,
    data: &DataDir,
    from: &[PathBuf],
    format: Format,
    out: Option<&Path>,
) -> Result<ExitCode> {
    let export = if from.is_empty() {
        let machine = data.machine_id()?;
        let (profiles, problems) = data.read_all_reporting()?;
        super::progress::warn_unreadable(&problems)?;
        Export::new(&machine, profiles)
    } else {
        report::merge(read_exports(from)?)
    };
    let text = match format {
        Format::Csv => report::csv(&export, library),
        Format::Json => to_json(&report::json(&export)?)?,
        Format::Xapi => to_json(&report::xapi(&export, library))?,
    };
    write_output(&text, out)?;
    Ok(ExitCode::SUCCESS)
}

/// Merges JSON exports into `out`.
///
/// # Errors
/// Unreadable exports or a failed write.
pub fn merge(files: &[PathBuf], out: &Path) -> Result<ExitCode> {
    let merged = report::merge(read_exports(files)?);
    let profiles = merged.profiles.len();
    let text = to_json(&report::json(&merged)?)?;
    write_atomic(out, text.as_bytes())?;
    writeln!(
        io::stderr().lock(),
        "Merged {} {} ({profiles} {}) into {}.",
        files.len(),
        if files.len() == 1 {
            "export"
        } else {
            "exports"
        },
        if profiles == 1 { "profile" } else { "profiles" },
        sanitize_line(&out.display().to_string())
    )?;
    Ok(ExitCode::SUCCESS)
}

/// Pretty JSON, with every control character that `serde_json` leaves as it is (DEL, the
/// C1 controls, bidirectional overrides) written as a `\u` escape as well. The data is
/// the same for any JSON reader, and printing it can never drive the terminal.
fn to_json(value: &impl Serialize) -> Result<String> {
    let text = serde_json::to_string_pretty(value).context("cannot encode the report")?;
    let mut out = String::with_capacity(text.len() + 1);
    for c in text.chars() {
        // Outside strings, serde_json writes only ASCII punctuation, letters, digits,
        // spaces and line breaks: whatever is escaped here is inside a string.
        if is_forbidden_control(c) {
            let _ = write!(out, "\\u{:04x}", u32::from(c));
        } else {
            out.push(c);
        }
    }
    out.push('\n');
    Ok(out)
}

fn read_exports(files: &[PathBuf]) -> Result<Vec<Export>> {
    files
        .iter()
        .map(|f| {
            let text = std::fs::read_to_string(f)
                .with_context(|| format!("cannot read {}", f.display()))?;
            Export::parse(&text).with_context(|| format!("{} is not a kurs export", f.display()))
        })
        .collect()
}

fn write_output(text: &str, out: Option<&Path>) -> Result<()> {
    if let Some(path) = out {
        write_atomic(path, text.as_bytes())
    } else {
        let mut stdout = io::stdout().lock();
        stdout.write_all(text.as_bytes())?;
        stdout.flush()?;
        Ok(())
    }
}
