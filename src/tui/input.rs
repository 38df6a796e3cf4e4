//! Waiting for the learner: input from the terminal, a signal, or the next tick — and
//! noticing when the terminal has gone away.
//!
//! crossterm 0.29 reads the terminal in a loop that never ends once the terminal has
//! hung up (the read returns end-of-file forever, at 100 % CPU, and signals are never
//! looked at). So the loop does not wait inside crossterm: it waits here, on the
//! terminal and on a pipe that the signals kurs handles write to, with `poll(2)`, and
//! asks crossterm for events only when the terminal has input and has not hung up.
//! A hang-up (window closed, SSH dropped, tmux killed) ends kurs normally, saving what
//! it holds; a watchdog ends the process should the loop ever be stuck all the same.

use std::io;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::time::{Duration, Instant};

/// What ended a wait.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Wake {
    /// The terminal has input: ask crossterm for the events.
    Input,
    /// A signal arrived (resize, or a request to stop).
    Signal,
    /// Nothing happened in time.
    Timeout,
    /// The terminal hung up or is gone.
    Gone,
}

/// The terminal and the signal pipe.
pub struct Waiter {
    #[cfg(unix)]
    signals: std::os::unix::net::UnixStream,
    /// Milliseconds since `start` when the loop last came round (for the watchdog).
    heartbeat: Arc<AtomicU64>,
    start: Instant,
}

impl Waiter {
    /// Registers SIGWINCH, SIGTERM, SIGHUP and SIGINT to wake the wait (besides setting
    /// `stop` for the last three), and starts the watchdog.
    ///
    /// # Errors
    /// When the pipe cannot be made or a handler cannot be registered.
    pub fn new(stop: &Arc<AtomicBool>) -> io::Result<Self> {
        let heartbeat = Arc::new(AtomicU64::new(0));
        let start = Instant::now();
        #[cfg(unix)]
        let signals = {
            use signal_hook::consts::{SIGHUP, SIGINT, SIGTERM, SIGWINCH};
            let (read, write) = std::os::unix::net::UnixStream::pair()?;
            read.set_nonblocking(true)?;
            write.set_nonblocking(true)?;
            for signal in [SIGTERM, SIGHUP, SIGINT] {
                signal_hook::flag::register(signal, Arc::clone(stop))?;
            }
            for signal in [SIGWINCH, SIGTERM, SIGHUP, SIGINT] {
                signal_hook::low_level::pipe::register(signal, write.try_clone()?)?;
            }
            read
        };
        #[cfg(not(unix))]
        signal_hook::flag::register(signal_hook::consts::SIGINT, Arc::clone(stop))?;
        watchdog(Arc::clone(stop), Arc::clone(&heartbeat), start);
        Ok(Self {
            #[cfg(unix)]
            signals,
            heartbeat,
            start,
        })
    }

    /// Notes that the loop came round (the watchdog leaves a loop that does alone).
    pub fn beat(&self) {
        self.heartbeat.store(millis(self.start), Ordering::Relaxed);
    }

    /// Notes that the loop has ended: the watchdog stands down while kurs saves and
    /// restores the terminal (both bounded in time).
    pub fn finished(&self) {
        self.heartbeat.store(u64::MAX, Ordering::Relaxed);
    }

    /// Waits at most `timeout` for input, a signal or a hang-up.
    ///
    /// # Errors
    /// When `poll` fails for another reason than an interruption.
    #[cfg(unix)]
    pub fn wait(&self, timeout: Duration) -> io::Result<Wake> {
        use std::io::Read as _;

        use rustix::event::{PollFd, PollFlags, Timespec, poll};

        let stdin = io::stdin();
        let timeout = Timespec::try_from(timeout).unwrap_or(Timespec {
            tv_sec: 1,
            tv_nsec: 0,
        });
        let (tty, signal) = {
            let mut fds = [
                PollFd::new(&stdin, PollFlags::IN),
                PollFd::new(&self.signals, PollFlags::IN),
            ];
            match poll(&mut fds, Some(&timeout)) {
                Ok(_) => {}
                Err(rustix::io::Errno::INTR) => return Ok(Wake::Signal),
                Err(e) => return Err(e.into()),
            }
            let [tty, signal] = &fds;
            (tty.revents(), signal.revents())
        };
        if !signal.is_empty() {
            // Empty the pipe; what the signal means is read from the flags.
            let mut buf = [0u8; 64];
            while matches!((&self.signals).read(&mut buf), Ok(n) if n > 0) {}
        }
        Ok(classify(tty, !signal.is_empty()))
    }

