//! Where course files come from: a folder on disk or the library embedded in the binary.
//!
//! Paths inside a root are relative, `/`-separated strings, so the loader treats both
//! kinds the same way and never builds a path that leaves its root.

use std::borrow::Cow;
use std::io;
use std::path::{Component, Path, PathBuf};

use crate::embedded;
use crate::text::natural_cmp;

/// A place course packs are read from.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Root {
    /// A folder on disk (from `--courses` or `KURS_COURSES`).
    Dir(PathBuf),
    /// The library compiled into the binary.
    Embedded,
}

/// What a folder entry is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum EntryKind {
    /// A folder.
    Dir,
    /// A file (or a link to one).
    File,
    /// Anything else (sockets, broken links, …): ignored.
    Other,
}

/// One entry of a folder listing.
#[derive(Clone, Debug)]
pub struct Entry {
    /// The file name; not-UTF-8 names are converted lossily and flagged.
    pub name: String,
    /// Whether the name was valid UTF-8.
    pub utf8: bool,
    /// Folder, file or other.
    pub kind: EntryKind,
    /// Whether it is a symbolic link (its kind is that of what it points to).
    pub link: bool,
}

/// The result of resolving a local link or image from a lesson.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum LinkTarget {
    /// The file exists inside the course folder.
    Found,
    /// No such file.
    Missing,
    /// The path leaves the course folder (`..`, absolute, or a link pointing out).
    Outside,
}

impl Root {
    /// The path an author would recognise for `rel` (for messages).
    #[must_use]
    pub fn display(&self, rel: &str) -> String {
        match self {
            Root::Dir(dir) => {
                if rel.is_empty() {
                    dir.display().to_string()
                } else {
                    dir.join(rel).display().to_string()
                }
            }
            Root::Embedded if rel.is_empty() => "courses".to_owned(),
            Root::Embedded => format!("courses/{rel}"),
        }
    }

    /// Lists the entries of folder `rel`, hidden ones (`.name`) left out, in natural order.
    ///
    /// # Errors
    /// When the folder cannot be read.
    pub fn list(&self, rel: &str) -> io::Result<Vec<Entry>> {
        let mut entries = match self {
            Root::Dir(dir) => list_dir(&dir.join(rel))?,
            Root::Embedded => list_embedded(rel),
        };
        entries.retain(|e| !e.name.starts_with('.'));
        entries.sort_by(|a, b| natural_cmp(&a.name, &b.name));
        Ok(entries)
    }

    /// Reads file `rel`.
    ///
    /// # Errors
    /// When the file is missing or cannot be read.
    pub fn read(&self, rel: &str) -> io::Result<Cow<'static, [u8]>> {
        match self {
            Root::Dir(dir) => std::fs::read(dir.join(rel)).map(Cow::Owned),
            Root::Embedded => embedded_file(rel)
                .map(Cow::Borrowed)
                .ok_or_else(|| io::Error::from(io::ErrorKind::NotFound)),
        }
    }

    /// Does file `rel` exist?
    #[must_use]
    pub fn is_file(&self, rel: &str) -> bool {
        match self {
            Root::Dir(dir) => dir.join(rel).is_file(),
            Root::Embedded => embedded_file(rel).is_some(),
        }
    }

    /// The modification time of `rel`, for live reloading (folders on disk only).
    #[must_use]
    pub fn modified(&self, rel: &str) -> Option<std::time::SystemTime> {
        match self {
            Root::Dir(dir) => std::fs::metadata(dir.join(rel))
                .and_then(|m| m.modified())
                .ok(),
            Root::Embedded => None,
        }
    }

    /// Resolves `target` (a link destination, relative to folder `from_dir`) and checks it
    /// stays inside `course_dir` and exists. `from_dir` and `course_dir` are relative to
    /// this root.
    #[must_use]
    pub fn resolve_link(&self, course_dir: &str, from_dir: &str, target: &str) -> LinkTarget {
        if target.starts_with('/') || target.starts_with('\\') || Path::new(target).has_root() {
            return LinkTarget::Outside;
        }
        let Some(rel) = join_within(from_dir, target) else {
            return LinkTarget::Outside;
        };
        let inside_course = course_dir.is_empty()
            || rel == course_dir
            || rel.starts_with(&format!("{course_dir}/"));
        if !inside_course {
            return LinkTarget::Outside;
        }
        match self {
            Root::Embedded => {
                if embedded_file(&rel).is_some() || !list_embedded(&rel).is_empty() {
                    LinkTarget::Found
                } else {
                    LinkTarget::Missing
                }
            }
            Root::Dir(dir) => {
                let path = dir.join(&rel);
                // The lexical path stays in the course; so does the real one unless a
                // symbolic link below the course folder leads elsewhere. Looking at each
                // part below the course folder (usually one or two) is much cheaper than
                // resolving the whole path from `/`, which is done only when there is a link.
                let course_root = dir.join(course_dir);
                let below = rel
                    .strip_prefix(course_dir)
                    .unwrap_or(&rel)
                    .trim_start_matches('/');
                let mut current = course_root.clone();
                let mut linked = false;
                for part in below.split('/').filter(|p| !p.is_empty()) {
                    current.push(part);
                    match std::fs::symlink_metadata(&current) {
                        Err(_) => return LinkTarget::Missing,
                        Ok(m) if m.file_type().is_symlink() => {
                            linked = true;
                            break;
                        }
                        Ok(_) => {}
                    }
                }
                if !linked {
                    return LinkTarget::Found;
                }
                // Symbolic links are followed: the real target must stay in the course.
                let (Ok(resolved), Ok(course_root)) =
                    (path.canonicalize(), course_root.canonicalize())
                else {
                    return LinkTarget::Missing;
                };
                if resolved.starts_with(&course_root) {
                    LinkTarget::Found
                } else {
                    LinkTarget::Outside
                }
            }
        }
    }
}

