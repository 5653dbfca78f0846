//! The time zone of a recurring series: PidLidTimeZoneStruct (MS-OXOCAL 2.2.1.39) and the
//! TZDEFINITION / TZRULE stream of PidLidAppointmentTimeZoneDefinitionRecur (2.2.1.41,
//! 2.2.1.41.1), turned into jiff time zones that map the BLOB's local times to UTC.
//!
//! Both structures express a rule the way Windows does: UTC = local + Bias (+ StandardBias or
//! DaylightBias), and the two transitions as "the Nth weekday of a month at a local time"
//! (SYSTEMTIME with wYear 0, wDay 1-5, 5 meaning the last). That is exactly a POSIX TZ rule
//! (`STD<bias>DST<bias>,Mm.w.d/h:mm,Mm.w.d/h:mm`, same sign convention, transition times in
//! the local time then in force), so each rule becomes a jiff POSIX time zone.

use super::blob::{Reader, put_i32, put_u16};
use super::civil::{LocalMinutes, minutes_to_civil};
use super::{RecurrenceError, RecurrenceResult};
use jiff::Timestamp;
use jiff::tz::{Offset, TimeZone};

/// SYSTEMTIME (MS-DTYP 2.3.13) as the time zone structures use it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub struct SystemTime {
    pub year: u16,
    pub month: u16,
    pub day_of_week: u16,
    pub day: u16,
    pub hour: u16,
    pub minute: u16,
    pub second: u16,
    pub milliseconds: u16,
}

impl SystemTime {
    fn read(r: &mut Reader<'_>, field: &'static str) -> RecurrenceResult<SystemTime> {
        Ok(SystemTime {
            year: r.u16(field)?,
            month: r.u16(field)?,
            day_of_week: r.u16(field)?,
            day: r.u16(field)?,
            hour: r.u16(field)?,
            minute: r.u16(field)?,
            second: r.u16(field)?,
            milliseconds: r.u16(field)?,
        })
    }

    fn write_into(&self, out: &mut Vec<u8>) {
        for v in [
            self.year,
            self.month,
            self.day_of_week,
            self.day,
            self.hour,
            self.minute,
            self.second,
            self.milliseconds,
        ] {
            put_u16(out, v);
        }
    }

    /// The POSIX `Mm.w.d/h:mm:ss` form of a "Nth weekday" transition.
    fn posix_rule(&self, what: &str) -> RecurrenceResult<String> {
        let valid = (1..=12).contains(&self.month)
            && (1..=5).contains(&self.day)
            && self.day_of_week <= 6
            && self.hour <= 23
            && self.minute <= 59
            && self.second <= 59;
        if !valid || self.year != 0 {
            return Err(RecurrenceError::Pattern(format!(
                "time zone {what} transition {self:?} is not a \"Nth weekday of a month\" rule"
            )));
        }
        Ok(format!(
            "M{}.{}.{}/{}:{:02}:{:02}",
            self.month, self.day, self.day_of_week, self.hour, self.minute, self.second
        ))
    }
}

/// One rule: biases in minutes (UTC = local + bias + standard/daylight bias) and the two
/// transitions; no daylight saving time when `daylight_date.month` is 0.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub struct TimeZoneRule {
    pub bias: i32,
    pub standard_bias: i32,
    pub daylight_bias: i32,
    pub standard_date: SystemTime,
    pub daylight_date: SystemTime,
}

fn posix_offset(minutes: i64) -> String {
    let sign = if minutes < 0 { "-" } else { "" };
    let minutes = minutes.abs();
    format!("{sign}{}:{:02}", minutes / 60, minutes % 60)
}

