//! Calendar: recurring appointments (`GetRecurrencePattern`, `GetOccurrence`,
//! `ClearRecurrencePattern`), meeting fields, and `Items.IncludeRecurrences`.
//!
//! The recurrence BLOB itself (MS-OXOCAL 2.2.1.44) is read, written and expanded by
//! `mapi::recurrence`; this module maps it to Outlook's `RecurrencePattern` members and keeps
//! the named properties Outlook keeps beside it (PidLidRecurring, PidLidRecurrenceType,
//! PidLidClipStart/End, the time zone properties) in step.

use crate::error::{SessionError, SessionResult};
use crate::folder::Folder;
use crate::item::{AppointmentItem, Item};
use crate::items::Items;
use jiff::Timestamp;
use jiff::civil::{Date, DateTime, Time};
use jiff::tz::TimeZone;
use mapi::catalog::{PropertyInfo, lids, tags};
use mapi::recurrence::{
    AppointmentRecurrence, EndType, MINUTES_PER_DAY, NO_END_DATE, PATTERN_VERSION, Pattern,
    READER_VERSION2, RecurFrequency, RecurrencePattern as BlobPattern, SeriesTimeZone, SystemTime,
    TimeZoneDefinition, TimeZoneRule, TimeZoneStruct, civil_to_minutes, minutes_to_civil,
};
use mapi::restriction::{RelOp, Restriction};
use mapi::{ErrorCode, FileTime, MapiError, PropTag, PropValue};
use serde::Serialize;

/// `OlRecurrenceType`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
pub enum OlRecurrenceType {
    Daily = 0,
    Weekly = 1,
    Monthly = 2,
    MonthNth = 3,
    Yearly = 5,
    YearNth = 6,
}

/// One `Exception` of a `RecurrencePattern`: a deleted or modified occurrence.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RecurrenceException {
    /// `OriginalDate`: the local date and time the occurrence had in the pattern.
    pub original_date: DateTime,
    /// `Deleted`.
    pub deleted: bool,
    /// The modified occurrence's local start and end (None when deleted).
    pub start: Option<DateTime>,
    pub end: Option<DateTime>,
    pub subject: Option<String>,
    pub location: Option<String>,
}

/// Outlook's `RecurrencePattern`. Dates and times are local to the series' time zone, as in
/// Outlook. `DayOfWeekMask` uses `OlDaysOfWeek` (olSunday 1 ... olSaturday 64).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RecurrencePattern {
    pub recurrence_type: OlRecurrenceType,
    pub interval: u32,
    pub day_of_week_mask: u32,
    pub day_of_month: u32,
    pub month_of_year: u32,
    /// `Instance`: 1-4, or 5 for the last (MonthNth, YearNth).
    pub instance: u32,
    pub pattern_start_date: Date,
    pub pattern_end_date: Option<Date>,
    pub no_end_date: bool,
    pub occurrences: u32,
    pub start_time: Time,
    pub end_time: Time,
    /// `Duration` in minutes.
    pub duration: u32,
    pub exceptions: Vec<RecurrenceException>,
}

impl RecurrencePattern {
    /// A pattern of this type from a date at a time, lasting `duration` minutes, without end
    /// (what `GetRecurrencePattern` gives a new item); set the members that matter next.
    pub fn new(kind: OlRecurrenceType, start: DateTime, duration: u32) -> RecurrencePattern {
        let end = start.checked_add(jiff::Span::new().minutes(duration)).unwrap_or(start);
        RecurrencePattern {
            recurrence_type: kind,
            interval: 1,
            day_of_week_mask: 1 << start.date().weekday().to_sunday_zero_offset(),
            day_of_month: start.day() as u32,
            month_of_year: start.month() as u32,
            instance: 1,
            pattern_start_date: start.date(),
            pattern_end_date: None,
            no_end_date: true,
            occurrences: 0,
            start_time: start.time(),
            end_time: end.time(),
            duration,
            exceptions: Vec::new(),
        }
    }
}

/// An occurrence of an appointment: a single appointment, or one instance of a series.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct AppointmentOccurrence {
    /// The entry ID (hex) of the appointment or of the series it belongs to.
    pub entry_id: Option<String>,
    pub subject: Option<String>,
    pub location: Option<String>,
    pub start: Timestamp,
    pub end: Timestamp,
    /// Whether it comes from a recurring series.
    pub is_recurring: bool,
    /// Whether it is a modified instance of its series.
    pub is_exception: bool,
}

fn invalid(message: impl Into<String>) -> SessionError {
    SessionError::Mapi(MapiError::invalid_parameter(message))
}

