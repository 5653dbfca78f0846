//! Item members by their Outlook names (`UnRead`, `Importance`, `Categories`, ...), read and
//! written from text: what `outpost item update ID --set NAME=VALUE` does, and the one table
//! that says which property each member is and how its value is typed. A NAME that is no
//! member is taken as a property path (`PidTagSubject`, `0x0037001F`, a `…/mapi/…` URL) and
//! its VALUE parsed by the property's type.

use crate::error::{SessionError, SessionResult};
use crate::item::{Item, PropertyPath};
use crate::recipients::split_recipient_list;
use jiff::Timestamp;
use mapi::{FileTime, MapiError, OlMailRecipientType, PropType, PropValue};
use serde::Serialize;

/// How a member's value is written as text.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum ValueKind {
    Text,
    Integer,
    Float,
    Boolean,
    /// ISO 8601: `2025-01-15T08:00:00Z`, with an offset, or local time without one.
    Time,
    /// Comma-separated (`Categories = "Red, Blue"`).
    TextList,
    /// Hex bytes.
    Binary,
}

impl ValueKind {
    fn of(prop_type: PropType) -> Option<ValueKind> {
        Some(match prop_type {
            PropType::String | PropType::String8 => ValueKind::Text,
            PropType::Integer16 | PropType::Integer32 | PropType::Integer64 => ValueKind::Integer,
            PropType::Floating32 | PropType::Floating64 => ValueKind::Float,
            PropType::Boolean => ValueKind::Boolean,
            PropType::Time => ValueKind::Time,
            PropType::MultipleString | PropType::MultipleString8 => ValueKind::TextList,
            PropType::Binary => ValueKind::Binary,
            _ => return None,
        })
    }
}

/// How a member maps to the item.
#[derive(Debug, Clone, Copy)]
enum Access {
    /// A property (catalog name or path) holding the value as it is.
    Property(&'static str),
    /// An integer property with its allowed range (Outlook raises for values out of it).
    Ranged(&'static str, i64, i64),
    /// `UnRead`: the inverse of MSGFLAG_READ in `PidTagMessageFlags` (MS-OXCMSG 2.2.1.6).
    UnRead,
    /// `PercentComplete`: 0–100 in Outlook, a fraction 0.0–1.0 in `PidLidPercentComplete`.
    PercentComplete,
    /// `To`, `CC`, `BCC`: the recipient table.
    Recipients(OlMailRecipientType),
    /// `ReminderTime`: `PidLidReminderTime`, and the signal time the reminder fires at.
    ReminderTime,
}

/// One Outlook member.
#[derive(Debug, Clone, Copy)]
pub struct Member {
    /// The Outlook name (`UnRead`), matched ignoring case as COM late binding does.
    pub name: &'static str,
    pub kind: ValueKind,
    access: Access,
}

const fn member(name: &'static str, kind: ValueKind, access: Access) -> Member {
    Member { name, kind, access }
}

use Access::{Property, Ranged};
use ValueKind::{Boolean, Integer, Text, TextList, Time};

/// The writable members `item update` knows (names and properties from the Outlook object
/// model reference and MS-OXPROPS).
pub const MEMBERS: &[Member] = &[
    member("Subject", Text, Property("PidTagSubject")),
    member("Body", Text, Property("PidTagBody")),
    member("UnRead", Boolean, Access::UnRead),
    member("Importance", Integer, Ranged("PidTagImportance", 0, 2)),
    member("Sensitivity", Integer, Ranged("PidTagSensitivity", 0, 3)),
    member("Categories", TextList, Property("PidNameKeywords")),
    // OlFlagStatus: olNoFlag 0, olFlagComplete 1, olFlagMarked 2 (PidTagFlagStatus values).
    member("FlagStatus", Integer, Ranged("PidTagFlagStatus", 0, 2)),
    member("FlagRequest", Text, Property("PidLidFlagRequest")),
    member("ReminderSet", Boolean, Property("PidLidReminderSet")),
    member("ReminderTime", Time, Access::ReminderTime),
    member("MessageClass", Text, Property("PidTagMessageClass")),
    member("To", Text, Access::Recipients(OlMailRecipientType::To)),
    member("CC", Text, Access::Recipients(OlMailRecipientType::Cc)),
    member("BCC", Text, Access::Recipients(OlMailRecipientType::Bcc)),
    // AppointmentItem.
    member("Start", Time, Property("PidLidAppointmentStartWhole")),
    member("End", Time, Property("PidLidAppointmentEndWhole")),
    member("Location", Text, Property("PidLidLocation")),
    member("AllDayEvent", Boolean, Property("PidLidAppointmentSubType")),
    // OlBusyStatus: olFree 0, olTentative 1, olBusy 2, olOutOfOffice 3, olWorkingElsewhere 4.
    member("BusyStatus", Integer, Ranged("PidLidBusyStatus", 0, 4)),
    // ContactItem.
    member("FullName", Text, Property("PidTagDisplayName")),
    member("FirstName", Text, Property("PidTagGivenName")),
    member("LastName", Text, Property("PidTagSurname")),
    member("CompanyName", Text, Property("PidTagCompanyName")),
    member("JobTitle", Text, Property("PidTagTitle")),
    member("FileAs", Text, Property("PidLidFileUnder")),
    member("Email1Address", Text, Property("PidLidEmail1EmailAddress")),
    member("BusinessTelephoneNumber", Text, Property("PidTagBusinessTelephoneNumber")),
    member("HomeTelephoneNumber", Text, Property("PidTagHomeTelephoneNumber")),
    member("MobileTelephoneNumber", Text, Property("PidTagMobileTelephoneNumber")),
    // TaskItem. OlTaskStatus: not started 0, in progress 1, complete 2, waiting 3, deferred 4.
    member("Status", Integer, Ranged("PidLidTaskStatus", 0, 4)),
    member("PercentComplete", Integer, Access::PercentComplete),
    member("Complete", Boolean, Property("PidLidTaskComplete")),
    member("DueDate", Time, Property("PidLidTaskDueDate")),
    member("StartDate", Time, Property("PidLidTaskStartDate")),
    // NoteItem. OlNoteColor: blue 0, green 1, pink 2, yellow 3, white 4.
    member("Color", Integer, Ranged("PidLidNoteColor", 0, 4)),
];

/// The member called `name` (ignoring case).
pub fn find_member(name: &str) -> Option<&'static Member> {
    MEMBERS.iter().find(|m| m.name.eq_ignore_ascii_case(name.trim()))
}

/// A value as it is shown (`--json` and text alike).
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(untagged)]
pub enum MemberValue {
    Null,
    Text(String),
    Integer(i64),
    Float(f64),
    Boolean(bool),
    Time(Timestamp),
    TextList(Vec<String>),
}

