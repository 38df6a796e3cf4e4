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
use std::fs::{self, File};
use std::io::{self, Read, Write};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use anyhow::{Context, Result, bail};
use serde::{Deserialize, Serialize};

use super::{Change, Profile, SCHEMA, Timestamp};

pub(crate) mod private;
mod writer;
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
        private::create_dir_all(&self.root)
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
            match files.read_only_load() {
                // A copy made by a sync tool (OneDrive's `<slug>-PC.json` after a
                // conflict): its file name is its learner's file name and more, so it is
                // not a learner of its own.
                Ok(Loaded { profile, .. })
                    if slug != self::slug(&profile.name)
                        && slug.starts_with(&self::slug(&profile.name)) =>
                {
                    problems.push(format!(
                        "{}: a copy of the progress of {} (made by a sync tool?). It is left out here; the file was not changed",
                        files.snapshot().display(),
                        sanitize_line(&profile.name)
                    ));
                }
                Ok(Loaded {
                    profile, damage, ..
                }) => {
                    out.push(profile);
                    problems.extend(damage.into_iter().map(|d| {
                        format!("{d}. This part was skipped; the rest of the profile is shown, and its files were not changed")
                    }));
                }
                Err(e) => problems.push(format!(
                    "{e:#}. That profile is left out here; its files were not changed"
                )),
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
        let (on_disk, loaded) = self.open_disk(name)?;
        let mut store = Store {
            disk: Disk::Direct(on_disk),
            profile: loaded.profile,
            pending: Vec::new(),
            notices: loaded.notices,
            problem: None,
        };
        store.record(Change::Used);
        Ok(store)
    }

    /// Opens (creating if need be) the files of profile `name` and reads them.
    pub(crate) fn open_disk(&self, name: &str) -> Result<(OnDisk, Loaded)> {
        let name = clean_name(name)?;
        let dir = self.profiles_dir();
        private::create_dir_all(&dir)
            .with_context(|| format!("cannot create the profiles folder {}", dir.display()))?;
        let files = ProfileFiles::new(&dir, &slug(&name));
        let loaded = files.with_lock(|f| {
            if !f.exists() {
                let mut profile = Profile::new(&name);
                let named = Entry {
                    schema: SCHEMA,
                    at: Timestamp::now(),
                    change: Change::Named { name: name.clone() },
                };
                profile.apply(&named.change, named.at);
                f.write_snapshot(&profile, 0)?;
                // The name is in the journal too, so a damaged snapshot never loses it.
                f.append(0, std::slice::from_ref(&named))?;
            }
            f.load(true)
        })?;
        let on_disk = OnDisk {
            files,
            synced: loaded.synced,
            journal_lines: loaded.journal_lines,
        };
        Ok((on_disk, loaded))
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
#[derive(Clone, Debug, Serialize, Deserialize)]
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
    disk: Disk,
    profile: Profile,
    pending: Vec<Entry>,
    notices: Vec<String>,
    /// Why the last save failed, until a save succeeds again.
    problem: Option<String>,
}

/// Where a store's changes go.
#[derive(Debug)]
enum Disk {
    /// Nowhere (tests, previews).
    Memory,
    /// Written by [`Store::save`] itself (commands, tests).
    Direct(OnDisk),
    /// Written by a writer thread, so the interface never waits for the disk or a lock.
    Background(writer::Writer),
}

/// A profile's files and what this kurs last saw of them.
#[derive(Debug)]
pub(crate) struct OnDisk {
    files: ProfileFiles,
    /// The journal and its length as of our last read or write.
    synced: (u64, u64),
    journal_lines: usize,
}