impl TimeZoneRule {
    /// The jiff time zone that follows this rule every year.
    pub fn to_time_zone(&self) -> RecurrenceResult<TimeZone> {
        let standard = i64::from(self.bias) + i64::from(self.standard_bias);
        let daylight = i64::from(self.bias) + i64::from(self.daylight_bias);
        // POSIX offsets go to 24:59:59; Windows biases stay within ±14 h in practice.
        for (name, minutes) in [("standard", standard), ("daylight", daylight)] {
            if minutes.abs() >= 24 * 60 {
                return Err(RecurrenceError::Pattern(format!(
                    "time zone {name} bias of {minutes} minutes is more than a day"
                )));
            }
        }
        let has_dst = self.daylight_date.month != 0 && self.standard_date.month != 0;
        if !has_dst {
            let seconds = i32::try_from(-standard * 60).unwrap_or(0);
            let offset = Offset::from_seconds(seconds).map_err(|err| {
                RecurrenceError::Pattern(format!("time zone offset {standard} minutes: {err}"))
            })?;
            return Ok(TimeZone::fixed(offset));
        }
        let spec = format!(
            "STD{}DST{},{},{}",
            posix_offset(standard),
            posix_offset(daylight),
            self.daylight_date.posix_rule("daylight")?,
            self.standard_date.posix_rule("standard")?
        );
        TimeZone::posix(&spec)
            .map_err(|err| RecurrenceError::Pattern(format!("time zone rule {spec:?}: {err}")))
    }
}

/// PidLidTimeZoneStruct (2.2.1.39): 48 bytes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub struct TimeZoneStruct {
    pub bias: i32,
    pub standard_bias: i32,
    pub daylight_bias: i32,
    pub standard_year: u16,
    pub standard_date: SystemTime,
    pub daylight_year: u16,
    pub daylight_date: SystemTime,
}

impl TimeZoneStruct {
    pub fn parse(data: &[u8]) -> RecurrenceResult<TimeZoneStruct> {
        let mut r = Reader::new(data, "PidLidTimeZoneStruct");
        let value = TimeZoneStruct {
            bias: r.i32("lBias")?,
            standard_bias: r.i32("lStandardBias")?,
            daylight_bias: r.i32("lDaylightBias")?,
            standard_year: r.u16("wStandardYear")?,
            standard_date: SystemTime::read(&mut r, "stStandardDate")?,
            daylight_year: r.u16("wDaylightYear")?,
            daylight_date: SystemTime::read(&mut r, "stDaylightDate")?,
        };
        r.finish()?;
        Ok(value)
    }

    pub fn to_bytes(&self) -> Vec<u8> {
        let mut out = Vec::with_capacity(48);
        put_i32(&mut out, self.bias);
        put_i32(&mut out, self.standard_bias);
        put_i32(&mut out, self.daylight_bias);
        put_u16(&mut out, self.standard_year);
        self.standard_date.write_into(&mut out);
        put_u16(&mut out, self.daylight_year);
        self.daylight_date.write_into(&mut out);
        out
    }

    pub fn rule(&self) -> TimeZoneRule {
        TimeZoneRule {
            bias: self.bias,
            standard_bias: self.standard_bias,
            daylight_bias: self.daylight_bias,
            standard_date: self.standard_date,
            daylight_date: self.daylight_date,
        }
    }

    pub fn from_rule(rule: &TimeZoneRule) -> TimeZoneStruct {
        TimeZoneStruct {
            bias: rule.bias,
            standard_bias: rule.standard_bias,
            daylight_bias: rule.daylight_bias,
            standard_year: 0,
            standard_date: rule.standard_date,
            daylight_year: 0,
            daylight_date: rule.daylight_date,
        }
    }
}

/// TZRULE flags (2.2.1.41.1).
pub const TZRULE_FLAG_RECUR_CURRENT_TZREG: u16 = 0x0001;
pub const TZRULE_FLAG_EFFECTIVE_TZREG: u16 = 0x0002;

/// A TZRULE of a TZDEFINITION (2.2.1.41.1): 66 bytes.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Default)]
pub struct DefinitionRule {
    pub flags: u16,
    /// The year from which the rule applies.
    pub year: u16,
    /// The 14 reserved bytes, kept for round trips.
    pub reserved: [u8; 14],
    pub rule: TimeZoneRule,
}

