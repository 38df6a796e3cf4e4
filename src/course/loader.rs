//! Builds [`Library`] and [`Course`] outlines from roots, and reads single items.

use std::borrow::Cow;
use std::collections::HashMap;

use super::manifest::{
    self, COURSE_KEYS, FRONT_MATTER_KEYS, MODULE_KEYS, RawCourse, RawFrontMatter, RawModule,
};
use super::source::{EntryKind, LinkTarget, Root};
use super::{Course, FailedCourse, ItemContent, ItemKind, ItemRef, Lesson, Library, Module};
use crate::diagnostic::Diagnostic;
use crate::limits;
use crate::quiz::{self, QuizDefaults};
use crate::text::{did_you_mean, id_from_name, is_valid_id, sanitize, sanitize_line};

const QUIZ_SUFFIX: &str = ".quiz.toml";
const LESSON_SUFFIX: &str = ".md";
const DEFAULT_PASS_MARK: f64 = 0.8;

/// A folder given by the user could not be read at all.
#[derive(Clone, Debug)]
pub struct LoadError {
    /// The folder.
    pub path: String,
    /// What went wrong.
    pub reason: String,
}

impl std::fmt::Display for LoadError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "cannot read the course folder {}: {}",
            sanitize_line(&self.path),
            sanitize_line(&self.reason)
        )
    }
}

impl std::error::Error for LoadError {}

/// Loads every course of every root.
///
/// Roots are read in order; within a root, course folders in natural order. A folder
/// root that holds a `course.toml` is itself a course; otherwise each sub-folder is one.
/// A course whose id was already seen in an earlier root replaces the earlier one when
/// the earlier one is bundled (so trainers can adapt a bundled course); between two user
/// folders, the second is a [`FailedCourse`].
///
/// A folder that does not exist, cannot be listed or holds no course is named in
/// [`Library::unavailable`]; the others load.
#[must_use]
pub fn load_library(roots: &[Root]) -> Library {
    load_courses(roots, None)
}

/// Like [`load_library`], but reads the modules of only the course with id `only`
/// (every `course.toml` is still read, to find it). For commands that need one course.
#[must_use]
pub fn load_one(roots: &[Root], only: &str) -> Library {
    load_courses(roots, Some(only))
}

fn load_courses(roots: &[Root], only: Option<&str>) -> Library {
    let mut library = Library::default();
    let mut origin: HashMap<String, (bool, String)> = HashMap::new();
    for root in roots {
        let course_dirs: Vec<String> = match root {
            Root::Dir(path) if path.join("course.toml").is_file() || looks_like_course(root) => {
                vec![String::new()]
            }
            // A folder that cannot be read (an unplugged USB stick, a network share that
            // is gone) or that holds no course: the others still load, and the folder is
            // named in `library.unavailable`.
            _ => match root.list("") {
                Ok(entries) => {
                    let dirs: Vec<String> = entries
                        .into_iter()
                        .filter(|e| e.kind == EntryKind::Dir)
                        .map(|e| e.name)
                        .collect();
                    if dirs.is_empty() && *root != Root::Embedded {
                        library.unavailable.push(LoadError {
                            path: root.display(""),
                            reason: "it holds no course (a course is a folder with a course.toml)"
                                .to_owned(),
                        });
                    }
                    dirs
                }
                Err(e) => {
                    library.unavailable.push(LoadError {
                        path: root.display(""),
                        reason: e.to_string(),
                    });
                    continue;
                }
            },
        };
        for dir in course_dirs {
            match load_course(root, &dir, only) {
                Ok(None) => {}
                Ok(Some(course)) => {
                    let location = root.display(&course.dir);
                    let bundled = *root == Root::Embedded;
                    if let Some((was_bundled, first)) = origin.get(&course.id) {
                        if *was_bundled && !bundled {
                            library.courses.retain(|c| c.id != course.id);
                        } else {
                            let duplicate = Diagnostic::error(
                                root.display(&join(&dir, "course.toml")),
                                format!("the course id `{}` is used twice", course.id),
                            )
                            .hint(format!(
                                "it is also the id of {first}; set a different `id` in course.toml"
                            ));
                            library.failed.push(FailedCourse {
                                folder: folder_name(root, &dir),
                                title: Some(course.title.clone()),
                                location: location.clone(),
                                diagnostics: vec![duplicate],
                                outline: Some(Box::new(course)),
                            });
                            continue;
                        }
                    }
                    origin.insert(course.id.clone(), (bundled, location));
                    library.courses.push(course);
                }
                Err(failed) => library.failed.push(failed),
            }
        }
    }
    library
}

