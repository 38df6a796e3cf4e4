//! A private tmux server for one test.

use std::process::{Command, Output};
use std::time::{Duration, Instant};

/// How long to wait for text to appear.
const TIMEOUT: Duration = Duration::from_secs(20);

/// A tmux server with one window of a fixed size, killed on drop.
pub struct Tmux {
    socket: String,
}

impl Tmux {
    /// Starts a server named after `name` (and the process id) with a `width` × `height`
    /// window. `None` (with a note) when tmux is missing and not required.
    pub fn start(name: &str, width: u16, height: u16) -> Option<Self> {
        if Command::new("tmux").arg("-V").output().is_err() {
            assert!(
                std::env::var_os("KURS_REQUIRE_TMUX").is_none(),
                "tmux is required (KURS_REQUIRE_TMUX is set) but not installed"
            );
            eprintln!("note: tmux is not installed; the end-to-end test {name} did not run");
            return None;
        }
        let tmux = Self {
            socket: format!("{name}-{}", std::process::id()),
        };
        tmux.cmd(&["kill-server"]);
        let out = tmux.cmd(&[
            "new-session",
            "-d",
            "-x",
            &width.to_string(),
            "-y",
            &height.to_string(),
            "-n",
            "main",
            "sleep 600",
        ]);
        assert!(
            out.status.success(),
            "tmux started: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        tmux.cmd(&["set-option", "-g", "remain-on-exit", "on"]);
        Some(tmux)
    }

    fn cmd(&self, args: &[&str]) -> Output {
        // The server (and every pane) starts without the caller's kurs settings.
        crate::env::clean(&mut Command::new("tmux"))
            .arg("-L")
            .arg(&self.socket)
            .args(args)
            .output()
            .expect("tmux runs")
    }

    /// Kills the server and with it the terminal, as closing the window would.
    pub fn kill_server(&self) {
        self.cmd(&["kill-server"]);
    }

    /// Replaces whatever runs in the window with `shell_command`.
    pub fn run(&self, shell_command: &str) {
        let out = self.cmd(&["respawn-pane", "-k", "-t", "main", shell_command]);
        assert!(
            out.status.success(),
            "respawn: {}",
            String::from_utf8_lossy(&out.stderr)
        );
    }

    /// Sends keys by tmux name (`Enter`, `Down`, `C-c`, `q`).
    pub fn keys(&self, keys: &[&str]) {
        let mut args = vec!["send-keys", "-t", "main"];
        args.extend_from_slice(keys);
        self.cmd(&args);
    }

    /// The screen's text.
    pub fn screen(&self) -> String {
        String::from_utf8_lossy(&self.cmd(&["capture-pane", "-p", "-t", "main"]).stdout)
            .into_owned()
    }

    /// The screen with its escape sequences (colours and attributes).
    pub fn screen_with_escapes(&self) -> String {
        String::from_utf8_lossy(&self.cmd(&["capture-pane", "-p", "-e", "-t", "main"]).stdout)
            .into_owned()
    }

    /// A tmux format for the pane, e.g. `#{cursor_flag}`.
    pub fn format(&self, format: &str) -> String {
        String::from_utf8_lossy(
            &self
                .cmd(&["display-message", "-p", "-t", "main", format])
                .stdout,
        )
        .trim()
        .to_owned()
    }

    /// Waits until `text` is on screen; fails with the screen after the timeout.
    pub fn wait_for(&self, text: &str) {
        let start = Instant::now();
        loop {
            let screen = self.screen();
            if screen.contains(text) {
                return;
            }
            assert!(
                start.elapsed() < TIMEOUT,
                "waited for {text:?}; the screen shows:\n{screen}"
            );
            std::thread::sleep(Duration::from_millis(50));
        }
    }
}

impl Tmux {
    /// Waits until the tmux `format` reads `value`; fails with the screen after the timeout.
    pub fn wait_for_format(&self, format: &str, value: &str) {
        let start = Instant::now();
        while self.format(format) != value {
            assert!(
                start.elapsed() < TIMEOUT,
                "waited for {format} = {value}; the screen shows:\n{}",
                self.screen()
            );
            std::thread::sleep(Duration::from_millis(50));
        }
    }
}

impl Drop for Tmux {
    fn drop(&mut self) {
        self.cmd(&["kill-server"]);
    }
}