fn invalid(message: String) -> SessionError {
    SessionError::Mapi(MapiError::invalid_parameter(message))
}

/// Parses `text` as a value of `kind`; errors name `what` and the form expected.
pub fn parse_value(what: &str, kind: ValueKind, text: &str) -> SessionResult<MemberValue> {
    let trimmed = text.trim();
    Ok(match kind {
        ValueKind::Text => MemberValue::Text(text.to_owned()),
        ValueKind::Integer => MemberValue::Integer(
            trimmed.parse().map_err(|_| invalid(format!("{what}: {text:?} is not an integer")))?,
        ),
        ValueKind::Float => MemberValue::Float(
            trimmed.parse().map_err(|_| invalid(format!("{what}: {text:?} is not a number")))?,
        ),
        ValueKind::Boolean => MemberValue::Boolean(match trimmed.to_ascii_lowercase().as_str() {
            "true" | "yes" | "1" | "on" => true,
            "false" | "no" | "0" | "off" => false,
            _ => return Err(invalid(format!("{what}: {text:?} is not true or false"))),
        }),
        ValueKind::Time => MemberValue::Time(parse_time(trimmed).ok_or_else(|| {
            invalid(format!(
                "{what}: {text:?} is not an ISO 8601 date or time (2025-01-15, \
                 2025-01-15T08:00, 2025-01-15T08:00:00Z, 2025-01-15T08:00:00+01:00)"
            ))
        })?),
        ValueKind::TextList => MemberValue::TextList(
            text.split(',').map(str::trim).filter(|s| !s.is_empty()).map(String::from).collect(),
        ),
        ValueKind::Binary => {
            let bytes = mapi::hex::decode(trimmed)
                .map_err(|_| invalid(format!("{what}: {text:?} is not hex bytes")))?;
            MemberValue::Text(mapi::hex::encode(&bytes))
        }
    })
}

/// An instant with an offset or `Z`; a date and time without one is local time; a date alone
/// is local midnight.
fn parse_time(text: &str) -> Option<Timestamp> {
    if let Ok(moment) = text.parse::<Timestamp>() {
        return Some(moment);
    }
    let zone = jiff::tz::TimeZone::system();
    if let Ok(civil) = text.parse::<jiff::civil::DateTime>() {
        return civil.to_zoned(zone).ok().map(|z| z.timestamp());
    }
    let date = text.parse::<jiff::civil::Date>().ok()?;
    date.to_zoned(zone).ok().map(|z| z.timestamp())
}