/// TZDEFINITION (2.2.1.41): a key name and rules by year.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Default)]
pub struct TimeZoneDefinition {
    /// The Windows time zone key name, UTF-16.
    pub key_name: Vec<u16>,
    pub rules: Vec<DefinitionRule>,
}

const TZDEFINITION_MAJOR: u8 = 0x02;
const TZRULE_SIZE: usize = 66;

impl TimeZoneDefinition {
    pub fn key_name(&self) -> String {
        String::from_utf16_lossy(&self.key_name)
    }

    pub fn parse(data: &[u8]) -> RecurrenceResult<TimeZoneDefinition> {
        let mut r = Reader::new(data, "TZDEFINITION");
        let major = r.u8("bMajorVersion")?;
        if major != TZDEFINITION_MAJOR {
            return Err(r.bad("bMajorVersion", 0, major.into(), "0x02"));
        }
        r.u8("bMinorVersion")?;
        let at = r.offset;
        let header = r.u16("cbHeader")? as usize;
        let header_start = r.offset;
        r.u16("wReserved")?;
        let chars = r.u16("cchKeyName")? as usize;
        let key_name = r.utf16("KeyName", chars)?;
        let rule_count = r.u16("cRules")? as usize;
        // cbHeader counts wReserved through cRules.
        if r.offset - header_start != header {
            return Err(r.bad("cbHeader", at, header as u64, "6 + 2 * cchKeyName"));
        }
        r.check_count("TZRule", rule_count, TZRULE_SIZE)?;
        let mut rules = Vec::with_capacity(rule_count);
        for _ in 0..rule_count {
            let at = r.offset;
            let major = r.u8("TZRule.bMajorVersion")?;
            if major != TZDEFINITION_MAJOR {
                return Err(r.bad("TZRule.bMajorVersion", at, major.into(), "0x02"));
            }
            r.u8("TZRule.bMinorVersion")?;
            r.u16("TZRule.wReserved")?;
            let flags = r.u16("TZRule.wTZRuleFlags")?;
            let year = r.u16("TZRule.wYear")?;
            let mut reserved = [0u8; 14];
            reserved.copy_from_slice(r.bytes("TZRule.X", 14)?);
            let bias = r.i32("TZRule.lBias")?;
            let standard_bias = r.i32("TZRule.lStandardBias")?;
            let daylight_bias = r.i32("TZRule.lDaylightBias")?;
            let standard_date = SystemTime::read(&mut r, "TZRule.stStandardDate")?;
            let daylight_date = SystemTime::read(&mut r, "TZRule.stDaylightDate")?;
            rules.push(DefinitionRule {
                flags,
                year,
                reserved,
                rule: TimeZoneRule {
                    bias,
                    standard_bias,
                    daylight_bias,
                    standard_date,
                    daylight_date,
                },
            });
        }
        // Writers may pad the stream; what follows the rules is not part of the definition.
        Ok(TimeZoneDefinition { key_name, rules })
    }

    pub fn to_bytes(&self) -> RecurrenceResult<Vec<u8>> {
        let too_long =
            |what: &str| RecurrenceError::Pattern(format!("TZDEFINITION: too many {what}"));
        let chars = u16::try_from(self.key_name.len()).map_err(|_| too_long("key characters"))?;
        let count = u16::try_from(self.rules.len()).map_err(|_| too_long("rules"))?;
        let header = 6u32 + 2 * u32::from(chars);
        let header = u16::try_from(header).map_err(|_| too_long("key characters"))?;
        let mut out = vec![TZDEFINITION_MAJOR, 0x01];
        put_u16(&mut out, header);
        put_u16(&mut out, 0x0002);
        put_u16(&mut out, chars);
        for unit in &self.key_name {
            put_u16(&mut out, *unit);
        }
        put_u16(&mut out, count);
        for rule in &self.rules {
            out.extend_from_slice(&[TZDEFINITION_MAJOR, 0x01]);
            put_u16(&mut out, 0x003E);
            put_u16(&mut out, rule.flags);
            put_u16(&mut out, rule.year);
            out.extend_from_slice(&rule.reserved);
            put_i32(&mut out, rule.rule.bias);
            put_i32(&mut out, rule.rule.standard_bias);
            put_i32(&mut out, rule.rule.daylight_bias);
            rule.rule.standard_date.write_into(&mut out);
            rule.rule.daylight_date.write_into(&mut out);
        }
        Ok(out)
    }

