//! The recurrence BLOB: RecurrencePattern (MS-OXOCAL 2.2.1.44.1), ExceptionInfo (2.2.1.44.2),
//! AppointmentRecurrencePattern (2.2.1.44.3) and ExtendedException (2.2.1.44.4), little-endian.

use super::{RecurrenceError, RecurrenceResult};

/// A cursor over a byte slice that names the structure and field in its errors.
pub(crate) struct Reader<'a> {
    data: &'a [u8],
    pub(crate) offset: usize,
    structure: &'static str,
}

impl<'a> Reader<'a> {
    pub(crate) fn new(data: &'a [u8], structure: &'static str) -> Reader<'a> {
        Reader { data, offset: 0, structure }
    }

    pub(crate) fn remaining(&self) -> usize {
        self.data.len() - self.offset
    }

    pub(crate) fn bytes(&mut self, field: &'static str, len: usize) -> RecurrenceResult<&'a [u8]> {
        if len > self.remaining() {
            return Err(RecurrenceError::Truncated {
                structure: self.structure,
                field,
                offset: self.offset,
                needed: len,
                available: self.remaining(),
            });
        }
        let slice = &self.data[self.offset..self.offset + len];
        self.offset += len;
        Ok(slice)
    }

    fn array<const N: usize>(&mut self, field: &'static str) -> RecurrenceResult<[u8; N]> {
        let mut out = [0u8; N];
        out.copy_from_slice(self.bytes(field, N)?);
        Ok(out)
    }

    pub(crate) fn u8(&mut self, field: &'static str) -> RecurrenceResult<u8> {
        Ok(self.array::<1>(field)?[0])
    }

    pub(crate) fn u16(&mut self, field: &'static str) -> RecurrenceResult<u16> {
        Ok(u16::from_le_bytes(self.array(field)?))
    }

    pub(crate) fn u32(&mut self, field: &'static str) -> RecurrenceResult<u32> {
        Ok(u32::from_le_bytes(self.array(field)?))
    }

    pub(crate) fn i32(&mut self, field: &'static str) -> RecurrenceResult<i32> {
        Ok(i32::from_le_bytes(self.array(field)?))
    }

    /// `count` items of `item_size` bytes each: the count is checked against the bytes left
    /// before anything is allocated.
    pub(crate) fn check_count(
        &self,
        field: &'static str,
        count: usize,
        item_size: usize,
    ) -> RecurrenceResult<()> {
        let needed = count.saturating_mul(item_size);
        if needed > self.remaining() {
            return Err(RecurrenceError::Truncated {
                structure: self.structure,
                field,
                offset: self.offset,
                needed,
                available: self.remaining(),
            });
        }
        Ok(())
    }

    pub(crate) fn u32s(&mut self, field: &'static str, count: usize) -> RecurrenceResult<Vec<u32>> {
        self.check_count(field, count, 4)?;
        (0..count).map(|_| self.u32(field)).collect()
    }

    pub(crate) fn utf16(
        &mut self,
        field: &'static str,
        chars: usize,
    ) -> RecurrenceResult<Vec<u16>> {
        self.check_count(field, chars, 2)?;
        (0..chars).map(|_| self.u16(field)).collect()
    }

    pub(crate) fn bad(
        &self,
        field: &'static str,
        offset: usize,
        value: u64,
        expected: &'static str,
    ) -> RecurrenceError {
        RecurrenceError::BadValue { structure: self.structure, field, offset, value, expected }
    }

    pub(crate) fn finish(&self) -> RecurrenceResult<()> {
        if self.remaining() > 0 {
            return Err(RecurrenceError::TrailingBytes {
                structure: self.structure,
                offset: self.offset,
                count: self.remaining(),
            });
        }
        Ok(())
    }
}

pub(crate) fn put_u16(out: &mut Vec<u8>, value: u16) {
    out.extend_from_slice(&value.to_le_bytes());
}

pub(crate) fn put_u32(out: &mut Vec<u8>, value: u32) {
    out.extend_from_slice(&value.to_le_bytes());
}

pub(crate) fn put_i32(out: &mut Vec<u8>, value: i32) {
    out.extend_from_slice(&value.to_le_bytes());
}

fn length_u16(field: &str, len: usize) -> RecurrenceResult<u16> {
    u16::try_from(len).map_err(|_| {
        RecurrenceError::Pattern(format!("{field}: {len} is too long for a 16-bit length"))
    })
}

