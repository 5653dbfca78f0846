//! Filter syntax tree → `mapi::restriction::Restriction`.
//!
//! Choices where Outlook is vague or locale-dependent (documented in docs/OUTLOOK-COMPAT.md):
//! - String `=`/`<>` compare whole strings ignoring case (Outlook's Jet and DASL both do);
//!   `<`, `>` … compare with MAPI string order.
//! - Dates: `YYYY-MM-DD`, `YYYY-MM-DD HH:MM[:SS]` (also with `T`), or US `M/D/YYYY [h:mm[:ss]
//!   [AM|PM]]`, whatever the machine's locale; anything else is an error with its position
//!   rather than a silent empty result. Jet dates are local time, DASL dates UTC (as in
//!   Outlook).
//! - DASL `LIKE`: `x%` → prefix, `%x%` and `%x` → substring (MAPI has no suffix match),
//!   `x` → whole string; always ignoring case.
//! - DASL `ci_startswith` → FL_PREFIX | FL_IGNORECASE on the whole value; `ci_phrasematch` →
//!   the phrase mode (consecutive whole words, ignoring case). Outlook answers both from the
//!   Windows Search index; Outpost evaluates them on the property, in every store.
//! - Date macros (`%today("…")%` …, see [`super::macros`]) become `start <= p < end` between
//!   local midnights of `local_zone`, counted from the time of translation.
//! - A named property the store has never seen cannot be on any item: comparisons on it match
//!   nothing, `IS NULL` matches everything.
//! - Property paths may start with `https://` as well as `http://` (Outlook only accepts the
//!   latter although its documentation prints the former).

use super::fields::{JET_UNREAD, MSGFLAG_READ, dasl_field, jet_field};
use super::macros::DateMacro;
use super::syntax::{
    CompareOp, Dialect, Expr, Filter, FilterError, Literal, PropertyRef, TextMatch, Value,
};
use jiff::Timestamp;
use jiff::civil::{Date, DateTime, Time};
use jiff::tz::TimeZone;
use mapi::catalog::{self, PropertyKind};
use mapi::restriction::{
    BitmaskRelOp, FuzzyLevel, FuzzyMatch, MULTIVALUE_INSTANCE_FLAG, RelOp, Restriction,
};
use mapi::{FileTime, Guid, NamedProperty, PropTag, PropType, PropValue, TaggedValue};

/// Maps a named property to the property ID this store uses for it; `None` if the store has
/// no mapping (so no item can carry it).
pub type NamedIdResolver<'a> = dyn FnMut(&NamedProperty) -> Option<u16> + 'a;

/// Translates a parsed filter. `local_zone` is the zone Jet dates and date macros are read
/// in; date macros count from the current time.
pub fn to_restriction(
    filter: &Filter,
    resolve_named: &mut NamedIdResolver<'_>,
    local_zone: &TimeZone,
) -> Result<Restriction, FilterError> {
    to_restriction_at(filter, resolve_named, local_zone, Timestamp::now())
}

/// [`to_restriction`] with date macros counted from `now` (tests fix it).
pub fn to_restriction_at(
    filter: &Filter,
    resolve_named: &mut NamedIdResolver<'_>,
    local_zone: &TimeZone,
    now: Timestamp,
) -> Result<Restriction, FilterError> {
    let mut translator = Translator { dialect: filter.dialect, resolve_named, local_zone, now };
    translator.expr(&filter.expr)
}

/// Matches no row (an empty `Or`).
fn never() -> Restriction {
    Restriction::Or(Vec::new())
}

fn error(position: usize, message: impl Into<String>) -> FilterError {
    FilterError { position, message: message.into() }
}

enum Target {
    /// A property with its tag in this store; `None` when a named property is unmapped.
    Property {
        tag: Option<PropTag>,
        prop_type: PropType,
    },
    Unread,
}

struct Translator<'r, 'a> {
    dialect: Dialect,
    resolve_named: &'r mut NamedIdResolver<'a>,
    local_zone: &'r TimeZone,
    now: Timestamp,
}

