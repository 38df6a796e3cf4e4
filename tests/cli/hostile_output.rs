//! No control character from content ever reaches the terminal.
//!
//! Course packs are built at test time whose every text (titles, descriptions, lesson
//! Markdown, quiz options, feedback, explanations, hints) and whose folder and file names
//! carry terminal escape sequences: a screen clear (`ESC[2J`), a clipboard write (OSC 52),
//! a hyperlink (OSC 8), BEL, backspace, carriage return, DEL and the 8-bit CSI (U+009B).
//! A second pack has the same content, broken, so that `kurs validate` quotes the hostile
//! lines and names the hostile files. Profiles with hostile names and records go through
//! `kurs progress`, `report` and `reset`. Every command's standard output and error must
//! be free of C0 controls (but tab and line feed), DEL and C1 controls, in UTF-8 or not.

use std::ffi::{OsStr, OsString};
use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use kurs::course::{ItemKind, Library, Root};
use kurs::progress::store::DataDir;
use kurs::progress::{Answer, AttemptResult, Change, Timestamp};
use kurs::quiz::Response;

use crate::kurs;

/// Every kind of escape, as raw characters: screen clear, OSC 52 clipboard write, an OSC 8
/// hyperlink, BEL, backspace, carriage return, DEL and the C1 CSI.
const HOSTILE: &str = "\u{1b}[2J\u{1b}]52;c;SGVsbG8=\u{7}\u{1b}]8;;https://evil.example/\u{1b}\\click\u{1b}]8;;\u{1b}\\\u{7}\u{8}\r\u{7f}\u{9b}31m";

/// The same, fit for a file name (no `/`).
const HOSTILE_NAME: &str = "\u{1b}[2J\u{1b}]52;c;SGVsbG8=\u{7}\u{1b}]8;;evil.example\u{1b}\\click\u{1b}]8;;\u{1b}\\\u{7}\u{8}\r\u{7f}\u{9b}31m";

/// An image file name with escapes and no line break (which would end a Markdown link).
const GONE: &str = "gone-\u{1b}[2J\u{1b}]52;c;SGVsbG8=\u{7}\u{8}\u{7f}\u{9b}31m.png";

/// What is left of [`HOSTILE_NAME`] once its control characters are removed.
const HOSTILE_NAME_SHOWN: &str = "[2J]52;c;SGVsbG8=]8;;evil.example\\click]8;;\\31m";

/// Is `bytes` free of everything a terminal could act on? Returns the problems.
fn control_problems(bytes: &[u8]) -> Vec<String> {
    let mut problems = Vec::new();
    if let Err(e) = std::str::from_utf8(bytes) {
        problems.push(format!("not UTF-8: {e}"));
    }
    for (i, &b) in bytes.iter().enumerate() {
        if matches!(b, 0x00..=0x08 | 0x0b..=0x1f | 0x7f) {
            problems.push(format!("byte {b:#04x} at {i}"));
        }
        if b == 0xc2 && bytes.get(i + 1).is_some_and(|n| (0x80..=0x9f).contains(n)) {
            problems.push(format!("C1 control U+00{:02X} at {i}", bytes[i + 1]));
        }
    }
    problems
}

/// Fails when either output has a control character (see [`control_problems`]).
pub fn assert_no_controls(what: &str, stdout: &[u8], stderr: &[u8]) {
    for (name, bytes) in [("stdout", stdout), ("stderr", stderr)] {
        let problems = control_problems(bytes);
        assert!(
            problems.is_empty(),
            "{what}: {name} has control characters: {problems:?}\n{}",
            String::from_utf8_lossy(bytes).escape_debug()
        );
    }
}

/// A finished run, checked for control characters and panics.
struct Clean {
    code: Option<i32>,
    stdout: String,
    stderr: String,
}

impl std::fmt::Debug for Clean {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "exit {:?}\n--- stdout\n{}\n--- stderr\n{}",
            self.code, self.stdout, self.stderr
        )
    }
}