fn length_u32(field: &str, len: usize) -> RecurrenceResult<u32> {
    u32::try_from(len).map_err(|_| {
        RecurrenceError::Pattern(format!("{field}: {len} is too long for a 32-bit length"))
    })
}

/// RecurFrequency (2.2.1.44.1).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum RecurFrequency {
    Daily,
    Weekly,
    Monthly,
    Yearly,
}

impl RecurFrequency {
    pub const fn code(self) -> u16 {
        match self {
            RecurFrequency::Daily => 0x200A,
            RecurFrequency::Weekly => 0x200B,
            RecurFrequency::Monthly => 0x200C,
            RecurFrequency::Yearly => 0x200D,
        }
    }

    pub const fn from_code(code: u16) -> Option<RecurFrequency> {
        Some(match code {
            0x200A => RecurFrequency::Daily,
            0x200B => RecurFrequency::Weekly,
            0x200C => RecurFrequency::Monthly,
            0x200D => RecurFrequency::Yearly,
            _ => return None,
        })
    }
}

/// PatternType with its PatternTypeSpecific field (2.2.1.44.1). Day masks: bit 0 Sunday ...
/// bit 6 Saturday. `nth`: 1-4, or 5 for the last.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Pattern {
    /// 0x0000: every Period minutes (a whole number of days).
    Day,
    /// 0x0001: the days of `days` in every Period-th week.
    Week { days: u32 },
    /// 0x0002: day `day` of every Period-th month (the last day in shorter months).
    Month { day: u32 },
    /// 0x0003: the `nth` day among `days` of every Period-th month.
    MonthNth { days: u32, nth: u32 },
    /// 0x0004: the last day of every Period-th month (`day` is 31 as written by Outlook).
    MonthEnd { day: u32 },
    /// 0x000A: Hijri calendar day of month.
    HjMonth { day: u32 },
    /// 0x000B: Hijri calendar nth day.
    HjMonthNth { days: u32, nth: u32 },
    /// 0x000C: Hijri calendar month end.
    HjMonthEnd { day: u32 },
}

impl Pattern {
    pub const fn type_code(self) -> u16 {
        match self {
            Pattern::Day => 0x0000,
            Pattern::Week { .. } => 0x0001,
            Pattern::Month { .. } => 0x0002,
            Pattern::MonthNth { .. } => 0x0003,
            Pattern::MonthEnd { .. } => 0x0004,
            Pattern::HjMonth { .. } => 0x000A,
            Pattern::HjMonthNth { .. } => 0x000B,
            Pattern::HjMonthEnd { .. } => 0x000C,
        }
    }
}

/// EndType (2.2.1.44.1).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum EndType {
    /// 0x2021: ends on EndDate.
    AfterDate,
    /// 0x2022: ends after OccurrenceCount occurrences.
    AfterOccurrences,
    /// 0x2023: never ends.
    Never,
    /// 0xFFFFFFFF: never ends (the older spelling, which readers must accept).
    NeverLegacy,
}

impl EndType {
    pub const fn code(self) -> u32 {
        match self {
            EndType::AfterDate => 0x2021,
            EndType::AfterOccurrences => 0x2022,
            EndType::Never => 0x2023,
            EndType::NeverLegacy => 0xFFFF_FFFF,
        }
    }

    pub const fn from_code(code: u32) -> Option<EndType> {
        Some(match code {
            0x2021 => EndType::AfterDate,
            0x2022 => EndType::AfterOccurrences,
            0x2023 => EndType::Never,
            0xFFFF_FFFF => EndType::NeverLegacy,
            _ => return None,
        })
    }

    pub const fn is_never(self) -> bool {
        matches!(self, EndType::Never | EndType::NeverLegacy)
    }
}

/// RecurrencePattern (2.2.1.44.1). Dates are [`super::LocalMinutes`] at local midnight.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RecurrencePattern {
    pub reader_version: u16,
    pub writer_version: u16,
    pub frequency: RecurFrequency,
    pub pattern: Pattern,
    /// 0 or 1 Gregorian; other values are the non-Gregorian calendars of 2.2.1.44.1.
    pub calendar_type: u16,
    pub first_date_time: u32,
    /// Minutes for a daily pattern, weeks for a weekly one, months for monthly and yearly.
    pub period: u32,
    /// Tasks only: whether the next occurrence follows the completion of the last.
    pub sliding_flag: u32,
    pub end_type: EndType,
    pub occurrence_count: u32,
    /// The first day of the week, 0 Sunday ... 6 Saturday.
    pub first_dow: u32,
    /// Local midnights of the original dates of deleted and modified instances, ascending.
    pub deleted_instance_dates: Vec<u32>,
    /// Local midnights of the new dates of modified instances, ascending.
    pub modified_instance_dates: Vec<u32>,
    pub start_date: u32,
    pub end_date: u32,
}

