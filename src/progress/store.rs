//! Where progress lives on disk, and how it is written so that it is never lost.
//!
//! Each profile has, in `<data>/profiles/`:
//! - `<slug>.json`: a snapshot (`{"schema": 1, "journal": G, "profile": {…}}`), always
//!   replaced whole: written to a temporary file in the same folder, flushed, renamed over
//!   the old one, and the folder flushed.
//! - `<slug>.<N>.log`: journals of [`Change`]s made since, one JSON line each, appended and
//!   flushed. The snapshot contains every journal numbered below its `journal`.
//! - `<slug>.lock`: held (with the operating system's file lock) while reading or writing.
//!
//! A save appends a few lines, so it costs the same however long the history is.
//! [`Store::compact`] folds the journals into a new snapshot now and then. Two kurs on
//! one profile both append to the same journal under the lock, and each reloads when it
//! sees the other's lines: no answer is lost. A snapshot or journal that cannot be read is
//! renamed aside (`….corrupt-<time>`), never overwritten, and the learner is told where it
//! is. A torn last journal line (a crash in the middle of a write) is the one thing
//! dropped: it was never acknowledged.

use std::ffi::OsString;
use std::fs::{self, File, OpenOptions};
use std::io::{self, Read, Write};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use anyhow::{Context, Result, bail};
use serde::{Deserialize, Serialize};

use super::{Change, Profile, SCHEMA, Timestamp};
use crate::quiz::shuffle::fnv1a;
use crate::text::sanitize_line;

/// How long a save waits for another kurs holding the lock.
const LOCK_TIMEOUT: Duration = Duration::from_secs(5);
/// Journals longer than this are folded into the snapshot at the next save.
const COMPACT_LINES: usize = 2000;
/// The longest profile name kept.
pub const MAX_NAME_CHARS: usize = 60;

/// The data directory: `--data-dir`, else `KURS_HOME`, else the platform's data folder.
#[derive(Clone, Debug)]
pub struct DataDir {
    /// The folder.
    pub root: PathBuf,
}

/// A profile found on disk.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ProfileInfo {
    /// The learner's name.
    pub name: String,
    /// When last used.
    pub last_used: Option<Timestamp>,
}

impl DataDir {
    /// Finds the data directory (it is created when first written).
    ///
    /// # Errors
    /// When no folder is given and the platform has no home folder.
    pub fn locate(explicit: Option<PathBuf>, env: Option<OsString>) -> Result<Self> {
        if let Some(root) = explicit.filter(|p| !p.as_os_str().is_empty()) {
            return Ok(Self { root });
        }
        if let Some(root) = env.filter(|v| !v.is_empty()) {
            return Ok(Self {
                root: PathBuf::from(root),
            });
        }
        let dirs = directories::ProjectDirs::from("", "", "kurs").context(
            "cannot find a home folder for progress; set KURS_HOME or use --data-dir DIR",
        )?;
        Ok(Self {
            root: dirs.data_dir().to_path_buf(),
        })
    }

    /// The folder with the profiles.
    #[must_use]
    pub fn profiles_dir(&self) -> PathBuf {
        self.root.join("profiles")
    }

    /// This machine's id (a random UUID made on first use), which keeps profiles of the
    /// same name on different machines apart when exports are merged.
    ///
    /// # Errors
    /// When the id cannot be read or written.
    pub fn machine_id(&self) -> Result<String> {
        let path = self.root.join("machine-id");
        if let Ok(text) = fs::read_to_string(&path) {
            let id = text.trim();
            if uuid::Uuid::parse_str(id).is_ok() {
                return Ok(id.to_owned());
            }
        }
        fs::create_dir_all(&self.root)
            .with_context(|| format!("cannot create the data folder {}", self.root.display()))?;
        let id = uuid::Uuid::new_v4().to_string();
        write_atomic(&path, format!("{id}\n").as_bytes())?;
        Ok(id)
    }

    /// Every profile, most recently used first.
    ///
    /// # Errors
    /// When the profiles folder exists but cannot be read.
    pub fn profiles(&self) -> Result<Vec<ProfileInfo>> {
        Ok(self
            .read_all()?
            .into_iter()
            .map(|p| ProfileInfo {
                name: p.name,
                last_used: p.last_used,
            })
            .collect())
    }

    /// Every profile's full record, most recently used first, read without changing
    /// anything (files that cannot be read are skipped; opening the profile reports them).
    ///
    /// # Errors
    /// When the profiles folder exists but cannot be read.
    pub fn read_all(&self) -> Result<Vec<Profile>> {
        Ok(self.read_all_reporting()?.0)
    }

