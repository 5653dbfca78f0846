//! FILETIME: 100-ns intervals since 1601-01-01 UTC (MS-DTYP 2.3.3), the value of `PtypTime`.

use jiff::Timestamp;
use serde::{Deserialize, Serialize};
use std::fmt;

/// Seconds from 1601-01-01 to 1970-01-01.
const EPOCH_DIFFERENCE_SECONDS: i64 = 11_644_473_600;
const TICKS_PER_SECOND: i64 = 10_000_000;

/// A raw FILETIME. Every `u64` is a valid FILETIME; not every one is a date that a timestamp
/// type can hold, and Outlook uses some far-future values to mean "no date".
#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Default)]
pub struct FileTime(pub u64);

impl FileTime {
    /// 4501-01-01 00:00 UTC: what Outlook writes for "None" in dates such as
    /// `PidLidTaskDueDate` or a recurrence without end (MS-OXOCAL 2.2.1.44.1 uses the same
    /// 0x0CB34557A3DD4000 for "no end"; MS-OXPROPS calls it the "none" date).
    pub const OUTLOOK_NONE: FileTime = FileTime(0x0CB3_4557_A3DD_4000);

    /// The largest value; some writers use it as "never".
    pub const MAX: FileTime = FileTime(u64::MAX);

    /// True for the values that mean "no date" rather than a real moment: zero, Outlook's
    /// 4501-01-01, and anything at or beyond it.
    pub fn is_none_value(self) -> bool {
        self.0 == 0 || self.0 >= Self::OUTLOOK_NONE.0
    }

    /// The moment, if `jiff` can represent it (years -9999..=9999). 4501-01-01 is representable:
    /// use [`FileTime::is_none_value`] to tell "none" apart.
    pub fn to_timestamp(self) -> Option<Timestamp> {
        let ticks = i128::from(self.0);
        let seconds = ticks / i128::from(TICKS_PER_SECOND) - i128::from(EPOCH_DIFFERENCE_SECONDS);
        let nanos = (ticks % i128::from(TICKS_PER_SECOND)) * 100;
        let seconds = i64::try_from(seconds).ok()?;
        Timestamp::new(seconds, i32::try_from(nanos).ok()?).ok()
    }

    /// The FILETIME of a moment; `None` before 1601 (FILETIME cannot go there). Sub-100 ns
    /// precision is truncated toward the past.
    pub fn from_timestamp(moment: Timestamp) -> Option<FileTime> {
        let seconds = i128::from(moment.as_second()) + i128::from(EPOCH_DIFFERENCE_SECONDS);
        let nanos = i128::from(moment.subsec_nanosecond());
        let ticks = seconds * i128::from(TICKS_PER_SECOND) + nanos.div_euclid(100);
        u64::try_from(ticks).ok().map(FileTime)
    }

    /// Splits into the two 32-bit halves as stored in structures like `FILETIME` (low first).
    pub const fn to_halves(self) -> (u32, u32) {
        (self.0 as u32, (self.0 >> 32) as u32)
    }
}

impl fmt::Display for FileTime {
    /// RFC 3339 in UTC where representable, else the raw number.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.to_timestamp() {
            Some(ts) => write!(f, "{ts}"),
            None => write!(f, "FILETIME({:#018x})", self.0),
        }
    }
}

impl fmt::Debug for FileTime {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "FileTime({self})")
    }
}

/// Serialised as an RFC 3339 string where representable, else as the raw integer.
impl Serialize for FileTime {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match self.to_timestamp() {
            Some(ts) => s.collect_str(&ts),
            None => s.serialize_u64(self.0),
        }
    }
}

impl<'de> Deserialize<'de> for FileTime {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        #[derive(Deserialize)]
        #[serde(untagged)]
        enum Repr {
            Raw(u64),
            Text(String),
        }
        match Repr::deserialize(d)? {
            Repr::Raw(raw) => Ok(FileTime(raw)),
            Repr::Text(text) => {
                let ts: Timestamp = text.parse().map_err(serde::de::Error::custom)?;
                FileTime::from_timestamp(ts)
                    .ok_or_else(|| serde::de::Error::custom("date before 1601-01-01"))
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn unix_epoch_is_the_known_constant() {
        let epoch = FileTime(116_444_736_000_000_000);
        assert_eq!(epoch.to_timestamp(), Some(Timestamp::UNIX_EPOCH));
        assert_eq!(FileTime::from_timestamp(Timestamp::UNIX_EPOCH), Some(epoch));
    }

    #[test]
    fn zero_is_1601_and_means_none() {
        let zero = FileTime(0);
        assert_eq!(zero.to_timestamp().unwrap().to_string(), "1601-01-01T00:00:00Z");
        assert!(zero.is_none_value());
    }

    #[test]
    fn outlook_none_is_4501_01_01() {
        let ts = FileTime::OUTLOOK_NONE.to_timestamp().unwrap();
        assert_eq!(ts.to_string(), "4501-01-01T00:00:00Z");
        assert!(FileTime::OUTLOOK_NONE.is_none_value());
        assert!(!FileTime(FileTime::OUTLOOK_NONE.0 - 1).is_none_value());
    }

    #[test]
    fn values_past_year_9999_have_no_timestamp_but_still_display() {
        assert_eq!(FileTime::MAX.to_timestamp(), None);
        assert_eq!(FileTime::MAX.to_string(), "FILETIME(0xffffffffffffffff)");
        assert_eq!(serde_json::to_string(&FileTime::MAX).unwrap(), u64::MAX.to_string());
    }

    #[test]
    fn before_1601_has_no_filetime() {
        let old: Timestamp = "1600-12-31T23:59:59Z".parse().unwrap();
        assert_eq!(FileTime::from_timestamp(old), None);
    }

    #[test]
    fn sub_tick_precision_truncates() {
        let ts = Timestamp::new(0, 150).unwrap();
        assert_eq!(FileTime::from_timestamp(ts), Some(FileTime(116_444_736_000_000_001)));
    }

    proptest! {
        #[test]
        fn representable_filetimes_round_trip(raw in 0u64..=2_650_467_743_999_999_999u64) {
            let ft = FileTime(raw);
            let ts = ft.to_timestamp().expect("within jiff range");
            prop_assert_eq!(FileTime::from_timestamp(ts), Some(ft));
            let json = serde_json::to_string(&ft).unwrap();
            prop_assert_eq!(serde_json::from_str::<FileTime>(&json).unwrap(), ft);
        }
    }
}