/// Does a root without a `course.toml` look like one course that lacks it, rather than a
/// folder of courses? It does when no sub-folder has a `course.toml` and some sub-folder
/// holds what a module holds (lessons, quizzes, `module.toml`). Then the missing
/// `course.toml` is reported for the root itself, not for each of its modules.
fn looks_like_course(root: &Root) -> bool {
    let Ok(entries) = root.list("") else {
        return false;
    };
    let dirs: Vec<&str> = entries
        .iter()
        .take(limits::MAX_ENTRIES)
        .filter(|e| e.kind == EntryKind::Dir)
        .map(|e| e.name.as_str())
        .collect();
    if dirs.iter().any(|d| root.is_file(&join(d, "course.toml"))) {
        return false;
    }
    let holds_items = |name: &str| {
        name == "module.toml"
            || name.ends_with(QUIZ_SUFFIX)
            || (name.ends_with(LESSON_SUFFIX) && !name.eq_ignore_ascii_case("README.md"))
    };
    dirs.iter().any(|d| {
        root.list(d).is_ok_and(|files| {
            files
                .iter()
                .take(limits::MAX_ENTRIES)
                .any(|f| f.kind == EntryKind::File && holds_items(&f.name))
        })
    })
}

fn folder_name(root: &Root, dir: &str) -> String {
    match (root, dir.rsplit('/').next()) {
        (Root::Dir(path), Some("") | None) => path.file_name().map_or_else(
            || path.display().to_string(),
            |n| n.to_string_lossy().into_owned(),
        ),
        (_, Some(name)) => name.to_owned(),
        (_, None) => String::new(),
    }
}

fn join(dir: &str, name: &str) -> String {
    if dir.is_empty() {
        name.to_owned()
    } else {
        format!("{dir}/{name}")
    }
}

/// Reads text file `rel` of `root`: at most `max` bytes, UTF-8 (a BOM is dropped).
///
/// # Errors
/// A diagnostic naming the file and, for bad UTF-8, the place of the first bad byte.
pub fn read_text(root: &Root, rel: &str, max: usize) -> Result<Cow<'static, str>, Diagnostic> {
    let path = root.display(rel);
    if let Root::Dir(dir) = root
        && let Ok(meta) = std::fs::metadata(dir.join(rel))
        && usize::try_from(meta.len()).unwrap_or(usize::MAX) > max
    {
        return Err(too_large(&path, meta.len(), max));
    }
    let bytes = root
        .read(rel)
        .map_err(|e| Diagnostic::error(&path, format!("cannot read the file: {e}")))?;
    if bytes.len() > max {
        return Err(too_large(&path, bytes.len() as u64, max));
    }
    let text = match bytes {
        Cow::Borrowed(b) => std::str::from_utf8(b)
            .map(Cow::Borrowed)
            .map_err(|e| (e, b.to_vec())),
        Cow::Owned(b) => String::from_utf8(b)
            .map(Cow::Owned)
            .map_err(|e| (e.utf8_error(), e.into_bytes())),
    };
    match text {
        Ok(Cow::Borrowed(s)) => Ok(Cow::Borrowed(s.strip_prefix('\u{feff}').unwrap_or(s))),
        Ok(Cow::Owned(s)) => Ok(match s.strip_prefix('\u{feff}') {
            Some(rest) => Cow::Owned(rest.to_owned()),
            None => Cow::Owned(s),
        }),
        Err((e, bytes)) => {
            let valid = bytes.get(..e.valid_up_to()).unwrap_or_default();
            let prefix = String::from_utf8_lossy(valid);
            let d = Diagnostic::error(&path, "the file is not UTF-8 text")
                .at(&prefix, prefix.len()..prefix.len())
                .hint(
                    "save it as UTF-8 (most editors offer this under \"Save as\" or \"Encoding\")",
                );
            Err(d)
        }
    }
}

fn too_large(path: &str, size: u64, max: usize) -> Diagnostic {
    Diagnostic::error(
        path,
        format!("the file is {size} bytes; kurs reads at most {max}"),
    )
    .hint("split it into smaller lessons or quizzes")
}

