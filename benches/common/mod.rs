//! Deterministic generators of realistic course content for the benchmarks.
//!
//! Lessons have headings, paragraphs with emphasis, inline code and links, bullet and
//! numbered lists, a table and a block quote, a few non-ASCII words (as the bundled German
//! course has), and one link to a local asset. Quizzes have eight questions of every type.
//! A small xorshift generator drives all choices, so every run benchmarks the same bytes.

#![allow(dead_code)] // each benchmark uses part of these generators

use std::fmt::Write as _;
use std::fs;
use std::path::Path;

/// A tiny deterministic pseudo-random generator (xorshift64*).
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Self {
        Self(seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1)
    }

    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    /// A number in `0..n`.
    pub fn below(&mut self, n: usize) -> usize {
        usize::try_from(self.next() % u64::try_from(n).unwrap()).unwrap()
    }

    /// A number in `low..=high`.
    pub fn range(&mut self, low: usize, high: usize) -> usize {
        low + self.below(high - low + 1)
    }

    fn pick<'a>(&mut self, list: &[&'a str]) -> &'a str {
        list[self.below(list.len())]
    }
}

const WORDS: &[&str] = &[
    "account",
    "address",
    "agency",
    "always",
    "answer",
    "archive",
    "attachment",
    "before",
    "browser",
    "caseworker",
    "citizen",
    "colleague",
    "computer",
    "confirm",
    "contract",
    "copy",
    "data",
    "deadline",
    "decision",
    "department",
    "desk",
    "device",
    "document",
    "download",
    "email",
    "encrypted",
    "every",
    "example",
    "file",
    "folder",
    "form",
    "guidance",
    "helpdesk",
    "important",
    "information",
    "laptop",
    "letter",
    "link",
    "login",
    "manager",
    "meeting",
    "message",
    "network",
    "never",
    "office",
    "official",
    "often",
    "open",
    "organisation",
    "password",
    "personal",
    "phone",
    "policy",
    "portal",
    "printer",
    "privacy",
    "process",
    "protect",
    "public",
    "record",
    "report",
    "request",
    "risk",
    "safely",
    "screen",
    "secure",
    "sender",
    "service",
    "share",
    "signature",
    "software",
    "someone",
    "store",
    "supplier",
    "system",
    "team",
    "template",
    "update",
    "usually",
    "version",
    "website",
    "without",
    "work",
    "write",
    "the",
    "the",
    "the",
    "a",
    "a",
    "and",
    "and",
    "of",
    "of",
    "to",
    "to",
    "in",
    "in",
    "is",
    "is",
    "for",
    "on",
    "with",
    "that",
    "your",
    "your",
    "you",
    "it",
    "this",
    "can",
    "be",
    "not",
    "or",
    "when",
    "if",
    "from",
    "at",
    "by",
    "an",
    "as",
    "are",
    "has",
    "must",
    "should",
    "only",
    "first",
    "check",
    "Datenschutz",
    "Behörde",
    "café",
    "naïve",
    "résumé",
    "Grundverordnung",
    "über",
];

const TOPICS: &[&str] = &[
    "Passwords",
    "Phishing",
    "Shared documents",
    "Data protection",
    "Accessible forms",
    "Clear emails",
    "Video calls",
    "Searching well",
    "Records management",
    "Working from home",
    "Printing safely",
    "Digital signatures",
];

const HOSTS: &[&str] = &[
    "https://www.ncsc.gov.uk/collection/top-tips-for-staying-secure-online",
    "https://www.bsi.bund.de/EN/Home/home_node.html",
    "https://www.w3.org/WAI/standards-guidelines/wcag/",
    "https://edpb.europa.eu/our-work-tools/general-guidance_en",
    "https://example.org/guides/digital-basics",
];