/// The version both reader and writer fields hold (2.2.1.44.1).
pub const PATTERN_VERSION: u16 = 0x3004;

impl RecurrencePattern {
    /// Reads a RecurrencePattern from the start of `reader`.
    pub(crate) fn read(r: &mut Reader<'_>) -> RecurrenceResult<RecurrencePattern> {
        let at = r.offset;
        let reader_version = r.u16("ReaderVersion")?;
        if reader_version != PATTERN_VERSION {
            return Err(r.bad("ReaderVersion", at, reader_version.into(), "0x3004"));
        }
        let writer_version = r.u16("WriterVersion")?;
        let at = r.offset;
        let code = r.u16("RecurFrequency")?;
        let frequency = RecurFrequency::from_code(code)
            .ok_or_else(|| r.bad("RecurFrequency", at, code.into(), "0x200A-0x200D"))?;
        let at = r.offset;
        let type_code = r.u16("PatternType")?;
        let calendar_type = r.u16("CalendarType")?;
        let first_date_time = r.u32("FirstDateTime")?;
        let period = r.u32("Period")?;
        let sliding_flag = r.u32("SlidingFlag")?;
        let pattern = match type_code {
            0x0000 => Pattern::Day,
            0x0001 => Pattern::Week { days: r.u32("PatternTypeSpecific.Week")? },
            0x0002 => Pattern::Month { day: r.u32("PatternTypeSpecific.Day")? },
            0x0004 => Pattern::MonthEnd { day: r.u32("PatternTypeSpecific.Day")? },
            0x000A => Pattern::HjMonth { day: r.u32("PatternTypeSpecific.Day")? },
            0x000C => Pattern::HjMonthEnd { day: r.u32("PatternTypeSpecific.Day")? },
            0x0003 => Pattern::MonthNth {
                days: r.u32("PatternTypeSpecific.MonthNth.DayMask")?,
                nth: r.u32("PatternTypeSpecific.MonthNth.N")?,
            },
            0x000B => Pattern::HjMonthNth {
                days: r.u32("PatternTypeSpecific.MonthNth.DayMask")?,
                nth: r.u32("PatternTypeSpecific.MonthNth.N")?,
            },
            other => {
                return Err(r.bad("PatternType", at, other.into(), "0x0-0x4 or 0xA-0xC"));
            }
        };
        let at = r.offset;
        let end_code = r.u32("EndType")?;
        let end_type = EndType::from_code(end_code).ok_or_else(|| {
            r.bad("EndType", at, end_code.into(), "0x2021, 0x2022, 0x2023 or 0xFFFFFFFF")
        })?;
        let occurrence_count = r.u32("OccurrenceCount")?;
        let first_dow = r.u32("FirstDOW")?;
        let deleted_count = r.u32("DeletedInstanceCount")? as usize;
        let deleted_instance_dates = r.u32s("DeletedInstanceDates", deleted_count)?;
        let modified_count = r.u32("ModifiedInstanceCount")? as usize;
        let modified_instance_dates = r.u32s("ModifiedInstanceDates", modified_count)?;
        let start_date = r.u32("StartDate")?;
        let end_date = r.u32("EndDate")?;
        Ok(RecurrencePattern {
            reader_version,
            writer_version,
            frequency,
            pattern,
            calendar_type,
            first_date_time,
            period,
            sliding_flag,
            end_type,
            occurrence_count,
            first_dow,
            deleted_instance_dates,
            modified_instance_dates,
            start_date,
            end_date,
        })
    }

    /// Parses a whole BLOB that holds only a RecurrencePattern (as tasks store it).
    pub fn parse(data: &[u8]) -> RecurrenceResult<RecurrencePattern> {
        let mut r = Reader::new(data, "RecurrencePattern");
        let pattern = RecurrencePattern::read(&mut r)?;
        r.finish()?;
        Ok(pattern)
    }