/// Loads the outline of the course in folder `dir` of `root`.
fn load_course(root: &Root, dir: &str, only: Option<&str>) -> Result<Option<Course>, FailedCourse> {
    let fail = |title: Option<String>, diagnostics: Vec<Diagnostic>| FailedCourse {
        folder: sanitize_line(&folder_name(root, dir)),
        title,
        location: root.display(dir),
        diagnostics,
        outline: None,
    };
    let manifest_rel = join(dir, "course.toml");
    let manifest_path = root.display(&manifest_rel);
    if !root.is_file(&manifest_rel) {
        return Err(fail(
            None,
            vec![Diagnostic::error(&manifest_path, "the course folder has no course.toml").hint(
                "add a course.toml with at least `title = \"…\"`, or move the folder out of the course library",
            )],
        ));
    }
    let source =
        read_text(root, &manifest_rel, limits::MAX_TOML_BYTES).map_err(|d| fail(None, vec![d]))?;
    let raw: RawCourse = manifest::parse_toml(&manifest_path, &source, &source, 0, COURSE_KEYS)
        .map_err(|d| fail(None, vec![d]))?;

    let (
        Header {
            id,
            title,
            pass_mark,
            language,
        },
        mut errors,
    ) = manifest_header(&raw, &source, &manifest_path, &folder_name(root, dir));
    let mut warnings = Vec::new();
    if only.is_some_and(|wanted| wanted != id) {
        return Ok(None);
    }
    let (modules, spots) = load_modules(root, dir, &mut errors, &mut warnings);
    check_requires(root, dir, &modules, &spots, &mut errors);
    if modules.is_empty() && errors.is_empty() {
        errors.push(
            Diagnostic::error(root.display(dir), "the course has no modules")
                .hint("add a module folder (e.g. `01-basics/`) with lessons (*.md) and quizzes (*.quiz.toml)"),
        );
    }
    let course = Course {
        id,
        title,
        description: raw
            .description
            .as_deref()
            .map(sanitize_line)
            .unwrap_or_default(),
        version: raw.version.as_deref().map(sanitize_line),
        language,
        authors: raw
            .authors
            .unwrap_or_default()
            .iter()
            .map(|a| sanitize_line(a))
            .collect(),
        license: raw.license.as_deref().map(sanitize_line),
        minutes: raw.minutes,
        sequential: raw.sequential.unwrap_or(false),
        pass_mark,
        translation_of: raw.translation_of.as_ref().map(|t| t.get_ref().clone()),
        modules,
        root: root.clone(),
        dir: dir.to_owned(),
        warnings,
    };
    if errors.is_empty() {
        return Ok(Some(course));
    }
    errors.extend(course.warnings.iter().cloned());
    Err(FailedCourse {
        outline: Some(Box::new(Course {
            warnings: Vec::new(),
            ..course.clone()
        })),
        ..fail(Some(course.title), errors)
    })
}

/// The checked essentials of `course.toml`.
pub(crate) struct Header {
    pub(crate) id: String,
    pub(crate) title: String,
    pub(crate) pass_mark: f64,
    pub(crate) language: String,
}

