//! Expansion: the instance dates of a pattern (MS-OXOCAL 2.2.1.44.1.2) and the occurrences
//! of a series between two instants, with deleted instances and exceptions applied.
//!
//! A series is walked period by period (a run of days, a week, a month). Every period after
//! the first holds the same number of instances, so the walk can start at the period that
//! holds the range's start without visiting the ones before, even for a series that ends
//! after N occurrences. Occurrences keep their wall-clock time across DST changes: each is
//! the local date plus StartTimeOffset, converted to UTC by the series' own zone.

use super::blob::{AppointmentRecurrence, EndType, Pattern, RecurrencePattern};
use super::civil::{
    LocalMinutes, MINUTES_PER_DAY, day_number, days_in_month, month_index, month_start, weekday,
    ymd,
};
use super::timezone::SeriesTimeZone;
use super::{RecurrenceError, RecurrenceResult};
use jiff::Timestamp;

/// The first day after the range jiff can represent: no instance is generated past it.
fn last_representable_day() -> i64 {
    day_number(9999, 12, 31)
}

#[derive(Debug, Clone)]
enum Walk {
    /// Every `step` days from the start day.
    Daily { step: i64 },
    /// Days `offsets` (from the week's first day) of every `step`-th week from `week_start`.
    Weekly { week_start: i64, step: i64, offsets: Vec<i64> },
    /// One day of every `step`-th month from month index `first_month`.
    Monthly { first_month: i64, step: i64, rule: MonthRule },
}

#[derive(Debug, Clone, Copy)]
enum MonthRule {
    /// Day of month, the last day in shorter months.
    Day(i64),
    LastDay,
    /// The nth (1-4, 5 = last) day of the month whose weekday is in the mask.
    Nth {
        days: u32,
        nth: u32,
    },
}

impl MonthRule {
    fn day_in(self, month: i64) -> i64 {
        let first = month_start(month);
        let (year, m, _) = ymd(first);
        let length = days_in_month(year, m);
        match self {
            MonthRule::Day(day) => first + day.min(length) - 1,
            MonthRule::LastDay => first + length - 1,
            MonthRule::Nth { days, nth } => {
                let mut matching = (0..length).filter(|d| days & (1 << weekday(first + d)) != 0);
                if nth >= 5 {
                    first + matching.next_back().unwrap_or(length - 1)
                } else {
                    // Every weekday occurs at least four times a month, so the nth exists.
                    first + matching.clone().nth(nth as usize - 1).unwrap_or(0)
                }
            }
        }
    }
}

/// The instance dates of a pattern (day numbers: days since 1601-01-01), in order, with
/// their 0-based index in the series. Deleted instances are still instances here.
#[derive(Debug, Clone)]
pub struct SeriesInstances {
    walk: Walk,
    start_day: i64,
    last_day: i64,
    count: Option<u64>,
    /// Instances per period after the first, and in the first.
    per_period: u64,
    first_period: u64,
    period: i64,
    pending: Vec<i64>,
    position: usize,
    index: u64,
    done: bool,
}

fn pattern_error(message: String) -> RecurrenceError {
    RecurrenceError::Pattern(message)
}

impl RecurrencePattern {
    /// Instance dates from the start of the series.
    pub fn instances(&self) -> RecurrenceResult<SeriesInstances> {
        self.instances_from(i64::MIN)
    }