fn named_value(item: &Item, info: &PropertyInfo) -> SessionResult<Option<PropValue>> {
    match info.named_property() {
        Some(property) => item.get_named(&property, info.prop_type),
        None => Ok(None),
    }
}

fn set_named_value(item: &Item, info: &PropertyInfo, value: PropValue) -> SessionResult<()> {
    let property =
        info.named_property().ok_or_else(|| invalid(format!("{} is not named", info.name)))?;
    item.set_named(&property, value)
}

fn text(value: Option<PropValue>) -> Option<String> {
    match value {
        Some(PropValue::String(s) | PropValue::String8(s)) => Some(s),
        _ => None,
    }
}

fn binary(value: Option<PropValue>) -> Option<Vec<u8>> {
    match value {
        Some(PropValue::Binary(b)) => Some(b),
        _ => None,
    }
}

fn time(value: Option<PropValue>) -> Option<Timestamp> {
    value.and_then(|v| v.as_time()).and_then(FileTime::to_timestamp)
}

fn time_value(moment: Timestamp) -> SessionResult<PropValue> {
    FileTime::from_timestamp(moment)
        .map(PropValue::Time)
        .ok_or_else(|| invalid(format!("{moment} cannot be stored as a FILETIME")))
}

/// Minutes since 1601-01-01 of an instant, read as if UTC were local.
fn utc_minutes(moment: Timestamp) -> i64 {
    (moment.as_second() + 11_644_473_600).div_euclid(60)
}

fn blob_error(err: mapi::recurrence::RecurrenceError) -> SessionError {
    SessionError::Mapi(MapiError::from(err))
}

/// The zone of a series: its time zone properties, else the offset its Start implies.
fn series_zone(
    definition: Option<&[u8]>,
    structure: Option<&[u8]>,
    recurrence: &AppointmentRecurrence,
    start: Option<Timestamp>,
) -> SessionResult<SeriesTimeZone> {
    // Unreadable time zone properties fall back to the offset the Start implies rather than
    // hiding the series.
    let definition = definition.and_then(|d| TimeZoneDefinition::parse(d).ok());
    let structure = structure.and_then(|s| TimeZoneStruct::parse(s).ok());
    if let Ok(Some(zone)) = SeriesTimeZone::for_series(definition.as_ref(), structure.as_ref()) {
        return Ok(zone);
    }
    let Some(start) = start else { return Ok(SeriesTimeZone::utc()) };
    let local = i64::from(recurrence.pattern.start_date) + i64::from(recurrence.start_time_offset);
    let offset = (local - utc_minutes(start)).clamp(-24 * 60 + 1, 24 * 60 - 1);
    SeriesTimeZone::fixed(offset as i32).map_err(blob_error)
}

fn latin1(bytes: &[u8]) -> String {
    bytes.iter().map(|b| char::from(*b)).collect()
}

fn local_datetime(minutes: i64) -> SessionResult<DateTime> {
    minutes_to_civil(minutes).ok_or_else(|| {
        SessionError::Mapi(MapiError::corrupt(format!("recurrence date {minutes} is out of range")))
    })
}

impl AppointmentItem {
    /// `IsRecurring` (`PidLidRecurring`, or a recurrence BLOB when that flag is missing).
    pub fn is_recurring(&self) -> SessionResult<bool> {
        match named_value(self, &lids::PidLidRecurring)?.and_then(|v| v.as_bool()) {
            Some(flag) => Ok(flag),
            None => Ok(binary(named_value(self, &lids::PidLidAppointmentRecur)?).is_some()),
        }
    }

    /// The parsed `PidLidAppointmentRecur`; `None` when the item is not recurring.
    pub fn recurrence(&self) -> SessionResult<Option<AppointmentRecurrence>> {
        if !self.is_recurring()? {
            return Ok(None);
        }
        match binary(named_value(self, &lids::PidLidAppointmentRecur)?) {
            Some(blob) => Ok(Some(AppointmentRecurrence::parse(&blob).map_err(blob_error)?)),
            None => Ok(None),
        }
    }

    /// The zone the series' local times are in.
    pub fn series_time_zone(
        &self,
        recurrence: &AppointmentRecurrence,
    ) -> SessionResult<SeriesTimeZone> {
        let definition =
            binary(named_value(self, &lids::PidLidAppointmentTimeZoneDefinitionRecur)?);
        let structure = binary(named_value(self, &lids::PidLidTimeZoneStruct)?);
        series_zone(definition.as_deref(), structure.as_deref(), recurrence, self.start()?)
    }