/// Joins `target` onto folder `base` lexically, resolving `.` and `..`. Returns `None` when
/// `..` climbs above the root.
fn join_within(base: &str, target: &str) -> Option<String> {
    let mut parts: Vec<String> = base
        .split('/')
        .filter(|p| !p.is_empty())
        .map(str::to_owned)
        .collect();
    for component in Path::new(target).components() {
        match component {
            Component::Normal(p) => parts.push(p.to_string_lossy().into_owned()),
            Component::CurDir => {}
            Component::ParentDir => {
                parts.pop()?;
            }
            Component::RootDir | Component::Prefix(_) => return None,
        }
    }
    Some(parts.join("/"))
}

fn list_dir(path: &Path) -> io::Result<Vec<Entry>> {
    let mut out = Vec::new();
    for entry in std::fs::read_dir(path)? {
        let entry = entry?;
        let os_name = entry.file_name();
        let (name, utf8) = match os_name.to_str() {
            Some(s) => (s.to_owned(), true),
            None => (os_name.to_string_lossy().into_owned(), false),
        };
        // The folder listing says what each entry is; only a symbolic link needs a look at
        // what it points to (`metadata` follows it), so a link to a file counts as a file.
        let link = entry.file_type().is_ok_and(|t| t.is_symlink());
        let kind = match entry.file_type() {
            Ok(t) if t.is_dir() => EntryKind::Dir,
            Ok(t) if t.is_file() => EntryKind::File,
            Ok(t) if t.is_symlink() => match std::fs::metadata(entry.path()) {
                Ok(m) if m.is_dir() => EntryKind::Dir,
                Ok(m) if m.is_file() => EntryKind::File,
                _ => EntryKind::Other,
            },
            _ => EntryKind::Other,
        };
        out.push(Entry {
            name,
            utf8,
            kind,
            link,
        });
    }
    Ok(out)
}

fn embedded_file(rel: &str) -> Option<&'static [u8]> {
    let files = embedded::FILES;
    files
        .binary_search_by(|(path, _)| (*path).cmp(rel))
        .ok()
        .and_then(|i| files.get(i))
        .map(|(_, bytes)| *bytes)
}

fn list_embedded(rel: &str) -> Vec<Entry> {
    let prefix = if rel.is_empty() {
        String::new()
    } else {
        format!("{rel}/")
    };
    let files = embedded::FILES;
    let start = files.partition_point(|(path, _)| *path < prefix.as_str());
    let mut out: Vec<Entry> = Vec::new();
    for (path, _) in files.get(start..).unwrap_or_default() {
        let Some(rest) = path.strip_prefix(prefix.as_str()) else {
            break;
        };
        let (name, kind) = match rest.split_once('/') {
            Some((dir, _)) => (dir, EntryKind::Dir),
            None => (rest, EntryKind::File),
        };
        if out.last().is_some_and(|e| e.name == name) {
            continue;
        }
        out.push(Entry {
            name: name.to_owned(),
            utf8: true,
            kind,
            link: false,
        });
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn joins_stay_inside_the_root() {
        assert_eq!(
            join_within("c/m", "../assets/x.png").as_deref(),
            Some("c/assets/x.png")
        );
        assert_eq!(join_within("c/m", "./a.txt").as_deref(), Some("c/m/a.txt"));
        assert_eq!(join_within("c", "../../x"), None);
    }

    #[test]
    fn links_outside_the_course_are_refused() {
        let tmp = tempfile::tempdir().expect("temp dir");
        let course = tmp.path().join("c");
        std::fs::create_dir_all(course.join("m")).expect("mkdir");
        std::fs::write(course.join("m/a.txt"), "x").expect("write");
        std::fs::write(tmp.path().join("secret.txt"), "x").expect("write");
        let root = Root::Dir(tmp.path().to_path_buf());
        assert_eq!(root.resolve_link("c", "c/m", "a.txt"), LinkTarget::Found);
        assert_eq!(root.resolve_link("c", "c/m", "b.txt"), LinkTarget::Missing);
        assert_eq!(
            root.resolve_link("c", "c/m", "../../secret.txt"),
            LinkTarget::Outside
        );
        assert_eq!(
            root.resolve_link("c", "c/m", "/etc/passwd"),
            LinkTarget::Outside
        );
        #[cfg(unix)]
        {
            std::os::unix::fs::symlink(tmp.path().join("secret.txt"), course.join("m/link.txt"))
                .expect("symlink");
            assert_eq!(
                root.resolve_link("c", "c/m", "link.txt"),
                LinkTarget::Outside
            );
        }
    }
}