    pub(crate) fn write_into(&self, out: &mut Vec<u8>) -> RecurrenceResult<()> {
        put_u16(out, self.reader_version);
        put_u16(out, self.writer_version);
        put_u16(out, self.frequency.code());
        put_u16(out, self.pattern.type_code());
        put_u16(out, self.calendar_type);
        put_u32(out, self.first_date_time);
        put_u32(out, self.period);
        put_u32(out, self.sliding_flag);
        match self.pattern {
            Pattern::Day => {}
            Pattern::Week { days } => put_u32(out, days),
            Pattern::Month { day }
            | Pattern::MonthEnd { day }
            | Pattern::HjMonth { day }
            | Pattern::HjMonthEnd { day } => put_u32(out, day),
            Pattern::MonthNth { days, nth } | Pattern::HjMonthNth { days, nth } => {
                put_u32(out, days);
                put_u32(out, nth);
            }
        }
        put_u32(out, self.end_type.code());
        put_u32(out, self.occurrence_count);
        put_u32(out, self.first_dow);
        put_u32(out, length_u32("DeletedInstanceCount", self.deleted_instance_dates.len())?);
        for date in &self.deleted_instance_dates {
            put_u32(out, *date);
        }
        put_u32(out, length_u32("ModifiedInstanceCount", self.modified_instance_dates.len())?);
        for date in &self.modified_instance_dates {
            put_u32(out, *date);
        }
        put_u32(out, self.start_date);
        put_u32(out, self.end_date);
        Ok(())
    }

    /// The bytes [`RecurrencePattern::parse`] reads back.
    pub fn to_bytes(&self) -> RecurrenceResult<Vec<u8>> {
        let mut out = Vec::new();
        self.write_into(&mut out)?;
        Ok(out)
    }
}

/// OverrideFlags of an ExceptionInfo (2.2.1.44.2): which fields differ from the series.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub struct OverrideFlags(pub u16);

impl OverrideFlags {
    pub const SUBJECT: u16 = 0x0001;
    pub const MEETING_TYPE: u16 = 0x0002;
    pub const REMINDER_DELTA: u16 = 0x0004;
    pub const REMINDER: u16 = 0x0008;
    pub const LOCATION: u16 = 0x0010;
    pub const BUSY_STATUS: u16 = 0x0020;
    pub const ATTACHMENT: u16 = 0x0040;
    pub const SUBTYPE: u16 = 0x0080;
    pub const APPT_COLOR: u16 = 0x0100;
    pub const EXCEPTIONAL_BODY: u16 = 0x0200;
    /// Every flag 2.2.1.44.2 defines.
    pub const KNOWN: u16 = 0x03FF;

    pub const fn has(self, flag: u16) -> bool {
        self.0 & flag != 0
    }
}

/// ExceptionInfo (2.2.1.44.2): one modified instance. The fields after `override_flags` are
/// present exactly when their flag is set; the writer derives the flags from them.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct ExceptionInfo {
    /// New start and end, local minutes.
    pub start_date_time: u32,
    pub end_date_time: u32,
    /// The instance's original start, local minutes.
    pub original_start_date: u32,
    /// The flags as read; [`ExceptionInfo::flags`] recomputes them from the fields.
    pub override_flags: OverrideFlags,
    /// Subject in the 8-bit code page of the message (ExtendedException has the Unicode one).
    pub subject: Option<Vec<u8>>,
    pub meeting_type: Option<u32>,
    pub reminder_delta: Option<u32>,
    pub reminder_set: Option<u32>,
    pub location: Option<Vec<u8>>,
    pub busy_status: Option<u32>,
    pub attachment: Option<u32>,
    pub sub_type: Option<u32>,
    pub appointment_color: Option<u32>,
    /// ARO_EXCEPTIONAL_BODY: the exception's embedded message has its own body (no field).
    pub exceptional_body: bool,
}

