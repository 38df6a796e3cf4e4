//! End to end in a real terminal: tmux runs kurs, sends keys and reads the screen.
//!
//! Each test starts its own tmux server (`tmux -L NAME`) at a fixed size, polls
//! `capture-pane` until the expected text appears (never fixed sleeps), and kills the
//! server when done. The binary is `KURS_E2E_BIN` (CI points it at the release build),
//! else the one cargo built for the tests. Without tmux the tests say so and pass,
//! unless `KURS_REQUIRE_TMUX` is set (CI sets it, and installs tmux).

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    clippy::missing_panics_doc,
    clippy::must_use_candidate,
    clippy::format_collect,
    clippy::map_unwrap_or,
    missing_docs
)]

#[path = "../common/env.rs"]
mod env;
mod terminal;

use std::path::Path;

use terminal::Tmux;

fn binary() -> String {
    std::env::var("KURS_E2E_BIN").unwrap_or_else(|_| env!("CARGO_BIN_EXE_kurs").to_owned())
}

/// `env -u VAR …` for every variable kurs reads: a test sees none of the caller's.
fn unset_all() -> String {
    env::KURS_VARIABLES
        .iter()
        .map(|v| format!("-u {v} "))
        .collect()
}

/// The shell command that runs kurs with `args`, then reports its exit status and the
/// terminal's line discipline (`icanon` in cooked mode, `-icanon` in raw mode) once it
/// is gone, and `[end]`.
fn command(data: &Path, args: &str, env: &str) -> String {
    format!(
        "env {}LANG=C.UTF-8 TERM=xterm-256color {env} {} --data-dir {} {args}; echo \"[exit=$?]\"; stty -a | tr ' ' '\\n' | grep -x -- '-\\?icanon'; echo '[end]'; sleep 60",
        unset_all(),
        binary(),
        data.display()
    )
}

/// Waits for kurs to end; returns the screen, checked for a restored terminal.
fn ended(tmux: &Tmux, exit: &str) -> String {
    tmux.wait_for("[end]");
    let screen = tmux.screen();
    assert!(
        screen.contains(&format!("[exit={exit}]")),
        "exit status {exit}:\n{screen}"
    );
    assert!(
        screen.lines().any(|l| l.trim() == "icanon"),
        "cooked mode again:\n{screen}"
    );
    assert_eq!(
        tmux.format("#{alternate_on}"),
        "0",
        "the alternate screen is left"
    );
    assert_eq!(tmux.format("#{cursor_flag}"), "1", "the cursor is visible");
    assert!(!screen.contains("panicked at"), "{screen}");
    screen
}

#[test]
fn learn_quit_and_continue_where_you_left_off() {
    let Some(tmux) = Tmux::start("kurs-e2e-flow", 100, 30) else {
        return;
    };
    let data = tempfile::tempdir().unwrap();
    tmux.run(&command(data.path(), "", ""));
    tmux.wait_for("Getting started with kurs");
    assert!(tmux.screen().contains("? help"), "the key bar is shown");
    // Open the course, then its first lesson.
    tmux.keys(&["Enter"]);
    tmux.wait_for("Welcome to kurs  lesson");
    tmux.keys(&["Enter"]);
    tmux.wait_for("0 %");
    // Read it to the end, go on to the next lesson, read that, go on to the quiz.
    tmux.keys(&["End"]);
    tmux.wait_for("100 %");
    tmux.keys(&["n"]);
    tmux.wait_for("Reading a lesson");
    tmux.keys(&["End"]);
    tmux.wait_for("100 %");
    tmux.keys(&["n"]);
    tmux.wait_for("Question 1 of 7");
    // Answer every question with the highlighted option, reading each feedback.
    for n in 1..=7 {
        tmux.wait_for(&format!("Question {n} of 7"));
        tmux.keys(&["Enter"]);
        tmux.wait_for("Press Enter to go on");
        tmux.keys(&["Enter"]);
    }
    tmux.wait_for("Results: Practice: finding your way");
    tmux.wait_for("Pass mark: 80 %");
    // Back to the course: both lessons are done.
    tmux.keys(&["q"]);
    tmux.wait_for("Reading a lesson  lesson · done");
    tmux.keys(&["q"]);
    tmux.wait_for("Continue where you left off");
    tmux.keys(&["q"]);
    ended(&tmux, "0");

    // Start again: kurs offers to continue at the same place.
    tmux.run(&command(data.path(), "", ""));
    tmux.wait_for("Continue where you left off");
    let screen = tmux.screen();
    let resume = screen.lines().nth(2).unwrap_or_default();
    // The quiz, or (when it was passed) the lesson after it.
    assert!(
        resume.contains("Getting started with kurs · Practice: finding your way")
            || resume.contains("Getting started with kurs · Choosing answers"),
        "{screen}"
    );
    tmux.keys(&["Enter"]);
    tmux.wait_for(&format!(
        "kurs › Getting started with kurs › {}",
        resume.split(" · ").nth(1).unwrap_or_default().trim()
    ));
    tmux.keys(&["C-c"]);
    if resume.contains("Practice") {
        // In an unfinished attempt, Ctrl+C asks first.
        tmux.wait_for("Leave the quiz?");
        tmux.keys(&["Enter"]);
    }
    ended(&tmux, "0");
}