    /// Without `poll(2)`: crossterm's own wait (no hang-up detection there; Windows
    /// closes the console process itself).
    ///
    /// # Errors
    /// When crossterm cannot poll.
    #[cfg(not(unix))]
    pub fn wait(&self, timeout: Duration) -> io::Result<Wake> {
        Ok(if ratatui::crossterm::event::poll(timeout)? {
            Wake::Input
        } else {
            Wake::Timeout
        })
    }
}

/// What the terminal's poll flags mean: a hang-up or error wins over input (the input
/// of a hung-up terminal is only its end).
#[cfg(unix)]
fn classify(tty: rustix::event::PollFlags, signal: bool) -> Wake {
    use rustix::event::PollFlags;
    if tty.intersects(PollFlags::HUP | PollFlags::ERR | PollFlags::NVAL) {
        Wake::Gone
    } else if tty.contains(PollFlags::IN) {
        Wake::Input
    } else if signal {
        Wake::Signal
    } else {
        Wake::Timeout
    }
}

fn millis(start: Instant) -> u64 {
    u64::try_from(start.elapsed().as_millis()).unwrap_or(u64::MAX)
}

/// How long the loop may be stuck, after a stop was asked for, before the watchdog
/// ends the process.
const STUCK: Duration = Duration::from_secs(3);

/// Ends the process when a stop was asked for (SIGHUP, SIGTERM, SIGINT) or the terminal
/// has hung up, and the loop has not come round for [`STUCK`] since: the one case left
/// where crossterm can still spin on a dead terminal (it hung up between the wait and
/// the read). Saved progress is on disk already; the writer thread's queue is what such
/// an end can lose.
fn watchdog(stop: Arc<AtomicBool>, heartbeat: Arc<AtomicU64>, start: Instant) {
    let _ = std::thread::Builder::new()
        .name("kurs-watchdog".to_owned())
        .spawn(move || {
            let mut stopping_since = None;
            loop {
                std::thread::sleep(Duration::from_millis(250));
                if !stop.load(Ordering::Relaxed) && !hung_up() {
                    stopping_since = None;
                    continue;
                }
                let since = *stopping_since.get_or_insert_with(|| millis(start));
                let beat = heartbeat.load(Ordering::Relaxed);
                let stuck = beat < since && millis(start).saturating_sub(since) > millis_of(STUCK);
                if stuck {
                    std::process::exit(1);
                }
            }
        });
}

/// Whether the terminal on standard input has hung up (a poll that does not wait).
#[cfg(unix)]
fn hung_up() -> bool {
    use rustix::event::{PollFd, PollFlags, Timespec, poll};
    let stdin = io::stdin();
    let mut fds = [PollFd::new(&stdin, PollFlags::IN)];
    let zero = Timespec {
        tv_sec: 0,
        tv_nsec: 0,
    };
    poll(&mut fds, Some(&zero)).is_ok()
        && fds
            .first()
            .is_some_and(|fd| classify(fd.revents(), false) == Wake::Gone)
}

#[cfg(not(unix))]
fn hung_up() -> bool {
    false
}

fn millis_of(d: Duration) -> u64 {
    u64::try_from(d.as_millis()).unwrap_or(u64::MAX)
}

#[cfg(all(test, unix))]
mod tests {
    use rustix::event::PollFlags;

    use super::*;

    #[test]
    fn a_hang_up_wins_over_input_and_signals() {
        assert_eq!(classify(PollFlags::HUP | PollFlags::IN, true), Wake::Gone);
        assert_eq!(classify(PollFlags::ERR, false), Wake::Gone);
        assert_eq!(classify(PollFlags::NVAL, false), Wake::Gone);
        assert_eq!(classify(PollFlags::IN, true), Wake::Input);
        assert_eq!(classify(PollFlags::empty(), true), Wake::Signal);
        assert_eq!(classify(PollFlags::empty(), false), Wake::Timeout);
    }
}
