//! Recurring appointments (MS-OXOCAL 2.2.1.44): the recurrence BLOB of
//! `PidLidAppointmentRecur`, the time zone structures that say how its local times map to UTC
//! (`PidLidTimeZoneStruct` 2.2.1.39, `PidLidAppointmentTimeZoneDefinitionRecur` 2.2.1.41), and
//! the expansion of a series into occurrences between two instants.
//!
//! Everything here is pure: parsers read a byte slice (every count is checked against the
//! bytes left before anything is allocated), writers produce the bytes the parsers read back,
//! and expansion is a lazy iterator bounded by the asked range.
//!
//! Dates inside the BLOB are minutes since 1601-01-01 00:00 in the series' local time zone;
//! [`LocalMinutes`] helpers convert them to civil dates.

mod blob;
mod civil;
mod expand;
mod timezone;

#[cfg(test)]
mod tests;

pub use blob::{
    AppointmentRecurrence, ChangeHighlight, EndType, ExceptionInfo, ExtendedException,
    MAX_WRITTEN_OCCURRENCES, NO_END_OCCURRENCE_COUNT, OverrideFlags, PATTERN_VERSION, Pattern,
    READER_VERSION2, RecurFrequency, RecurrencePattern, WRITER_VERSION2_CHANGE_HIGHLIGHT,
};
pub use civil::{LocalMinutes, MINUTES_PER_DAY, NO_END_DATE, civil_to_minutes, minutes_to_civil};
pub use expand::{Occurrence, Occurrences, SeriesInstances};
pub use timezone::{
    DefinitionRule, LocalConverter, SeriesTimeZone, SystemTime, TZRULE_FLAG_EFFECTIVE_TZREG,
    TZRULE_FLAG_RECUR_CURRENT_TZREG, TimeZoneDefinition, TimeZoneRule, TimeZoneStruct,
};

/// Why a recurrence BLOB or time zone structure could not be read, written or expanded.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum RecurrenceError {
    /// The data ends before a field.
    #[error("{structure}: {field} at offset {offset} needs {needed} byte(s), {available} left")]
    Truncated {
        structure: &'static str,
        field: &'static str,
        offset: usize,
        needed: usize,
        available: usize,
    },
    /// A field holds a value the specification does not allow.
    #[error("{structure}: {field} at offset {offset} is {value:#x}; expected {expected}")]
    BadValue {
        structure: &'static str,
        field: &'static str,
        offset: usize,
        value: u64,
        expected: &'static str,
    },
    /// Bytes follow the last structure.
    #[error("{structure}: {count} unexpected byte(s) after the end at offset {offset}")]
    TrailingBytes { structure: &'static str, offset: usize, count: usize },
    /// The pattern cannot be expanded (or written) as asked.
    #[error("recurrence pattern: {0}")]
    Pattern(String),
}

impl From<RecurrenceError> for crate::MapiError {
    fn from(err: RecurrenceError) -> crate::MapiError {
        match err {
            RecurrenceError::Pattern(_) => crate::MapiError::invalid_parameter(err.to_string()),
            _ => crate::MapiError::corrupt(err.to_string()),
        }
    }
}

pub type RecurrenceResult<T> = Result<T, RecurrenceError>;
