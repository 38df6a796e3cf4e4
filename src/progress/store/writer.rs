//! The writer thread: a [`super::Store`] in the background hands its changes here, so
//! the interface never waits for the disk or for another kurs's lock.
//!
//! Changes are written in the order they were recorded. A failed write keeps them and
//! tries again every [`RETRY`] (and at each new save); the store shows why until a write
//! succeeds. A profile that could not be opened at the start is opened here as soon as
//! the disk allows, and the changes made meanwhile are written to it.

use std::path::PathBuf;
use std::sync::mpsc::{self, Receiver, RecvTimeoutError, Sender};
use std::thread::JoinHandle;
use std::time::Duration;

use super::{DataDir, Entry, Loaded, OnDisk, ProfileFiles, slug};

/// How long the writer waits before trying a failed write again.
const RETRY: Duration = Duration::from_secs(2);

/// What the store asks of the writer.
enum Request {
    /// Write these changes (batch number, changes).
    Write(u64, Vec<Entry>),
    /// Write everything, fold the journals into the snapshot, answer, and stop.
    Finish(Sender<Result<(), String>>),
}

/// What the writer reports back.
#[derive(Debug)]
pub(super) enum Outcome {
    /// Everything handed over so far is on disk.
    Saved,
    /// Writing failed, for this reason; the changes are kept and tried again.
    Failed(String),
    /// The profile as on disk now (another kurs wrote to it, or it was compacted, or it
    /// could be opened at last), with every change handed over up to then included;
    /// the changes handed over after those are given back to be applied on top.
    Reloaded(Box<Loaded>, Vec<Entry>),
}

/// The store's end of the writer thread.
#[derive(Debug)]
pub(super) struct Writer {
    requests: Option<Sender<Request>>,
    outcomes: Receiver<(u64, Outcome)>,
    thread: Option<JoinHandle<()>>,
    /// Batches handed over and not yet reported written, with their numbers.
    in_flight: Vec<(u64, Vec<Entry>)>,
    next_batch: u64,
    path: PathBuf,
}

impl Writer {
    /// Starts the thread for profile `name` in `data`; `on_disk` when it is open already.
    pub(super) fn spawn(data: DataDir, name: String, on_disk: Option<OnDisk>) -> Self {
        let (requests, inbox) = mpsc::channel();
        let (outbox, outcomes) = mpsc::channel();
        let path = on_disk.as_ref().map_or_else(
            || ProfileFiles::new(&data.profiles_dir(), &slug(&name)).snapshot(),
            |d| d.files.snapshot(),
        );
        let mut thread = Thread {
            data,
            name,
            on_disk,
            queue: Vec::new(),
            outbox,
        };
        let thread = std::thread::Builder::new()
            .name("kurs-writer".to_owned())
            .spawn(move || thread.run(&inbox))
            .ok();
        Self {
            requests: Some(requests),
            outcomes,
            thread,
            in_flight: Vec::new(),
            next_batch: 1,
            path,
        }
    }

    /// The snapshot's path.
    pub(super) fn path(&self) -> PathBuf {
        self.path.clone()
    }

    /// The number of changes handed over and not yet written.
    pub(super) fn in_flight(&self) -> usize {
        self.in_flight.iter().map(|(_, e)| e.len()).sum()
    }

    /// Hands `entries` to the writer (returns at once).
    pub(super) fn send(&mut self, entries: Vec<Entry>) {
        if entries.is_empty() {
            return;
        }
        let batch = self.next_batch;
        self.next_batch += 1;
        self.in_flight.push((batch, entries.clone()));
        if let Some(requests) = &self.requests {
            let _ = requests.send(Request::Write(batch, entries));
        }
    }

    /// What the writer has reported since the last call, oldest first.
    pub(super) fn outcomes(&mut self) -> Vec<Outcome> {
        let mut out = Vec::new();
        while let Ok((done, outcome)) = self.outcomes.try_recv() {
            let outcome = match outcome {
                Outcome::Reloaded(loaded, _) => {
                    // Applied on top of the reloaded profile: what is still in flight.
                    let later = self
                        .in_flight
                        .iter()
                        .filter(|(b, _)| *b > done)
                        .flat_map(|(_, e)| e.iter().cloned())
                        .collect();
                    Outcome::Reloaded(loaded, later)
                }
                other => other,
            };
            if !matches!(outcome, Outcome::Failed(_)) {
                self.in_flight.retain(|(b, _)| *b > done);
            }
            out.push(outcome);
        }
        out
    }