    /// `GetRecurrencePattern`: the pattern of a recurring item; for an item that does not
    /// recur, a weekly pattern from its Start without end, as Outlook gives (it becomes
    /// recurring when written with [`AppointmentItem::set_recurrence_pattern`]).
    pub fn get_recurrence_pattern(&self) -> SessionResult<RecurrencePattern> {
        let Some(recurrence) = self.recurrence()? else {
            let start = self.start()?.unwrap_or_else(Timestamp::now);
            let end = self.end()?.unwrap_or(start);
            let zone = TimeZone::system();
            let duration = ((end.as_second() - start.as_second()).max(0) / 60) as u32;
            return Ok(RecurrencePattern::new(
                OlRecurrenceType::Weekly,
                zone.to_datetime(start),
                duration,
            ));
        };
        outlook_pattern(&recurrence)
    }

    /// Writes a pattern (Outlook's `RecurrencePattern` member changes, then `Save`): the BLOB
    /// and the named properties that go with it. Local times are in the item's series zone
    /// when it has one, else in the session's local zone. The item's Start and End move to
    /// the first occurrence, as in Outlook. In memory until [`Item::save`].
    pub fn set_recurrence_pattern(&self, pattern: &RecurrencePattern) -> SessionResult<()> {
        let existing = binary(named_value(self, &lids::PidLidTimeZoneStruct)?)
            .and_then(|b| TimeZoneStruct::parse(&b).ok());
        let rule = match existing {
            Some(structure) => structure.rule(),
            None => rule_from_zone(&TimeZone::system(), pattern.pattern_start_date.year()),
        };
        self.set_recurrence_pattern_in(pattern, &rule)
    }

    /// [`AppointmentItem::set_recurrence_pattern`] with an explicit time zone rule.
    pub fn set_recurrence_pattern_in(
        &self,
        pattern: &RecurrencePattern,
        rule: &TimeZoneRule,
    ) -> SessionResult<()> {
        let recurrence = blob_from_pattern(pattern)?;
        let blob = recurrence.to_bytes().map_err(blob_error)?;
        let structure = TimeZoneStruct::from_rule(rule);
        let zone = SeriesTimeZone::from_struct(&structure).map_err(blob_error)?;
        let p = &recurrence.pattern;
        let first = p
            .instances()
            .map_err(blob_error)?
            .next()
            .ok_or_else(|| invalid("the pattern has no occurrence"))?
            .1;
        let first_start = first * MINUTES_PER_DAY + i64::from(recurrence.start_time_offset);
        let start = zone.to_timestamp(first_start).map_err(blob_error)?;
        let end =
            zone.to_timestamp(first_start + recurrence.duration_minutes()).map_err(blob_error)?;
        let clip_start = zone.to_timestamp(i64::from(p.start_date)).map_err(blob_error)?;
        // MS-OXOCAL 2.2.1.15: a series without end clips at 31 August 4500 23:59.
        let clip_end = if p.end_type.is_never() {
            "4500-08-31T23:59:00Z".parse().map_err(|_| invalid("clip end"))?
        } else {
            zone.to_timestamp(i64::from(p.end_date)).map_err(blob_error)?
        };
        let definition = TimeZoneDefinition {
            key_name: Vec::new(),
            rules: vec![mapi::recurrence::DefinitionRule {
                flags: mapi::recurrence::TZRULE_FLAG_EFFECTIVE_TZREG
                    | mapi::recurrence::TZRULE_FLAG_RECUR_CURRENT_TZREG,
                year: 1601,
                reserved: [0; 14],
                rule: *rule,
            }],
        };
        // MS-OXOCAL 2.2.1.45: 1 daily, 2 weekly, 3 monthly (and month-nth), 4 yearly.
        let recurrence_type = match p.frequency {
            RecurFrequency::Daily => 1,
            RecurFrequency::Weekly => 2,
            RecurFrequency::Monthly => 3,
            RecurFrequency::Yearly => 4,
        };
        set_named_value(self, &lids::PidLidAppointmentRecur, PropValue::Binary(blob))?;
        set_named_value(self, &lids::PidLidRecurring, PropValue::Boolean(true))?;
        set_named_value(self, &lids::PidLidIsRecurring, PropValue::Boolean(true))?;
        set_named_value(self, &lids::PidLidRecurrenceType, PropValue::Integer32(recurrence_type))?;
        set_named_value(self, &lids::PidLidClipStart, time_value(clip_start)?)?;
        set_named_value(self, &lids::PidLidClipEnd, time_value(clip_end)?)?;
        set_named_value(
            self,
            &lids::PidLidTimeZoneStruct,
            PropValue::Binary(structure.to_bytes()),
        )?;
        let definition = definition.to_bytes().map_err(blob_error)?;
        set_named_value(
            self,
            &lids::PidLidAppointmentTimeZoneDefinitionRecur,
            PropValue::Binary(definition),
        )?;
        self.set_start(start)?;
        self.set_end(end)?;
        set_named_value(
            self,
            &lids::PidLidAppointmentDuration,
            PropValue::Integer32(pattern.duration as i32),
        )
    }