fn capitalise(word: &str) -> String {
    let mut chars = word.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

/// One sentence of `low..=high` words, sometimes with inline Markdown.
fn sentence(rng: &mut Rng, out: &mut String, low: usize, high: usize, markup: bool) {
    let n = rng.range(low, high);
    for i in 0..n {
        let word = rng.pick(WORDS);
        if i > 0 {
            out.push(' ');
        }
        let shown = if i == 0 {
            capitalise(word)
        } else {
            word.to_owned()
        };
        match (markup, rng.below(40)) {
            (true, 0) => write!(out, "*{shown}*").unwrap_or_default(),
            (true, 1) => write!(out, "**{shown}**").unwrap_or_default(),
            (true, 2) => write!(out, "`{shown}.example`").unwrap_or_default(),
            (true, 3) if i + 1 < n => {
                write!(out, "[{shown} guide]({})", rng.pick(HOSTS)).unwrap_or_default();
            }
            _ => out.push_str(&shown),
        }
    }
    out.push_str(match rng.below(10) {
        0 => "?",
        1 => " — really.",
        _ => ".",
    });
}

/// A paragraph of `sentences` sentences, wrapped at about 72 columns as authors write.
fn paragraph(rng: &mut Rng, out: &mut String, sentences: usize) {
    let mut text = String::new();
    for i in 0..sentences {
        if i > 0 {
            text.push(' ');
        }
        sentence(rng, &mut text, 10, 20, true);
    }
    let mut column = 0;
    for word in text.split(' ') {
        if column > 0 && column + word.len() > 72 {
            out.push('\n');
            column = 0;
        } else if column > 0 {
            out.push(' ');
            column += 1;
        }
        out.push_str(word);
        column += word.len();
    }
    out.push_str("\n\n");
}

/// The Markdown body of one lesson (about 600 to 900 words). `local_link` is written as
/// the destination of one link to a local file, when given.
pub fn lesson_body(rng: &mut Rng, out: &mut String, title: &str, local_link: Option<&str>) {
    writeln!(out, "# {title}\n").unwrap_or_default();
    paragraph(rng, out, 5);
    paragraph(rng, out, 4);

    writeln!(out, "## What to look for\n").unwrap_or_default();
    paragraph(rng, out, 4);
    for _ in 0..rng.range(4, 6) {
        out.push_str("- **");
        sentence(rng, out, 2, 3, false);
        out.push_str("** ");
        sentence(rng, out, 6, 12, true);
        out.push('\n');
    }
    out.push('\n');

    writeln!(out, "## Step by step\n").unwrap_or_default();
    paragraph(rng, out, 2);
    for i in 1..=rng.range(3, 5) {
        write!(out, "{i}. ").unwrap_or_default();
        sentence(rng, out, 7, 14, true);
        out.push('\n');
    }
    out.push('\n');

    out.push_str("| Situation | What you do | Who to ask |\n|---|---|---|\n");
    for _ in 0..rng.range(3, 5) {
        out.push_str("| ");
        sentence(rng, out, 2, 4, false);
        out.push_str(" | ");
        sentence(rng, out, 3, 7, true);
        out.push_str(" | ");
        sentence(rng, out, 1, 3, false);
        out.push_str(" |\n");
    }
    out.push('\n');

    if let Some(dest) = local_link {
        out.push_str("Keep [the printable checklist](");
        out.push_str(dest);
        out.push_str(") at hand. ");
    }
    paragraph(rng, out, 2);

    writeln!(out, "## An example from practice\n").unwrap_or_default();
    let mut quote = String::new();
    paragraph(rng, &mut quote, 4);
    for line in quote.trim_end().lines() {
        if line.is_empty() {
            out.push_str(">\n");
        } else {
            writeln!(out, "> {line}").unwrap_or_default();
        }
    }
    out.push('\n');
    paragraph(rng, out, 4);
    paragraph(rng, out, 4);

    writeln!(out, "### Key points\n").unwrap_or_default();
    for _ in 0..4 {
        out.push_str("- ");
        sentence(rng, out, 6, 12, true);
        out.push('\n');
    }
    out.push('\n');

    writeln!(out, "## Sources\n").unwrap_or_default();
    for host in HOSTS.iter().take(3) {
        out.push_str("- [");
        sentence(rng, out, 3, 6, false);
        writeln!(out, "]({host})").unwrap_or_default();
    }
    out.push('\n');
}

/// One short line for quiz texts: no quotes or backslashes, so it fits a TOML string.
fn phrase(rng: &mut Rng, low: usize, high: usize, markup: bool) -> String {
    let mut s = String::new();
    sentence(rng, &mut s, low, high, markup);
    s
}

/// `n` different phrases (quiz options, items and pairs must not repeat).
fn distinct(rng: &mut Rng, n: usize, low: usize, high: usize) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    while out.len() < n {
        let p = phrase(rng, low, high, false);
        if !out.iter().any(|o| o.eq_ignore_ascii_case(&p)) {
            out.push(p);
        }
    }
    out
}

