//! Outlook's date macros (`%today("urn:schemas:httpmail:datereceived")%` and the rest of the
//! "Filtering Items Using a Date-time Comparison" table): each names a span of local days,
//! computed from a given "now" in a given zone, so tests can fix both.
//!
//! Spans are half-open `[start, end)` between local midnights, so a day with a DST change is
//! 23 or 25 hours long. Weeks start on Sunday, Outlook's default under US regional settings
//! (Outpost does not read a locale's first day of the week). Choices where Outlook's table is
//! vague: `last7days` is the seven days ending with today, `next7days` the seven days starting
//! with today.

use jiff::civil::Date;
use jiff::tz::TimeZone;
use jiff::{Timestamp, ToSpan};

/// One of Outlook's eleven date macros.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum DateMacro {
    Today,
    Yesterday,
    Tomorrow,
    Last7Days,
    Next7Days,
    LastWeek,
    ThisWeek,
    NextWeek,
    LastMonth,
    ThisMonth,
    NextMonth,
}

impl DateMacro {
    pub const ALL: [DateMacro; 11] = [
        DateMacro::Today,
        DateMacro::Yesterday,
        DateMacro::Tomorrow,
        DateMacro::Last7Days,
        DateMacro::Next7Days,
        DateMacro::LastWeek,
        DateMacro::ThisWeek,
        DateMacro::NextWeek,
        DateMacro::LastMonth,
        DateMacro::ThisMonth,
        DateMacro::NextMonth,
    ];

    /// The macro's name as Outlook spells it (`today`, `last7days`, ...).
    pub fn name(self) -> &'static str {
        match self {
            DateMacro::Today => "today",
            DateMacro::Yesterday => "yesterday",
            DateMacro::Tomorrow => "tomorrow",
            DateMacro::Last7Days => "last7days",
            DateMacro::Next7Days => "next7days",
            DateMacro::LastWeek => "lastweek",
            DateMacro::ThisWeek => "thisweek",
            DateMacro::NextWeek => "nextweek",
            DateMacro::LastMonth => "lastmonth",
            DateMacro::ThisMonth => "thismonth",
            DateMacro::NextMonth => "nextmonth",
        }
    }

    /// The macro a name means, ignoring case.
    pub fn from_name(name: &str) -> Option<DateMacro> {
        DateMacro::ALL.into_iter().find(|m| m.name().eq_ignore_ascii_case(name))
    }

    /// The local days `[first, last_exclusive)` the macro covers when today is `today`.
    pub fn days(self, today: Date) -> Option<(Date, Date)> {
        // Sunday-based: days since the week's Sunday (Sunday = 0).
        let week_start =
            today.checked_sub(i64::from(today.weekday().to_sunday_zero_offset()).days()).ok()?;
        let month_start = today.first_of_month();
        let add = |date: Date, days: i64| date.checked_add(days.days()).ok();
        let add_months = |date: Date, months: i32| date.checked_add(months.months()).ok();
        Some(match self {
            DateMacro::Today => (today, add(today, 1)?),
            DateMacro::Yesterday => (add(today, -1)?, today),
            DateMacro::Tomorrow => (add(today, 1)?, add(today, 2)?),
            DateMacro::Last7Days => (add(today, -6)?, add(today, 1)?),
            DateMacro::Next7Days => (today, add(today, 7)?),
            DateMacro::LastWeek => (add(week_start, -7)?, week_start),
            DateMacro::ThisWeek => (week_start, add(week_start, 7)?),
            DateMacro::NextWeek => (add(week_start, 7)?, add(week_start, 14)?),
            DateMacro::LastMonth => (add_months(month_start, -1)?, month_start),
            DateMacro::ThisMonth => (month_start, add_months(month_start, 1)?),
            DateMacro::NextMonth => (add_months(month_start, 1)?, add_months(month_start, 2)?),
        })
    }

    /// The instants `[start, end)` the macro covers at `now` in `zone`: local midnights. A
    /// midnight a DST change skips is read as the first instant after the gap.
    pub fn range(self, now: Timestamp, zone: &TimeZone) -> Option<(Timestamp, Timestamp)> {
        let today = now.to_zoned(zone.clone()).date();
        let (first, last) = self.days(today)?;
        let midnight = |date: Date| {
            zone.to_ambiguous_zoned(date.to_datetime(jiff::civil::Time::midnight()))
                .compatible()
                .ok()
                .map(|z| z.timestamp())
        };
        Some((midnight(first)?, midnight(last)?))
    }
}