#[test]
fn the_terminal_is_restored_after_a_panic() {
    let Some(tmux) = Tmux::start("kurs-e2e-panic", 100, 30) else {
        return;
    };
    let data = tempfile::tempdir().unwrap();
    tmux.run(&command(
        data.path(),
        "",
        "KURS_TEST_PANIC=1 RUST_BACKTRACE=1",
    ));
    let screen = ended(&tmux, "101");
    assert!(
        screen.contains("kurs stopped because of an internal error"),
        "{screen}"
    );
    assert!(
        !screen.contains("stack backtrace"),
        "no stack trace: {screen}"
    );
}

#[test]
fn sigterm_and_sighup_end_kurs_cleanly() {
    for signal in ["TERM", "HUP"] {
        let Some(tmux) = Tmux::start(&format!("kurs-e2e-sig{signal}"), 100, 30) else {
            return;
        };
        let data = tempfile::tempdir().unwrap();
        tmux.run(&command(data.path(), "", ""));
        tmux.wait_for("Getting started with kurs");
        tmux.keys(&["Enter"]);
        tmux.wait_for("Welcome to kurs  lesson");
        tmux.keys(&["Enter"]);
        tmux.wait_for("0 %");
        // Only kurs itself: its command line starts with the binary.
        let pattern = format!("^{} --data-dir {}", binary(), data.path().display());
        let status = std::process::Command::new("pkill")
            .args([&format!("-{signal}"), "-f", &pattern])
            .status()
            .unwrap();
        assert!(status.success(), "kurs was found and signalled");
        ended(&tmux, "0");
        // The opened lesson was saved.
        let exported = env::clean(&mut std::process::Command::new(binary()))
            .args([
                "--data-dir",
                &data.path().display().to_string(),
                "report",
                "--format",
                "csv",
            ])
            .output()
            .unwrap();
        let csv = String::from_utf8_lossy(&exported.stdout);
        assert!(
            csv.contains("welcome,lesson,in progress"),
            "{signal}: {csv}"
        );
    }
}

/// The SGR parameters of every escape sequence in `text` that sets a colour.
fn colour_codes(text: &str) -> Vec<String> {
    let mut found = Vec::new();
    for part in text.split("\u{1b}[").skip(1) {
        let params: String = part
            .chars()
            .take_while(|c| c.is_ascii_digit() || *c == ';')
            .collect();
        if !part[params.len()..].starts_with('m') {
            continue;
        }
        for code in params.split(';') {
            let n: u32 = code.parse().unwrap_or(0);
            if (30..=37).contains(&n)
                || (40..=47).contains(&n)
                || (90..=97).contains(&n)
                || (100..=107).contains(&n)
                || n == 38
                || n == 48
            {
                found.push(params.clone());
                break;
            }
        }
    }
    found
}