impl Translator<'_, '_> {
    fn expr(&mut self, expr: &Expr) -> Result<Restriction, FilterError> {
        Ok(match expr {
            Expr::And(terms) => Restriction::And(self.terms(terms)?),
            Expr::Or(terms) => Restriction::Or(self.terms(terms)?),
            Expr::Not(inner) => Restriction::Not(Box::new(self.expr(inner)?)),
            Expr::Compare { property, op, value } => self.compare(property, *op, value)?,
            Expr::Like { property, pattern } => self.like(property, pattern)?,
            Expr::TextMatch { property, mode, value } => self.text_match(property, *mode, value)?,
            Expr::DateMacro { property, date_macro } => self.date_macro(property, *date_macro)?,
            Expr::IsNull { property, negated } => {
                let exists = match self.target(property)? {
                    Target::Property { tag: Some(tag), .. } => Restriction::Exist { tag },
                    Target::Property { tag: None, .. } => never(),
                    Target::Unread => Restriction::Exist { tag: catalog::tags::PidTagMessageFlags },
                };
                if *negated { exists } else { exists.negate() }
            }
        })
    }

    fn terms(&mut self, terms: &[Expr]) -> Result<Vec<Restriction>, FilterError> {
        terms.iter().map(|term| self.expr(term)).collect()
    }

    fn target(&mut self, property: &PropertyRef) -> Result<Target, FilterError> {
        let name = property.name.as_str();
        if self.dialect == Dialect::Jet && name.eq_ignore_ascii_case(JET_UNREAD) {
            return Ok(Target::Unread);
        }
        let catalog_name = match self.dialect {
            Dialect::Jet => jet_field(name),
            Dialect::Dasl => dasl_field(name),
        };
        if let Some(catalog_name) = catalog_name {
            let info = catalog::by_name(catalog_name).ok_or_else(|| {
                error(
                    property.position,
                    format!("{name} maps to {catalog_name}, which the catalog lacks"),
                )
            })?;
            return Ok(match info.kind {
                PropertyKind::Tagged { tag } => {
                    Target::Property { tag: Some(tag), prop_type: info.prop_type }
                }
                PropertyKind::Named { .. } => {
                    let named = info
                        .named_property()
                        .ok_or_else(|| error(property.position, "not named"))?;
                    let tag =
                        (self.resolve_named)(&named).map(|id| PropTag::new(id, info.prop_type));
                    Target::Property { tag, prop_type: info.prop_type }
                }
            });
        }
        if self.dialect == Dialect::Dasl
            && let Some(target) = self.mapi_path(property)?
        {
            return Ok(target);
        }
        let hint = match self.dialect {
            Dialect::Jet => {
                "a field such as [Subject], [ReceivedTime], [SenderName], [Unread], [Categories]"
            }
            Dialect::Dasl => {
                "a schema name such as \"urn:schemas:httpmail:subject\" or \
                 \"http://schemas.microsoft.com/mapi/proptag/0x0037001F\""
            }
        };
        Err(error(property.position, format!("unknown property {name:?}; expected {hint}")))
    }

    /// `http://schemas.microsoft.com/mapi/proptag/0xIIIITTTT`, `.../mapi/id/{GUID}/IIIITTTT`,
    /// `.../mapi/string/{GUID}/name` (MS-OXPROPS uses the same paths in its DASL names).
    fn mapi_path(&mut self, property: &PropertyRef) -> Result<Option<Target>, FilterError> {
        let lower = property.name.to_ascii_lowercase();
        let Some(rest) = lower
            .strip_prefix("http://schemas.microsoft.com/mapi/")
            .or_else(|| lower.strip_prefix("https://schemas.microsoft.com/mapi/"))
        else {
            return Ok(None);
        };
        let original_rest = &property.name[property.name.len() - rest.len()..];
        let bad = |what: &str| {
            error(property.position, format!("{what} in property path {:?}", property.name))
        };
        if let Some(hex) = rest.strip_prefix("proptag/") {
            let tag = PropTag::parse_hex(hex).ok_or_else(|| bad("expected 0x and 8 hex digits"))?;
            let prop_type = tag.prop_type().ok_or_else(|| bad("unknown property type"))?;
            return Ok(Some(Target::Property { tag: Some(tag), prop_type }));
        }
        if let Some(tail) = rest.strip_prefix("id/") {
            let (guid, id_and_type) =
                tail.split_once('/').ok_or_else(|| bad("expected {GUID}/IIIITTTT"))?;
            let set: Guid = guid.parse().map_err(|_| bad("malformed GUID"))?;
            let digits = id_and_type.trim_start_matches("0x");
            if digits.len() != 8 {
                return Err(bad("expected a 4-digit LID and a 4-digit type"));
            }
            let value = u32::from_str_radix(digits, 16).map_err(|_| bad("malformed hex"))?;
            let prop_type =
                PropType::from_code(value as u16).ok_or_else(|| bad("unknown property type"))?;
            let named = NamedProperty::lid(set, value >> 16);
            let tag = (self.resolve_named)(&named).map(|id| PropTag::new(id, prop_type));
            return Ok(Some(Target::Property { tag, prop_type }));
        }
        if rest.starts_with("string/") {
            let tail = &original_rest["string/".len()..];
            let (guid, name) = tail.split_once('/').ok_or_else(|| bad("expected {GUID}/name"))?;
            let set: Guid = guid.parse().map_err(|_| bad("malformed GUID"))?;
            let named = NamedProperty::name(set, name);
            // The path does not carry a type; string is what these properties almost always are.
            let tag = (self.resolve_named)(&named).map(|id| PropTag::new(id, PropType::String));
            return Ok(Some(Target::Property { tag, prop_type: PropType::String }));
        }
        Err(bad("expected proptag/, id/ or string/"))
    }