    /// Like [`DataDir::read_all`], and also says why each profile that was skipped could
    /// not be read (one message each, naming its file), so that a command reading every
    /// profile can warn instead of leaving a learner out silently.
    ///
    /// # Errors
    /// When the profiles folder exists but cannot be read.
    pub fn read_all_reporting(&self) -> Result<(Vec<Profile>, Vec<String>)> {
        let dir = self.profiles_dir();
        let entries = match fs::read_dir(&dir) {
            Ok(entries) => entries,
            Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok((Vec::new(), Vec::new())),
            Err(e) => return Err(e).with_context(|| format!("cannot read {}", dir.display())),
        };
        let mut out = Vec::new();
        let mut problems = Vec::new();
        for entry in entries.flatten() {
            let name = entry.file_name();
            let Some(slug) = name.to_str().and_then(|n| n.strip_suffix(".json")) else {
                continue;
            };
            let files = ProfileFiles::new(&dir, slug);
            match files.with_lock(|f| f.load(false)) {
                Ok(Loaded { profile, .. }) => out.push(profile),
                Err(e) => problems.push(format!("{e:#}")),
            }
        }
        out.sort_by(|a, b| {
            b.last_used
                .cmp(&a.last_used)
                .then_with(|| a.name.cmp(&b.name))
        });
        problems.sort();
        Ok((out, problems))
    }

    /// Opens the profile `name`, creating it if it does not exist.
    ///
    /// # Errors
    /// An empty name, a file written by a newer kurs (left untouched), or a data folder
    /// that cannot be written.
    pub fn open(&self, name: &str) -> Result<Store> {
        let name = clean_name(name)?;
        let dir = self.profiles_dir();
        fs::create_dir_all(&dir)
            .with_context(|| format!("cannot create the profiles folder {}", dir.display()))?;
        let files = ProfileFiles::new(&dir, &slug(&name));
        let loaded = files.with_lock(|f| {
            if !f.exists() {
                let mut profile = Profile::new(&name);
                profile.apply(&Change::Named { name: name.clone() }, Timestamp::now());
                f.write_snapshot(&profile, 0)?;
            }
            f.load(true)
        })?;
        let mut store = Store {
            files: Some(files),
            profile: loaded.profile,
            pending: Vec::new(),
            synced: loaded.synced,
            journal_lines: loaded.journal_lines,
            notices: loaded.notices,
        };
        store.record(Change::Used);
        Ok(store)
    }
}

/// A profile name as stored: control characters removed, trimmed, at most
/// [`MAX_NAME_CHARS`] characters.
///
/// # Errors
/// When nothing is left.
pub fn clean_name(name: &str) -> Result<String> {
    let cleaned: String = sanitize_line(name)
        .trim()
        .chars()
        .take(MAX_NAME_CHARS)
        .collect();
    if cleaned.is_empty() {
        bail!("a profile needs a name");
    }
    Ok(cleaned)
}

/// The file name stem for a profile: a readable part plus a hash of the exact name, so
/// that names differing only in case or accents never share files, on any file system.
#[must_use]
pub fn slug(name: &str) -> String {
    let mut readable = String::new();
    for c in name.chars().flat_map(char::to_lowercase) {
        if c.is_ascii_alphanumeric() {
            readable.push(c);
        } else if !readable.ends_with('-') && !readable.is_empty() {
            readable.push('-');
        }
        if readable.len() >= 32 {
            break;
        }
    }
    let readable = readable.trim_end_matches('-');
    let readable = if readable.is_empty() {
        "learner"
    } else {
        readable
    };
    format!("{readable}-{:08x}", fnv1a(name.as_bytes()) & 0xffff_ffff)
}

/// A journal line.
#[derive(Debug, Serialize, Deserialize)]
struct Entry {
    schema: u32,
    at: Timestamp,
    #[serde(flatten)]
    change: Change,
}

/// The snapshot file.
#[derive(Debug, Serialize, Deserialize)]
struct Snapshot {
    schema: u32,
    /// Journals numbered below this are included.
    journal: u64,
    profile: Profile,
}

/// Just the schema, to tell a newer file from a broken one.
#[derive(Deserialize)]
struct SchemaOnly {
    schema: Option<u64>,
}

