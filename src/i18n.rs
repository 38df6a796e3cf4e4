//! The interface's words, one TOML file per language in `assets/i18n/`, turned into
//! static tables at build time (`build.rs`): a start of kurs parses nothing.
//!
//! Keys are dotted (`catalogue.title`); values may hold `{name}` placeholders. Adding a
//! language is adding a file and a line in [`Lang`] (the compiler then points at its
//! table in `Lang::texts`); a test fails when any language lacks a key that English has.

mod tables {
    include!(concat!(env!("OUT_DIR"), "/strings.rs"));
}

/// A language of the interface.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Lang {
    /// English (the default).
    #[default]
    En,
    /// German.
    De,
}

impl Lang {
    /// Every language, English first.
    pub const ALL: [Lang; 2] = [Lang::En, Lang::De];

    /// The BCP 47 code.
    #[must_use]
    pub fn code(self) -> &'static str {
        match self {
            Lang::En => "en",
            Lang::De => "de",
        }
    }

    /// The language for a code such as `en`, `en_GB.UTF-8` or `EN`.
    #[must_use]
    pub fn from_code(code: &str) -> Option<Lang> {
        let primary = code
            .split(['_', '-', '.', '@'])
            .next()
            .unwrap_or_default()
            .to_ascii_lowercase();
        Lang::ALL.into_iter().find(|l| l.code() == primary)
    }

    /// The language to use: `explicit` (`--lang`), else `KURS_LANG`, else the learner's
    /// saved choice, else the system locale (`LC_ALL`, `LC_MESSAGES`, `LANG`, then the
    /// operating system's setting), else English. Unknown codes are skipped.
    #[must_use]
    pub fn choose(
        explicit: Option<&str>,
        env: impl Fn(&str) -> Option<String>,
        saved: Option<&str>,
    ) -> Lang {
        let from_env = |k: &str| env(k).filter(|v| !v.is_empty());
        explicit
            .and_then(Lang::from_code)
            .or_else(|| from_env("KURS_LANG").as_deref().and_then(Lang::from_code))
            .or_else(|| saved.and_then(Lang::from_code))
            .or_else(|| {
                ["LC_ALL", "LC_MESSAGES", "LANG"]
                    .iter()
                    .find_map(|k| from_env(k))
                    .filter(|v| v != "C" && v != "POSIX")
                    .as_deref()
                    .and_then(Lang::from_code)
            })
            .or_else(|| {
                sys_locale::get_locale()
                    .as_deref()
                    .and_then(Lang::from_code)
            })
            .unwrap_or_default()
    }

    /// This language's texts, in the order of `tables::KEYS`.
    fn texts(self) -> &'static [Option<&'static str>] {
        match self {
            Lang::En => tables::EN,
            Lang::De => tables::DE,
        }
    }
}

/// The strings of one language.
#[derive(Clone, Debug)]
pub struct Strings {
    lang: Lang,
}

impl Strings {
    /// The strings of `lang`, with English behind it for anything missing.
    #[must_use]
    pub fn new(lang: Lang) -> Self {
        Self { lang }
    }

    /// This language's own text for `key`, if it has one.
    fn own(lang: Lang, key: &str) -> Option<&'static str> {
        let index = tables::KEYS.binary_search(&key).ok()?;
        lang.texts().get(index).copied().flatten()
    }

    /// The language.
    #[must_use]
    pub fn lang(&self) -> Lang {
        self.lang
    }

    /// The text for `key` (the key itself if no language has it).
    #[must_use]
    pub fn get<'a>(&self, key: &'a str) -> &'a str {
        Self::own(self.lang, key)
            .or_else(|| Self::own(Lang::En, key))
            .unwrap_or(key)
    }

    /// The text for `key` with `{name}` placeholders filled in.
    #[must_use]
    pub fn fmt(&self, key: &str, args: &[(&str, &str)]) -> String {
        let mut text = self.get(key).to_owned();
        for (name, value) in args {
            text = text.replace(&format!("{{{name}}}"), value);
        }
        text
    }
}