    /// `ClearRecurrencePattern`: the item becomes a single appointment at its first
    /// occurrence. In memory until [`Item::save`].
    pub fn clear_recurrence(&self) -> SessionResult<()> {
        set_named_value(self, &lids::PidLidRecurring, PropValue::Boolean(false))?;
        set_named_value(self, &lids::PidLidIsRecurring, PropValue::Boolean(false))?;
        set_named_value(self, &lids::PidLidRecurrenceType, PropValue::Integer32(0))?;
        // An empty BLOB rather than a deleted property: providers differ in how they delete,
        // and readers check PidLidRecurring first.
        set_named_value(self, &lids::PidLidAppointmentRecur, PropValue::Binary(Vec::new()))
    }

    /// The occurrences of this appointment that overlap `[from, to)`: its one occurrence, or
    /// its series expanded with deleted and modified instances applied, by start.
    pub fn occurrences_between(
        &self,
        from: Timestamp,
        to: Timestamp,
    ) -> SessionResult<Vec<AppointmentOccurrence>> {
        let subject = self.subject()?;
        let location = self.location()?;
        let entry_id = self.entry_id();
        let Some(recurrence) = self.recurrence()? else {
            let (Some(start), end) = (self.start()?, self.end()?) else { return Ok(Vec::new()) };
            let end = end.unwrap_or(start).max(start);
            if start < to && (end > from || start >= from) {
                return Ok(vec![AppointmentOccurrence {
                    entry_id,
                    subject,
                    location,
                    start,
                    end,
                    is_recurring: false,
                    is_exception: false,
                }]);
            }
            return Ok(Vec::new());
        };
        let zone = self.series_time_zone(&recurrence)?;
        let series = Series { entry_id, subject, location, recurrence, zone };
        series.occurrences(from, to)
    }

    /// `GetOccurrence(StartDate)`: the occurrence that starts at `start`; MAPI_E_NOT_FOUND
    /// when none does (a deleted one included), as Outlook raises.
    pub fn get_occurrence(&self, start: Timestamp) -> SessionResult<AppointmentOccurrence> {
        let until = start
            .checked_add(jiff::SignedDuration::from_secs(1))
            .map_err(|err| invalid(format!("{start}: {err}")))?;
        self.occurrences_between(start, until)?.into_iter().find(|o| o.start == start).ok_or_else(
            || {
                SessionError::Mapi(MapiError::not_found(format!(
                    "the appointment has no occurrence starting at {start}"
                )))
            },
        )
    }

    /// `Organizer` (`PidTagSentRepresentingName`, as Outlook shows it).
    pub fn organizer(&self) -> SessionResult<Option<String>> {
        Ok(text(self.get(tags::PidTagSentRepresentingName)?))
    }

    /// `RequiredAttendees`: the To recipients of the recipient table, `; `-separated (the
    /// organizer's own row left out), else `PidLidToAttendeesString`.
    pub fn required_attendees(&self) -> SessionResult<Option<String>> {
        self.attendees(1, &lids::PidLidToAttendeesString)
    }

    /// `OptionalAttendees`: the Cc recipients, else `PidLidCcAttendeesString`.
    pub fn optional_attendees(&self) -> SessionResult<Option<String>> {
        self.attendees(2, &lids::PidLidCcAttendeesString)
    }

    fn attendees(&self, kind: i32, fallback: &PropertyInfo) -> SessionResult<Option<String>> {
        // MS-OXOCAL 2.2.4.10.1: recipOrganizer marks the organizer's row.
        const RECIP_ORGANIZER: i32 = 0x0002;
        let table = self.message().recipient_table()?;
        table.set_columns(&[
            tags::PidTagDisplayName,
            tags::PidTagRecipientType,
            tags::PidTagRecipientFlags,
        ])?;
        let mut names = Vec::new();
        loop {
            let rows = table.query_rows(64)?;
            if rows.is_empty() {
                break;
            }
            for row in rows {
                let value = |i: usize| row.get(i).map(|v| v.value.clone());
                let recipient_type = value(1).and_then(|v| v.as_i32()).unwrap_or(0);
                let flags = value(2).and_then(|v| v.as_i32()).unwrap_or(0);
                if recipient_type == kind
                    && flags & RECIP_ORGANIZER == 0
                    && let Some(name) = text(value(0))
                {
                    names.push(name);
                }
            }
        }
        if !names.is_empty() {
            return Ok(Some(names.join("; ")));
        }
        Ok(text(named_value(self, fallback)?))
    }