    /// The rule marked effective (TZRULE_FLAG_EFFECTIVE_TZREG), else the last one.
    pub fn effective_rule(&self) -> Option<&DefinitionRule> {
        self.rules.iter().find(|r| r.flags & TZRULE_FLAG_EFFECTIVE_TZREG != 0).or(self.rules.last())
    }
}

/// The zone a series' local times are in: rules by the year they take effect.
#[derive(Debug, Clone)]
pub struct SeriesTimeZone {
    /// Ascending by year; the first applies to every earlier year too.
    rules: Vec<(i64, TimeZone)>,
}

impl SeriesTimeZone {
    pub fn utc() -> SeriesTimeZone {
        SeriesTimeZone { rules: vec![(0, TimeZone::UTC)] }
    }

    /// A zone that is always `offset_minutes` east of UTC.
    pub fn fixed(offset_minutes: i32) -> RecurrenceResult<SeriesTimeZone> {
        let offset = Offset::from_seconds(offset_minutes.saturating_mul(60)).map_err(|err| {
            RecurrenceError::Pattern(format!("offset of {offset_minutes} minutes: {err}"))
        })?;
        Ok(SeriesTimeZone { rules: vec![(0, TimeZone::fixed(offset))] })
    }

    /// Any jiff zone (an IANA zone such as the session's local one).
    pub fn from_jiff(zone: TimeZone) -> SeriesTimeZone {
        SeriesTimeZone { rules: vec![(0, zone)] }
    }

    pub fn from_struct(value: &TimeZoneStruct) -> RecurrenceResult<SeriesTimeZone> {
        Ok(SeriesTimeZone { rules: vec![(0, value.rule().to_time_zone()?)] })
    }

    pub fn from_definition(value: &TimeZoneDefinition) -> RecurrenceResult<SeriesTimeZone> {
        if value.rules.is_empty() {
            return Err(RecurrenceError::Pattern("TZDEFINITION has no rules".into()));
        }
        let mut rules = Vec::with_capacity(value.rules.len());
        for rule in &value.rules {
            rules.push((i64::from(rule.year), rule.rule.to_time_zone()?));
        }
        rules.sort_by_key(|(year, _)| *year);
        Ok(SeriesTimeZone { rules })
    }

    /// The zone of the series as MS-OXOCAL 2.2.1.41 picks it: the definition when it agrees
    /// with the struct (or there is no struct), else the struct.
    pub fn for_series(
        definition: Option<&TimeZoneDefinition>,
        structure: Option<&TimeZoneStruct>,
    ) -> RecurrenceResult<Option<SeriesTimeZone>> {
        match (definition, structure) {
            (Some(def), Some(st)) => {
                let consistent = def.effective_rule().is_some_and(|r| r.rule == st.rule());
                if consistent {
                    Ok(Some(SeriesTimeZone::from_definition(def)?))
                } else {
                    Ok(Some(SeriesTimeZone::from_struct(st)?))
                }
            }
            (Some(def), None) => Ok(Some(SeriesTimeZone::from_definition(def)?)),
            (None, Some(st)) => Ok(Some(SeriesTimeZone::from_struct(st)?)),
            (None, None) => Ok(None),
        }
    }