impl Strings {
    /// A percentage as this language writes it ("85 %"), rounded down (see
    /// [`crate::quiz::shown_fraction`]).
    #[must_use]
    pub fn percent(&self, fraction: f64) -> String {
        format!("{:.0} %", crate::quiz::shown_fraction(fraction, 2) * 100.0)
    }

    /// A number with this language's decimal separator.
    #[must_use]
    pub fn number(&self, value: f64) -> String {
        let text = if (value - value.round()).abs() < 1e-9 {
            format!("{value:.0}")
        } else {
            format!("{value:.2}").trim_end_matches('0').to_owned()
        };
        let separator = self.get("format.decimal");
        text.replace('.', separator)
    }

    /// Every key of this language.
    #[must_use]
    pub fn keys(&self) -> Vec<&str> {
        tables::KEYS
            .iter()
            .zip(self.lang.texts())
            .filter(|(_, text)| text.is_some())
            .map(|(key, _)| *key)
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_language_parses_and_has_every_key() {
        let english = Strings::new(Lang::En);
        assert!(english.keys().len() > 50, "the English file parses");
        for lang in Lang::ALL {
            let missing: Vec<&str> = english
                .keys()
                .into_iter()
                .filter(|k| Strings::own(lang, k).is_none())
                .collect();
            assert!(missing.is_empty(), "{lang:?} lacks {missing:?}");
        }
    }

    #[test]
    fn placeholders_agree_between_languages() {
        let english = Strings::new(Lang::En);
        for lang in Lang::ALL {
            let strings = Strings::new(lang);
            for key in english.keys() {
                let holes = |text: &str| {
                    let mut found: Vec<String> = text
                        .split('{')
                        .skip(1)
                        .filter_map(|p| p.split_once('}').map(|(h, _)| h.to_owned()))
                        .collect();
                    found.sort();
                    found
                };
                assert_eq!(
                    holes(english.get(key)),
                    holes(strings.get(key)),
                    "{lang:?} {key}"
                );
            }
        }
    }

    #[test]
    fn the_language_is_chosen_in_order() {
        let env = crate::test_support::env;
        assert_eq!(
            Lang::choose(Some("de"), env(&[("KURS_LANG", "en")]), None),
            Lang::De
        );
        assert_eq!(
            Lang::choose(
                None,
                env(&[("KURS_LANG", "de"), ("LANG", "en_US.UTF-8")]),
                None
            ),
            Lang::De
        );
        assert_eq!(
            Lang::choose(None, env(&[("LANG", "en_US.UTF-8")]), Some("de")),
            Lang::De
        );
        assert_eq!(
            Lang::choose(None, env(&[("LANG", "de_AT.UTF-8")]), None),
            Lang::De
        );
        assert_eq!(
            Lang::choose(
                None,
                env(&[("LC_ALL", "de_DE.UTF-8"), ("LANG", "en_GB.UTF-8")]),
                None
            ),
            Lang::De
        );
        assert_eq!(
            Lang::choose(Some("xx"), env(&[("LANG", "en_GB.UTF-8")]), None),
            Lang::En
        );
    }

    #[test]
    fn german_numbers() {
        let s = Strings::new(Lang::De);
        assert_eq!(s.number(3.5), "3,5");
        assert_eq!(s.percent(0.85), "85 %");
        assert_eq!(s.get("quiz.true"), "Richtig");
    }

    #[test]
    fn placeholders_and_numbers() {
        let s = Strings::new(Lang::En);
        assert_eq!(
            s.fmt("quiz.question_of", &[("n", "3"), ("total", "8")]),
            "Question 3 of 8"
        );
        assert_eq!(s.percent(0.853), "85 %");
        assert_eq!(s.percent(0.795), "79 %", "never rounded up to a pass mark");
        assert_eq!(s.number(3.5), "3.5");
        assert_eq!(s.number(2.0), "2");
        assert_eq!(Lang::from_code("en_GB.UTF-8"), Some(Lang::En));
    }
}