impl ExceptionInfo {
    /// The override flags the present fields call for, with the bits the specification does
    /// not define kept as read (found by fuzzing: dropping them broke round trips).
    pub fn flags(&self) -> OverrideFlags {
        let mut flags = self.override_flags.0 & !OverrideFlags::KNOWN;
        let mut set = |present: bool, flag: u16| {
            if present {
                flags |= flag;
            }
        };
        set(self.subject.is_some(), OverrideFlags::SUBJECT);
        set(self.meeting_type.is_some(), OverrideFlags::MEETING_TYPE);
        set(self.reminder_delta.is_some(), OverrideFlags::REMINDER_DELTA);
        set(self.reminder_set.is_some(), OverrideFlags::REMINDER);
        set(self.location.is_some(), OverrideFlags::LOCATION);
        set(self.busy_status.is_some(), OverrideFlags::BUSY_STATUS);
        set(self.attachment.is_some(), OverrideFlags::ATTACHMENT);
        set(self.sub_type.is_some(), OverrideFlags::SUBTYPE);
        set(self.appointment_color.is_some(), OverrideFlags::APPT_COLOR);
        set(self.exceptional_body, OverrideFlags::EXCEPTIONAL_BODY);
        OverrideFlags(flags)
    }

    fn read(r: &mut Reader<'_>) -> RecurrenceResult<ExceptionInfo> {
        let start_date_time = r.u32("ExceptionInfo.StartDateTime")?;
        let end_date_time = r.u32("ExceptionInfo.EndDateTime")?;
        let original_start_date = r.u32("ExceptionInfo.OriginalStartDate")?;
        let override_flags = OverrideFlags(r.u16("ExceptionInfo.OverrideFlags")?);
        let flags = override_flags;
        let text = |r: &mut Reader<'_>, present: bool, which: &'static str| {
            if !present {
                return Ok(None);
            }
            // Length is Length2 + 1 (2.2.1.44.2); only Length2 counts the bytes that follow.
            r.u16(which)?;
            let len = r.u16(which)? as usize;
            Ok::<_, RecurrenceError>(Some(r.bytes(which, len)?.to_vec()))
        };
        let subject = text(r, flags.has(OverrideFlags::SUBJECT), "ExceptionInfo.Subject")?;
        let field = |r: &mut Reader<'_>, flag: u16, name: &'static str| {
            if flags.has(flag) { r.u32(name).map(Some) } else { Ok(None) }
        };
        let meeting_type = field(r, OverrideFlags::MEETING_TYPE, "ExceptionInfo.MeetingType")?;
        let reminder_delta =
            field(r, OverrideFlags::REMINDER_DELTA, "ExceptionInfo.ReminderDelta")?;
        let reminder_set = field(r, OverrideFlags::REMINDER, "ExceptionInfo.ReminderSet")?;
        let location = text(r, flags.has(OverrideFlags::LOCATION), "ExceptionInfo.Location")?;
        let busy_status = field(r, OverrideFlags::BUSY_STATUS, "ExceptionInfo.BusyStatus")?;
        let attachment = field(r, OverrideFlags::ATTACHMENT, "ExceptionInfo.Attachment")?;
        let sub_type = field(r, OverrideFlags::SUBTYPE, "ExceptionInfo.SubType")?;
        let appointment_color =
            field(r, OverrideFlags::APPT_COLOR, "ExceptionInfo.AppointmentColor")?;
        Ok(ExceptionInfo {
            start_date_time,
            end_date_time,
            original_start_date,
            override_flags,
            subject,
            meeting_type,
            reminder_delta,
            reminder_set,
            location,
            busy_status,
            attachment,
            sub_type,
            appointment_color,
            exceptional_body: flags.has(OverrideFlags::EXCEPTIONAL_BODY),
        })
    }

    fn write_into(&self, out: &mut Vec<u8>) -> RecurrenceResult<()> {
        put_u32(out, self.start_date_time);
        put_u32(out, self.end_date_time);
        put_u32(out, self.original_start_date);
        put_u16(out, self.flags().0);
        let text = |out: &mut Vec<u8>, value: &Option<Vec<u8>>, name: &str| {
            if let Some(bytes) = value {
                let len = length_u16(name, bytes.len())?;
                let len_plus_one = len.checked_add(1).ok_or_else(|| {
                    RecurrenceError::Pattern(format!("{name}: too long for its length field"))
                })?;
                put_u16(out, len_plus_one);
                put_u16(out, len);
                out.extend_from_slice(bytes);
            }
            Ok::<_, RecurrenceError>(())
        };
        let field = |out: &mut Vec<u8>, value: Option<u32>| {
            if let Some(value) = value {
                put_u32(out, value);
            }
        };
        text(out, &self.subject, "ExceptionInfo.Subject")?;
        field(out, self.meeting_type);
        field(out, self.reminder_delta);
        field(out, self.reminder_set);
        text(out, &self.location, "ExceptionInfo.Location")?;
        field(out, self.busy_status);
        field(out, self.attachment);
        field(out, self.sub_type);
        field(out, self.appointment_color);
        Ok(())
    }
}