    fn compare(
        &mut self,
        property: &PropertyRef,
        op: CompareOp,
        value: &Value,
    ) -> Result<Restriction, FilterError> {
        let (tag, prop_type) = match self.target(property)? {
            Target::Unread => return self.unread(op, value),
            Target::Property { tag: None, .. } => return Ok(never()),
            Target::Property { tag: Some(tag), prop_type } => (tag, prop_type),
        };
        let element = prop_type.element();
        // Multi-valued columns match when any of their values does (MV instance semantics).
        let tag = if prop_type.is_multi_valued() {
            PropTag(tag.0 | u32::from(MULTIVALUE_INSTANCE_FLAG))
        } else {
            tag
        };
        let constant = self.constant(element, value, &property.name)?;
        let tagged = TaggedValue { tag: tag.with_type(element), value: constant };
        if element.is_string() && matches!(op, CompareOp::Eq | CompareOp::Ne) {
            let whole = Restriction::Content {
                fuzzy_level: FuzzyLevel::new(FuzzyMatch::FullString).ignoring_case(),
                tag,
                value: tagged,
            };
            return Ok(if op == CompareOp::Eq { whole } else { whole.negate() });
        }
        let relop = match op {
            CompareOp::Eq => RelOp::Equal,
            CompareOp::Ne => RelOp::NotEqual,
            CompareOp::Lt => RelOp::LessThan,
            CompareOp::Le => RelOp::LessThanOrEqual,
            CompareOp::Gt => RelOp::GreaterThan,
            CompareOp::Ge => RelOp::GreaterThanOrEqual,
        };
        Ok(Restriction::Property { relop, tag, value: tagged })
    }

    fn unread(&self, op: CompareOp, value: &Value) -> Result<Restriction, FilterError> {
        let wanted = match value.literal {
            Literal::Boolean(b) => b,
            Literal::Integer(n) => n != 0,
            _ => return Err(error(value.position, "[Unread] compares with True or False")),
        };
        let unread = match op {
            CompareOp::Eq => wanted,
            CompareOp::Ne => !wanted,
            _ => return Err(error(value.position, "[Unread] only supports = and <>")),
        };
        // Unread means MSGFLAG_READ is clear (MS-OXCMSG 2.2.1.6).
        let relop = if unread { BitmaskRelOp::EqualToZero } else { BitmaskRelOp::NotEqualToZero };
        Ok(Restriction::Bitmask {
            relop,
            tag: catalog::tags::PidTagMessageFlags,
            mask: MSGFLAG_READ,
        })
    }

    fn like(
        &mut self,
        property: &PropertyRef,
        pattern: &Value,
    ) -> Result<Restriction, FilterError> {
        let Literal::String(text) = &pattern.literal else {
            return Err(error(pattern.position, "LIKE needs a quoted pattern"));
        };
        let (tag, prop_type) = match self.target(property)? {
            Target::Property { tag: None, .. } => return Ok(never()),
            Target::Property { tag: Some(tag), prop_type } if prop_type.element().is_string() => {
                (tag, prop_type)
            }
            _ => {
                return Err(error(
                    property.position,
                    format!("LIKE needs a text property; {} is not", property.name),
                ));
            }
        };
        let starts = text.starts_with('%');
        let ends = text.ends_with('%') && text.len() > 1;
        let core = text.trim_start_matches('%').trim_end_matches('%');
        if core.contains('%') || core.contains('_') {
            return Err(error(
                pattern.position,
                "only a leading and/or trailing % is supported in LIKE patterns",
            ));
        }
        let mode = match (starts, ends) {
            (false, false) => FuzzyMatch::FullString,
            (false, true) => FuzzyMatch::Prefix,
            _ => FuzzyMatch::Substring,
        };
        let element = prop_type.element();
        let tag = if prop_type.is_multi_valued() {
            PropTag(tag.0 | u32::from(MULTIVALUE_INSTANCE_FLAG))
        } else {
            tag
        };
        let value =
            TaggedValue { tag: tag.with_type(element), value: PropValue::String(core.to_owned()) };
        Ok(Restriction::Content { fuzzy_level: FuzzyLevel::new(mode).ignoring_case(), tag, value })
    }