fn to_prop_value(what: &str, prop_type: PropType, value: &MemberValue) -> SessionResult<PropValue> {
    let out_of_range = || invalid(format!("{what}: the value does not fit a {prop_type}"));
    Ok(match (prop_type, value) {
        (PropType::String | PropType::String8, MemberValue::Text(s)) => {
            PropValue::String(s.clone())
        }
        (PropType::Integer16, MemberValue::Integer(i)) => {
            PropValue::Integer16(i16::try_from(*i).map_err(|_| out_of_range())?)
        }
        (PropType::Integer32, MemberValue::Integer(i)) => {
            PropValue::Integer32(i32::try_from(*i).map_err(|_| out_of_range())?)
        }
        (PropType::Integer64, MemberValue::Integer(i)) => PropValue::Integer64(*i),
        (PropType::Floating64, MemberValue::Float(f)) => PropValue::Floating64(*f),
        (PropType::Floating64, MemberValue::Integer(i)) => PropValue::Floating64(*i as f64),
        (PropType::Boolean, MemberValue::Boolean(b)) => PropValue::Boolean(*b),
        (PropType::Time, MemberValue::Time(t)) => {
            PropValue::Time(FileTime::from_timestamp(*t).ok_or_else(out_of_range)?)
        }
        (PropType::MultipleString | PropType::MultipleString8, MemberValue::TextList(list)) => {
            PropValue::MultipleString(list.clone())
        }
        (PropType::Binary, MemberValue::Text(hex)) => {
            PropValue::Binary(mapi::hex::decode(hex).map_err(|_| out_of_range())?)
        }
        _ => return Err(invalid(format!("{what}: a {prop_type} property cannot take this value"))),
    })
}

fn from_prop_value(value: Option<PropValue>) -> MemberValue {
    match value {
        None => MemberValue::Null,
        Some(PropValue::String(s) | PropValue::String8(s)) => MemberValue::Text(s),
        Some(PropValue::Integer16(i)) => MemberValue::Integer(i64::from(i)),
        Some(PropValue::Integer32(i)) => MemberValue::Integer(i64::from(i)),
        Some(PropValue::Integer64(i)) => MemberValue::Integer(i),
        Some(PropValue::Floating64(f)) => MemberValue::Float(f),
        Some(PropValue::Floating32(f)) => MemberValue::Float(f64::from(f)),
        Some(PropValue::Boolean(b)) => MemberValue::Boolean(b),
        Some(PropValue::Time(t)) => t.to_timestamp().map_or(MemberValue::Null, MemberValue::Time),
        Some(PropValue::MultipleString(l) | PropValue::MultipleString8(l)) => {
            MemberValue::TextList(l)
        }
        Some(PropValue::Binary(b)) => MemberValue::Text(mapi::hex::encode(&b)),
        Some(other) => MemberValue::Text(format!("{other:?}")),
    }
}

/// MSGFLAG_READ (MS-OXCMSG 2.2.1.6).
const MSGFLAG_READ: i32 = 0x1;

impl Item {
    /// Sets the member or property `name` from `text` (in memory until `save`). Bad names and
    /// values are `MAPI_E_INVALID_PARAMETER` saying what was expected.
    pub fn set_member(&self, name: &str, text: &str) -> SessionResult<()> {
        let Some(member) = find_member(name) else {
            let path = PropertyPath::parse(name)?;
            let kind = ValueKind::of(path.prop_type()).ok_or_else(|| {
                invalid(format!("{name}: a {} property cannot be set from text", path.prop_type()))
            })?;
            let value = parse_value(name, kind, text)?;
            return self.set_path(&path, to_prop_value(name, path.prop_type(), &value)?);
        };
        let value = parse_value(member.name, member.kind, text)?;
        match member.access {
            Access::Property(path) => {
                let path = PropertyPath::parse(path)?;
                self.set_path(&path, to_prop_value(member.name, path.prop_type(), &value)?)
            }
            Access::Ranged(path, low, high) => {
                let MemberValue::Integer(number) = value else { return Err(kind_mismatch(member)) };
                if !(low..=high).contains(&number) {
                    return Err(invalid(format!(
                        "{}: {number} is out of range {low}..={high}",
                        member.name
                    )));
                }
                let path = PropertyPath::parse(path)?;
                self.set_path(&path, to_prop_value(member.name, path.prop_type(), &value)?)
            }
            Access::UnRead => {
                let MemberValue::Boolean(unread) = value else { return Err(kind_mismatch(member)) };
                let flags = self
                    .get(mapi::catalog::tags::PidTagMessageFlags)?
                    .and_then(|v| v.as_i32())
                    .unwrap_or(0);
                let flags = if unread { flags & !MSGFLAG_READ } else { flags | MSGFLAG_READ };
                self.set(mapi::catalog::tags::PidTagMessageFlags, PropValue::Integer32(flags))
            }
            Access::PercentComplete => {
                let MemberValue::Integer(percent) = value else {
                    return Err(kind_mismatch(member));
                };
                if !(0..=100).contains(&percent) {
                    return Err(invalid(format!("PercentComplete: {percent} is not 0 to 100")));
                }
                let path = PropertyPath::parse("PidLidPercentComplete")?;
                self.set_path(&path, PropValue::Floating64(percent as f64 / 100.0))
            }
            Access::Recipients(kind) => {
                let MemberValue::Text(list) = value else { return Err(kind_mismatch(member)) };
                self.recipients().replace_kind(kind, &split_recipient_list(&list))
            }
            Access::ReminderTime => {
                let MemberValue::Time(moment) = value else { return Err(kind_mismatch(member)) };
                let filetime = FileTime::from_timestamp(moment)
                    .ok_or_else(|| invalid("ReminderTime: out of FILETIME range".into()))?;
                for path in ["PidLidReminderTime", "PidLidReminderSignalTime"] {
                    self.set_path(&PropertyPath::parse(path)?, PropValue::Time(filetime))?;
                }
                Ok(())
            }
        }
    }