/// Runs `kurs ARGS…` (no bundled library) and checks both outputs.
fn clean_run<I, S>(args: I) -> Clean
where
    I: IntoIterator<Item = S>,
    S: AsRef<OsStr>,
{
    let args: Vec<OsString> = args.into_iter().map(|a| a.as_ref().to_owned()).collect();
    let what = format!(
        "kurs {}",
        args.iter()
            .map(|a| a.to_string_lossy())
            .collect::<Vec<_>>()
            .join(" ")
    )
    .escape_debug()
    .to_string();
    let output = kurs()
        .arg("--no-bundled")
        .args(&args)
        .stdin(std::process::Stdio::null())
        .output()
        .unwrap();
    assert_no_controls(&what, &output.stdout, &output.stderr);
    let run = Clean {
        code: output.status.code(),
        stdout: String::from_utf8(output.stdout).unwrap(),
        stderr: String::from_utf8(output.stderr).unwrap(),
    };
    for needle in ["panicked", "RUST_BACKTRACE", "stack backtrace"] {
        assert!(
            !run.stdout.contains(needle) && !run.stderr.contains(needle),
            "{what}: output shows a panic:\n{run:?}"
        );
    }
    run
}

/// `text` as a TOML basic string: quotes, backslashes and control characters escaped.
fn toml_str(text: &str) -> String {
    let mut out = String::from("\"");
    for c in text.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            c if c.is_control() => {
                let _ = write!(out, "\\u{:04X}", u32::from(c));
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// `text` with [`HOSTILE`] around it, as a TOML string.
fn t(text: &str) -> String {
    toml_str(&format!("{HOSTILE}{text}{HOSTILE}"))
}

fn write(path: &Path, text: &str) {
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(path, text).unwrap();
}

/// A lesson using every kind of Markdown, each with raw escapes in it.
fn hostile_lesson(h: &str) -> String {
    format!(
        "# {h}Lesson title{h}\n\
         \n\
         Lesson text {h} with *emphasis {h}*, **strong {h}**, `code {h}` and ~~gone {h}~~.\n\
         Line two\u{0}with a NUL.\u{1b}[31m red?\u{9b}0m\r\n\
         \n\
         ## Sub {h}\n\
         \n\
         - item {h}\n\
         - [ ] task {h}\n\
         \n\
         1. first {h}\n\
         \n\
         > quoted {h}\n\
         \n\
         ```{h}\n\
         fenced code {h}\n\
         ```\n\
         \n\
             indented code {h}\n\
         \n\
         | head {h} | two |\n\
         |---|---|\n\
         | cell {h} | x |\n\
         \n\
         [a link {h}](https://example.org/{h}) and <https://example.org/auto{h}>.\n\
         \n\
         ![an image {h}](https://example.org/i{h}.png \"title {h}\")\n\
         \n\
         <div>html block {h}</div>\n\
         \n\
         Inline <span>html {h}</span> and a footnote[^n].\n\
         \n\
         [^n]: The note {h}.\n\
         \n\
         ---\n\
         Term {h}\n"
    )
}

/// A quiz with hostile text in every field that is shown.
fn hostile_quiz() -> String {
    format!(
        "title = {title}\n\
         feedback = \"immediate\"\n\
         \n\
         [[question]]\n\
         id = \"first\"\n\
         type = \"single\"\n\
         prompt = {prompt}\n\
         hints = [{hint}]\n\
         explanation = {explanation}\n\
         options = [\n  {{ text = {a}, feedback = {fa} }},\n  {{ text = {b}, correct = true, feedback = {fb} }},\n]\n\
         \n\
         [[question]]\n\
         id = \"order\"\n\
         type = \"order\"\n\
         prompt = {prompt}\n\
         items = [{a}, {b}]\n\
         \n\
         [[question]]\n\
         id = \"pairs\"\n\
         type = \"match\"\n\
         prompt = {prompt}\n\
         pairs = [ {{ left = {a}, right = {b} }}, {{ left = {left}, right = {right} }} ]\n\
         \n\
         [[question]]\n\
         id = \"typed\"\n\
         type = \"short\"\n\
         prompt = {prompt}\n\
         accept = [{a}]\n",
        title = t("Quiz title"),
        prompt = t("Prompt *md*"),
        hint = t("Hint"),
        explanation = t("Explanation"),
        a = t("Option A"),
        b = t("Option B"),
        fa = t("Feedback A"),
        fb = t("Feedback B"),
        left = t("Pair left"),
        right = t("Pair right"),
    )
}

/// Writes the well-formed hostile course `hostile` into `dir`.
fn hostile_pack(dir: &Path) {
    let course = dir.join("hostile");
    write(
        &course.join("course.toml"),
        &format!(
            "id = \"hostile\"\ntitle = {}\ndescription = {}\nauthors = [{}]\nversion = {}\nlicense = {}\n",
            t("Course title"),
            t("Course description"),
            t("Author"),
            t("1.0"),
            t("CC0"),
        ),
    );
    let module = course.join(format!("01-{HOSTILE_NAME}module"));
    write(
        &module.join("module.toml"),
        &format!(
            "title = {}\ndescription = {}\n",
            t("Module title"),
            t("Module description")
        ),
    );
    write(
        &module.join(format!("01-{HOSTILE_NAME}lesson.md")),
        &hostile_lesson(HOSTILE),
    );
    write(
        &module.join(format!("02-{HOSTILE_NAME}quiz.quiz.toml")),
        &hostile_quiz(),
    );
    write(
        &module.join("03-front-matter.md"),
        &format!(
            "+++\ntitle = {}\n+++\nText only, the title is in the front matter.\n",
            t("Front matter title")
        ),
    );
    // A lesson without any title: its file name is the title.
    write(
        &module.join(format!("04-{HOSTILE_NAME}untitled.md")),
        "No heading here.\n",
    );
    // A module without module.toml: its folder name is the title.
    write(
        &course
            .join(format!("02-{HOSTILE_NAME}bare"))
            .join("01-only.md"),
        "# Only\n",
    );
}

/// Writes broken courses with the same content into `dir`: raw escapes where TOML
/// forbids them, a missing image, a bad quiz, and a course folder whose name is no id.
fn broken_pack(dir: &Path) {
    let course = dir.join("broken");
    write(
        &course.join("course.toml"),
        &format!("id = \"broken\"\ntitle = {}\n", t("Broken course")),
    );
    let module = course.join(format!("01-{HOSTILE_NAME}module"));
    write(
        &module.join("module.toml"),
        &format!("title = {}\n", t("Module title")),
    );
    let other = dir.join("broken-module");
    write(
        &other.join("course.toml"),
        &format!("title = {}\n", t("Course with a broken module")),
    );
    let raw_module = other.join(format!("01-{HOSTILE_NAME}raw"));
    write(
        &raw_module.join("module.toml"),
        &format!("title = \"{HOSTILE}raw escapes are not TOML{HOSTILE}\"\n"),
    );
    write(&raw_module.join("01-lesson.md"), &hostile_lesson(HOSTILE));
    write(
        &module.join(format!("01-{HOSTILE_NAME}lesson.md")),
        &format!(
            "+++\ntitle = \"{HOSTILE}raw in front matter\"\n+++\n# Title\n\n![{HOSTILE}](missing-{HOSTILE_NAME}.png)\n"
        ),
    );
    write(
        &module.join(format!("02-{HOSTILE_NAME}image.md")),
        // (Brackets in the escapes would end the alt text early.)
        &format!("# Image {HOSTILE}\n\nSee ![alt\u{7}\u{9b}](<{GONE}>) {HOSTILE}\n"),
    );
    write(
        &module.join(format!("03-{HOSTILE_NAME}quiz.quiz.toml")),
        &format!(
            "title = {}\n\n[[question]]\nid = {}\ntype = \"single\"\nprompt = {}\noptions = [{{ text = {}, correct = true }}, {{ text = {}, correct = true }}]\nhint = {}\n",
            t("Quiz"),
            t("question-id"),
            t("Prompt"),
            t("A"),
            t("B"),
            t("unknown key"),
        ),
    );
    write(
        &module.join(format!("04-{HOSTILE_NAME}raw.quiz.toml")),
        &format!("title = \"{HOSTILE}\"\n"),
    );
    let named = dir.join(format!("{HOSTILE_NAME}course"));
    write(
        &named.join("course.toml"),
        &format!("title = {}\n", t("Course in a hostile folder")),
    );
    write(&named.join("01-m").join("01-l.md"), "# L\n");
}

/// The ids of the hostile course: (module, lesson, quiz, front-matter lesson, untitled).
fn ids(dir: &Path) -> (String, String, String, String, String) {
    let library = Library::load(&[Root::Dir(dir.to_path_buf())]);
    let course = library.course("hostile").unwrap();
    let module = &course.modules[0];
    let item = |n: usize, kind: ItemKind| {
        let item = &module.items[n];
        assert_eq!(item.kind, kind);
        item.id.clone()
    };
    (
        module.id.clone(),
        item(0, ItemKind::Lesson),
        item(1, ItemKind::Quiz),
        item(2, ItemKind::Lesson),
        item(3, ItemKind::Lesson),
    )
}

fn courses_args(dir: &Path) -> Vec<OsString> {
    vec!["--courses".into(), dir.as_os_str().to_owned()]
}

fn with(base: &[OsString], more: &[&OsStr]) -> Vec<OsString> {
    base.iter()
        .cloned()
        .chain(more.iter().map(|s| (*s).to_owned()))
        .collect()
}

#[test]
fn list_and_show_print_hostile_courses_without_controls() {
    let tmp = tempfile::tempdir().unwrap();
    let good = tmp.path().join("good");
    hostile_pack(&good);
    let (module, lesson, quiz, front, untitled) = ids(&good);
    assert_eq!(module, format!("{HOSTILE_NAME_SHOWN}module"));
    assert_eq!(lesson, format!("{HOSTILE_NAME_SHOWN}lesson"));
    assert_eq!(quiz, format!("{HOSTILE_NAME_SHOWN}quiz"));
    let base = courses_args(&good);

    let list = clean_run(with(&base, &["list".as_ref()]));
    assert_eq!(list.code, Some(0), "{list:?}");
    assert!(list.stdout.starts_with("hostile  "), "{list:?}");
    assert!(list.stdout.contains("Course title"), "{list:?}");
    assert!(list.stdout.contains("Course description"), "{list:?}");

    let outline = clean_run(with(
        &base,
        &["show", "hostile", "--width", "1000"].map(OsStr::new),
    ));
    assert_eq!(outline.code, Some(0), "{outline:?}");
    for text in [
        "Course title",
        "Module title",
        "Lesson title",
        "Quiz title",
        "Front matter title",
    ] {
        assert!(outline.stdout.contains(text), "{text}: {outline:?}");
    }
    // The outline gives the ids to show, without their control characters.
    assert!(
        outline
            .stdout
            .contains(&format!("hostile/{module}/{lesson}")),
        "{outline:?}"
    );

    for path in [
        format!("hostile/{module}"),
        format!("hostile/{module}/{lesson}"),
        format!("hostile/{module}/{quiz}"),
        format!("hostile/{module}/{front}"),
        format!("hostile/{module}/{untitled}"),
    ] {
        for extra in [&[][..], &["--plain", "--width", "20"][..]] {
            let mut args = with(&base, &["show".as_ref(), path.as_ref()]);
            args.extend(extra.iter().map(OsString::from));
            let shown = clean_run(&args);
            assert_eq!(shown.code, Some(0), "{path:?}: {shown:?}");
            assert_eq!(shown.stderr, "", "{path:?}");
        }
    }
    let wide = |path: String| {
        clean_run(with(
            &base,
            &["show", &path, "--width", "1000"].map(OsStr::new),
        ))
    };
    let shown = wide(format!("hostile/{module}/{lesson}"));
    for text in [
        "Lesson title",
        "Lesson text",
        "fenced code",
        "indented code",
        "cell",
        "a link",
        "html block",
        "The note",
    ] {
        assert!(shown.stdout.contains(text), "{text}: {shown:?}");
    }
    let shown = wide(format!("hostile/{module}/{quiz}"));
    for text in [
        "Quiz title",
        "Prompt",
        "Option A",
        "Option B",
        "Pair left",
        "Pair right",
        "1 hint",
    ] {
        assert!(shown.stdout.contains(text), "{text}: {shown:?}");
    }
    // The answers stay hidden.
    for text in ["Feedback", "Explanation", "Hint"] {
        assert!(!shown.stdout.contains(text), "{text}: {shown:?}");
    }

    // Unknown ids, typed with escapes, are quoted back without them.
    for path in [
        HOSTILE.to_owned(),
        format!("hostile/{HOSTILE}"),
        format!("hostile/{module}/{HOSTILE}"),
        format!("hostile/{module}/{lesson}/{HOSTILE}"),
    ] {
        let shown = clean_run(with(&base, &["show".as_ref(), path.as_ref()]));
        assert_eq!(shown.code, Some(1), "{shown:?}");
        assert!(shown.stderr.starts_with("error: "), "{shown:?}");
        assert_eq!(shown.stdout, "");
    }
}

#[test]
fn validate_quotes_hostile_lines_and_file_names_without_controls() {
    let tmp = tempfile::tempdir().unwrap();
    let good = tmp.path().join("good");
    hostile_pack(&good);
    let checked = clean_run([OsStr::new("validate"), good.as_os_str()]);
    assert_eq!(checked.code, Some(0), "{checked:?}");
    assert!(checked.stdout.contains(": 0 errors"), "{checked:?}");

    let bad = tmp.path().join("bad");
    broken_pack(&bad);
    let checked = clean_run([OsStr::new("validate"), bad.as_os_str()]);
    assert_eq!(checked.code, Some(1), "{checked:?}");
    let stderr = &checked.stderr;
    assert!(stderr.matches("error: ").count() >= 5, "{checked:?}");
    // The files are named, what is left of their names once the controls are removed.
    assert!(
        stderr.contains(&format!(
            "{HOSTILE_NAME_SHOWN}module/01-{HOSTILE_NAME_SHOWN}lesson.md:"
        )),
        "{checked:?}"
    );
    assert!(
        stderr.contains(&format!("{HOSTILE_NAME_SHOWN}raw/module.toml:1:")),
        "{checked:?}"
    );
    assert!(
        stderr.contains(&format!("{HOSTILE_NAME_SHOWN}course")),
        "{checked:?}"
    );
    assert!(
        stderr.contains("the image target `gone-[2J]52;c;SGVsbG8=31m.png` does not exist"),
        "{checked:?}"
    );
    // Source lines are quoted, with a caret under the problem.
    assert!(
        stderr.contains("1 | title = \"[2J]52;c;SGVsbG8="),
        "{checked:?}"
    );
    assert!(stderr.contains('^'), "{checked:?}");

    // Both packs together, as `kurs list` and a broken item's `kurs show` see them.
    let both = tmp.path().join("both");
    hostile_pack(&both);
    broken_pack(&both);
    let base = courses_args(&both);
    let list = clean_run(with(&base, &["list".as_ref()]));
    assert_eq!(list.code, Some(0), "{list:?}");
    assert!(list.stdout.contains("[could not be loaded]"), "{list:?}");
    assert!(list.stdout.contains("hostile  "), "{list:?}");
    let library = Library::load(&[Root::Dir(both.clone())]);
    let failed = library.failed.len();
    assert_eq!(failed, 2, "{:#?}", library.failed);

    let checked = clean_run([OsStr::new("validate"), both.as_os_str()]);
    assert_eq!(checked.code, Some(1), "{checked:?}");
}

#[test]
fn a_broken_item_is_reported_without_controls() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("courses");
    broken_pack(&dir);
    let library = Library::load(&[Root::Dir(dir.clone())]);
    let course = library
        .course("broken")
        .unwrap_or_else(|| panic!("{:#?}", library.failed));
    let module = &course.modules[0];
    let base = courses_args(&dir);
    for item in &module.items {
        let path = format!("broken/{}/{}", module.id, item.id);
        let shown = clean_run(with(&base, &["show".as_ref(), path.as_ref()]));
        // A lesson with a missing image still shows; the others report their errors.
        if shown.code == Some(0) {
            assert_eq!(item.kind, ItemKind::Lesson, "{path:?}: {shown:?}");
        } else {
            assert_eq!(shown.code, Some(1), "{path:?}: {shown:?}");
            assert!(shown.stderr.contains("error: "), "{path:?}: {shown:?}");
            assert!(shown.stderr.contains(" --> "), "{path:?}: {shown:?}");
        }
    }
}

/// A data folder with a profile named with escapes, and one whose records (as another
/// program or a hand edit could write them) have escapes in every string.
fn hostile_profiles(root: &Path, module: &str, lesson: &str, quiz: &str) {
    let data = DataDir {
        root: root.to_path_buf(),
    };
    // The other first: the learner is the one used last, and `kurs progress` lists the
    // other among the rest.
    let mut other = data.open("Other").unwrap();
    let course = format!("{HOSTILE}course");
    let item = format!("{HOSTILE}module/{HOSTILE}item");
    for change in [
        Change::Named {
            name: format!("Zed{HOSTILE}Other{HOSTILE}"),
        },
        Change::Opened {
            course: course.clone(),
            item: item.clone(),
        },
        Change::Answered {
            course: course.clone(),
            item: item.clone(),
            attempt: HOSTILE.into(),
            answer: Answer {
                question: HOSTILE.into(),
                response: Response::Text(HOSTILE.into()),
                points: 1.0,
                max: 1.0,
                hints: 0,
                at: None,
            },
        },
        Change::Settings {
            settings: kurs::progress::Settings {
                theme: Some(HOSTILE.into()),
                language: Some(HOSTILE.into()),
                width: None,
                extra: [(HOSTILE.to_owned(), serde_json::json!(HOSTILE))].into(),
            },
        },
    ] {
        other.record(change);
    }
    other.save().unwrap();

    let name = format!("Learner{HOSTILE}");
    let mut store = data.open(&name).unwrap();
    for change in [
        Change::Opened {
            course: "hostile".into(),
            item: format!("{module}/{lesson}"),
        },
        Change::Finished {
            course: "hostile".into(),
            item: format!("{module}/{lesson}"),
        },
        Change::AttemptStarted {
            course: "hostile".into(),
            item: format!("{module}/{quiz}"),
            attempt: format!("{HOSTILE}attempt"),
            seed: 1,
        },
        Change::Answered {
            course: "hostile".into(),
            item: format!("{module}/{quiz}"),
            attempt: format!("{HOSTILE}attempt"),
            answer: Answer {
                question: "typed".into(),
                response: Response::Text(format!("{HOSTILE}typed answer{HOSTILE}")),
                points: 0.0,
                max: 1.0,
                hints: 0,
                at: Some(Timestamp::now()),
            },
        },
        Change::AttemptEnded {
            course: "hostile".into(),
            item: format!("{module}/{quiz}"),
            attempt: format!("{HOSTILE}attempt"),
            result: AttemptResult {
                points: 0.0,
                max: 4.0,
                passed: false,
                last: false,
            },
        },
    ] {
        store.record(change);
    }
    store.save().unwrap();
}

/// A temporary folder with the hostile course and [`hostile_profiles`] in a data folder
/// whose name has escapes too, and the arguments that point kurs at both.
struct Learners {
    tmp: tempfile::TempDir,
    base: Vec<OsString>,
    /// The name of the learner, as typed (with escapes).
    name: String,
}

impl Learners {
    fn new() -> Self {
        let tmp = tempfile::tempdir().unwrap();
        let courses = tmp.path().join("courses");
        hostile_pack(&courses);
        let (module, lesson, quiz, _, _) = ids(&courses);
        let data = tmp.path().join(format!("data{HOSTILE_NAME}"));
        hostile_profiles(&data, &module, &lesson, &quiz);
        let mut base = courses_args(&courses);
        base.extend(["--data-dir".into(), data.as_os_str().to_owned()]);
        Self {
            tmp,
            base,
            name: format!("Learner{HOSTILE}"),
        }
    }

    /// `kurs --no-bundled --courses … --data-dir … ARGS…`, checked.
    fn run(&self, args: &[&OsStr]) -> Clean {
        clean_run(with(&self.base, args))
    }
}

#[test]
fn progress_of_hostile_profiles_has_no_controls() {
    let learners = Learners::new();
    let name = OsStr::new(&learners.name);
    let paths = learners.run(&["paths".as_ref()]);
    assert_eq!(paths.code, Some(0), "{paths:?}");
    assert!(
        paths.stdout.contains(&format!("data{HOSTILE_NAME_SHOWN}")),
        "{paths:?}"
    );

    let progress = learners.run(&["progress".as_ref()]);
    assert_eq!(progress.code, Some(0), "{progress:?}");
    assert!(
        progress.stdout.contains("(Other profiles: Zed"),
        "{progress:?}"
    );
    let chosen = learners.run(&["progress".as_ref(), "--profile".as_ref(), name]);
    assert_eq!(chosen.code, Some(0), "{chosen:?}");
    assert!(chosen.stdout.contains("Course title"), "{chosen:?}");
    assert!(chosen.stdout.contains("1 of 5 done"), "{chosen:?}");
    let missing = learners.run(&["progress".as_ref(), "--profile".as_ref(), HOSTILE.as_ref()]);
    assert_eq!(missing.code, Some(1), "{missing:?}");
}

#[test]
fn reports_of_hostile_profiles_have_no_controls() {
    let learners = Learners::new();
    let tmp = learners.tmp.path();
    for format in ["csv", "json", "xapi"] {
        let report = learners.run(&["report".as_ref(), "--format".as_ref(), format.as_ref()]);
        assert_eq!(report.code, Some(0), "{format}: {report:?}");
        assert!(report.stdout.contains("Learner"), "{format}: {report:?}");
        if format != "csv" {
            serde_json::from_str::<serde_json::Value>(&report.stdout).unwrap();
        }
        if format == "json" {
            // The controls are written as escapes: the export keeps the records exactly.
            assert!(report.stdout.contains("\\u009b"), "{report:?}");
            assert!(report.stdout.contains("\\u001b"), "{report:?}");
        }
    }
    // The JSON export keeps the records exactly: the controls are escaped, not dropped.
    let out = tmp.join("export.json");
    let report = learners.run(&[
        "report".as_ref(),
        "--format".as_ref(),
        "json".as_ref(),
        "--out".as_ref(),
        out.as_os_str(),
    ]);
    assert_eq!(report.code, Some(0), "{report:?}");
    let export =
        kurs::progress::report::Export::parse(&std::fs::read_to_string(&out).unwrap()).unwrap();
    assert!(
        export
            .profiles
            .iter()
            .any(|p| p.profile.name == format!("Zed{HOSTILE}Other{HOSTILE}")),
        "{export:#?}"
    );

    // Merging, with hostile file names.
    let merged = tmp.join(format!("merged{HOSTILE_NAME}.json"));
    let merge = learners.run(&[
        "report".as_ref(),
        "merge".as_ref(),
        out.as_os_str(),
        out.as_os_str(),
        "--out".as_ref(),
        merged.as_os_str(),
    ]);
    assert_eq!(merge.code, Some(0), "{merge:?}");
    assert!(
        merge
            .stderr
            .contains(&format!("merged{HOSTILE_NAME_SHOWN}.json")),
        "{merge:?}"
    );
    let missing: PathBuf = tmp.join(format!("gone{HOSTILE_NAME}.json"));
    let merge = learners.run(&[
        "report".as_ref(),
        "merge".as_ref(),
        missing.as_os_str(),
        "--out".as_ref(),
        merged.as_os_str(),
    ]);
    assert_eq!(merge.code, Some(1), "{merge:?}");
    let from = learners.run(&["report".as_ref(), "--from".as_ref(), merged.as_os_str()]);
    assert_eq!(from.code, Some(0), "{from:?}");
}

#[test]
fn reset_of_a_hostile_profile_has_no_controls() {
    let learners = Learners::new();
    let name = OsStr::new(&learners.name);
    let refused = learners.run(&["reset".as_ref(), "--profile".as_ref(), name]);
    assert_eq!(refused.code, Some(1), "{refused:?}");
    // A course without progress is refused (exit 1) and the message quotes the hostile
    // name safely; the course with progress is reset.
    for (course, code) in [(HOSTILE, 1), ("hostile", 0)] {
        let reset = learners.run(&[
            "reset".as_ref(),
            "--profile".as_ref(),
            name,
            course.as_ref(),
            "--yes".as_ref(),
        ]);
        assert_eq!(reset.code, Some(code), "{reset:?}");
        if code == 0 {
            assert!(
                reset.stdout.starts_with("Deleted the progress in"),
                "{reset:?}"
            );
        } else {
            assert!(reset.stderr.contains("has no progress in"), "{reset:?}");
        }
    }
    let all = learners.run(&[
        "reset".as_ref(),
        "--profile".as_ref(),
        name,
        "--yes".as_ref(),
    ]);
    assert_eq!(all.code, Some(0), "{all:?}");
}

#[test]
fn hostile_arguments_are_not_echoed_raw() {
    let tmp = tempfile::tempdir().unwrap();
    let missing = tmp.path().join(format!("no-such-folder{HOSTILE_NAME}"));
    let hostile = OsStr::new(HOSTILE);
    // Content or user errors exit with 1, usage errors (clap) with 2.
    for (args, code) in [
        (vec![OsStr::new("validate"), missing.as_os_str()], 1),
        (
            vec![
                OsStr::new("--courses"),
                missing.as_os_str(),
                OsStr::new("list"),
            ],
            1,
        ),
        (
            vec![
                OsStr::new("--data-dir"),
                missing.as_os_str(),
                OsStr::new("report"),
                OsStr::new("--from"),
                missing.as_os_str(),
            ],
            1,
        ),
        (vec![hostile], 2),
        (
            vec![OsStr::new("show"), hostile, OsStr::new("--width"), hostile],
            2,
        ),
        (
            vec![OsStr::new("report"), OsStr::new("--format"), hostile],
            2,
        ),
        (
            vec![
                OsStr::new("list"),
                OsStr::new("--profile"),
                hostile,
                hostile,
            ],
            2,
        ),
    ] {
        let run = clean_run(&args);
        assert_eq!(run.code, Some(code), "{args:?}: {run:?}");
        assert!(run.stderr.starts_with("error: "), "{args:?}: {run:?}");
        // What is quoted of the argument is its printable part.
        assert!(run.stderr.contains("click"), "{args:?}: {run:?}");
    }
}