    /// Instance dates on or after `from_day` (a day number), with their true indexes.
    pub fn instances_from(&self, from_day: i64) -> RecurrenceResult<SeriesInstances> {
        if self.calendar_type > 1 {
            return Err(pattern_error(format!(
                "calendar type {} is not the Gregorian calendar; only Gregorian series expand",
                self.calendar_type
            )));
        }
        if self.period == 0 {
            return Err(pattern_error("Period is 0".into()));
        }
        if self.first_dow > 6 {
            return Err(pattern_error(format!("FirstDOW {} is not 0-6", self.first_dow)));
        }
        let start_day = i64::from(self.start_date).div_euclid(MINUTES_PER_DAY);
        let period = i64::from(self.period);
        let walk = match self.pattern {
            Pattern::Day => {
                if period % MINUTES_PER_DAY != 0 {
                    return Err(pattern_error(format!(
                        "daily Period {period} is not a whole number of days (1440 minutes)"
                    )));
                }
                Walk::Daily { step: period / MINUTES_PER_DAY }
            }
            Pattern::Week { days } => {
                if days & 0x7F == 0 {
                    return Err(pattern_error(format!("weekly day mask {days:#x} has no day")));
                }
                let first_dow = i64::from(self.first_dow);
                let back = (i64::from(weekday(start_day)) - first_dow).rem_euclid(7);
                let offsets =
                    (0..7).filter(|d| days & (1 << ((first_dow + d) % 7)) != 0).collect::<Vec<_>>();
                Walk::Weekly { week_start: start_day - back, step: period * 7, offsets }
            }
            Pattern::Month { day } | Pattern::MonthEnd { day } if !(1..=31).contains(&day) => {
                return Err(pattern_error(format!("day of month {day} is not 1-31")));
            }
            Pattern::Month { day } => Walk::Monthly {
                first_month: month_index(start_day),
                step: period,
                rule: MonthRule::Day(i64::from(day)),
            },
            Pattern::MonthEnd { .. } => Walk::Monthly {
                first_month: month_index(start_day),
                step: period,
                rule: MonthRule::LastDay,
            },
            Pattern::MonthNth { days, nth } => {
                if days & 0x7F == 0 || !(1..=5).contains(&nth) {
                    return Err(pattern_error(format!(
                        "month-nth pattern needs a day mask and N 1-5, not {days:#x} and {nth}"
                    )));
                }
                Walk::Monthly {
                    first_month: month_index(start_day),
                    step: period,
                    rule: MonthRule::Nth { days: days & 0x7F, nth },
                }
            }
            Pattern::HjMonth { .. } | Pattern::HjMonthNth { .. } | Pattern::HjMonthEnd { .. } => {
                return Err(pattern_error("Hijri calendar patterns are not supported".into()));
            }
        };
        let last_day = match self.end_type {
            EndType::AfterDate => i64::from(self.end_date).div_euclid(MINUTES_PER_DAY),
            _ => last_representable_day(),
        }
        .min(last_representable_day());
        let count = match self.end_type {
            EndType::AfterOccurrences => Some(u64::from(self.occurrence_count)),
            _ => None,
        };
        let per_period = match &walk {
            Walk::Weekly { offsets, .. } => offsets.len() as u64,
            _ => 1,
        };
        let mut series = SeriesInstances {
            walk,
            start_day,
            last_day,
            count,
            per_period,
            first_period: 0,
            period: 0,
            pending: Vec::new(),
            position: 0,
            index: 0,
            done: false,
        };
        series.fill(0);
        series.first_period = series.pending.len() as u64;
        let skip_to = series.period_of(from_day);
        if skip_to > 0 {
            series.index =
                series.first_period + (skip_to as u64 - 1).saturating_mul(series.per_period);
            series.fill(skip_to);
        }
        // The period may begin before `from_day`: step over its earlier instances.
        while series.pending.get(series.position).is_some_and(|d| *d < from_day) {
            series.position += 1;
            series.index += 1;
        }
        Ok(series)
    }
}

impl SeriesInstances {
    /// The period that holds `day` (0 before the start).
    fn period_of(&self, day: i64) -> i64 {
        if day <= self.start_day {
            return 0;
        }
        let p = match &self.walk {
            Walk::Daily { step } => (day - self.start_day) / step,
            Walk::Weekly { week_start, step, .. } => (day - week_start) / step,
            Walk::Monthly { first_month, step, .. } => (month_index(day) - first_month) / step,
        };
        p.max(0)
    }

    /// The first day of a period; `None` once past what can be represented.
    fn period_start(&self, period: i64) -> Option<i64> {
        let day = match &self.walk {
            Walk::Daily { step } => self.start_day.checked_add(period.checked_mul(*step)?)?,
            Walk::Weekly { week_start, step, .. } => {
                week_start.checked_add(period.checked_mul(*step)?)?
            }
            Walk::Monthly { first_month, step, .. } => {
                let month = first_month.checked_add(period.checked_mul(*step)?)?;
                if month > (10_000 - 1601) * 12 {
                    return None;
                }
                month_start(month)
            }
        };
        (day <= self.last_day).then_some(day)
    }

    /// Loads the instances of `period` that fall on or after the start day.
    fn fill(&mut self, period: i64) {
        self.period = period;
        self.pending.clear();
        self.position = 0;
        let Some(first) = self.period_start(period) else {
            self.done = true;
            return;
        };
        match &self.walk {
            Walk::Daily { .. } => self.pending.push(first),
            Walk::Weekly { offsets, .. } => self.pending.extend(offsets.iter().map(|o| first + o)),
            Walk::Monthly { step, first_month, rule } => {
                let month = first_month + period * step;
                self.pending.push(rule.day_in(month));
            }
        }
        let start_day = self.start_day;
        self.pending.retain(|d| *d >= start_day);
    }

    /// The 0-based index the next instance will have.
    pub fn next_index(&self) -> u64 {
        self.index
    }
}

impl Iterator for SeriesInstances {
    /// (index in the series, day number)
    type Item = (u64, i64);

    fn next(&mut self) -> Option<(u64, i64)> {
        loop {
            if self.done {
                return None;
            }
            if self.count.is_some_and(|count| self.index >= count) {
                self.done = true;
                return None;
            }
            if let Some(&day) = self.pending.get(self.position) {
                if day > self.last_day {
                    self.done = true;
                    return None;
                }
                self.position += 1;
                let index = self.index;
                self.index += 1;
                return Some((index, day));
            }
            let next = self.period + 1;
            self.fill(next);
        }
    }
}