/// A learner's progress, open for recording.
#[derive(Debug)]
pub struct Store {
    /// `None` for a store kept only in memory (tests, and when saving is impossible).
    files: Option<ProfileFiles>,
    profile: Profile,
    pending: Vec<Entry>,
    /// The journal and its length as of our last read or write.
    synced: (u64, u64),
    journal_lines: usize,
    notices: Vec<String>,
}

impl Store {
    /// A store that keeps progress in memory only.
    #[must_use]
    pub fn memory(name: &str) -> Self {
        Self {
            files: None,
            profile: Profile::new(name),
            pending: Vec::new(),
            synced: (0, 0),
            journal_lines: 0,
            notices: Vec::new(),
        }
    }

    /// The progress as recorded.
    #[must_use]
    pub fn profile(&self) -> &Profile {
        &self.profile
    }

    /// Adds a message for the learner.
    pub fn add_notice(&mut self, notice: String) {
        self.notices.push(notice);
    }

    /// Messages for the learner from opening the profile (e.g. a file kept aside).
    pub fn take_notices(&mut self) -> Vec<String> {
        std::mem::take(&mut self.notices)
    }

    /// Whether changes are waiting to be written.
    #[must_use]
    pub fn has_pending(&self) -> bool {
        !self.pending.is_empty()
    }

    /// The snapshot's path (for messages), if the store is on disk.
    #[must_use]
    pub fn path(&self) -> Option<PathBuf> {
        self.files.as_ref().map(ProfileFiles::snapshot)
    }

    /// Records `change` now; it is written at the next [`Store::save`].
    pub fn record(&mut self, change: Change) {
        let at = Timestamp::now();
        self.profile.apply(&change, at);
        self.pending.push(Entry {
            schema: SCHEMA,
            at,
            change,
        });
    }

    /// Writes the recorded changes to the journal and flushes it to disk. When another
    /// kurs has written to this profile since, reloads so both sets of changes are seen.
    ///
    /// # Errors
    /// When the lock cannot be had in time or the journal cannot be written; the changes
    /// stay pending and the next save tries again.
    pub fn save(&mut self) -> Result<()> {
        let Some(files) = self.files.clone() else {
            self.pending.clear();
            return Ok(());
        };
        if self.pending.is_empty() {
            return Ok(());
        }
        let pending = &self.pending;
        let synced = self.synced;
        let outcome = files.with_lock(|f| {
            let before = f.current_journal();
            let others_wrote = before != synced;
            let after = f.append(before.0, pending)?;
            let reloaded = if others_wrote {
                Some(f.load(true)?)
            } else {
                None
            };
            Ok((after, reloaded))
        })?;
        let (after, reloaded) = outcome;
        self.journal_lines += self.pending.len();
        self.pending.clear();
        self.synced = after;
        if let Some(loaded) = reloaded {
            self.profile = loaded.profile;
            self.synced = loaded.synced;
            self.journal_lines = loaded.journal_lines;
            self.notices.extend(loaded.notices);
        }
        if self.journal_lines > COMPACT_LINES {
            self.compact()?;
        }
        Ok(())
    }

    /// Saves, then folds every journal into a new snapshot.
    ///
    /// # Errors
    /// As [`Store::save`], or when the snapshot cannot be written.
    pub fn compact(&mut self) -> Result<()> {
        self.save_pending_only()?;
        let Some(files) = self.files.clone() else {
            return Ok(());
        };
        let loaded = files.with_lock(|f| {
            let loaded = f.load(true)?;
            let next = loaded.synced.0 + 1;
            // The new, empty journal exists before the snapshot that points to it, so a
            // crash in between leaves a state that still loads completely.
            f.create_journal(next)?;
            f.write_snapshot(&loaded.profile, next)?;
            f.remove_journals_below(next);
            Ok(Loaded {
                synced: (next, 0),
                journal_lines: 0,
                ..loaded
            })
        })?;
        self.profile = loaded.profile;
        self.synced = loaded.synced;
        self.journal_lines = 0;
        self.notices.extend(loaded.notices);
        Ok(())
    }

    fn save_pending_only(&mut self) -> Result<()> {
        let lines = self.journal_lines;
        self.journal_lines = 0; // no compaction from inside save
        let result = self.save();
        self.journal_lines += lines;
        result
    }
}

/// The result of reading a profile from disk.
#[derive(Debug)]
struct Loaded {
    profile: Profile,
    synced: (u64, u64),
    journal_lines: usize,
    notices: Vec<String>,
}