#[test]
fn no_color_means_no_colour_escape_sequences() {
    let Some(tmux) = Tmux::start("kurs-e2e-nocolor", 100, 30) else {
        return;
    };
    let data = tempfile::tempdir().unwrap();
    tmux.run(&command(data.path(), "", "NO_COLOR=1"));
    tmux.wait_for("Getting started with kurs");
    tmux.keys(&["Enter"]);
    tmux.wait_for("Welcome to kurs  lesson");
    tmux.keys(&["Enter"]);
    tmux.wait_for("0 %");
    let lesson = tmux.screen_with_escapes();
    assert!(
        colour_codes(&lesson).is_empty(),
        "colour in the lesson: {:?}",
        colour_codes(&lesson)
    );
    tmux.keys(&["q", "q", "q"]);
    ended(&tmux, "0");
    // Without NO_COLOR, the same screen has colour (the check can fail).
    tmux.run(&command(data.path(), "", ""));
    tmux.wait_for("Getting started with kurs");
    assert!(
        !colour_codes(&tmux.screen_with_escapes()).is_empty(),
        "colour without NO_COLOR"
    );
    tmux.keys(&["q"]);
    ended(&tmux, "0");
    // `kurs show` on a terminal: styled, but no colour with NO_COLOR.
    tmux.run(&format!("env {}LANG=C.UTF-8 NO_COLOR=1 {} show getting-started/finding-your-way/welcome --width 80; echo '[end]'; sleep 60", unset_all(), binary()));
    tmux.wait_for("[end]");
    let shown = tmux.screen_with_escapes();
    assert!(shown.contains("Welcome"), "{shown}");
    assert!(
        colour_codes(&shown).is_empty(),
        "colour in show: {:?}",
        colour_codes(&shown)
    );
}

#[test]
fn ctrl_z_then_fg_gives_the_terminal_back_and_takes_it_again() {
    let Some(tmux) = Tmux::start("kurs-e2e-suspend", 100, 30) else {
        return;
    };
    let data = tempfile::tempdir().unwrap();
    tmux.run("env PS1='$ ' bash --norc --noprofile -i");
    tmux.wait_for("$");
    let start = format!(
        "LANG=C.UTF-8 TERM=xterm-256color {} --data-dir {}",
        binary(),
        data.path().display()
    );
    tmux.keys(&["-l", &start]);
    tmux.keys(&["Enter"]);
    tmux.wait_for("Getting started with kurs");
    tmux.keys(&["Enter"]);
    tmux.wait_for("Welcome to kurs  lesson");
    tmux.keys(&["C-z"]);
    tmux.wait_for("Stopped");
    assert_eq!(
        tmux.format("#{alternate_on}"),
        "0",
        "the shell's screen is back"
    );
    tmux.keys(&[
        "-l",
        // The marker is split in the typed command, so that waiting for it waits for
        // the output and not for the echo of the command line.
        "stty -a | tr ' ' '\\n' | grep -x -- '-\\?icanon'; echo '[tty''-done]'",
    ]);
    tmux.keys(&["Enter"]);
    tmux.wait_for("[tty-done]");
    let screen = tmux.screen();
    assert!(
        screen.lines().any(|l| l.trim() == "icanon"),
        "cooked mode while stopped:\n{screen}"
    );
    tmux.keys(&["-l", "fg"]);
    tmux.keys(&["Enter"]);
    tmux.wait_for("Welcome to kurs  lesson");
    assert_eq!(
        tmux.format("#{alternate_on}"),
        "1",
        "kurs has the full screen again"
    );
    tmux.keys(&["q", "q"]);
    // Typing goes to the shell only once kurs has left the full screen.
    tmux.wait_for_format("#{alternate_on}", "0");
    tmux.keys(&["-l", "echo \"[exit=$?]\""]);
    tmux.keys(&["Enter"]);
    tmux.wait_for("[exit=0]");
}

/// The process id of the kurs started on `data` (matched by its own data folder).
fn kurs_pid(data: &Path) -> u32 {
    let pattern = format!("^{} --data-dir {}( |$)", binary(), data.display());
    let start = std::time::Instant::now();
    loop {
        let out = std::process::Command::new("pgrep")
            .args(["-f", &pattern])
            .output()
            .unwrap();
        let pids = String::from_utf8_lossy(&out.stdout);
        if let Some(pid) = pids.lines().next().and_then(|l| l.trim().parse().ok()) {
            return pid;
        }
        assert!(start.elapsed().as_secs() < 10, "kurs is running");
        std::thread::sleep(std::time::Duration::from_millis(50));
    }
}

/// Opens the first lesson of the first course on `data` in `tmux`, scrolls down a few
/// lines, and returns the reading position the top bar shows (in %, above 0).
fn open_a_lesson_and_scroll(tmux: &Tmux, data: &Path) -> u32 {
    tmux.run(&command(data, "", ""));
    tmux.wait_for("Getting started with kurs");
    tmux.keys(&["Enter"]);
    tmux.wait_for("Welcome to kurs  lesson");
    tmux.keys(&["Enter"]);
    tmux.wait_for("0 %");
    tmux.keys(&[
        "Down", "Down", "Down", "Down", "Down", "Down", "Down", "Down",
    ]);
    tmux.wait_for("kurs › Getting started");
    let screen = tmux.screen();
    let top = screen.lines().next().unwrap_or_default();
    let percent = top
        .split_whitespace()
        .rev()
        .find_map(|w| w.parse::<u32>().ok())
        .unwrap_or(0);
    assert!(percent > 0, "scrolled: {screen}");
    percent
}