/// Checks `course.toml`'s values; `folder` is the course folder's name (the default id).
pub(crate) fn manifest_header(
    raw: &RawCourse,
    source: &str,
    path: &str,
    folder: &str,
) -> (Header, Vec<Diagnostic>) {
    let mut errors = Vec::new();
    let title = sanitize_line(raw.title.get_ref());
    if title.trim().is_empty() {
        errors.push(Diagnostic::error(path, "the title is empty").at(source, raw.title.span()));
    }
    if let Some(format) = &raw.format
        && *format.get_ref() != 1
    {
        errors.push(
            Diagnostic::error(
                path,
                format!("course-pack format {} is not known", format.get_ref()),
            )
            .at(source, format.span())
            .hint("this kurs reads format 1; update kurs or write `format = 1`"),
        );
    }
    let id = if let Some(id) = &raw.id {
        if !is_valid_id(id.get_ref()) {
            errors.push(
                Diagnostic::error(
                    path,
                    format!(
                        "the course id `{}` may only use a-z, 0-9, `-` and `_`",
                        id.get_ref()
                    ),
                )
                .at(source, id.span())
                .hint("for example `id = \"security-basics\"`"),
            );
        }
        id.get_ref().clone()
    } else {
        let name = folder.to_owned();
        if !is_valid_id(&name) {
            errors.push(
                Diagnostic::error(path, format!("the folder name `{name}` cannot be a course id"))
                    .hint("ids use a-z, 0-9, `-` and `_`: rename the folder or set `id = \"…\"` in course.toml"),
            );
        }
        name
    };
    if let Some(other) = &raw.translation_of
        && !is_valid_id(other.get_ref())
    {
        errors.push(
            Diagnostic::error(
                path,
                format!("`{}` cannot be a course id", other.get_ref()),
            )
            .at(source, other.span())
            .hint("name the id of the course this one translates, e.g. `translation_of = \"security-at-work\"`"),
        );
    }
    let pass_mark = match &raw.pass_mark {
        Some(p) if !(0.0..=1.0).contains(p.get_ref()) => {
            errors.push(
                Diagnostic::error(path, format!("pass_mark {} is outside 0..=1", p.get_ref()))
                    .at(source, p.span())
                    .hint("write it as a fraction: 0.8 means 80 %"),
            );
            DEFAULT_PASS_MARK
        }
        Some(p) => *p.get_ref(),
        None => DEFAULT_PASS_MARK,
    };
    let language = match &raw.language {
        Some(l) if !manifest::is_language_tag(l.get_ref()) => {
            errors.push(
                Diagnostic::error(path, format!("`{}` is not a language tag", l.get_ref()))
                    .at(source, l.span())
                    .hint("use a BCP 47 tag such as \"en\", \"de\" or \"de-AT\""),
            );
            "en".to_owned()
        }
        Some(l) => l.get_ref().clone(),
        None => "en".to_owned(),
    };

    (
        Header {
            id,
            title,
            pass_mark,
            language,
        },
        errors,
    )
}

/// The lessons and quizzes of module folder `rel`, in natural order.
fn list_items(
    root: &Root,
    rel: &str,
    errors: &mut Vec<Diagnostic>,
    warnings: &mut Vec<Diagnostic>,
) -> Option<Vec<ItemRef>> {
    let entries = match root.list(rel) {
        Ok(entries) => entries,
        Err(e) => {
            errors.push(Diagnostic::error(
                root.display(rel),
                format!("cannot list the module folder: {e}"),
            ));
            return None;
        }
    };
    let mut items: Vec<ItemRef> = Vec::new();
    let mut first_use: HashMap<String, String> = HashMap::new();
    let course_dir = rel.rsplit_once('/').map_or("", |(course, _)| course);
    for entry in entries.iter().take(limits::MAX_ENTRIES) {
        let file = join(rel, &entry.name);
        if entry.kind == EntryKind::Dir
            && (entry.name.ends_with(QUIZ_SUFFIX) || entry.name.ends_with(LESSON_SUFFIX))
        {
            warnings.push(
                Diagnostic::warning(
                    root.display(&file),
                    "this is a folder named like a lesson or quiz, and is ignored",
                )
                .hint("lessons and quizzes are files: rename the folder, or move its files up"),
            );
            continue;
        }
        if entry.kind != EntryKind::File {
            continue;
        }
        let (kind, suffix) = if entry.name.ends_with(QUIZ_SUFFIX) {
            (ItemKind::Quiz, QUIZ_SUFFIX)
        } else if entry.name.ends_with(LESSON_SUFFIX) {
            (ItemKind::Lesson, LESSON_SUFFIX)
        } else {
            let is_toml = std::path::Path::new(&entry.name)
                .extension()
                .is_some_and(|e| e.eq_ignore_ascii_case("toml"));
            if is_toml && entry.name != "module.toml" {
                warnings.push(
                    Diagnostic::warning(
                        root.display(&file),
                        "this TOML file is neither module.toml nor a quiz, and is ignored",
                    )
                    .hint("name quizzes `*.quiz.toml`"),
                );
            }
            continue;
        };
        if !entry.utf8 {
            errors.push(
                Diagnostic::error(root.display(&file), "the file name is not UTF-8")
                    .hint("rename it"),
            );
            continue;
        }
        if entry.link && root.resolve_link(course_dir, rel, &entry.name) == LinkTarget::Outside {
            errors.push(
                Diagnostic::error(
                    root.display(&file),
                    "this lesson or quiz is a link to a file outside the course folder",
                )
                .hint("a course must carry its own files: copy the file into the course"),
            );
            continue;
        }

        let id = sanitize_line(id_from_name(&entry.name, suffix));
        if id.is_empty() || id.contains('/') {
            errors.push(
                Diagnostic::error(root.display(&file), "the file name gives an empty id")
                    .hint("name it like `01-welcome.md`"),
            );
            continue;
        }
        if let Some(first) = first_use.get(&id) {
            errors.push(
                Diagnostic::error(root.display(&file), format!("the item id `{id}` is used twice in this module"))
                    .hint(format!("`{first}` has the same id once its number prefix and extension are removed; rename one")),
            );
            continue;
        }
        first_use.insert(id.clone(), entry.name.clone());
        items.push(ItemRef { id, kind, file });
    }
    if entries.len() > limits::MAX_ENTRIES {
        errors.push(
            Diagnostic::error(
                root.display(rel),
                format!("more than {} entries", limits::MAX_ENTRIES),
            )
            .hint("split the module into several modules"),
        );
    }
    Some(items)
}