/// ChangeHighlight (2.2.1.44.4, MS-OXOCAL 2.2.6.2), present when WriterVersion2 >= 0x3009.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct ChangeHighlight {
    pub value: u32,
    /// Bytes after the value that ChangeHighlightSize covers.
    pub reserved: Vec<u8>,
}

/// ExtendedException (2.2.1.44.4): the Unicode subject and location of one exception.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct ExtendedException {
    pub change_highlight: Option<ChangeHighlight>,
    pub reserved_block_ee1: Vec<u8>,
    /// Start, end and original start repeated from the ExceptionInfo; present when the
    /// ExceptionInfo overrides the subject or the location.
    pub dates: Option<(u32, u32, u32)>,
    /// UTF-16 code units (kept as read so that the writer gives back the same bytes).
    pub wide_subject: Option<Vec<u16>>,
    pub wide_location: Option<Vec<u16>>,
    pub reserved_block_ee2: Vec<u8>,
}

impl ExtendedException {
    pub fn subject(&self) -> Option<String> {
        self.wide_subject.as_deref().map(String::from_utf16_lossy)
    }

    pub fn location(&self) -> Option<String> {
        self.wide_location.as_deref().map(String::from_utf16_lossy)
    }

    fn read(
        r: &mut Reader<'_>,
        info: &ExceptionInfo,
        has_change_highlight: bool,
    ) -> RecurrenceResult<ExtendedException> {
        let change_highlight = if has_change_highlight {
            let at = r.offset;
            let size = r.u32("ExtendedException.ChangeHighlightSize")? as usize;
            if size < 4 {
                return Err(r.bad(
                    "ExtendedException.ChangeHighlightSize",
                    at,
                    size as u64,
                    "at least 4",
                ));
            }
            r.check_count("ExtendedException.ChangeHighlight", size, 1)?;
            let value = r.u32("ExtendedException.ChangeHighlightValue")?;
            let reserved = r.bytes("ExtendedException.ChangeHighlight.Reserved", size - 4)?;
            Some(ChangeHighlight { value, reserved: reserved.to_vec() })
        } else {
            None
        };
        let ee1 = r.u32("ExtendedException.ReservedBlockEE1Size")? as usize;
        let reserved_block_ee1 = r.bytes("ExtendedException.ReservedBlockEE1", ee1)?.to_vec();
        let has_subject = info.override_flags.has(OverrideFlags::SUBJECT);
        let has_location = info.override_flags.has(OverrideFlags::LOCATION);
        let mut dates = None;
        let mut wide_subject = None;
        let mut wide_location = None;
        if has_subject || has_location {
            dates = Some((
                r.u32("ExtendedException.StartDateTime")?,
                r.u32("ExtendedException.EndDateTime")?,
                r.u32("ExtendedException.OriginalStartDate")?,
            ));
            if has_subject {
                let chars = r.u16("ExtendedException.WideCharSubjectLength")? as usize;
                wide_subject = Some(r.utf16("ExtendedException.WideCharSubject", chars)?);
            }
            if has_location {
                let chars = r.u16("ExtendedException.WideCharLocationLength")? as usize;
                wide_location = Some(r.utf16("ExtendedException.WideCharLocation", chars)?);
            }
        }
        let mut reserved_block_ee2 = Vec::new();
        if dates.is_some() {
            let ee2 = r.u32("ExtendedException.ReservedBlockEE2Size")? as usize;
            reserved_block_ee2 = r.bytes("ExtendedException.ReservedBlockEE2", ee2)?.to_vec();
        }
        Ok(ExtendedException {
            change_highlight,
            reserved_block_ee1,
            dates,
            wide_subject,
            wide_location,
            reserved_block_ee2,
        })
    }