    /// `ci_startswith` → FL_PREFIX | FL_IGNORECASE; `ci_phrasematch` → the phrase mode
    /// (Exchange's FL_PHRASE_MATCH) | FL_IGNORECASE. Outlook runs both through Windows
    /// Search's index; Outpost evaluates them on the property itself, so they work in every
    /// store, indexed or not.
    fn text_match(
        &mut self,
        property: &PropertyRef,
        mode: TextMatch,
        value: &Value,
    ) -> Result<Restriction, FilterError> {
        let Literal::String(text) = &value.literal else {
            return Err(error(value.position, "ci_startswith and ci_phrasematch need a string"));
        };
        let (tag, prop_type) = match self.target(property)? {
            Target::Property { tag: None, .. } => return Ok(never()),
            Target::Property { tag: Some(tag), prop_type } if prop_type.element().is_string() => {
                (tag, prop_type)
            }
            _ => {
                return Err(error(
                    property.position,
                    format!(
                        "ci_startswith and ci_phrasematch need a text property; {} is not",
                        property.name
                    ),
                ));
            }
        };
        let fuzzy = match mode {
            TextMatch::StartsWith => FuzzyMatch::Prefix,
            TextMatch::Phrase => FuzzyMatch::PhraseMatch,
        };
        let element = prop_type.element();
        let tag = if prop_type.is_multi_valued() {
            PropTag(tag.0 | u32::from(MULTIVALUE_INSTANCE_FLAG))
        } else {
            tag
        };
        let value =
            TaggedValue { tag: tag.with_type(element), value: PropValue::String(text.clone()) };
        Ok(Restriction::Content { fuzzy_level: FuzzyLevel::new(fuzzy).ignoring_case(), tag, value })
    }

    /// A date macro: `start <= property < end` between the local midnights it names.
    fn date_macro(
        &mut self,
        property: &PropertyRef,
        date_macro: DateMacro,
    ) -> Result<Restriction, FilterError> {
        let tag = match self.target(property)? {
            Target::Property { tag: None, prop_type: PropType::Time } => return Ok(never()),
            Target::Property { tag: Some(tag), prop_type: PropType::Time } => tag,
            _ => {
                return Err(error(
                    property.position,
                    format!(
                        "%{}()% needs a date property such as \"urn:schemas:httpmail:datereceived\"; {} is not one",
                        date_macro.name(),
                        property.name
                    ),
                ));
            }
        };
        let (start, end) = date_macro
            .range(self.now, self.local_zone)
            .and_then(|(s, e)| Some((FileTime::from_timestamp(s)?, FileTime::from_timestamp(e)?)))
            .ok_or_else(|| {
                error(
                    property.position,
                    format!("%{}()% falls outside the dates MAPI can hold", date_macro.name()),
                )
            })?;
        let bound = |relop, time| Restriction::Property {
            relop,
            tag,
            value: TaggedValue { tag, value: PropValue::Time(time) },
        };
        Ok(Restriction::And(vec![
            bound(RelOp::GreaterThanOrEqual, start),
            bound(RelOp::LessThan, end),
        ]))
    }

