//! Embeds the bundled course library (`courses/`) into the binary.
//!
//! Writes `$OUT_DIR/embedded_courses.rs`: a sorted table of `(path, bytes)` with one
//! `include_bytes!` per file. `include_bytes!` makes rustc track each file's contents, and
//! `rerun-if-changed` on every folder makes Cargo rerun this script when a file is added
//! or removed, so the binary always carries exactly what `courses/` holds.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::{env, fs, io};

fn main() -> io::Result<()> {
    let manifest_dir = PathBuf::from(env::var_os("CARGO_MANIFEST_DIR").unwrap_or_default());
    let root = manifest_dir.join("courses");
    println!("cargo:rerun-if-changed={}", root.display());

    let mut files = Vec::new();
    if root.is_dir() {
        collect(&root, &root, &mut files)?;
    }
    files.sort();

    let mut out = String::from("/// Every file of the bundled library, sorted by path.\n");
    out.push_str("pub static FILES: &[(&str, &[u8])] = &[\n");
    for relative in &files {
        let absolute = root.join(relative);
        writeln!(
            out,
            "    ({:?}, include_bytes!({:?})),",
            relative,
            absolute.display().to_string()
        )
        .map_err(io::Error::other)?;
    }
    out.push_str("];\n");

    let out_dir = PathBuf::from(env::var_os("OUT_DIR").unwrap_or_default());
    fs::write(out_dir.join("embedded_courses.rs"), out)
}

/// Collects the paths (relative to `root`, with `/` separators) of all files below `dir`,
/// skipping hidden entries, and registers every folder for change detection.
fn collect(root: &Path, dir: &Path, files: &mut Vec<String>) -> io::Result<()> {
    println!("cargo:rerun-if-changed={}", dir.display());
    for entry in fs::read_dir(dir)? {
        let entry = entry?;
        let name = entry.file_name();
        let Some(name) = name.to_str() else { continue };
        if name.starts_with('.') {
            continue;
        }
        let path = entry.path();
        if entry.file_type()?.is_dir() {
            collect(root, &path, files)?;
        } else if let Ok(relative) = path.strip_prefix(root) {
            let parts: Vec<_> = relative
                .components()
                .filter_map(|c| c.as_os_str().to_str())
                .collect();
            files.push(parts.join("/"));
        }
    }
    Ok(())
}