/// The files of one profile.
#[derive(Clone, Debug)]
struct ProfileFiles {
    dir: PathBuf,
    slug: String,
}

impl ProfileFiles {
    fn new(dir: &Path, slug: &str) -> Self {
        Self {
            dir: dir.to_path_buf(),
            slug: slug.to_owned(),
        }
    }

    fn snapshot(&self) -> PathBuf {
        self.dir.join(format!("{}.json", self.slug))
    }

    fn journal(&self, n: u64) -> PathBuf {
        self.dir.join(format!("{}.{n}.log", self.slug))
    }

    fn exists(&self) -> bool {
        self.snapshot().exists() || !self.journals().is_empty()
    }

    /// Runs `f` holding this profile's lock.
    fn with_lock<T>(&self, f: impl FnOnce(&Self) -> Result<T>) -> Result<T> {
        let path = self.dir.join(format!("{}.lock", self.slug));
        let file = OpenOptions::new()
            .create(true)
            .truncate(false)
            .write(true)
            .open(&path)
            .with_context(|| format!("cannot open the lock file {}", path.display()))?;
        let start = Instant::now();
        loop {
            match file.try_lock() {
                Ok(()) => break,
                Err(fs::TryLockError::WouldBlock) if start.elapsed() < LOCK_TIMEOUT => {
                    std::thread::sleep(Duration::from_millis(10));
                }
                Err(fs::TryLockError::WouldBlock) => bail!(
                    "another kurs has been saving this profile for {} seconds; progress will be saved at the next step",
                    LOCK_TIMEOUT.as_secs()
                ),
                Err(fs::TryLockError::Error(e)) => {
                    return Err(e).with_context(|| format!("cannot lock {}", path.display()));
                }
            }
        }
        let result = f(self);
        // Closing the file releases the lock too; unlocking first makes it prompt.
        let _ = file.unlock();
        result
    }

    /// The journal numbers present, ascending.
    fn journals(&self) -> Vec<u64> {
        let prefix = format!("{}.", self.slug);
        let mut out: Vec<u64> = fs::read_dir(&self.dir)
            .into_iter()
            .flatten()
            .flatten()
            .filter_map(|e| {
                let name = e.file_name();
                let n = name
                    .to_str()?
                    .strip_prefix(&prefix)?
                    .strip_suffix(".log")?
                    .parse()
                    .ok()?;
                Some(n)
            })
            .collect();
        out.sort_unstable();
        out
    }

    /// The journal new lines go to, and its length.
    fn current_journal(&self) -> (u64, u64) {
        let n = self.journals().last().copied().unwrap_or(0);
        let len = fs::metadata(self.journal(n)).map_or(0, |m| m.len());
        (n, len)
    }

    fn create_journal(&self, n: u64) -> Result<()> {
        let path = self.journal(n);
        File::create(&path)
            .and_then(|f| f.sync_all())
            .with_context(|| format!("cannot create {}", path.display()))?;
        sync_dir(&self.dir);
        Ok(())
    }

    /// Appends `entries` to journal `n` and flushes it; returns the journal's new length.
    fn append(&self, n: u64, entries: &[Entry]) -> Result<(u64, u64)> {
        let path = self.journal(n);
        let created = !path.exists();
        let mut file = OpenOptions::new()
            .create(true)
            .read(true)
            .append(true)
            .open(&path)
            .with_context(|| format!("cannot open {}", path.display()))?;
        // A line torn by a crash (never acknowledged) is cut off before appending.
        let len = file.metadata().map_or(0, |m| m.len());
        if len > 0 && !ends_with_newline(&path, len) {
            let bytes =
                fs::read(&path).with_context(|| format!("cannot read {}", path.display()))?;
            let keep = bytes.iter().rposition(|&b| b == b'\n').map_or(0, |i| i + 1);
            file.set_len(keep as u64)
                .with_context(|| format!("cannot repair {}", path.display()))?;
        }
        let mut buf = Vec::with_capacity(entries.len() * 160);
        for entry in entries {
            serde_json::to_writer(&mut buf, entry).context("cannot encode progress")?;
            buf.push(b'\n');
        }
        file.write_all(&buf)
            .and_then(|()| file.sync_data())
            .with_context(|| format!("cannot write progress to {}", path.display()))?;
        if created {
            sync_dir(&self.dir);
        }
        Ok((n, file.metadata().map_or(0, |m| m.len())))
    }

