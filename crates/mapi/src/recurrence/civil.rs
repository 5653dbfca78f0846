//! Day arithmetic for the BLOB's dates: minutes (or days) since 1601-01-01 in local time.
//!
//! The proleptic Gregorian calendar throughout (MS-OXOCAL's CalendarType 0/1). Conversions use
//! the days-from-civil method: shift the year to start in March so that the leap day is last.

use jiff::civil::{Date, DateTime, Time};

/// Minutes in a day.
pub const MINUTES_PER_DAY: i64 = 1440;

/// The EndDate of a series with no end (MS-OXOCAL 2.2.1.44.1: 0x5AE980DF, 31 December 4500
/// 23:59).
pub const NO_END_DATE: u32 = 0x5AE9_80DF;

/// Days from 1601-01-01 to 1970-01-01.
const DAYS_1601_TO_1970: i64 = 134_774;

/// Minutes since 1601-01-01 00:00 local, as the BLOB stores dates.
pub type LocalMinutes = i64;

/// Days since 1970-01-01 of a proleptic Gregorian date.
fn days_from_civil(year: i64, month: i64, day: i64) -> i64 {
    let y = if month <= 2 { year - 1 } else { year };
    let era = y.div_euclid(400);
    let year_of_era = y - era * 400;
    let shifted_month = (month + 9) % 12; // March = 0
    let day_of_year = (153 * shifted_month + 2) / 5 + day - 1;
    let day_of_era = year_of_era * 365 + year_of_era / 4 - year_of_era / 100 + day_of_year;
    era * 146_097 + day_of_era - 719_468
}

/// The civil date of days since 1970-01-01.
fn civil_from_days(days: i64) -> (i64, i64, i64) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let day_of_era = z - era * 146_097;
    let year_of_era =
        (day_of_era - day_of_era / 1460 + day_of_era / 36_524 - day_of_era / 146_096) / 365;
    let day_of_year = day_of_era - (365 * year_of_era + year_of_era / 4 - year_of_era / 100);
    let shifted_month = (5 * day_of_year + 2) / 153;
    let day = day_of_year - (153 * shifted_month + 2) / 5 + 1;
    let month = if shifted_month < 10 { shifted_month + 3 } else { shifted_month - 9 };
    let year = year_of_era + era * 400 + i64::from(month <= 2);
    (year, month, day)
}

/// Day number (days since 1601-01-01) of a civil date.
pub(crate) fn day_number(year: i64, month: i64, day: i64) -> i64 {
    days_from_civil(year, month, day) + DAYS_1601_TO_1970
}

/// (year, month 1-12, day 1-31) of a day number.
pub(crate) fn ymd(day_number: i64) -> (i64, i64, i64) {
    civil_from_days(day_number - DAYS_1601_TO_1970)
}

/// 0 = Sunday ... 6 = Saturday (1601-01-01 was a Monday).
pub(crate) fn weekday(day_number: i64) -> u32 {
    (day_number + 1).rem_euclid(7) as u32
}

pub(crate) fn is_leap(year: i64) -> bool {
    (year % 4 == 0 && year % 100 != 0) || year % 400 == 0
}

pub(crate) fn days_in_month(year: i64, month: i64) -> i64 {
    match month {
        2 if is_leap(year) => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

/// Months since January 1601 (0-based) of a day number.
pub(crate) fn month_index(day_number: i64) -> i64 {
    let (y, m, _) = ymd(day_number);
    (y - 1601) * 12 + (m - 1)
}

/// The first day of a month index.
pub(crate) fn month_start(month_index: i64) -> i64 {
    day_number(1601 + month_index.div_euclid(12), month_index.rem_euclid(12) + 1, 1)
}

/// The civil date and time of BLOB minutes; `None` outside jiff's range (years -9999..=9999).
pub fn minutes_to_civil(minutes: LocalMinutes) -> Option<DateTime> {
    let days = minutes.div_euclid(MINUTES_PER_DAY);
    let minute_of_day = minutes.rem_euclid(MINUTES_PER_DAY);
    let (y, m, d) = ymd(days);
    let date = Date::new(i16::try_from(y).ok()?, m as i8, d as i8).ok()?;
    let time = Time::new((minute_of_day / 60) as i8, (minute_of_day % 60) as i8, 0, 0).ok()?;
    Some(DateTime::from_parts(date, time))
}

/// BLOB minutes of a civil date and time (seconds are dropped).
pub fn civil_to_minutes(when: DateTime) -> LocalMinutes {
    let days = day_number(i64::from(when.year()), i64::from(when.month()), i64::from(when.day()));
    days * MINUTES_PER_DAY + i64::from(when.hour()) * 60 + i64::from(when.minute())
}
