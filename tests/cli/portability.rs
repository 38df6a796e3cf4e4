//! What keeps kurs portable to Windows (see docs/windows.md), checked on any machine:
//! every file in the repository has a name Windows accepts, and no Unix-only API is used
//! outside code compiled for Unix only.

use std::path::Path;

/// Names Windows refuses as file names, whatever their extension.
const RESERVED: &[&str] = &[
    "CON", "PRN", "AUX", "NUL", "COM1", "COM2", "COM3", "COM4", "COM5", "COM6", "COM7", "COM8",
    "COM9", "LPT1", "LPT2", "LPT3", "LPT4", "LPT5", "LPT6", "LPT7", "LPT8", "LPT9",
];

/// Why Windows would refuse `name`, if it would.
fn windows_refuses(name: &str) -> Option<&'static str> {
    if name
        .chars()
        .any(|c| c.is_control() || "<>:\"\\|?*".contains(c))
    {
        return Some("a character Windows forbids");
    }
    if name.ends_with('.') || name.ends_with(' ') {
        return Some("a dot or space at the end");
    }
    let stem = name.split('.').next().unwrap_or_default();
    RESERVED
        .iter()
        .any(|r| r.eq_ignore_ascii_case(stem))
        .then_some("a name Windows reserves")
}

fn walk(dir: &Path, found: &mut Vec<String>) {
    for entry in std::fs::read_dir(dir).unwrap().flatten() {
        let name = entry.file_name().to_string_lossy().into_owned();
        // Build output and fuzzing work folders are not part of the repository.
        if matches!(
            name.as_str(),
            ".git" | "target" | "corpus" | "artifacts" | "coverage"
        ) {
            continue;
        }
        if let Some(why) = windows_refuses(&name) {
            found.push(format!("{}: {why}", entry.path().display()));
        }
        if entry.file_type().is_ok_and(|t| t.is_dir()) {
            walk(&entry.path(), found);
        }
    }
}

#[test]
fn every_file_in_the_repository_has_a_name_windows_accepts() {
    assert_eq!(
        windows_refuses("a:b.md"),
        Some("a character Windows forbids")
    );
    assert_eq!(windows_refuses("aux.toml"), Some("a name Windows reserves"));
    assert_eq!(
        windows_refuses("lesson."),
        Some("a dot or space at the end")
    );
    assert_eq!(windows_refuses("01-welcome.md"), None);
    let mut found = Vec::new();
    walk(crate::repo_root(), &mut found);
    assert!(found.is_empty(), "{found:#?}");
}

/// Unix-only names: a use of one must be compiled for Unix only.
const UNIX_ONLY: &[&str] = &["std::os::unix", "SIGHUP", "SIGTSTP", "SIGWINCH", "rustix::"];

fn indent(line: &str) -> usize {
    line.len() - line.trim_start().len()
}

/// Whether the attributes right above line `at` (doc comments in between allowed) say
/// `cfg(unix)` (or `cfg(all(…, unix))`).
fn unix_attribute_above(lines: &[&str], at: usize) -> bool {
    lines[..at]
        .iter()
        .rev()
        .map(|l| l.trim())
        .take_while(|l| l.starts_with("#[") || l.starts_with("///") || l.starts_with("//"))
        .any(|l| l.starts_with("#[cfg(") && l.contains("unix") && !l.contains("not(unix"))
}

/// Whether line `at` lies in code compiled for Unix only: the line or one of the items,
/// blocks or statements enclosing it (found by indentation) carries `#[cfg(unix)]`.
fn compiled_for_unix_only(lines: &[&str], at: usize) -> bool {
    let mut level = indent(lines[at]);
    let mut line = at;
    loop {
        if unix_attribute_above(lines, line) {
            return true;
        }
        if level == 0 {
            return false;
        }
        let Some(opener) = (0..line)
            .rev()
            .find(|&i| !lines[i].trim().is_empty() && indent(lines[i]) < level)
        else {
            return false;
        };
        line = opener;
        level = indent(lines[opener]);
    }
}

fn rust_files(dir: &Path, out: &mut Vec<std::path::PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap().flatten() {
        let path = entry.path();
        if path.is_dir() {
            rust_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

#[test]
fn unix_only_apis_appear_only_in_code_compiled_for_unix() {
    let mut files = Vec::new();
    rust_files(&crate::repo_root().join("src"), &mut files);
    let mut found = Vec::new();
    for file in files {
        let text = std::fs::read_to_string(&file).unwrap();
        let lines: Vec<&str> = text.lines().collect();
        for (i, line) in lines.iter().enumerate() {
            let code = line.trim_start();
            if code.starts_with("//") || !UNIX_ONLY.iter().any(|u| code.contains(u)) {
                continue;
            }
            if !compiled_for_unix_only(&lines, i) {
                found.push(format!("{}:{}: {}", file.display(), i + 1, line.trim()));
            }
        }
    }
    assert!(
        found.is_empty(),
        "Unix-only API outside cfg(unix): {found:#?}"
    );
    // The check can fail: a line at the top of a function without the attribute.
    let bad = [
        "fn f() {",
        "    let s = std::os::unix::net::UnixStream::pair();",
        "}",
    ];
    assert!(!compiled_for_unix_only(&bad, 1));
    let good = [
        "#[cfg(unix)]",
        "fn f() {",
        "    let s = std::os::unix::net::UnixStream::pair();",
        "}",
    ];
    assert!(compiled_for_unix_only(&good, 2));
}

/// The workflow for a public code host runs what `.ci/run` runs: formatting, clippy with
/// warnings denied, the release build and the tests with `--locked`.
#[test]
fn the_public_ci_workflow_runs_what_ci_runs() {
    let workflow =
        std::fs::read_to_string(crate::repo_root().join(".github/workflows/ci.yml")).unwrap();
    let ci = std::fs::read_to_string(crate::repo_root().join(".ci/run")).unwrap();
    for command in [
        "cargo fmt --all -- --check",
        "cargo clippy --all-targets --locked -- -D warnings",
        "cargo build --release --locked",
        "cargo test --locked",
    ] {
        assert!(ci.contains(command), ".ci/run runs {command}");
        assert!(workflow.contains(command), "the workflow runs {command}");
    }
    for os in [
        "ubuntu-latest",
        "windows-latest",
        "macos-latest",
        "core.autocrlf true",
    ] {
        assert!(workflow.contains(os), "{os}");
    }
}