    /// The member or property `name` as shown by `item update` and scripts.
    pub fn get_member(&self, name: &str) -> SessionResult<MemberValue> {
        let Some(member) = find_member(name) else {
            return Ok(from_prop_value(self.get_path(&PropertyPath::parse(name)?)?));
        };
        Ok(match member.access {
            Access::Property(path) | Access::Ranged(path, _, _) => {
                from_prop_value(self.get_path(&PropertyPath::parse(path)?)?)
            }
            Access::UnRead => MemberValue::Boolean(self.unread()?),
            Access::PercentComplete => {
                match self.get_path(&PropertyPath::parse("PidLidPercentComplete")?)? {
                    Some(v) => {
                        MemberValue::Integer((v.as_f64().unwrap_or(0.0) * 100.0).round() as i64)
                    }
                    None => MemberValue::Integer(0),
                }
            }
            Access::Recipients(kind) => MemberValue::Text(self.recipients().display_list(kind)?),
            Access::ReminderTime => {
                from_prop_value(self.get_path(&PropertyPath::parse("PidLidReminderTime")?)?)
            }
        })
    }
}

/// `parse_value` returns the variant of the member's kind; anything else is an error in the
/// table above, reported rather than panicking.
fn kind_mismatch(member: &Member) -> SessionError {
    SessionError::Mapi(MapiError::new(
        mapi::ErrorCode::CallFailed,
        format!("member {} parsed to another kind than {:?}", member.name, member.kind),
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_member_names_a_property_the_catalog_knows_with_the_right_kind() {
        for member in MEMBERS {
            let path = match member.access {
                Access::Property(p) | Access::Ranged(p, _, _) => p,
                _ => continue,
            };
            let parsed =
                PropertyPath::parse(path).unwrap_or_else(|e| panic!("{}: {e}", member.name));
            assert_eq!(ValueKind::of(parsed.prop_type()), Some(member.kind), "{}", member.name);
        }
    }

    #[test]
    fn values_parse_by_kind_and_errors_say_what_was_expected() {
        assert_eq!(parse_value("x", Boolean, "Yes").unwrap(), MemberValue::Boolean(true));
        assert_eq!(parse_value("x", Integer, " 2 ").unwrap(), MemberValue::Integer(2));
        assert_eq!(
            parse_value("x", TextList, "Red, Blue ,,").unwrap(),
            MemberValue::TextList(vec!["Red".into(), "Blue".into()])
        );
        let t = parse_value("x", Time, "2025-01-15T08:00:00Z").unwrap();
        assert_eq!(t, MemberValue::Time("2025-01-15T08:00:00Z".parse().unwrap()));
        let err = parse_value("UnRead", Boolean, "maybe").unwrap_err();
        assert!(err.to_string().contains("UnRead"), "{err}");
        assert!(parse_value("Due", Time, "15/01/2025").is_err());
        assert!(parse_value("n", Integer, "1.5").is_err());
    }

    #[test]
    fn member_names_match_ignoring_case() {
        assert_eq!(find_member("unread").unwrap().name, "UnRead");
        assert_eq!(find_member("cc").unwrap().name, "CC");
        assert!(find_member("NoSuchMember").is_none());
    }
}
