//! Timestamps: whole seconds since the Unix epoch, written as RFC 3339 (UTC).

use std::fmt;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use serde::de::{self, Deserializer, Visitor};
use serde::{Deserialize, Serialize, Serializer};

/// A moment, to the second, in UTC.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Timestamp(pub u64);

impl Timestamp {
    /// Now (the epoch if the clock is before it).
    #[must_use]
    pub fn now() -> Self {
        Self(
            SystemTime::now()
                .duration_since(UNIX_EPOCH)
                .map_or(0, |d| d.as_secs()),
        )
    }

    /// RFC 3339, e.g. `2026-11-26T17:24:00Z`.
    #[must_use]
    pub fn rfc3339(self) -> String {
        // Clamped to the year 9999, the last year RFC 3339 can write.
        let time = UNIX_EPOCH + Duration::from_secs(self.0.min(253_402_300_799));
        humantime::format_rfc3339_seconds(time).to_string()
    }

    /// A compact form for file names: `20261126T172400Z`.
    #[must_use]
    pub fn compact(self) -> String {
        self.rfc3339().replace(['-', ':'], "")
    }

    /// Reads RFC 3339 (`2026-11-26T17:24:00Z`; fractions are dropped).
    #[must_use]
    pub fn parse(text: &str) -> Option<Self> {
        let time = humantime::parse_rfc3339(text.trim()).ok()?;
        time.duration_since(UNIX_EPOCH)
            .ok()
            .map(|d| Self(d.as_secs()))
    }
}

impl fmt::Display for Timestamp {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.rfc3339())
    }
}

impl Serialize for Timestamp {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&self.rfc3339())
    }
}

impl<'de> Deserialize<'de> for Timestamp {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct TimestampVisitor;
        impl Visitor<'_> for TimestampVisitor {
            type Value = Timestamp;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("an RFC 3339 time such as \"2026-11-26T17:24:00Z\"")
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<Timestamp, E> {
                Timestamp::parse(v)
                    .ok_or_else(|| E::custom(format!("`{v}` is not an RFC 3339 time")))
            }
            fn visit_u64<E: de::Error>(self, v: u64) -> Result<Timestamp, E> {
                Ok(Timestamp(v))
            }
        }
        deserializer.deserialize_any(TimestampVisitor)
    }
}

/// An ISO 8601 duration, e.g. `PT1H2M3S` (`PT0S` for zero).
#[must_use]
pub fn iso8601_duration(seconds: u64) -> String {
    use std::fmt::Write as _;
    let (h, m, s) = (seconds / 3600, seconds / 60 % 60, seconds % 60);
    let mut out = String::from("PT");
    if h > 0 {
        let _ = write!(out, "{h}H");
    }
    if m > 0 {
        let _ = write!(out, "{m}M");
    }
    if s > 0 || (h == 0 && m == 0) {
        let _ = write!(out, "{s}S");
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn timestamps_round_trip_as_rfc3339() {
        let t = Timestamp(1_795_713_840);
        assert_eq!(t.rfc3339(), "2026-11-26T17:24:00Z");
        assert_eq!(Timestamp::parse("2026-11-26T17:24:00Z"), Some(t));
        assert_eq!(t.compact(), "20261126T172400Z");
        let json = serde_json::to_string(&t).expect("serialise");
        assert_eq!(json, "\"2026-11-26T17:24:00Z\"");
        assert_eq!(serde_json::from_str::<Timestamp>(&json).expect("parse"), t);
        assert!(serde_json::from_str::<Timestamp>("\"yesterday\"").is_err());
    }

    #[test]
    fn durations_in_iso8601() {
        assert_eq!(iso8601_duration(0), "PT0S");
        assert_eq!(iso8601_duration(59), "PT59S");
        assert_eq!(iso8601_duration(3723), "PT1H2M3S");
        assert_eq!(iso8601_duration(3600), "PT1H");
    }
}