    fn write_into(&self, out: &mut Vec<u8>, has_change_highlight: bool) -> RecurrenceResult<()> {
        if has_change_highlight {
            let highlight = self.change_highlight.clone().unwrap_or_default();
            let size = length_u32("ChangeHighlightSize", highlight.reserved.len() + 4)?;
            put_u32(out, size);
            put_u32(out, highlight.value);
            out.extend_from_slice(&highlight.reserved);
        }
        put_u32(out, length_u32("ReservedBlockEE1Size", self.reserved_block_ee1.len())?);
        out.extend_from_slice(&self.reserved_block_ee1);
        if let Some((start, end, original)) = self.dates {
            put_u32(out, start);
            put_u32(out, end);
            put_u32(out, original);
            for text in [&self.wide_subject, &self.wide_location].into_iter().flatten() {
                put_u16(out, length_u16("WideChar length", text.len())?);
                for unit in text {
                    put_u16(out, *unit);
                }
            }
            put_u32(out, length_u32("ReservedBlockEE2Size", self.reserved_block_ee2.len())?);
            out.extend_from_slice(&self.reserved_block_ee2);
        }
        Ok(())
    }
}

/// AppointmentRecurrencePattern (2.2.1.44.3): the value of `PidLidAppointmentRecur`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AppointmentRecurrence {
    pub pattern: RecurrencePattern,
    pub reader_version2: u32,
    pub writer_version2: u32,
    /// Minutes after local midnight at which each occurrence starts.
    pub start_time_offset: u32,
    /// Minutes after local midnight (of the start day) at which each occurrence ends.
    pub end_time_offset: u32,
    /// Pairs of ExceptionInfo and its ExtendedException, in the BLOB's order.
    pub exceptions: Vec<(ExceptionInfo, ExtendedException)>,
    pub reserved_block1: Vec<u8>,
    pub reserved_block2: Vec<u8>,
}

/// ReaderVersion2 (2.2.1.44.3).
pub const READER_VERSION2: u32 = 0x3006;
/// WriterVersion2 from which ExtendedException carries ChangeHighlight.
pub const WRITER_VERSION2_CHANGE_HIGHLIGHT: u32 = 0x3009;

impl AppointmentRecurrence {
    /// Parses the whole value of `PidLidAppointmentRecur`.
    pub fn parse(data: &[u8]) -> RecurrenceResult<AppointmentRecurrence> {
        let mut r = Reader::new(data, "AppointmentRecurrencePattern");
        let pattern = RecurrencePattern::read(&mut r)?;
        let at = r.offset;
        let reader_version2 = r.u32("ReaderVersion2")?;
        if reader_version2 != READER_VERSION2 {
            return Err(r.bad("ReaderVersion2", at, reader_version2.into(), "0x3006"));
        }
        let writer_version2 = r.u32("WriterVersion2")?;
        let start_time_offset = r.u32("StartTimeOffset")?;
        let end_time_offset = r.u32("EndTimeOffset")?;
        let count = r.u16("ExceptionCount")? as usize;
        // The smallest ExceptionInfo is 14 bytes.
        r.check_count("ExceptionInfo", count, 14)?;
        let mut infos = Vec::with_capacity(count);
        for _ in 0..count {
            infos.push(ExceptionInfo::read(&mut r)?);
        }
        let size = r.u32("ReservedBlock1Size")? as usize;
        let reserved_block1 = r.bytes("ReservedBlock1", size)?.to_vec();
        let has_change_highlight = writer_version2 >= WRITER_VERSION2_CHANGE_HIGHLIGHT;
        let mut exceptions = Vec::with_capacity(count);
        for info in infos {
            let extended = ExtendedException::read(&mut r, &info, has_change_highlight)?;
            exceptions.push((info, extended));
        }
        let size = r.u32("ReservedBlock2Size")? as usize;
        let reserved_block2 = r.bytes("ReservedBlock2", size)?.to_vec();
        r.finish()?;
        Ok(AppointmentRecurrence {
            pattern,
            reader_version2,
            writer_version2,
            start_time_offset,
            end_time_offset,
            exceptions,
            reserved_block1,
            reserved_block2,
        })
    }