    /// The literal as a value of the property's type.
    fn constant(
        &self,
        element: PropType,
        value: &Value,
        name: &str,
    ) -> Result<PropValue, FilterError> {
        let mismatch = |expected: &str| {
            error(value.position, format!("{name} is {element}; expected {expected}"))
        };
        Ok(match (element, &value.literal) {
            (PropType::String | PropType::String8, Literal::String(s)) => {
                PropValue::String(s.clone())
            }
            (PropType::String | PropType::String8, _) => return Err(mismatch("a quoted string")),
            (PropType::Time, Literal::String(s)) => PropValue::Time(self.date(s, value.position)?),
            (PropType::Time, _) => return Err(mismatch("a quoted date like '2024-01-31 08:00'")),
            (PropType::Boolean, Literal::Boolean(b)) => PropValue::Boolean(*b),
            (PropType::Boolean, Literal::Integer(n)) => PropValue::Boolean(*n != 0),
            (PropType::Boolean, _) => return Err(mismatch("True or False")),
            (PropType::Integer16 | PropType::Integer32, Literal::Integer(n)) => {
                let n = i32::try_from(*n).map_err(|_| mismatch("a 32-bit integer"))?;
                PropValue::Integer32(n)
            }
            (PropType::Integer16 | PropType::Integer32, Literal::Boolean(b)) => {
                PropValue::Integer32(i32::from(*b))
            }
            (PropType::Integer64 | PropType::Currency, Literal::Integer(n)) => {
                PropValue::Integer64(*n)
            }
            (PropType::Floating32 | PropType::Floating64, Literal::Integer(n)) => {
                PropValue::Floating64(*n as f64)
            }
            (PropType::Floating32 | PropType::Floating64, Literal::Float(f)) => {
                PropValue::Floating64(*f)
            }
            (
                PropType::Integer16
                | PropType::Integer32
                | PropType::Integer64
                | PropType::Currency,
                _,
            )
            | (PropType::Floating32 | PropType::Floating64, _) => return Err(mismatch("a number")),
            _ => {
                return Err(error(
                    value.position,
                    format!("{name} ({element}) cannot be compared in a filter"),
                ));
            }
        })
    }

    fn date(&self, text: &str, position: usize) -> Result<FileTime, FilterError> {
        let civil = parse_civil_date(text).ok_or_else(|| {
            error(
                position,
                format!(
                    "{text:?} is not a date; write 'YYYY-MM-DD', 'YYYY-MM-DD HH:MM[:SS]' or 'M/D/YYYY [h:mm [AM|PM]]'"
                ),
            )
        })?;
        let zone = match self.dialect {
            Dialect::Jet => self.local_zone.clone(),
            Dialect::Dasl => TimeZone::UTC,
        };
        let moment = zone.to_timestamp(civil).map_err(|err| {
            error(position, format!("{text:?} does not exist in the local time zone: {err}"))
        })?;
        FileTime::from_timestamp(moment)
            .ok_or_else(|| error(position, format!("{text:?} is before 1601")))
    }
}

/// The date forms Outpost accepts, independent of the machine's locale.
pub(crate) fn parse_civil_date(text: &str) -> Option<DateTime> {
    let text = text.trim();
    let (date_part, time_part) = match text.find([' ', 'T']) {
        Some(index) => (&text[..index], text[index + 1..].trim()),
        None => (text, ""),
    };
    let date = if date_part.contains('-') {
        let mut parts = date_part.split('-');
        let (y, m, d) = (parts.next()?, parts.next()?, parts.next()?);
        if parts.next().is_some() || y.len() != 4 {
            return None;
        }
        Date::new(y.parse().ok()?, m.parse().ok()?, d.parse().ok()?).ok()?
    } else if date_part.contains('/') {
        let mut parts = date_part.split('/');
        let (m, d, y) = (parts.next()?, parts.next()?, parts.next()?);
        if parts.next().is_some() || y.len() != 4 {
            return None;
        }
        Date::new(y.parse().ok()?, m.parse().ok()?, d.parse().ok()?).ok()?
    } else {
        return None;
    };
    let time = if time_part.is_empty() { Time::midnight() } else { parse_time(time_part)? };
    Some(DateTime::from_parts(date, time))
}

fn parse_time(text: &str) -> Option<Time> {
    let upper = text.to_ascii_uppercase();
    let (clock, meridiem) = if let Some(clock) = upper.strip_suffix("AM") {
        (clock.trim(), Some(false))
    } else if let Some(clock) = upper.strip_suffix("PM") {
        (clock.trim(), Some(true))
    } else {
        (upper.as_str(), None)
    };
    let mut parts = clock.split(':');
    let mut hour: i8 = parts.next()?.parse().ok()?;
    let minute: i8 = parts.next()?.parse().ok()?;
    let second: i8 = match parts.next() {
        Some(s) => s.parse().ok()?,
        None => 0,
    };
    if parts.next().is_some() {
        return None;
    }
    match meridiem {
        Some(pm) => {
            if !(1..=12).contains(&hour) {
                return None;
            }
            hour = match (hour, pm) {
                (12, false) => 0,
                (12, true) => 12,
                (h, true) => h + 12,
                (h, false) => h,
            };
        }
        None if !(0..24).contains(&hour) => return None,
        None => {}
    }
    Time::new(hour, minute, second, 0).ok()
}