/// A quiz with eight questions of mixed types.
pub fn quiz(rng: &mut Rng, title: &str) -> String {
    let mut q = String::new();
    writeln!(
        q,
        "title = \"{title}\"\npass_mark = 0.75\nfeedback = \"immediate\"\n"
    )
    .unwrap_or_default();

    let options = |rng: &mut Rng, q: &mut String, n: usize, correct: &[usize]| {
        q.push_str("options = [\n");
        for (i, text) in distinct(rng, n, 3, 9).iter().enumerate() {
            if correct.contains(&i) {
                writeln!(q, "  {{ text = \"{text}\", correct = true }},").unwrap_or_default();
            } else {
                let feedback = phrase(rng, 8, 16, false);
                writeln!(q, "  {{ text = \"{text}\", feedback = \"{feedback}\" }},")
                    .unwrap_or_default();
            }
        }
        q.push_str("]\n\n");
    };
    let head = |rng: &mut Rng, q: &mut String, id: &str, kind: &str| {
        let prompt = phrase(rng, 10, 20, true);
        let explanation = phrase(rng, 15, 30, true);
        writeln!(
            q,
            "[[question]]\nid = \"{id}\"\ntype = \"{kind}\"\nprompt = \"{prompt}\"\nexplanation = \"{explanation}\""
        )
        .unwrap_or_default();
    };

    head(rng, &mut q, "first-choice", "single");
    writeln!(q, "hints = [\"{}\"]", phrase(rng, 6, 10, false)).unwrap_or_default();
    let right = rng.below(4);
    options(rng, &mut q, 4, &[right]);

    head(rng, &mut q, "all-that-apply", "multiple");
    let (a, b) = (rng.below(5), rng.below(5));
    options(rng, &mut q, 5, &[a, b]);

    head(rng, &mut q, "true-or-not", "true_false");
    writeln!(q, "answer = {}\n", rng.below(2) == 0).unwrap_or_default();

    head(rng, &mut q, "the-term", "short");
    q.push_str(
        "accept = [\"multi-factor authentication\", \"multi factor authentication\", \"multifactor authentication\"]\n",
    );
    if rng.below(2) == 0 {
        q.push_str("pattern = '^multi[- ]?factor auth'\n");
    }
    q.push('\n');

    head(rng, &mut q, "how-many-hours", "numeric");
    writeln!(q, "answer = {}\ntolerance = 0.5\n", rng.range(12, 96)).unwrap_or_default();

    head(rng, &mut q, "in-order", "order");
    let items = distinct(rng, 4, 2, 6);
    writeln!(q, "items = [\"{}\"]\n", items.join("\", \"")).unwrap_or_default();

    head(rng, &mut q, "terms", "match");
    let lefts = distinct(rng, 3, 1, 3);
    let rights = distinct(rng, 3, 3, 6);
    q.push_str("pairs = [\n");
    for (l, r) in lefts.iter().zip(&rights) {
        writeln!(q, "  {{ left = \"{l}\", right = \"{r}\" }},").unwrap_or_default();
    }
    q.push_str("]\n\n");

    head(rng, &mut q, "last-choice", "single");
    writeln!(q, "points = 2").unwrap_or_default();
    let right = rng.below(3);
    options(rng, &mut q, 3, &[right]);
    q
}

