//! `kurs report` and `kurs report merge`.

use std::io::{self, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::{Context, Result};

use super::Format;
use crate::course::Library;
use crate::progress::report::{self, Export};
use crate::progress::store::{DataDir, write_atomic};

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
        Export::new(&machine, data.read_all()?)
    } else {
        report::merge(read_exports(from)?)
    };
    let text = match format {
        Format::Csv => report::csv(&export, library),
        Format::Json => serde_json::to_string_pretty(&export)? + "\n",
        Format::Xapi => serde_json::to_string_pretty(&report::xapi(&export, library))? + "\n",
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
    let text = serde_json::to_string_pretty(&merged)? + "\n";
    write_atomic(out, text.as_bytes())?;
    writeln!(
        io::stderr().lock(),
        "Merged {} exports ({profiles} profiles) into {}.",
        files.len(),
        crate::text::sanitize_line(&out.display().to_string())
    )?;
    Ok(ExitCode::SUCCESS)
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