/// Closes the terminal of the kurs running on `data` (kills the tmux server, as closing
/// the window would) and asserts that kurs is gone within 2 s.
fn close_terminal(tmux: &Tmux, data: &Path) {
    let pid = kurs_pid(data);
    tmux.kill_server();
    assert_ends_within(pid, 2.0);
}

/// Starts kurs on `data` again in a new terminal and continues where the learner left
/// off.
fn continue_in_new_terminal(name: &str, data: &Path) -> Option<Tmux> {
    let tmux = Tmux::start(name, 80, 24)?;
    tmux.run(&command(data, "", ""));
    tmux.wait_for("Continue where you left off");
    tmux.keys(&["Enter"]);
    Some(tmux)
}

/// Asserts that process `pid` ends within `seconds` (it may be a zombie of the dead
/// terminal's shell for a moment: one that no longer runs counts as ended).
fn assert_ends_within(pid: u32, seconds: f64) {
    let start = std::time::Instant::now();
    loop {
        let state = std::fs::read_to_string(format!("/proc/{pid}/stat")).unwrap_or_default();
        let running = state
            .rsplit_once(") ")
            .is_some_and(|(_, rest)| !rest.starts_with('Z'));
        if !running {
            return;
        }
        assert!(
            start.elapsed().as_secs_f64() < seconds,
            "kurs (pid {pid}) still runs {seconds} s after its terminal went away: {state}"
        );
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
}

#[test]
fn closing_the_terminal_ends_kurs_at_once_and_keeps_the_reading_position() {
    let data = tempfile::tempdir().unwrap();
    let percent = {
        let Some(tmux) = Tmux::start("kurs-e2e-gone-lesson", 80, 24) else {
            return;
        };
        let percent = open_a_lesson_and_scroll(&tmux, data.path());
        close_terminal(&tmux, data.path());
        percent
    };
    // Started again, kurs reopens the lesson at the saved position.
    let Some(tmux) = continue_in_new_terminal("kurs-e2e-gone-lesson-again", data.path()) else {
        return;
    };
    tmux.wait_for(&format!("{percent} %"));
    tmux.keys(&["C-c"]);
    ended(&tmux, "0");
}

#[test]
fn closing_the_terminal_in_a_quiz_keeps_the_answers_given() {
    let data = tempfile::tempdir().unwrap();
    {
        let Some(tmux) = Tmux::start("kurs-e2e-gone-quiz", 80, 24) else {
            return;
        };
        tmux.run(&command(data.path(), "", ""));
        tmux.wait_for("Getting started with kurs");
        tmux.keys(&["Enter"]);
        tmux.wait_for("Welcome to kurs  lesson");
        // The practice quiz is the module's third item.
        tmux.keys(&["Down", "Down", "Enter"]);
        tmux.wait_for("Question 1 of 7");
        tmux.keys(&["Enter"]);
        tmux.wait_for("Press Enter to go on");
        tmux.keys(&["Enter"]);
        tmux.wait_for("Question 2 of 7");
        close_terminal(&tmux, data.path());
    }
    let Some(tmux) = continue_in_new_terminal("kurs-e2e-gone-quiz-again", data.path()) else {
        return;
    };
    tmux.wait_for("Question 2 of 7");
    tmux.keys(&["C-c"]);
    tmux.wait_for("Leave the quiz?");
    tmux.keys(&["Enter"]);
    ended(&tmux, "0");
}

#[test]
fn closing_the_terminal_ends_screen_reader_mode_too() {
    let data = tempfile::tempdir().unwrap();
    let Some(tmux) = Tmux::start("kurs-e2e-gone-sr", 80, 24) else {
        return;
    };
    tmux.run(&command(data.path(), "--screen-reader", ""));
    tmux.wait_for("or q to quit.");
    tmux.keys(&["1", "Enter"]);
    tmux.wait_for("or q to go back to the courses.");
    tmux.keys(&["1", "Enter"]);
    tmux.wait_for("End of page 1 of");
    close_terminal(&tmux, data.path());
    // What was done is saved: the lesson was opened.
    let exported = env::clean(&mut std::process::Command::new(binary()))
        .args(["--data-dir", &data.path().display().to_string(), "progress"])
        .output()
        .unwrap();
    assert!(
        String::from_utf8_lossy(&exported.stdout).contains("Getting started with kurs"),
        "{}",
        String::from_utf8_lossy(&exported.stdout)
    );
}

#[test]
fn when_progress_cannot_be_saved_every_screen_says_so_and_kurs_exits_1() {
    let Some(tmux) = Tmux::start("kurs-e2e-unsaved", 80, 24) else {
        return;
    };
    // The data folder's place is taken by a file: nothing can be created there.
    let tmp = tempfile::tempdir().unwrap();
    let blocked = tmp.path().join("not-a-folder");
    std::fs::write(&blocked, "a file").unwrap();
    tmux.run(&command(&blocked.join("data"), "", ""));
    let banner = "Your progress is not being saved";
    tmux.wait_for(banner);
    assert!(
        tmux.screen().contains("Getting started with kurs"),
        "{}",
        tmux.screen()
    );
    // The course screen, a lesson, the help: the banner stays.
    tmux.keys(&["Enter"]);
    tmux.wait_for("Welcome to kurs  lesson");
    assert!(tmux.screen().contains(banner), "{}", tmux.screen());
    tmux.keys(&["Enter"]);
    tmux.wait_for("0 %");
    assert!(tmux.screen().contains(banner), "{}", tmux.screen());
    tmux.keys(&["?"]);
    tmux.wait_for("Esc");
    assert!(tmux.screen().contains(banner), "{}", tmux.screen());
    tmux.keys(&["C-c"]);
    let screen = ended(&tmux, "1");
    assert!(
        screen.contains("kurs could not save your progress"),
        "named on the way out: {screen}"
    );
}

#[test]
fn in_german_the_first_screen_shows_only_german_courses() {
    let Some(tmux) = Tmux::start("kurs-e2e-german", 80, 24) else {
        return;
    };
    let data = tempfile::tempdir().unwrap();
    tmux.run(&command(data.path(), "--lang de", ""));
    tmux.wait_for("Einstieg in kurs");
    let screen = tmux.screen();
    for german in ["Einstieg in kurs", "Sicherheit am Arbeitsplatz"] {
        assert!(screen.contains(german), "{german}: {screen}");
    }
    for english in [
        "Getting started with kurs",
        "Security at work",
        "Other languages",
    ] {
        assert!(
            !screen.contains(english),
            "{english} on the first screen: {screen}"
        );
    }
    // The English editions follow, under "Andere Sprachen", past the German ones.
    let mut presses = 0;
    while !tmux.screen().contains("Andere Sprachen") {
        assert!(presses < 40, "no 'Andere Sprachen': {}", tmux.screen());
        tmux.keys(&["Down"]);
        std::thread::sleep(std::time::Duration::from_millis(50));
        presses += 1;
    }
    assert!(
        tmux.screen().contains("Getting started with kurs"),
        "{}",
        tmux.screen()
    );
    tmux.keys(&["q"]);
    ended(&tmux, "0");
}

#[test]
fn the_reading_position_survives_a_killed_process() {
    // No clean exit at all (SIGKILL, as a console window closed on Windows or a power
    // cut): the position recorded on the idle tick is there when kurs starts again.
    let data = tempfile::tempdir().unwrap();
    let percent = {
        let Some(tmux) = Tmux::start("kurs-e2e-killed", 80, 24) else {
            return;
        };
        let percent = open_a_lesson_and_scroll(&tmux, data.path());
        // The learner pauses; the position is recorded within a few seconds.
        std::thread::sleep(std::time::Duration::from_millis(6_500));
        let pid = kurs_pid(data.path());
        let killed = std::process::Command::new("kill")
            .args(["-KILL", &pid.to_string()])
            .status()
            .unwrap();
        assert!(killed.success());
        assert_ends_within(pid, 2.0);
        percent
    };
    let Some(tmux) = continue_in_new_terminal("kurs-e2e-killed-again", data.path()) else {
        return;
    };
    tmux.wait_for(&format!("{percent} %"));
    tmux.keys(&["C-c"]);
    ended(&tmux, "0");
}