    fn zone_for_year(&self, year: i64) -> &TimeZone {
        let index = self.rules.partition_point(|(from, _)| *from <= year);
        &self.rules[index.saturating_sub(1)].1
    }

    /// The instant of a local time; a time that daylight saving skips is taken after the gap
    /// and a repeated one at its first occurrence (what Outlook shows).
    pub fn to_timestamp(&self, local: LocalMinutes) -> RecurrenceResult<Timestamp> {
        let civil = minutes_to_civil(local).ok_or_else(|| {
            RecurrenceError::Pattern(format!("local time {local} is out of range"))
        })?;
        self.zone_for_year(i64::from(civil.year()))
            .to_ambiguous_timestamp(civil)
            .compatible()
            .map_err(|err| RecurrenceError::Pattern(format!("local time {civil}: {err}")))
    }

    /// A converter for local times that mostly increase (an expansion): it remembers the
    /// offset until the zone's next transition, so jiff is asked once per offset change.
    pub fn converter(&self) -> LocalConverter<'_> {
        LocalConverter { zone: self, from: i64::MAX, until: i64::MIN, offset_minutes: 0 }
    }

    /// The local time of an instant (minutes since 1601, seconds dropped).
    pub fn to_local(&self, moment: Timestamp) -> LocalMinutes {
        // The year's rule is chosen by the UTC year; a rule change on 1 January can only be off
        // by the offset for a few hours of New Year's Eve.
        let utc_year = i64::from(moment.to_zoned(TimeZone::UTC).year());
        let zone = self.zone_for_year(utc_year);
        super::civil::civil_to_minutes(zone.to_datetime(moment))
    }
}

/// Seconds from 1601-01-01 to 1970-01-01.
const EPOCH_1601_SECONDS: i64 = 11_644_473_600;

/// [`SeriesTimeZone::to_timestamp`] with the current offset cached between transitions.
/// The answers are exactly those of `to_timestamp`: a local time outside the cached stretch
/// (before it, at or after the next transition, where gaps and overlaps live) asks jiff again.
#[derive(Debug)]
pub struct LocalConverter<'a> {
    zone: &'a SeriesTimeZone,
    from: LocalMinutes,
    until: LocalMinutes,
    /// UTC = local - offset.
    offset_minutes: i64,
}

impl LocalConverter<'_> {
    pub fn to_timestamp(&mut self, local: LocalMinutes) -> RecurrenceResult<Timestamp> {
        if local >= self.from && local < self.until {
            let seconds = (local - self.offset_minutes) * 60 - EPOCH_1601_SECONDS;
            return Timestamp::from_second(seconds).map_err(|err| {
                RecurrenceError::Pattern(format!("local time {local} is out of range: {err}"))
            });
        }
        let moment = self.zone.to_timestamp(local)?;
        let civil_year = minutes_to_civil(local).map(|c| i64::from(c.year())).unwrap_or(0);
        let zone = self.zone.zone_for_year(civil_year);
        let offset = i64::from(zone.to_offset(moment).seconds()) / 60;
        // Only cache a time that maps back to itself (not one a DST gap moved).
        let utc_minutes = (moment.as_second() + EPOCH_1601_SECONDS).div_euclid(60);
        if utc_minutes + offset != local || moment.subsec_nanosecond() != 0 {
            self.until = i64::MIN;
            return Ok(moment);
        }
        let mut until = match zone.following(moment).next() {
            // The transition instant in the local time in force before it.
            Some(transition) => {
                (transition.timestamp().as_second() + EPOCH_1601_SECONDS).div_euclid(60) + offset
            }
            None => i64::MAX,
        };
        if self.zone.rules.len() > 1 {
            // Another rule may start with the next year.
            let next_year =
                super::civil::day_number(civil_year + 1, 1, 1) * super::civil::MINUTES_PER_DAY;
            until = until.min(next_year);
        }
        self.from = local;
        self.until = until;
        self.offset_minutes = offset;
        Ok(moment)
    }
}