    /// `ResponseStatus` (`OlResponseStatus`, `PidLidResponseStatus`; 0 olResponseNone).
    pub fn response_status(&self) -> SessionResult<i32> {
        Ok(named_value(self, &lids::PidLidResponseStatus)?.and_then(|v| v.as_i32()).unwrap_or(0))
    }

    /// `MeetingStatus` (`OlMeetingStatus`): the asfMeeting, asfReceived and asfCanceled bits
    /// of `PidLidAppointmentStateFlags` (MS-OXOCAL 2.2.1.10) are Outlook's values 0, 1, 3, 5, 7.
    pub fn meeting_status(&self) -> SessionResult<i32> {
        let flags = named_value(self, &lids::PidLidAppointmentStateFlags)?
            .and_then(|v| v.as_i32())
            .unwrap_or(0);
        Ok(flags & 0x7)
    }
}

/// A series ready to expand.
struct Series {
    entry_id: Option<String>,
    subject: Option<String>,
    location: Option<String>,
    recurrence: AppointmentRecurrence,
    zone: SeriesTimeZone,
}

impl Series {
    fn occurrences(
        &self,
        from: Timestamp,
        to: Timestamp,
    ) -> SessionResult<Vec<AppointmentOccurrence>> {
        let mut out = Vec::new();
        for occurrence in self.recurrence.occurrences(&self.zone, from, to).map_err(blob_error)? {
            let occurrence = occurrence.map_err(blob_error)?;
            let (subject, location) = match occurrence.exception {
                Some(index) => {
                    let (info, extended) = &self.recurrence.exceptions[index];
                    (
                        extended
                            .subject()
                            .or_else(|| info.subject.as_deref().map(latin1))
                            .or_else(|| self.subject.clone()),
                        extended
                            .location()
                            .or_else(|| info.location.as_deref().map(latin1))
                            .or_else(|| self.location.clone()),
                    )
                }
                None => (self.subject.clone(), self.location.clone()),
            };
            out.push(AppointmentOccurrence {
                entry_id: self.entry_id.clone(),
                subject,
                location,
                start: occurrence.start,
                end: occurrence.end,
                is_recurring: true,
                is_exception: occurrence.exception.is_some(),
            });
        }
        Ok(out)
    }
}