    /// Asks the writer to write everything and fold the journals, and waits at most
    /// `timeout` for it. The thread stops afterwards.
    pub(super) fn finish(&mut self, timeout: Duration) -> Result<(), String> {
        let Some(requests) = self.requests.take() else {
            return Ok(());
        };
        let (answer, answered) = mpsc::channel();
        if requests.send(Request::Finish(answer)).is_err() {
            return Err("the writer has stopped".to_owned());
        }
        let result = match answered.recv_timeout(timeout) {
            Ok(result) => result,
            Err(_) => Err(format!(
                "the disk did not answer within {} seconds",
                timeout.as_secs()
            )),
        };
        if result.is_ok() {
            // Everything handed over is written: the outcomes say so.
            if let Some(thread) = self.thread.take() {
                let _ = thread.join();
            }
        }
        result
    }
}

impl Drop for Writer {
    /// Closing the channel makes the thread write what it holds and stop; the process
    /// may end before it is done, which is why quitting calls [`Writer::finish`].
    fn drop(&mut self) {
        self.requests = None;
    }
}

/// The writer thread's state.
struct Thread {
    data: DataDir,
    name: String,
    on_disk: Option<OnDisk>,
    /// Changes not yet written.
    queue: Vec<Entry>,
    outbox: Sender<(u64, Outcome)>,
}

impl Thread {
    fn run(&mut self, inbox: &Receiver<Request>) {
        let mut batch = 0;
        let mut failing = false;
        loop {
            let request = if failing {
                inbox.recv_timeout(RETRY)
            } else {
                inbox.recv().map_err(|_| RecvTimeoutError::Disconnected)
            };
            let mut finish = None;
            match request {
                Ok(Request::Write(n, entries)) => {
                    self.queue.extend(entries);
                    batch = n;
                    // Every batch already waiting goes into the same write.
                    while let Ok(next) = inbox.try_recv() {
                        match next {
                            Request::Write(n, entries) => {
                                self.queue.extend(entries);
                                batch = n;
                            }
                            Request::Finish(answer) => {
                                finish = Some(answer);
                                break;
                            }
                        }
                    }
                }
                Ok(Request::Finish(answer)) => finish = Some(answer),
                Err(RecvTimeoutError::Timeout) => {}
                Err(RecvTimeoutError::Disconnected) => {
                    let _ = self.write(batch);
                    return;
                }
            }
            let written = self.write(batch);
            failing = written.is_err();
            if let Some(answer) = finish {
                if written.is_ok() {
                    self.compact(batch);
                }
                let _ = answer.send(written);
                return;
            }
        }
    }

    /// Writes the queue (opening the profile first if it is not open yet) and reports
    /// the outcome for batches up to `batch`.
    fn write(&mut self, batch: u64) -> Result<(), String> {
        let mut opened = None;
        if self.on_disk.is_none() {
            match self.data.open_disk(&self.name) {
                Ok((on_disk, loaded)) => {
                    self.on_disk = Some(on_disk);
                    opened = Some(loaded);
                }
                Err(e) => return Err(self.failed(batch, &e)),
            }
        }
        let Some(on_disk) = &mut self.on_disk else {
            return Ok(());
        };
        if self.queue.is_empty() && opened.is_none() {
            return Ok(());
        }
        match on_disk.save(&self.queue) {
            Ok(reloaded) => {
                let outcome = match (reloaded, opened) {
                    (Some(loaded), _) => Outcome::Reloaded(Box::new(loaded), Vec::new()),
                    (None, Some(mut loaded)) => {
                        for entry in &self.queue {
                            loaded.profile.apply(&entry.change, entry.at);
                        }
                        Outcome::Reloaded(Box::new(loaded), Vec::new())
                    }
                    (None, None) => Outcome::Saved,
                };
                self.queue.clear();
                let _ = self.outbox.send((batch, outcome));
                Ok(())
            }
            Err(e) => Err(self.failed(batch, &e)),
        }
    }

    /// Folds the journals into the snapshot; reports the profile as written. A failure
    /// loses nothing (the journal holds everything), so it is not reported.
    fn compact(&mut self, batch: u64) {
        if let Some(on_disk) = &mut self.on_disk
            && let Ok(loaded) = on_disk.compact()
        {
            let _ = self
                .outbox
                .send((batch, Outcome::Reloaded(Box::new(loaded), Vec::new())));
        }
    }

    fn failed(&self, batch: u64, error: &anyhow::Error) -> String {
        let reason = format!("{error:#}");
        let _ = self.outbox.send((batch, Outcome::Failed(reason.clone())));
        reason
    }
}