/// One occurrence of a series.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Occurrence {
    pub start: Timestamp,
    pub end: Timestamp,
    /// Local start as the pattern had it before any exception moved it.
    pub original_start: LocalMinutes,
    /// Index into [`AppointmentRecurrence::exceptions`] when this occurrence is an exception.
    pub exception: Option<usize>,
}

/// The occurrences of a series that overlap `[from, to)`, in start order, produced lazily.
#[derive(Debug)]
pub struct Occurrences<'a> {
    recurrence: &'a AppointmentRecurrence,
    instances: SeriesInstances,
    from: Timestamp,
    to: Timestamp,
    deleted: Vec<i64>,
    moved_originals: Vec<i64>,
    exceptions: Vec<Occurrence>,
    next_exception: usize,
    pending: Option<Occurrence>,
    instances_done: bool,
    starts: super::timezone::LocalConverter<'a>,
    ends: super::timezone::LocalConverter<'a>,
}

impl AppointmentRecurrence {
    /// The occurrences that overlap `[from, to)` (an occurrence of zero length counts when it
    /// starts in the range), in the series' zone.
    pub fn occurrences<'a>(
        &'a self,
        zone: &'a SeriesTimeZone,
        from: Timestamp,
        to: Timestamp,
    ) -> RecurrenceResult<Occurrences<'a>> {
        let duration = self.duration_minutes();
        let from_local = zone.to_local(from);
        // Back off by the duration and two days: a long occurrence may start before the range
        // and end in it, and the local/UTC offset shifts days.
        let from_day = (from_local - duration).div_euclid(MINUTES_PER_DAY) - 2;
        let instances = self.pattern.instances_from(from_day)?;
        let mut deleted: Vec<i64> = self
            .pattern
            .deleted_instance_dates
            .iter()
            .map(|d| i64::from(*d).div_euclid(MINUTES_PER_DAY))
            .collect();
        deleted.sort_unstable();
        let mut moved_originals: Vec<i64> = self
            .exceptions
            .iter()
            .map(|(info, _)| i64::from(info.original_start_date).div_euclid(MINUTES_PER_DAY))
            .collect();
        moved_originals.sort_unstable();
        let mut exceptions = Vec::new();
        for (index, (info, _)) in self.exceptions.iter().enumerate() {
            let start = zone.to_timestamp(i64::from(info.start_date_time))?;
            let end = zone.to_timestamp(i64::from(info.end_date_time))?.max(start);
            if overlaps(start, end, from, to) {
                exceptions.push(Occurrence {
                    start,
                    end,
                    original_start: i64::from(info.original_start_date),
                    exception: Some(index),
                });
            }
        }
        exceptions.sort_by_key(|o| (o.start, o.end));
        Ok(Occurrences {
            recurrence: self,
            instances,
            from,
            to,
            deleted,
            moved_originals,
            exceptions,
            next_exception: 0,
            pending: None,
            instances_done: false,
            starts: zone.converter(),
            ends: zone.converter(),
        })
    }

    /// EndTimeOffset - StartTimeOffset in minutes (0 when the BLOB has them reversed).
    pub fn duration_minutes(&self) -> i64 {
        (i64::from(self.end_time_offset) - i64::from(self.start_time_offset)).max(0)
    }
}

fn overlaps(start: Timestamp, end: Timestamp, from: Timestamp, to: Timestamp) -> bool {
    start < to && (end > from || start >= from)
}

impl Occurrences<'_> {
    fn next_instance(&mut self) -> RecurrenceResult<Option<Occurrence>> {
        while !self.instances_done {
            let Some((_, day)) = self.instances.next() else {
                self.instances_done = true;
                break;
            };
            if self.deleted.binary_search(&day).is_ok()
                || self.moved_originals.binary_search(&day).is_ok()
            {
                continue;
            }
            let local_start = day * MINUTES_PER_DAY + i64::from(self.recurrence.start_time_offset);
            let local_end = local_start + self.recurrence.duration_minutes();
            let start = self.starts.to_timestamp(local_start)?;
            if start >= self.to {
                self.instances_done = true;
                break;
            }
            let end = self.ends.to_timestamp(local_end)?.max(start);
            if overlaps(start, end, self.from, self.to) {
                return Ok(Some(Occurrence {
                    start,
                    end,
                    original_start: local_start,
                    exception: None,
                }));
            }
        }
        Ok(None)
    }
}

impl Iterator for Occurrences<'_> {
    type Item = RecurrenceResult<Occurrence>;

    fn next(&mut self) -> Option<Self::Item> {
        if self.pending.is_none() {
            match self.next_instance() {
                Ok(next) => self.pending = next,
                Err(err) => {
                    self.instances_done = true;
                    self.next_exception = self.exceptions.len();
                    return Some(Err(err));
                }
            }
        }
        let exception = self.exceptions.get(self.next_exception);
        let take_exception = match (&self.pending, exception) {
            (Some(instance), Some(exception)) => exception.start < instance.start,
            (None, Some(_)) => true,
            (_, None) => false,
        };
        if take_exception {
            self.next_exception += 1;
            return exception.cloned().map(Ok);
        }
        self.pending.take().map(Ok)
    }
}