/// Outlook's members of a BLOB.
fn outlook_pattern(recurrence: &AppointmentRecurrence) -> SessionResult<RecurrencePattern> {
    let p = &recurrence.pattern;
    let start = local_datetime(i64::from(p.start_date))?;
    let unsupported = || {
        SessionError::Mapi(MapiError::new(
            ErrorCode::NoSupport,
            "Hijri calendar recurrence patterns are not supported",
        ))
    };
    let mut out = RecurrencePattern::new(OlRecurrenceType::Daily, start, 0);
    out.day_of_week_mask = 0;
    out.day_of_month = 0;
    out.month_of_year = 0;
    out.instance = 0;
    match (p.frequency, p.pattern) {
        (_, Pattern::Day) => {
            out.recurrence_type = OlRecurrenceType::Daily;
            out.interval = p.period / 1440;
        }
        (_, Pattern::Week { days }) => {
            out.recurrence_type = OlRecurrenceType::Weekly;
            out.interval = p.period;
            out.day_of_week_mask = days & 0x7F;
        }
        (RecurFrequency::Yearly, Pattern::Month { day } | Pattern::MonthEnd { day }) => {
            out.recurrence_type = OlRecurrenceType::Yearly;
            out.interval = p.period / 12;
            out.day_of_month = day;
            out.month_of_year = start.month() as u32;
        }
        (RecurFrequency::Yearly, Pattern::MonthNth { days, nth }) => {
            out.recurrence_type = OlRecurrenceType::YearNth;
            out.interval = p.period / 12;
            out.day_of_week_mask = days & 0x7F;
            out.instance = nth;
            out.month_of_year = start.month() as u32;
        }
        (_, Pattern::Month { day } | Pattern::MonthEnd { day }) => {
            out.recurrence_type = OlRecurrenceType::Monthly;
            out.interval = p.period;
            out.day_of_month = day;
        }
        (_, Pattern::MonthNth { days, nth }) => {
            out.recurrence_type = OlRecurrenceType::MonthNth;
            out.interval = p.period;
            out.day_of_week_mask = days & 0x7F;
            out.instance = nth;
        }
        (_, Pattern::HjMonth { .. } | Pattern::HjMonthNth { .. } | Pattern::HjMonthEnd { .. }) => {
            return Err(unsupported());
        }
    }
    out.no_end_date = p.end_type.is_never();
    out.pattern_end_date =
        if out.no_end_date { None } else { Some(local_datetime(i64::from(p.end_date))?.date()) };
    out.occurrences = if out.no_end_date { 0 } else { p.occurrence_count };
    out.start_time = local_datetime(i64::from(recurrence.start_time_offset))?.time();
    out.duration = recurrence.duration_minutes() as u32;
    out.end_time =
        local_datetime(i64::from(recurrence.start_time_offset) + i64::from(out.duration))?.time();
    let modified: Vec<i64> =
        recurrence.exceptions.iter().map(|(info, _)| i64::from(info.original_start_date)).collect();
    for (info, extended) in &recurrence.exceptions {
        out.exceptions.push(RecurrenceException {
            original_date: local_datetime(i64::from(info.original_start_date))?,
            deleted: false,
            start: Some(local_datetime(i64::from(info.start_date_time))?),
            end: Some(local_datetime(i64::from(info.end_date_time))?),
            subject: extended.subject().or_else(|| info.subject.as_deref().map(latin1)),
            location: extended.location().or_else(|| info.location.as_deref().map(latin1)),
        });
    }
    for deleted in &p.deleted_instance_dates {
        let day = i64::from(*deleted).div_euclid(MINUTES_PER_DAY);
        if modified.iter().any(|m| m.div_euclid(MINUTES_PER_DAY) == day) {
            continue;
        }
        out.exceptions.push(RecurrenceException {
            original_date: local_datetime(
                day * MINUTES_PER_DAY + i64::from(recurrence.start_time_offset),
            )?,
            deleted: true,
            start: None,
            end: None,
            subject: None,
            location: None,
        });
    }
    out.exceptions.sort_by_key(|e| e.original_date);
    Ok(out)
}