    /// Writes the snapshot. Called with the lock held, so no other kurs is writing one:
    /// temporary files left by a kurs that stopped in the middle of a write are removed.
    fn write_snapshot(&self, profile: &Profile, journal: u64) -> Result<()> {
        self.remove_stale_temporaries();
        let bytes = encode_snapshot(profile, journal)?;
        write_atomic(&self.snapshot(), &bytes)
    }

    /// Removes `<slug>.json.tmp-*` (see [`write_atomic`]); only with the lock held.
    fn remove_stale_temporaries(&self) {
        let prefix = format!("{}.json.tmp-", self.slug);
        for entry in fs::read_dir(&self.dir).into_iter().flatten().flatten() {
            if entry
                .file_name()
                .to_str()
                .is_some_and(|n| n.starts_with(&prefix))
            {
                let _ = fs::remove_file(entry.path());
            }
        }
    }

    fn remove_journals_below(&self, n: u64) {
        for old in self.journals().into_iter().filter(|&j| j < n) {
            let _ = fs::remove_file(self.journal(old));
        }
    }

    /// Reads the snapshot and replays the journals. Unreadable files are renamed aside
    /// (when `repair`) and reported; a newer schema is an error and nothing is touched.
    fn load(&self, repair: bool) -> Result<Loaded> {
        let mut notices = Vec::new();
        let path = self.snapshot();
        let (mut profile, first_journal) = match fs::read(&path) {
            Ok(bytes) => match parse_snapshot(&bytes) {
                Ok(read) => read,
                Err(Unreadable::Newer(schema)) => bail!(newer_message(&path, schema)),
                Err(Unreadable::Broken(reason)) => {
                    if !repair {
                        bail!("{} cannot be read: {reason}", path.display());
                    }
                    let aside = keep_aside(&path)?;
                    notices.push(format!(
                        "Your progress file could not be read ({reason}). It was kept unchanged as {} and a new record was started.",
                        aside.display()
                    ));
                    (Profile::default(), 0)
                }
            },
            Err(e) if e.kind() == io::ErrorKind::NotFound => (Profile::default(), 0),
            Err(e) => return Err(e).with_context(|| format!("cannot read {}", path.display())),
        };
        let mut journal_lines = 0;
        let mut synced = (first_journal, 0);
        for n in self.journals().into_iter().filter(|&n| n >= first_journal) {
            let journal = self.journal(n);
            let mut bytes = Vec::new();
            File::open(&journal)
                .and_then(|mut f| f.read_to_end(&mut bytes))
                .with_context(|| format!("cannot read {}", journal.display()))?;
            match replay(&mut profile, &bytes) {
                Ok(lines) => journal_lines += lines,
                Err(Unreadable::Newer(schema)) => bail!(newer_message(&journal, schema)),
                Err(Unreadable::Broken(reason)) => {
                    if !repair {
                        bail!("{} cannot be read: {reason}", journal.display());
                    }
                    let aside = keep_aside(&journal)?;
                    notices.push(format!(
                        "Part of your recent progress could not be read ({reason}). It was kept unchanged as {}.",
                        aside.display()
                    ));
                }
            }
            synced = (n, bytes.len() as u64);
        }
        if profile.name.is_empty() {
            self.slug
                .rsplit_once('-')
                .map_or(&*self.slug, |(s, _)| s)
                .clone_into(&mut profile.name);
        }
        Ok(Loaded {
            profile,
            synced,
            journal_lines,
            notices,
        })
    }
}

/// Why a progress file could not be read.
pub(crate) enum Unreadable {
    /// Written by a newer kurs (this progress format).
    Newer(u64),
    /// Broken, for this reason (shown to the learner; see [`broken`]).
    Broken(String),
}

/// [`Unreadable::Broken`] with `reason` made safe to show: the parser's messages quote
/// pieces of the file (an unknown variant, a time that is not one), which may hold
/// control characters.
fn broken(reason: &str) -> Unreadable {
    Unreadable::Broken(sanitize_line(reason))
}

fn newer_message(path: &Path, schema: u64) -> String {
    format!(
        "{} was written by a newer kurs (progress format {schema}; this kurs reads {SCHEMA}). It was left untouched: please update kurs.",
        path.display()
    )
}

/// The bytes of a snapshot file for `profile`, with journals below `journal` included.
pub(crate) fn encode_snapshot(profile: &Profile, journal: u64) -> Result<Vec<u8>> {
    let snapshot = Snapshot {
        schema: SCHEMA,
        journal,
        profile: profile.clone(),
    };
    let mut bytes = serde_json::to_vec_pretty(&snapshot).context("cannot encode progress")?;
    bytes.push(b'\n');
    Ok(bytes)
}