/// Where a `requires` entry was written, so errors about it can point there.
struct RequireSpot {
    source: Cow<'static, str>,
    path: String,
    span: std::ops::Range<usize>,
}

/// The places of each module's `requires` entries, by module id.
type RequireSpots = HashMap<String, Vec<RequireSpot>>;

/// Lists the course's module folders and their items.
fn load_modules(
    root: &Root,
    dir: &str,
    errors: &mut Vec<Diagnostic>,
    warnings: &mut Vec<Diagnostic>,
) -> (Vec<Module>, RequireSpots) {
    let mut spots = RequireSpots::new();
    let entries = match root.list(dir) {
        Ok(entries) => entries,
        Err(e) => {
            errors.push(Diagnostic::error(
                root.display(dir),
                format!("cannot list the course folder: {e}"),
            ));
            return (Vec::new(), spots);
        }
    };
    let mut modules: Vec<Module> = Vec::new();
    let mut first_use: HashMap<String, String> = HashMap::new();
    for entry in entries.iter().take(limits::MAX_ENTRIES) {
        let rel = join(dir, &entry.name);
        if !entry.utf8 {
            errors.push(
                Diagnostic::error(root.display(&rel), "the name is not UTF-8").hint("rename it"),
            );
            continue;
        }
        if entry.kind == EntryKind::Dir
            && entry.link
            && root.resolve_link(dir, dir, &entry.name) == LinkTarget::Outside
        {
            errors.push(
                Diagnostic::error(
                    root.display(&rel),
                    "this module folder is a link to a folder outside the course folder",
                )
                .hint("a course must carry its own files: copy the folder into the course"),
            );
            continue;
        }
        match entry.kind {
            EntryKind::Dir if entry.name != "assets" => {}
            EntryKind::File
                if entry.name.ends_with(LESSON_SUFFIX)
                    && !entry.name.eq_ignore_ascii_case("README.md") =>
            {
                warnings.push(
                    Diagnostic::warning(
                        root.display(&rel),
                        "this lesson is outside any module and is not shown",
                    )
                    .hint("move it into a module folder such as `01-basics/`"),
                );
                continue;
            }
            _ => continue,
        }
        let id = sanitize_line(id_from_name(&entry.name, ""));
        if let Some(first) = first_use.get(&id) {
            errors.push(
                Diagnostic::error(
                    root.display(&rel),
                    format!("the module id `{id}` is used twice"),
                )
                .hint(format!(
                    "`{first}` has the same id once its number prefix is removed; rename one"
                )),
            );
            continue;
        }
        first_use.insert(id.clone(), entry.name.clone());
        if let Some((module, module_spots)) = load_module(root, &rel, id, errors, warnings) {
            spots.insert(module.id.clone(), module_spots);
            modules.push(module);
        }
    }
    if entries.len() > limits::MAX_ENTRIES {
        errors.push(Diagnostic::error(
            root.display(dir),
            format!("more than {} entries", limits::MAX_ENTRIES),
        ));
    }
    (modules, spots)
}

