//! What a session starts with: the learner's profile, the interface language and the
//! colour theme. Shared by the full-screen runner and screen-reader mode.

use crate::i18n::Lang;
use crate::progress::Change;
use crate::progress::store::{DataDir, Store};
use crate::text::sanitize_line;

/// Choices from the command line.
#[derive(Clone, Copy, Debug, Default)]
pub struct Options<'a> {
    /// `--profile NAME`.
    pub profile: Option<&'a str>,
    /// `--lang CODE`.
    pub lang: Option<&'a str>,
    /// `--theme NAME`.
    pub theme: Option<&'a str>,
}

/// The resolved start of a session.
#[derive(Debug)]
pub struct Start {
    /// The learner's progress (in memory only when the data folder cannot be used; the
    /// reason is among its notices).
    pub store: Store,
    /// Whether several learners use this machine (then the learner is asked who they
    /// are, unless `--profile` said so).
    pub ask_who: bool,
    /// The interface language.
    pub lang: Lang,
    /// The name of the colour theme.
    pub theme: String,
}

/// Opens the profile and settles language and theme.
///
/// The profile: the one named; else the only one; else, with several, the one used
/// last (and `ask_who`); with none, a first one named after the system user. The
/// language: see [`Lang::choose`]. The theme: `--theme` (which is saved for the
/// learner), else `mono` when `NO_COLOR` is set or the terminal is dumb, else the
/// learner's saved choice, else `dark`.
#[must_use]
pub fn start(data: &DataDir, options: &Options, env: &dyn Fn(&str) -> Option<String>) -> Start {
    let profiles = data.profiles().unwrap_or_default();
    let (name, ask_who) = match options.profile {
        Some(name) => (name.to_owned(), false),
        None => match profiles.as_slice() {
            [] => (default_name(env), false),
            [only] => (only.name.clone(), false),
            [latest, ..] => (latest.name.clone(), true),
        },
    };
    let mut store = match data.open(&name) {
        Ok(store) => store,
        // The learner can go on; the banner says that nothing is saved, and a writer
        // thread keeps trying to open the profile.
        Err(e) => Store::unsaved(data, &name, format!("{e:#}")),
    };
    let saved = store.profile().settings.clone();
    let lang = Lang::choose(options.lang, env, saved.language.as_deref());
    let no_color =
        env("NO_COLOR").is_some_and(|v| !v.is_empty()) || env("TERM").is_some_and(|t| t == "dumb");
    let theme = match (options.theme, no_color, saved.theme.as_deref()) {
        (Some(explicit), _, _) => {
            if saved.theme.as_deref() != Some(explicit) {
                let mut settings = saved.clone();
                settings.theme = Some(explicit.to_owned());
                store.record(Change::Settings { settings });
            }
            explicit.to_owned()
        }
        (None, true, _) => "mono".to_owned(),
        (None, false, Some(saved)) => saved.to_owned(),
        (None, false, None) => "dark".to_owned(),
    };
    let _ = store.save();
    Start {
        store,
        ask_who,
        lang,
        theme,
    }
}

/// A first profile's name: the system user's, else "Learner".
fn default_name(env: &dyn Fn(&str) -> Option<String>) -> String {
    ["USER", "USERNAME", "LOGNAME"]
        .iter()
        .filter_map(|k| env(k))
        .map(|v| sanitize_line(&v).trim().to_owned())
        .find(|v| !v.is_empty() && v != "root")
        .unwrap_or_else(|| "Learner".to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::test_support::env;

    #[test]
    fn theme_and_language_are_settled_and_saved() {
        let tmp = tempfile::tempdir().expect("temp dir");
        let data = DataDir {
            root: tmp.path().to_path_buf(),
        };
        let options = Options {
            profile: Some("Ada"),
            lang: Some("de"),
            theme: Some("light"),
        };
        let first = start(&data, &options, &env(&[]));
        assert_eq!((first.lang, first.theme.as_str()), (Lang::De, "light"));
        drop(first);
        // Next time without options: the saved theme; NO_COLOR wins over it.
        let again = start(
            &data,
            &Options {
                profile: Some("Ada"),
                ..Options::default()
            },
            &env(&[("LANG", "en_GB.UTF-8")]),
        );
        assert_eq!((again.lang, again.theme.as_str()), (Lang::En, "light"));
        drop(again);
        let no_color = start(
            &data,
            &Options {
                profile: Some("Ada"),
                ..Options::default()
            },
            &env(&[("NO_COLOR", "1")]),
        );
        assert_eq!(no_color.theme, "mono");
    }

    #[test]
    fn several_learners_are_asked_who_they_are() {
        let tmp = tempfile::tempdir().expect("temp dir");
        let data = DataDir {
            root: tmp.path().to_path_buf(),
        };
        let none = start(&data, &Options::default(), &env(&[("USER", "anna")]));
        assert_eq!(none.store.profile().name, "anna");
        assert!(!none.ask_who);
        drop(none);
        drop(data.open("Ben").expect("second learner"));
        assert!(start(&data, &Options::default(), &env(&[])).ask_who);
        assert!(
            !start(
                &data,
                &Options {
                    profile: Some("Ben"),
                    ..Options::default()
                },
                &env(&[])
            )
            .ask_who
        );
    }
}