/// Reads a snapshot file's bytes: the profile and the first journal not included in it.
pub(crate) fn parse_snapshot(bytes: &[u8]) -> Result<(Profile, u64), Unreadable> {
    if bytes.iter().all(u8::is_ascii_whitespace) {
        return Err(broken("the file is empty"));
    }
    if let Ok(SchemaOnly { schema: Some(s) }) = serde_json::from_slice(bytes)
        && s > u64::from(SCHEMA)
    {
        return Err(Unreadable::Newer(s));
    }
    serde_json::from_slice(bytes)
        .map(|s: Snapshot| (s.profile, s.journal))
        .map_err(|e| broken(&e.to_string()))
}

/// Applies every complete journal line to `profile`; returns the number of lines. A last
/// line without its newline was torn by a crash and is ignored, even when it happens to
/// be complete JSON: the next append cuts it off, so applying it now would show the
/// learner a change that is lost at the next save.
pub(crate) fn replay(profile: &mut Profile, bytes: &[u8]) -> Result<usize, Unreadable> {
    let mut lines = bytes.split(|&b| b == b'\n').peekable();
    let mut count = 0;
    while let Some(line) = lines.next() {
        let is_last = lines.peek().is_none();
        if is_last || line.iter().all(u8::is_ascii_whitespace) {
            continue;
        }
        match serde_json::from_slice::<Entry>(line) {
            Ok(entry) if entry.schema > SCHEMA => {
                return Err(Unreadable::Newer(entry.schema.into()));
            }
            Ok(entry) => {
                profile.apply(&entry.change, entry.at);
                count += 1;
            }
            Err(e) => {
                if let Ok(SchemaOnly { schema: Some(s) }) = serde_json::from_slice(line)
                    && s > u64::from(SCHEMA)
                {
                    return Err(Unreadable::Newer(s));
                }
                return Err(broken(&format!("line {}: {e}", count + 1)));
            }
        }
    }
    Ok(count)
}

fn ends_with_newline(path: &Path, len: u64) -> bool {
    use std::io::{Seek, SeekFrom};
    let mut last = [0u8; 1];
    File::open(path)
        .and_then(|mut f| {
            f.seek(SeekFrom::Start(len - 1))?;
            f.read_exact(&mut last)
        })
        .is_ok_and(|()| last == [b'\n'])
}

/// Renames `path` to `path.corrupt-<time>` (never over an existing file).
fn keep_aside(path: &Path) -> Result<PathBuf> {
    let stamp = Timestamp::now().compact();
    let mut n = 0;
    loop {
        let suffix = if n == 0 {
            String::new()
        } else {
            format!("-{n}")
        };
        let mut name = path.as_os_str().to_owned();
        name.push(format!(".corrupt-{stamp}{suffix}"));
        let aside = PathBuf::from(name);
        if !aside.exists() {
            fs::rename(path, &aside)
                .with_context(|| format!("cannot keep {} aside", path.display()))?;
            return Ok(aside);
        }
        n += 1;
    }
}

/// Writes `bytes` to `path` atomically: a temporary file in the same folder, flushed,
/// renamed over `path`, and the folder flushed, so `path` is always the old or the new
/// content, whatever happens.
///
/// # Errors
/// When any step fails (the temporary file is removed).
pub fn write_atomic(path: &Path, bytes: &[u8]) -> Result<()> {
    let dir = path.parent().unwrap_or_else(|| Path::new("."));
    let mut tmp_name = path.file_name().unwrap_or_default().to_owned();
    tmp_name.push(format!(".tmp-{}", std::process::id()));
    let tmp = dir.join(tmp_name);
    let result = (|| -> io::Result<()> {
        let mut file = File::create(&tmp)?;
        file.write_all(bytes)?;
        file.sync_all()?;
        fs::rename(&tmp, path)
    })();
    if let Err(e) = result {
        let _ = fs::remove_file(&tmp);
        return Err(e).with_context(|| format!("cannot write {}", path.display()));
    }
    sync_dir(dir);
    Ok(())
}

/// Flushes a folder's entries (the rename) to disk. Not possible on every platform; a
/// failure only weakens durability, so it is ignored.
fn sync_dir(dir: &Path) {
    if let Ok(d) = File::open(dir) {
        let _ = d.sync_all();
    }
}