fn load_module(
    root: &Root,
    rel: &str,
    id: String,
    errors: &mut Vec<Diagnostic>,
    warnings: &mut Vec<Diagnostic>,
) -> Option<(Module, Vec<RequireSpot>)> {
    let manifest_rel = join(rel, "module.toml");
    let raw = if root.is_file(&manifest_rel) {
        let path = root.display(&manifest_rel);
        match read_text(root, &manifest_rel, limits::MAX_TOML_BYTES).and_then(|src| {
            manifest::parse_toml::<RawModule>(&path, &src, &src, 0, MODULE_KEYS).map(|m| (m, src))
        }) {
            Ok((raw, src)) => Some((raw, src, path)),
            Err(d) => {
                errors.push(d);
                None
            }
        }
    } else {
        None
    };
    let items = list_items(root, rel, errors, warnings)?;
    if items.is_empty() {
        errors.push(
            Diagnostic::error(root.display(rel), "the module has no lessons or quizzes")
                .hint("add a lesson (`01-intro.md`) or a quiz (`02-check.quiz.toml`), or remove the folder"),
        );
    }
    let mut spots = Vec::new();
    let (title, description, requires) = match raw {
        Some((raw, source, path)) => {
            let requires = raw
                .requires
                .map(toml::Spanned::into_inner)
                .unwrap_or_default();
            for r in &requires {
                spots.push(RequireSpot {
                    source: source.clone(),
                    path: path.clone(),
                    span: r.span(),
                });
            }
            (
                raw.title.map(|t| sanitize_line(&t)),
                raw.description.map(|d| sanitize(&d).into_owned()),
                requires
                    .iter()
                    .map(|r| sanitize_line(r.get_ref()))
                    .collect(),
            )
        }
        None => (None, None, Vec::new()),
    };
    let module = Module {
        title: title.unwrap_or_else(|| manifest::title_from_id(&id)),
        id,
        description,
        requires,
        items,
    };
    Some((module, spots))
}

/// Checks that `requires` names existing modules and has no cycles.
fn check_requires(
    root: &Root,
    dir: &str,
    modules: &[Module],
    spots: &RequireSpots,
    errors: &mut Vec<Diagnostic>,
) {
    let ids: Vec<&str> = modules.iter().map(|m| m.id.as_str()).collect();
    for module in modules {
        let module_spots = spots.get(&module.id);
        for (index, required) in module.requires.iter().enumerate() {
            let at = |d: Diagnostic| match module_spots.and_then(|s| s.get(index)) {
                Some(spot) => {
                    let mut d = d.at(&spot.source, spot.span.clone());
                    d.path.clone_from(&spot.path);
                    d
                }
                None => d,
            };
            let path = root.display(&join(dir, "module.toml"));
            if required == &module.id {
                errors.push(at(Diagnostic::error(
                    &path,
                    format!("the module `{required}` requires itself"),
                )
                .hint(format!("remove `{required}` from this module's `requires`"))));
            } else if !ids.contains(&required.as_str()) {
                let hint = match did_you_mean(required, &ids) {
                    Some(close) => {
                        format!("did you mean `{close}`? Module ids: {}", ids.join(", "))
                    }
                    None => format!("module ids: {}", ids.join(", ")),
                };
                errors.push(at(Diagnostic::error(
                    &path,
                    format!("`requires` names `{required}`, which is not a module of this course"),
                )
                .hint(hint)));
            }
        }
    }
    if let Some(cycle) = find_cycle(modules) {
        let d = Diagnostic::error(
            root.display(dir),
            format!(
                "the modules require each other in a circle: {}",
                cycle.ids.join(" → ")
            ),
        )
        .hint("remove one of these `requires` entries, or no learner can open them");
        // Point at the entry that closes the circle, in its module.toml.
        let spot = modules
            .get(cycle.module)
            .and_then(|m| spots.get(&m.id))
            .and_then(|s| s.get(cycle.entry));
        errors.push(match spot {
            Some(spot) => {
                let mut d = d.at(&spot.source, spot.span.clone());
                d.path.clone_from(&spot.path);
                d
            }
            None => d,
        });
    }
}

/// A circle in the `requires` graph.
#[derive(Debug, PartialEq, Eq)]
struct Cycle {
    /// The module ids along the circle, the first repeated at the end.
    ids: Vec<String>,
    /// The index of the module whose `requires` entry closes the circle.
    module: usize,
    /// The index of that entry in the module's `requires`.
    entry: usize,
}