    /// The bytes [`AppointmentRecurrence::parse`] reads back.
    pub fn to_bytes(&self) -> RecurrenceResult<Vec<u8>> {
        let mut out = Vec::new();
        self.pattern.write_into(&mut out)?;
        put_u32(&mut out, self.reader_version2);
        put_u32(&mut out, self.writer_version2);
        put_u32(&mut out, self.start_time_offset);
        put_u32(&mut out, self.end_time_offset);
        put_u16(&mut out, length_u16("ExceptionCount", self.exceptions.len())?);
        for (info, _) in &self.exceptions {
            info.write_into(&mut out)?;
        }
        put_u32(&mut out, length_u32("ReservedBlock1Size", self.reserved_block1.len())?);
        out.extend_from_slice(&self.reserved_block1);
        let has_change_highlight = self.writer_version2 >= WRITER_VERSION2_CHANGE_HIGHLIGHT;
        for (info, extended) in &self.exceptions {
            let flags = info.flags();
            let needs_dates =
                flags.has(OverrideFlags::SUBJECT) || flags.has(OverrideFlags::LOCATION);
            if needs_dates != extended.dates.is_some()
                || flags.has(OverrideFlags::SUBJECT) != extended.wide_subject.is_some()
                || flags.has(OverrideFlags::LOCATION) != extended.wide_location.is_some()
            {
                return Err(RecurrenceError::Pattern(format!(
                    "the ExtendedException of the exception at {} must carry the Unicode \
                     subject and location exactly when its ExceptionInfo overrides them",
                    info.original_start_date
                )));
            }
            extended.write_into(&mut out, has_change_highlight)?;
        }
        put_u32(&mut out, length_u32("ReservedBlock2Size", self.reserved_block2.len())?);
        out.extend_from_slice(&self.reserved_block2);
        Ok(out)
    }
}

/// OccurrenceCount Outlook writes for a series without end.
pub const NO_END_OCCURRENCE_COUNT: u32 = 10;

impl RecurrencePattern {
    /// Computes the fields that follow from the others, as a writer must: FirstDateTime
    /// (2.2.1.44.1.1), the EndDate of a series that ends after N occurrences (its last
    /// instance), the OccurrenceCount of one that ends on a date, and the no-end markers.
    pub fn fill_derived(&mut self) -> RecurrenceResult<()> {
        use super::civil::{MINUTES_PER_DAY, NO_END_DATE, month_index, month_start, weekday};
        if self.period == 0 {
            return Err(RecurrenceError::Pattern("Period is 0".into()));
        }
        let start_day = i64::from(self.start_date).div_euclid(MINUTES_PER_DAY);
        let period = i64::from(self.period);
        let first = match self.pattern {
            Pattern::Day => i64::from(self.start_date) % period,
            Pattern::Week { .. } => {
                let back =
                    (i64::from(weekday(start_day)) - i64::from(self.first_dow)).rem_euclid(7);
                ((start_day - back) * MINUTES_PER_DAY) % (period * 7 * MINUTES_PER_DAY)
            }
            _ => month_start(month_index(start_day) % period) * MINUTES_PER_DAY,
        };
        self.first_date_time = u32::try_from(first)
            .map_err(|_| RecurrenceError::Pattern(format!("FirstDateTime {first} overflows")))?;
        match self.end_type {
            EndType::AfterOccurrences => {
                if self.occurrence_count == 0 || self.occurrence_count > MAX_WRITTEN_OCCURRENCES {
                    return Err(RecurrenceError::Pattern(format!(
                        "Occurrences must be 1-{MAX_WRITTEN_OCCURRENCES}, not {}",
                        self.occurrence_count
                    )));
                }
                let last = self.instances()?.last().map(|(_, day)| day).ok_or_else(|| {
                    RecurrenceError::Pattern("the pattern has no occurrence".into())
                })?;
                self.end_date = day_minutes(last)?;
            }
            EndType::AfterDate => {
                let count = self.instances()?.take(MAX_WRITTEN_OCCURRENCES as usize + 1).count();
                if count > MAX_WRITTEN_OCCURRENCES as usize {
                    return Err(RecurrenceError::Pattern(format!(
                        "the series has more than {MAX_WRITTEN_OCCURRENCES} occurrences before \
                         its end date; make it end later by count or never"
                    )));
                }
                self.occurrence_count = count as u32;
            }
            EndType::Never | EndType::NeverLegacy => {
                self.end_date = NO_END_DATE;
                self.occurrence_count = NO_END_OCCURRENCE_COUNT;
            }
        }
        Ok(())
    }
}

/// The most occurrences a series that ends is written with (Outlook's limit is 999 in its
/// dialog; this leaves room for scripts while keeping the derived fields cheap to compute).
pub const MAX_WRITTEN_OCCURRENCES: u32 = 9999;

fn day_minutes(day: i64) -> RecurrenceResult<u32> {
    u32::try_from(day * super::civil::MINUTES_PER_DAY)
        .map_err(|_| RecurrenceError::Pattern(format!("day {day} is beyond what the BLOB holds")))
}