impl OnDisk {
    /// Appends `pending` to the journal and flushes it; compacts when the journals are
    /// long. Returns the profile as now on disk when it had to be read again (another
    /// kurs wrote to it, or it was compacted).
    fn save(&mut self, pending: &[Entry]) -> Result<Option<Loaded>> {
        if pending.is_empty() {
            return Ok(None);
        }
        let synced = self.synced;
        let (after, reloaded) = self.files.with_lock(|f| {
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
        self.journal_lines += pending.len();
        self.synced = after;
        if let Some(loaded) = &reloaded {
            self.synced = loaded.synced;
            self.journal_lines = loaded.journal_lines;
        }
        if self.journal_lines > COMPACT_LINES {
            return self.compact().map(Some);
        }
        Ok(reloaded)
    }

    /// Folds every journal into a new snapshot; returns the profile as written.
    fn compact(&mut self) -> Result<Loaded> {
        let loaded = self.files.with_lock(|f| {
            let loaded = f.load(true)?;
            let next = loaded.synced.0 + 1;
            // The new, empty journal exists before the snapshot that points to it, so a
            // crash in between leaves a state that still loads completely.
            f.create_journal(next)?;
            f.keep_previous()?;
            f.write_snapshot(&loaded.profile, next)?;
            f.remove_journals_below(loaded.first_journal);
            Ok(Loaded {
                synced: (next, 0),
                journal_lines: 0,
                ..loaded
            })
        })?;
        self.synced = loaded.synced;
        self.journal_lines = 0;
        Ok(loaded)
    }
}

impl Store {
    /// A store that keeps progress in memory only.
    #[must_use]
    pub fn memory(name: &str) -> Self {
        Self {
            disk: Disk::Memory,
            profile: Profile::new(name),
            pending: Vec::new(),
            notices: Vec::new(),
            problem: None,
        }
    }

    /// A store for `name` whose profile could not be opened (`reason`): it keeps
    /// progress in memory and a writer thread tries again to open and save it, so that
    /// nothing is lost if the disk comes back.
    #[must_use]
    pub fn unsaved(data: &DataDir, name: &str, reason: String) -> Self {
        Self {
            disk: Disk::Background(writer::Writer::spawn(data.clone(), name.to_owned(), None)),
            problem: Some(reason),
            ..Self::memory(name)
        }
    }

    /// Moves the writing of this store to a writer thread: [`Store::save`] then only
    /// hands the changes over, and [`Store::poll`] collects the outcome.
    #[must_use]
    pub fn in_background(self, data: &DataDir) -> Self {
        let Disk::Direct(on_disk) = self.disk else {
            return self;
        };
        let name = self.profile.name.clone();
        Self {
            disk: Disk::Background(writer::Writer::spawn(data.clone(), name, Some(on_disk))),
            ..self
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

    /// Why progress is not being saved (the last save failed), until a save succeeds.
    #[must_use]
    pub fn problem(&self) -> Option<&str> {
        self.problem.as_deref()
    }

    /// The number of recorded changes not yet on disk.
    #[must_use]
    pub fn unsaved_count(&self) -> usize {
        self.pending.len()
            + match &self.disk {
                Disk::Background(w) => w.in_flight(),
                _ => 0,
            }
    }

    /// The snapshot's path (for messages), if the store is on disk.
    #[must_use]
    pub fn path(&self) -> Option<PathBuf> {
        match &self.disk {
            Disk::Direct(d) => Some(d.files.snapshot()),
            Disk::Background(w) => Some(w.path()),
            Disk::Memory => None,
        }
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
    /// In the background (see [`Store::in_background`]) it hands the changes to the
    /// writer and returns at once; [`Store::problem`] says whether saving works.
    ///
    /// # Errors
    /// When the lock cannot be had in time or the journal cannot be written; the changes
    /// stay pending and the next save tries again.
    pub fn save(&mut self) -> Result<()> {
        match &mut self.disk {
            Disk::Memory => {
                self.pending.clear();
                Ok(())
            }
            Disk::Background(writer) => {
                writer.send(std::mem::take(&mut self.pending));
                self.poll();
                Ok(())
            }
            Disk::Direct(on_disk) => match on_disk.save(&self.pending) {
                Ok(reloaded) => {
                    self.pending.clear();
                    self.problem = None;
                    if let Some(loaded) = reloaded {
                        self.profile = loaded.profile;
                        self.notices.extend(loaded.notices);
                    }
                    Ok(())
                }
                Err(e) => {
                    self.problem = Some(format!("{e:#}"));
                    Err(e)
                }
            },
        }
    }

    /// Takes in what the writer thread reports: saves done, failures, and the profile
    /// when another kurs wrote to it. Cheap; call it on every turn of the event loop.
    pub fn poll(&mut self) {
        let Disk::Background(writer) = &mut self.disk else {
            return;
        };
        for outcome in writer.outcomes() {
            match outcome {
                writer::Outcome::Saved => self.problem = None,
                writer::Outcome::Failed(reason) => self.problem = Some(reason),
                writer::Outcome::Reloaded(loaded, unsaved) => {
                    self.profile = loaded.profile;
                    for entry in unsaved.iter().chain(&self.pending) {
                        self.profile.apply(&entry.change, entry.at);
                    }
                    self.notices.extend(loaded.notices);
                    self.problem = None;
                }
            }
        }
    }

    /// Saves, then folds every journal into a new snapshot. In the background, waits at
    /// most `LOCK_TIMEOUT` and a little for the writer to finish.
    ///
    /// # Errors
    /// As [`Store::save`], or when the snapshot cannot be written.
    pub fn compact(&mut self) -> Result<()> {
        match &mut self.disk {
            Disk::Memory => Ok(()),
            Disk::Background(writer) => {
                writer.send(std::mem::take(&mut self.pending));
                let result = writer.finish(LOCK_TIMEOUT + Duration::from_secs(2));
                self.poll();
                if let Err(reason) = &result {
                    self.problem = Some(reason.clone());
                }
                result.map_err(anyhow::Error::msg)
            }
            Disk::Direct(_) => {
                self.save()?;
                let Disk::Direct(on_disk) = &mut self.disk else {
                    return Ok(());
                };
                let loaded = on_disk.compact()?;
                self.profile = loaded.profile;
                self.notices.extend(loaded.notices);
                Ok(())
            }
        }
    }
}

/// The result of reading a profile from disk.
#[derive(Debug)]
pub(crate) struct Loaded {
    profile: Profile,
    /// The first journal not included in the snapshot read.
    first_journal: u64,
    synced: (u64, u64),
    journal_lines: usize,
    /// Messages for the learner, in plain words.
    notices: Vec<String>,
    /// What could not be read, with the parser's words (for `kurs progress`).
    damage: Vec<String>,
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

    /// Reads the profile without changing anything, under its lock when the lock can be
    /// had. A reader that may not create or write the lock file (a share that other
    /// accounts can only read, as when a trainer collects a class's results) reads
    /// without it: snapshots are replaced whole and journals only grow, and a line torn
    /// by a writer at that moment is ignored, so what it reads is a state that was saved.
    fn read_only_load(&self) -> Result<Loaded> {
        if self.open_lock_file().is_ok() {
            self.with_lock(|f| f.load(false))
        } else {
            self.load(false)
        }
    }

    fn lock_path(&self) -> PathBuf {
        self.dir.join(format!("{}.lock", self.slug))
    }

    /// Opens (creating it if need be) this profile's lock file for writing.
    fn open_lock_file(&self) -> Result<File> {
        let path = self.lock_path();
        private::options()
            .create(true)
            .truncate(false)
            .write(true)
            .open(&path)
            .with_context(|| format!("cannot open the lock file {}", path.display()))
    }

    /// Runs `f` holding this profile's lock.
    fn with_lock<T>(&self, f: impl FnOnce(&Self) -> Result<T>) -> Result<T> {
        let file = self.open_lock_file()?;
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
                    return Err(e)
                        .with_context(|| format!("cannot lock {}", self.lock_path().display()));
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
        private::create(&path)
            .and_then(|f| f.sync_all())
            .with_context(|| format!("cannot create {}", path.display()))?;
        sync_dir(&self.dir);
        Ok(())
    }

    /// Appends `entries` to journal `n` and flushes it; returns the journal's new length.
    fn append(&self, n: u64, entries: &[Entry]) -> Result<(u64, u64)> {
        let path = self.journal(n);
        let created = !path.exists();
        let mut file = private::options()
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
            // Through a handle of its own: Windows refuses to change the length of a
            // file opened for appending (rust-lang/rust#105437).
            private::options()
                .write(true)
                .open(&path)
                .and_then(|f| f.set_len(keep as u64))
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

    /// Removes `<slug>.json.tmp-*` and `<slug>.json.prev.tmp-*` (see [`write_atomic`]);
    /// only with the lock held.
    fn remove_stale_temporaries(&self) {
        let prefixes = [
            format!("{}.json.tmp-", self.slug),
            format!("{}.json.prev.tmp-", self.slug),
        ];
        for entry in fs::read_dir(&self.dir).into_iter().flatten().flatten() {
            if entry
                .file_name()
                .to_str()
                .is_some_and(|n| prefixes.iter().any(|p| n.starts_with(p)))
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

    /// The copy of the snapshot before the last compaction (see [`OnDisk::compact`]).
    fn previous(&self) -> PathBuf {
        self.dir.join(format!("{}.json.prev", self.slug))
    }

    /// Keeps the current snapshot, when it reads, as [`Self::previous`]: with the
    /// journals it does not include (compaction keeps them), it restores everything
    /// should the new snapshot ever be damaged.
    fn keep_previous(&self) -> Result<()> {
        if let Ok(bytes) = fs::read(self.snapshot())
            && parse_snapshot(&bytes).is_ok()
        {
            write_atomic(&self.previous(), &bytes)?;
        }
        Ok(())
    }

    /// Reads the snapshot and replays the journals. A damaged snapshot is replaced by
    /// the previous one, and unreadable journal lines are skipped, so everything that
    /// can be read is restored; with `repair`, the damaged files are renamed aside and
    /// a new snapshot is written. A newer schema is an error and nothing is touched.
    fn load(&self, repair: bool) -> Result<Loaded> {
        let mut damage = Vec::new();
        let mut damaged_files = Vec::new();
        let path = self.snapshot();
        let mut read = |path: &Path| -> Result<Option<(Profile, u64)>> {
            match fs::read(path) {
                Ok(bytes) => match parse_snapshot(&bytes) {
                    Ok(read) => Ok(Some(read)),
                    Err(Unreadable::Newer(schema)) => bail!(newer_message(path, schema)),
                    Err(Unreadable::Broken(reason)) => {
                        damage.push(format!("{}: {reason}", path.display()));
                        damaged_files.push(path.to_path_buf());
                        Ok(None)
                    }
                },
                Err(e) if e.kind() == io::ErrorKind::NotFound => Ok(None),
                Err(e) => Err(e).with_context(|| format!("cannot read {}", path.display())),
            }
        };
        // No snapshot, or a damaged one: the previous one, if there is one, with the
        // journals it does not include.
        let snapshot = match read(&path)? {
            Some(read) => Some(read),
            None => read(&self.previous())?,
        };
        let (mut profile, first_journal) = snapshot.unwrap_or_default();
        let mut journal_lines = 0;
        let mut synced = (first_journal, 0);
        for n in self.journals().into_iter().filter(|&n| n >= first_journal) {
            let journal = self.journal(n);
            let mut bytes = Vec::new();
            File::open(&journal)
                .and_then(|mut f| f.read_to_end(&mut bytes))
                .with_context(|| format!("cannot read {}", journal.display()))?;
            match replay(&mut profile, &bytes) {
                Ok(replayed) => {
                    journal_lines += replayed.lines;
                    if !replayed.skipped.is_empty() {
                        damage.extend(
                            replayed
                                .skipped
                                .iter()
                                .map(|r| format!("{}: {r}", journal.display())),
                        );
                        damaged_files.push(journal.clone());
                    }
                }
                Err(Unreadable::Newer(schema)) => bail!(newer_message(&journal, schema)),
                Err(Unreadable::Broken(reason)) => {
                    damage.push(format!("{}: {reason}", journal.display()));
                    damaged_files.push(journal.clone());
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
        let mut loaded = Loaded {
            profile,
            first_journal,
            synced,
            journal_lines,
            notices: Vec::new(),
            damage,
        };
        if repair && !damaged_files.is_empty() {
            loaded = self.repair(loaded, &damaged_files)?;
        }
        Ok(loaded)
    }

    /// Writes what [`Self::load`] restored as a new snapshot with a new journal, then
    /// renames the damaged files aside and tells the learner, in plain words, where.
    fn repair(&self, loaded: Loaded, damaged: &[PathBuf]) -> Result<Loaded> {
        let snapshot = self.snapshot();
        let mut kept = Vec::new();
        // The damaged snapshot is copied aside before a good one replaces it; damaged
        // journals are renamed aside once the snapshot holds what they had.
        if damaged.contains(&snapshot) {
            kept.push(keep_aside(&snapshot, true)?);
        }
        let next = loaded.synced.0 + 1;
        self.create_journal(next)?;
        self.write_snapshot(&loaded.profile, next)?;
        for path in damaged.iter().filter(|p| **p != snapshot) {
            kept.push(keep_aside(path, false)?);
        }
        let places = kept
            .iter()
            .map(|p| p.display().to_string())
            .collect::<Vec<_>>()
            .join(", ");
        let mut notices = loaded.notices;
        notices.push(format!(
            "Part of your progress file was damaged. kurs restored everything it could still read. A copy of the damaged file is kept in {places}."
        ));
        Ok(Loaded {
            synced: (next, 0),
            journal_lines: 0,
            notices,
            ..loaded
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

/// What [`replay`] did.
#[derive(Debug, Default)]
pub(crate) struct Replayed {
    /// Lines applied.
    pub(crate) lines: usize,
    /// Why each line that could not be read was skipped.
    pub(crate) skipped: Vec<String>,
}

/// Applies every complete, readable journal line to `profile`; a line that cannot be
/// read is skipped (and said), so one damaged line never hides the rest. A last line
/// without its newline was torn by a crash and is ignored, even when it happens to be
/// complete JSON: the next append cuts it off, so applying it now would show the
/// learner a change that is lost at the next save.
///
/// # Errors
/// A line written by a newer kurs: nothing more is applied.
pub(crate) fn replay(profile: &mut Profile, bytes: &[u8]) -> Result<Replayed, Unreadable> {
    let mut lines = bytes.split(|&b| b == b'\n').peekable();
    let mut out = Replayed::default();
    let mut number = 0;
    while let Some(line) = lines.next() {
        number += 1;
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
                out.lines += 1;
            }
            Err(e) => {
                if let Ok(SchemaOnly { schema: Some(s) }) = serde_json::from_slice(line)
                    && s > u64::from(SCHEMA)
                {
                    return Err(Unreadable::Newer(s));
                }
                out.skipped
                    .push(sanitize_line(&format!("line {number}: {e}")));
            }
        }
    }
    Ok(out)
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

/// Renames (or, with `copy`, copies) `path` to `path.corrupt-<time>`, never over an
/// existing file.
fn keep_aside(path: &Path, copy: bool) -> Result<PathBuf> {
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
            if copy {
                fs::copy(path, &aside).map(drop)
            } else {
                fs::rename(path, &aside)
            }
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
        let mut file = private::create(&tmp)?;
        file.write_all(bytes)?;
        file.sync_all()?;
        with_retries(busy, || fs::rename(&tmp, path))
    })();
    if let Err(e) = result {
        let _ = fs::remove_file(&tmp);
        if busy(&e) {
            return Err(e).with_context(|| {
                format!(
                    "cannot replace {}: another program has it open (a spreadsheet, a virus scanner, a sync tool). Close it and try again",
                    path.display()
                )
            });
        }
        return Err(e).with_context(|| format!("cannot write {}", path.display()));
    }
    sync_dir(dir);
    Ok(())
}

/// Whether `error` means another program holds the file for a moment: on Windows a
/// virus scanner, a sync tool (`OneDrive`), or `Excel` with the file open refuses a
/// replace with "access denied" (5) or "sharing violation" (32).
fn busy(error: &io::Error) -> bool {
    cfg!(windows) && matches!(error.raw_os_error(), Some(5 | 32))
}

/// Runs `f`, and again (up to ten times in about two seconds) while it fails with an
/// error that `retry` says is passing.
pub(crate) fn with_retries<T>(
    retry: impl Fn(&io::Error) -> bool,
    mut f: impl FnMut() -> io::Result<T>,
) -> io::Result<T> {
    let mut delay = Duration::from_millis(20);
    for _ in 0..10 {
        match f() {
            Err(e) if retry(&e) => {
                std::thread::sleep(delay);
                delay = (delay * 2).min(Duration::from_millis(400));
            }
            other => return other,
        }
    }
    f()
}

/// Flushes a folder's entries (the rename) to disk. Not possible on every platform; a
/// failure only weakens durability, so it is ignored.
fn sync_dir(dir: &Path) {
    if let Ok(d) = File::open(dir) {
        let _ = d.sync_all();
    }
}