/// A cycle in the `requires` graph. A module requiring itself is not one here: that is
/// reported on its own.
fn find_cycle(modules: &[Module]) -> Option<Cycle> {
    let index: HashMap<&str, usize> = modules
        .iter()
        .enumerate()
        .map(|(i, m)| (m.id.as_str(), i))
        .collect();
    // 0 = unvisited, 1 = on the current path, 2 = finished. Iterative depth-first search.
    let mut state = vec![0u8; modules.len()];
    for start in 0..modules.len() {
        if state.get(start) != Some(&0) {
            continue;
        }
        let mut stack: Vec<(usize, usize)> = vec![(start, 0)];
        if let Some(s) = state.get_mut(start) {
            *s = 1;
        }
        while let Some(&mut (node, ref mut next)) = stack.last_mut() {
            let requires = modules
                .get(node)
                .map(|m| m.requires.as_slice())
                .unwrap_or_default();
            if let Some(req) = requires.get(*next) {
                let entry = *next;
                *next += 1;
                let Some(&target) = index.get(req.as_str()) else {
                    continue;
                };
                if target == node {
                    continue;
                }
                match state.get(target) {
                    Some(1) => {
                        let from = stack.iter().position(|(n, _)| *n == target).unwrap_or(0);
                        let mut cycle: Vec<String> = stack
                            .get(from..)
                            .unwrap_or_default()
                            .iter()
                            .filter_map(|(n, _)| modules.get(*n).map(|m| m.id.clone()))
                            .collect();
                        if let Some(m) = modules.get(target) {
                            cycle.push(m.id.clone());
                        }
                        return Some(Cycle {
                            ids: cycle,
                            module: node,
                            entry,
                        });
                    }
                    Some(0) => {
                        if let Some(s) = state.get_mut(target) {
                            *s = 1;
                        }
                        stack.push((target, 0));
                    }
                    _ => {}
                }
            } else {
                if let Some(s) = state.get_mut(node) {
                    *s = 2;
                }
                stack.pop();
            }
        }
    }
    None
}

/// Reads and parses one item. Returns the content and any warnings, or every error.
pub(super) fn load_item(
    course: &Course,
    item: &ItemRef,
) -> Result<(ItemContent, Vec<Diagnostic>), Vec<Diagnostic>> {
    let path = course.display_path(&item.file);
    match item.kind {
        ItemKind::Quiz => {
            let source =
                read_text(&course.root, &item.file, limits::MAX_TOML_BYTES).map_err(|d| vec![d])?;
            let defaults = QuizDefaults {
                pass_mark: course.pass_mark,
            };
            match quiz::parse(&path, &source, defaults) {
                (Some(quiz), warnings) => Ok((ItemContent::Quiz(quiz), warnings)),
                (None, diagnostics) => Err(diagnostics),
            }
        }
        ItemKind::Lesson => {
            let source = read_text(&course.root, &item.file, limits::MAX_LESSON_BYTES)
                .map_err(|d| vec![d])?;
            let lesson = parse_lesson(&path, source, &item.id)?;
            Ok((ItemContent::Lesson(lesson), Vec::new()))
        }
    }
}

/// Splits a lesson into its front matter (checked) and body: the title (front matter,
/// else the first heading, else the id), the minutes and where the body starts.
pub(super) fn lesson_front(
    path: &str,
    source: &str,
    id: &str,
) -> Result<(String, Option<u32>, usize), Vec<Diagnostic>> {
    let parts = manifest::split_front_matter(source).map_err(|_| {
        vec![
            Diagnostic::error(path, "the front matter is not closed")
                .at(source, 0..3)
                .hint("end it with a line `+++`, or remove the first `+++` line"),
        ]
    })?;
    let body_offset = parts.body_offset;
    let front: RawFrontMatter = match parts.front_matter {
        Some((text, offset)) => manifest::parse_toml(path, source, text, offset, FRONT_MATTER_KEYS)
            .map_err(|d| vec![d])?,
        None => RawFrontMatter::default(),
    };
    let body_text = source.get(body_offset..).unwrap_or_default();
    let title = front
        .title
        .as_deref()
        .map(sanitize_line)
        .filter(|t| !t.trim().is_empty())
        .or_else(|| manifest::first_heading(body_text).map(sanitize_line))
        .unwrap_or_else(|| manifest::title_from_id(id));
    Ok((title, front.minutes, body_offset))
}

