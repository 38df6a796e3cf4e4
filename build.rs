//! Embeds the bundled course library (`courses/`) and the interface's words
//! (`assets/i18n/`) into the binary.
//!
//! Writes `$OUT_DIR/embedded_courses.rs`: a sorted table of `(path, bytes)` with one
//! `include_bytes!` per file. `include_bytes!` makes rustc track each file's contents, and
//! `rerun-if-changed` on every folder makes Cargo rerun this script when a file is added
//! or removed, so the binary always carries exactly what `courses/` holds.
//!
//! Writes `$OUT_DIR/strings.rs`: every interface key (dotted, sorted) and, per language,
//! its texts in the same order, so a start of kurs parses no TOML at all. A language file
//! that does not parse fails the build with its TOML error.

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
    fs::write(out_dir.join("embedded_courses.rs"), out)?;
    fs::write(
        out_dir.join("strings.rs"),
        strings(&manifest_dir.join("assets").join("i18n"))?,
    )
}

/// The interface's words as static tables (see the module docs).
fn strings(dir: &Path) -> io::Result<String> {
    use std::collections::{BTreeMap, BTreeSet};
    fn walk(prefix: &str, table: &toml::Table, out: &mut BTreeMap<String, String>) {
        for (key, value) in table {
            let full = if prefix.is_empty() {
                key.clone()
            } else {
                format!("{prefix}.{key}")
            };
            match value {
                toml::Value::String(s) => {
                    out.insert(full, s.clone());
                }
                toml::Value::Table(t) => walk(&full, t, out),
                _ => {}
            }
        }
    }
    println!("cargo:rerun-if-changed={}", dir.display());
    let mut languages: BTreeMap<String, BTreeMap<String, String>> = BTreeMap::new();
    for entry in fs::read_dir(dir)? {
        let path = entry?.path();
        if path.extension().and_then(|e| e.to_str()) != Some("toml") {
            continue;
        }
        println!("cargo:rerun-if-changed={}", path.display());
        let code = path
            .file_stem()
            .and_then(|s| s.to_str())
            .unwrap_or_default()
            .to_owned();
        let table: toml::Table = fs::read_to_string(&path)?
            .parse()
            .map_err(|e| io::Error::other(format!("{}: {e}", path.display())))?;
        let mut texts = BTreeMap::new();
        walk("", &table, &mut texts);
        languages.insert(code, texts);
    }
    let keys: BTreeSet<&String> = languages.values().flat_map(BTreeMap::keys).collect();
    let mut out = String::from("/// Every interface key, sorted.\npub static KEYS: &[&str] = &[\n");
    for key in &keys {
        writeln!(out, "    {key:?},").map_err(io::Error::other)?;
    }
    out.push_str("];\n");
    for (code, texts) in &languages {
        writeln!(
            out,
            "/// The `{code}` texts, in the order of `KEYS` (`None`: this language lacks it).\npub static {}: &[Option<&str>] = &[",
            code.to_uppercase()
        )
        .map_err(io::Error::other)?;
        for key in &keys {
            writeln!(out, "    {:?},", texts.get(*key)).map_err(io::Error::other)?;
        }
        out.push_str("];\n");
    }
    Ok(out)
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