/// What [`write_library`] wrote.
pub struct Written {
    pub lessons: usize,
    pub quizzes: usize,
    pub words: usize,
}

/// Writes `courses` courses × `modules` modules × (10 lessons + 2 quizzes) under `root`.
pub fn write_library(root: &Path, courses: usize, modules: usize) -> Written {
    let mut rng = Rng::new(2026);
    let mut written = Written {
        lessons: 0,
        quizzes: 0,
        words: 0,
    };
    for c in 1..=courses {
        let topic = TOPICS[c % TOPICS.len()];
        let dir = root.join(format!("{c:02}-course-{c}"));
        fs::create_dir_all(dir.join("assets")).unwrap();
        fs::write(
            dir.join("course.toml"),
            format!(
                "format = 1\nid = \"course-{c}\"\ntitle = \"{topic} ({c})\"\ndescription = \"{}\"\nversion = \"1.0.0\"\nlanguage = \"en\"\nauthors = [\"kurs contributors\"]\nlicense = \"CC-BY-4.0\"\nminutes = 90\nsequential = false\npass_mark = 0.8\n",
                phrase(&mut rng, 12, 20, false)
            ),
        )
        .unwrap();
        fs::write(
            dir.join("assets/checklist.txt"),
            "1. Check the sender.\n2. Check the link.\n",
        )
        .unwrap();
        for m in 1..=modules {
            let module = dir.join(format!("{m:02}-module-{m}"));
            fs::create_dir_all(&module).unwrap();
            let requires = if m > 1 {
                format!("requires = [\"module-{}\"]\n", m - 1)
            } else {
                String::new()
            };
            fs::write(
                module.join("module.toml"),
                format!(
                    "title = \"{topic}: part {m}\"\ndescription = \"{}\"\n{requires}",
                    phrase(&mut rng, 10, 16, false)
                ),
            )
            .unwrap();
            let mut lesson = 0;
            for slot in 1..=12 {
                if slot == 6 || slot == 12 {
                    let text = quiz(&mut rng, &format!("Check your understanding ({slot})"));
                    fs::write(
                        module.join(format!("{slot:02}-check-{slot}.quiz.toml")),
                        text,
                    )
                    .unwrap();
                    written.quizzes += 1;
                    continue;
                }
                lesson += 1;
                let title = format!("{topic}, lesson {lesson}");
                let mut text = String::new();
                if lesson % 2 == 0 {
                    writeln!(text, "+++\ntitle = \"{title}\"\nminutes = 5\n+++\n")
                        .unwrap_or_default();
                }
                lesson_body(&mut rng, &mut text, &title, Some("../assets/checklist.txt"));
                written.words += words(&text);
                fs::write(module.join(format!("{slot:02}-lesson-{lesson}.md")), text).unwrap();
                written.lessons += 1;
            }
        }
    }
    written
}

/// The number of words in `text`: runs without white space that hold a letter.
pub fn words(text: &str) -> usize {
    text.split_whitespace()
        .filter(|w| w.chars().any(char::is_alphabetic))
        .count()
}

/// One big lesson of at least `bytes` bytes: lesson bodies one after the other.
pub fn big_lesson(bytes: usize) -> String {
    let mut rng = Rng::new(7);
    let mut text = String::with_capacity(bytes + 16 * 1024);
    let mut n = 0;
    while text.len() < bytes {
        n += 1;
        let title = format!("{} — part {n}", TOPICS[n % TOPICS.len()]);
        lesson_body(&mut rng, &mut text, &title, None);
    }
    text
}