/// Reads a lesson: [`lesson_front`], and the body kept without copying it.
pub(super) fn parse_lesson(
    path: &str,
    source: Cow<'static, str>,
    id: &str,
) -> Result<Lesson, Vec<Diagnostic>> {
    let (title, minutes, body_offset) = lesson_front(path, &source, id)?;
    let markdown = match source {
        Cow::Borrowed(s) => Cow::Borrowed(s.get(body_offset..).unwrap_or_default()),
        Cow::Owned(mut s) => {
            if s.is_char_boundary(body_offset) {
                s.drain(..body_offset);
            }
            Cow::Owned(s)
        }
    };
    Ok(Lesson {
        title,
        minutes,
        markdown,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn module(id: &str, requires: &[&str]) -> Module {
        Module {
            id: id.into(),
            title: id.into(),
            description: None,
            requires: requires.iter().map(|r| (*r).to_owned()).collect(),
            items: vec![],
        }
    }

    #[test]
    fn cycles_are_found() {
        let modules = [
            module("a", &[]),
            module("b", &["c"]),
            module("c", &["d"]),
            module("d", &["b"]),
        ];
        assert_eq!(
            find_cycle(&modules),
            Some(Cycle {
                ids: vec!["b".into(), "c".into(), "d".into(), "b".into()],
                module: 3,
                entry: 0,
            })
        );
        // A module requiring itself is reported on its own, not as a circle.
        assert_eq!(find_cycle(&[module("a", &["a"])]), None);
        let fine = [
            module("a", &[]),
            module("b", &["a"]),
            module("c", &["a", "b"]),
        ];
        assert_eq!(find_cycle(&fine), None);
    }

    fn write(dir: &std::path::Path, files: &[(&str, &str)]) {
        for (rel, text) in files {
            let path = dir.join(rel);
            std::fs::create_dir_all(path.parent().expect("parent")).expect("mkdir");
            std::fs::write(path, text).expect("write");
        }
    }

    #[test]
    fn a_course_folder_without_course_toml_is_one_failed_course() {
        let tmp = tempfile::tempdir().expect("temp dir");
        write(
            tmp.path(),
            &[("01-intro/01-welcome.md", "# Hi\n"), ("assets/x.txt", "x")],
        );
        let library = load_library(&[Root::Dir(tmp.path().to_path_buf())]);
        let [failed] = library.failed.as_slice() else {
            panic!("one failed course, not {:?}", library.failed);
        };
        let [d] = failed.diagnostics.as_slice() else {
            panic!("one diagnostic, not {:?}", failed.diagnostics);
        };
        assert_eq!(d.message, "the course folder has no course.toml");
        assert_eq!(d.path, tmp.path().join("course.toml").display().to_string());

        // A folder of courses stays one: each sub-folder is a course.
        let lib = tempfile::tempdir().expect("temp dir");
        write(
            lib.path(),
            &[
                ("a/course.toml", "title = \"A\"\n"),
                ("a/01-m/01-l.md", "# L\n"),
                ("b/01-m/01-l.md", "# L\n"),
            ],
        );
        let library = load_library(&[Root::Dir(lib.path().to_path_buf())]);
        assert_eq!(library.courses.len(), 1);
        let failed: Vec<_> = library.failed.iter().map(|f| f.folder.as_str()).collect();
        assert_eq!(failed, ["b"]);
    }

    #[test]
    fn a_requires_circle_points_at_the_entry_that_closes_it() {
        let tmp = tempfile::tempdir().expect("temp dir");
        write(
            tmp.path(),
            &[
                ("course.toml", "id = \"c\"\ntitle = \"C\"\n"),
                ("01-a/module.toml", "requires = [\"b\"]\n"),
                ("01-a/01-l.md", "# L\n"),
                ("02-b/module.toml", "title = \"B\"\nrequires = [\"a\"]\n"),
                ("02-b/01-l.md", "# L\n"),
                ("03-c/module.toml", "requires = [\"c\"]\n"),
                ("03-c/01-l.md", "# L\n"),
            ],
        );
        let library = load_library(&[Root::Dir(tmp.path().to_path_buf())]);
        let failed = library.failed.first().expect("a failed course");
        let found: Vec<_> = failed
            .diagnostics
            .iter()
            .map(|d| (d.message.as_str(), d.place()))
            .collect();
        let at = |rel: &str, line: usize, col: usize| {
            format!("{}:{line}:{col}", tmp.path().join(rel).display())
        };
        assert_eq!(
            found,
            [
                (
                    "the module `c` requires itself",
                    at("03-c/module.toml", 1, 13)
                ),
                (
                    "the modules require each other in a circle: a → b → a",
                    at("02-b/module.toml", 2, 13)
                ),
            ]
        );
    }
}