/// The BLOB of Outlook's members. Deleted exceptions are written as deleted instances;
/// modified ones need the exception messages Outpost does not create yet, so they are refused.
fn blob_from_pattern(pattern: &RecurrencePattern) -> SessionResult<AppointmentRecurrence> {
    if pattern.interval == 0 {
        return Err(invalid("Interval must be at least 1"));
    }
    let mask = pattern.day_of_week_mask & 0x7F;
    let start_day = pattern.pattern_start_date;
    let nth = || {
        if (1..=5).contains(&pattern.instance) && mask != 0 {
            Ok(pattern.instance)
        } else {
            Err(invalid("Instance must be 1-5 and DayOfWeekMask name at least one day"))
        }
    };
    let day = || {
        if (1..=31).contains(&pattern.day_of_month) {
            Ok(pattern.day_of_month)
        } else {
            Err(invalid("DayOfMonth must be 1-31"))
        }
    };
    let month_pattern =
        |d: u32| if d == 31 { Pattern::MonthEnd { day: 31 } } else { Pattern::Month { day: d } };
    let mut start_date = start_day;
    let (frequency, kind, period) = match pattern.recurrence_type {
        OlRecurrenceType::Daily => (RecurFrequency::Daily, Pattern::Day, pattern.interval * 1440),
        OlRecurrenceType::Weekly => {
            if mask == 0 {
                return Err(invalid("DayOfWeekMask names no day"));
            }
            (RecurFrequency::Weekly, Pattern::Week { days: mask }, pattern.interval)
        }
        OlRecurrenceType::Monthly => {
            (RecurFrequency::Monthly, month_pattern(day()?), pattern.interval)
        }
        OlRecurrenceType::MonthNth => (
            RecurFrequency::Monthly,
            Pattern::MonthNth { days: mask, nth: nth()? },
            pattern.interval,
        ),
        OlRecurrenceType::Yearly | OlRecurrenceType::YearNth => {
            if !(1..=12).contains(&pattern.month_of_year) {
                return Err(invalid("MonthOfYear must be 1-12"));
            }
            // The month of a yearly series is the month of its StartDate (2.2.1.44.1).
            let month = pattern.month_of_year as i8;
            let mut year = start_day.year();
            if month < start_day.month() {
                year += 1;
            }
            start_date = Date::new(year, month, 1).map_err(|e| invalid(e.to_string()))?;
            if start_date < start_day {
                start_date = start_day;
            }
            let kind = if pattern.recurrence_type == OlRecurrenceType::Yearly {
                month_pattern(day()?)
            } else {
                Pattern::MonthNth { days: mask, nth: nth()? }
            };
            (RecurFrequency::Yearly, kind, pattern.interval * 12)
        }
    };
    let end_type = if pattern.no_end_date {
        EndType::Never
    } else if pattern.occurrences > 0 {
        EndType::AfterOccurrences
    } else if pattern.pattern_end_date.is_some() {
        EndType::AfterDate
    } else {
        return Err(invalid("a pattern with an end needs Occurrences or PatternEndDate"));
    };
    let midnight = |date: Date| civil_to_minutes(date.at(0, 0, 0, 0));
    let to_u32 = |minutes: i64| {
        u32::try_from(minutes).map_err(|_| invalid(format!("date {minutes} is out of range")))
    };
    let start_minutes =
        i64::from(pattern.start_time.hour()) * 60 + i64::from(pattern.start_time.minute());
    let mut deleted = Vec::new();
    for exception in &pattern.exceptions {
        if !exception.deleted {
            return Err(SessionError::Mapi(MapiError::new(
                ErrorCode::NoSupport,
                "writing modified occurrences is not supported yet; delete the occurrence or \
                 change the whole series",
            )));
        }
        deleted.push(to_u32(midnight(exception.original_date.date()))?);
    }
    deleted.sort_unstable();
    deleted.dedup();
    let mut blob_pattern = BlobPattern {
        reader_version: PATTERN_VERSION,
        writer_version: PATTERN_VERSION,
        frequency,
        pattern: kind,
        calendar_type: 0,
        first_date_time: 0,
        period,
        sliding_flag: 0,
        end_type,
        occurrence_count: pattern.occurrences,
        // Outlook writes the user's first day of the week; Sunday is its default.
        first_dow: 0,
        deleted_instance_dates: deleted,
        modified_instance_dates: Vec::new(),
        start_date: to_u32(midnight(start_date))?,
        end_date: match pattern.pattern_end_date {
            Some(date) if end_type == EndType::AfterDate => to_u32(midnight(date))?,
            _ => NO_END_DATE,
        },
    };
    blob_pattern.fill_derived().map_err(blob_error)?;
    Ok(AppointmentRecurrence {
        pattern: blob_pattern,
        reader_version2: READER_VERSION2,
        writer_version2: 0x3009,
        start_time_offset: start_minutes as u32,
        end_time_offset: (start_minutes + i64::from(pattern.duration)) as u32,
        exceptions: Vec::new(),
        reserved_block1: Vec::new(),
        reserved_block2: Vec::new(),
    })
}

/// A Windows-style rule for a jiff zone in a year: its standard offset and, when it observes
/// DST that year, the two transitions as "Nth weekday of the month" (5 for the last).
pub fn rule_from_zone(zone: &TimeZone, year: i16) -> TimeZoneRule {
    let jan = Date::new(year, 1, 1).unwrap_or(Date::constant(2000, 1, 1));
    let Ok(begin) = zone.to_timestamp(jan.at(0, 0, 0, 0)) else {
        return TimeZoneRule::default();
    };
    let mut standard: Option<(Timestamp, i32)> = None;
    let mut daylight: Option<(Timestamp, i32)> = None;
    for transition in zone.following(begin).take(4) {
        if transition.timestamp().to_zoned(zone.clone()).year() != year {
            break;
        }
        let offset = transition.offset().seconds() / 60;
        if transition.dst().is_dst() {
            daylight.get_or_insert((transition.timestamp(), offset));
        } else {
            standard.get_or_insert((transition.timestamp(), offset));
        }
    }
    match (daylight, standard) {
        (Some((dst_at, dst_offset)), Some((std_at, std_offset))) => {
            // Transition times are written in the local time in force before each change.
            let at = |moment: Timestamp, before_offset: i32| {
                let local = moment
                    .to_zoned(TimeZone::fixed(
                        jiff::tz::Offset::from_seconds(before_offset * 60)
                            .unwrap_or(jiff::tz::Offset::UTC),
                    ))
                    .datetime();
                let week = if local.day() + 7 > local.days_in_month() {
                    5
                } else {
                    (local.day() as u16 - 1) / 7 + 1
                };
                SystemTime {
                    month: local.month() as u16,
                    day_of_week: local.weekday().to_sunday_zero_offset() as u16,
                    day: week,
                    hour: local.hour() as u16,
                    minute: local.minute() as u16,
                    ..Default::default()
                }
            };
            TimeZoneRule {
                bias: -std_offset,
                standard_bias: 0,
                daylight_bias: std_offset - dst_offset,
                standard_date: at(std_at, dst_offset),
                daylight_date: at(dst_at, std_offset),
            }
        }
        _ => TimeZoneRule { bias: -(zone.to_offset(begin).seconds() / 60), ..Default::default() },
    }
}

/// The occurrences of every appointment of `folder` that overlap `[from, to)`, by start (then
/// end and subject): single appointments as they are, series expanded.
pub fn expand_folder(
    folder: &Folder,
    from: Timestamp,
    to: Timestamp,
) -> SessionResult<Vec<AppointmentOccurrence>> {
    if from > to {
        return Err(invalid(format!("the range starts ({from}) after it ends ({to})")));
    }
    let mut out = Vec::new();
    for item in folder.items().iter()? {
        let item = item?;
        if let crate::item::TypedItem::Appointment(appointment) = item.typed() {
            out.extend(appointment.occurrences_between(from, to)?);
        }
    }
    out.sort_by(|a, b| (a.start, a.end, &a.subject).cmp(&(b.start, b.end, &b.subject)));
    Ok(out)
}

impl Items {
    /// The collection as Outlook iterates it with `IncludeRecurrences = True`, `Sort("[Start]")`
    /// and `Restrict("[Start] <= 'end' AND [End] >= 'start'")`: every occurrence in the
    /// restriction's range, by start. Outlook's collection is endless without the restriction;
    /// here a missing bound is an error instead.
    pub fn occurrences(&self) -> SessionResult<Vec<AppointmentOccurrence>> {
        if !self.include_recurrences() {
            return Err(invalid("occurrences need IncludeRecurrences = True"));
        }
        let store = self.folder().store();
        let start_tag = crate::items::field_tag(store, "Start")?;
        let end_tag = crate::items::field_tag(store, "End")?;
        let sorted_by_start = self
            .sort_order()
            .and_then(|order| order.sorts.first())
            .is_some_and(|sort| sort.tag.id() == start_tag.id());
        if !sorted_by_start {
            return Err(invalid("IncludeRecurrences needs Sort(\"[Start]\") first, as in Outlook"));
        }
        let (from, to) = range_of(self.restriction(), start_tag, end_tag).ok_or_else(|| {
            invalid(
                "IncludeRecurrences needs a restriction with both bounds: [Start] <= end AND \
                 [End] >= start (a series without end would be endless otherwise)",
            )
        })?;
        // The bounds are inclusive in Outlook's filter; make the end exclusive.
        let to = to.checked_add(jiff::SignedDuration::from_secs(1)).unwrap_or(to);
        let mut all = expand_folder(self.folder(), from, to)?;
        let descending = self
            .sort_order()
            .and_then(|order| order.sorts.first())
            .is_some_and(|sort| sort.direction == mapi::restriction::SortDirection::Descending);
        if descending {
            all.reverse();
        }
        Ok(all)
    }
}

/// (lower, upper) from a restriction's top-level terms `End >= lower` and `Start <= upper`.
fn range_of(
    restriction: Option<&Restriction>,
    start: PropTag,
    end: PropTag,
) -> Option<(Timestamp, Timestamp)> {
    let terms: Vec<&Restriction> = match restriction? {
        Restriction::And(terms) => terms.iter().collect(),
        other => vec![other],
    };
    let mut lower = None;
    let mut upper = None;
    for term in terms {
        if let Restriction::Property { relop, tag, value } = term {
            let Some(moment) = time(Some(value.value.clone())) else { continue };
            match relop {
                RelOp::GreaterThan | RelOp::GreaterThanOrEqual if tag.id() == end.id() => {
                    lower = Some(moment)
                }
                RelOp::LessThan | RelOp::LessThanOrEqual if tag.id() == start.id() => {
                    upper = Some(moment)
                }
                _ => {}
            }
        }
    }
    Some((lower?, upper?))
}

/// An instant as the CLI and scripts write one: RFC 3339 / ISO 8601 with an offset or `Z`,
/// else the date forms filters take (`YYYY-MM-DD[ HH:MM[:SS]]`, `M/D/YYYY [h:mm [AM|PM]]`)
/// in the session's local time zone. `None` when the text is neither.
pub fn parse_instant(text: &str) -> Option<Timestamp> {
    let text = text.trim();
    if let Ok(moment) = text.parse::<Timestamp>() {
        return Some(moment);
    }
    let civil = crate::filter::translate::parse_civil_date(text)?;
    TimeZone::system().to_timestamp(civil).ok()
}
