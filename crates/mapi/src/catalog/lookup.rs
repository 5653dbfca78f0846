//! Lookups over the catalog: by name, tag, ID, named property, or free text from a command line.

use super::{CatalogNamedId, PROPERTIES, PropertyInfo, PropertyKind};
use crate::{ErrorCode, MapiError, NamedId, NamedProperty, PropTag, PropType};
use std::collections::HashMap;
use std::sync::OnceLock;

/// Why `lookup` found nothing.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error, serde::Serialize)]
#[serde(tag = "error", rename_all = "snake_case")]
pub enum LookupError {
    #[error("no property named {name:?} in the catalog{}", did_you_mean(suggestions))]
    UnknownName { name: String, suggestions: Vec<&'static str> },
    #[error("no property with tag {tag} in the catalog")]
    UnknownTag { tag: PropTag },
    #[error("no property with ID or LID 0x{id:04X} in the catalog")]
    UnknownId { id: u16 },
    #[error(
        "{text:?} is not a property name, a tag (0x and 8 hex digits) or an ID (0x and 4 hex digits)"
    )]
    Malformed { text: String },
}

fn did_you_mean(suggestions: &[&str]) -> String {
    if suggestions.is_empty() {
        String::new()
    } else {
        format!("; did you mean {}?", suggestions.join(", "))
    }
}

impl From<LookupError> for MapiError {
    fn from(err: LookupError) -> MapiError {
        let code = match err {
            LookupError::Malformed { .. } => ErrorCode::InvalidParameter,
            _ => ErrorCode::NotFound,
        };
        MapiError::new(code, err.to_string())
    }
}

/// Hash indexes, built on first use: rows are static, so they never change afterwards.
struct Index {
    by_name: HashMap<String, usize>,
    by_tag: HashMap<u32, usize>,
    by_lid: HashMap<(crate::Guid, u32), usize>,
    by_string: HashMap<(crate::Guid, String), usize>,
}

fn index() -> &'static Index {
    static INDEX: OnceLock<Index> = OnceLock::new();
    INDEX.get_or_init(|| {
        let mut index = Index {
            by_name: HashMap::new(),
            by_tag: HashMap::new(),
            by_lid: HashMap::new(),
            by_string: HashMap::new(),
        };
        // First row wins everywhere; the consistency tests make sure there are no duplicates.
        for (row, info) in PROPERTIES.iter().enumerate() {
            index.by_name.entry(info.name.to_ascii_lowercase()).or_insert(row);
            match info.kind {
                PropertyKind::Tagged { tag } => {
                    index.by_tag.entry(tag.0).or_insert(row);
                }
                PropertyKind::Named { set, id: CatalogNamedId::Lid(lid) } => {
                    index.by_lid.entry((set.guid, lid)).or_insert(row);
                }
                PropertyKind::Named { set, id: CatalogNamedId::Name(name) } => {
                    index.by_string.entry((set.guid, name.to_ascii_lowercase())).or_insert(row);
                }
            }
        }
        index
    })
}

/// A property by canonical name, ignoring ASCII case (`pidtagsubject` finds `PidTagSubject`).
pub fn by_name(name: &str) -> Option<&'static PropertyInfo> {
    index().by_name.get(&name.to_ascii_lowercase()).map(|&row| &PROPERTIES[row])
}

/// A tagged property by tag. A string (or multi-string) tag of the other width matches too,
/// since stores keep `PtypString8` and `PtypString` forms of the same property; so does a tag
/// whose type is `PtypErrorCode` or `PtypUnspecified` (a failed or untyped column in a table)
/// when exactly one catalog row has that ID.
pub fn by_tag(tag: PropTag) -> Option<&'static PropertyInfo> {
    let index = index();
    if let Some(&row) = index.by_tag.get(&tag.0) {
        return Some(&PROPERTIES[row]);
    }
    let other_width = match tag.prop_type() {
        Some(PropType::String) => Some(PropType::String8),
        Some(PropType::String8) => Some(PropType::String),
        Some(PropType::MultipleString) => Some(PropType::MultipleString8),
        Some(PropType::MultipleString8) => Some(PropType::MultipleString),
        Some(PropType::ErrorCode | PropType::Unspecified) => {
            let rows = by_id(tag.id());
            return if rows.len() == 1 { rows.first().copied() } else { None };
        }
        _ => None,
    };
    other_width.and_then(|t| index.by_tag.get(&tag.with_type(t).0)).map(|&row| &PROPERTIES[row])
}

/// Every tagged property with this ID (several types can share one, e.g. 0x3701
/// `PidTagAttachDataBinary` and `PidTagAttachDataObject`).
pub fn by_id(id: u16) -> Vec<&'static PropertyInfo> {
    PROPERTIES.iter().filter(|info| info.id() == Some(id)).collect()
}

/// Every `PidLid*` property with this LID, across property sets.
pub fn by_lid(lid: u32) -> Vec<&'static PropertyInfo> {
    PROPERTIES.iter().filter(|info| info.lid() == Some(lid)).collect()
}

/// A named property by set and LID or string name. String names match ignoring ASCII case,
/// as Internet header names do (RFC 5322 field names are case-insensitive).
pub fn by_named(named: &NamedProperty) -> Option<&'static PropertyInfo> {
    let index = index();
    let row = match &named.id {
        NamedId::Lid(lid) => index.by_lid.get(&(named.set, *lid)),
        NamedId::Name(name) => index.by_string.get(&(named.set, name.to_ascii_lowercase())),
    };
    row.map(|&row| &PROPERTIES[row])
}

/// Looks up what a person typed: a canonical name (case-insensitive, and `Subject` finds
/// `PidTagSubject` when no other prefix fits), a whole tag `0x0037001F`, or an ID `0x0037`
/// (which also matches `PidLid*` properties with that LID).
pub fn lookup(text: &str) -> Result<Vec<&'static PropertyInfo>, LookupError> {
    let trimmed = text.trim();
    if let Some(digits) = trimmed.strip_prefix("0x").or_else(|| trimmed.strip_prefix("0X")) {
        let malformed = || LookupError::Malformed { text: text.to_owned() };
        if !digits.bytes().all(|b| b.is_ascii_hexdigit()) {
            return Err(malformed());
        }
        return match digits.len() {
            8 => {
                let tag = PropTag(u32::from_str_radix(digits, 16).map_err(|_| malformed())?);
                by_tag(tag).map(|info| vec![info]).ok_or(LookupError::UnknownTag { tag })
            }
            4 => {
                let id = u16::from_str_radix(digits, 16).map_err(|_| malformed())?;
                let mut found = by_id(id);
                found.extend(by_lid(u32::from(id)));
                if found.is_empty() { Err(LookupError::UnknownId { id }) } else { Ok(found) }
            }
            _ => Err(malformed()),
        };
    }
    if trimmed.is_empty() || !trimmed.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_') {
        return Err(LookupError::Malformed { text: text.to_owned() });
    }
    if let Some(info) = by_name(trimmed) {
        return Ok(vec![info]);
    }
    let prefixed: Vec<_> = ["PidTag", "PidLid", "PidName"]
        .iter()
        .filter_map(|prefix| by_name(&format!("{prefix}{trimmed}")))
        .collect();
    if !prefixed.is_empty() {
        return Ok(prefixed);
    }
    Err(LookupError::UnknownName { name: trimmed.to_owned(), suggestions: suggestions(trimmed) })
}

/// Up to five names close to `text`: names containing it first, then small edit distances.
fn suggestions(text: &str) -> Vec<&'static str> {
    const MAX: usize = 5;
    let wanted = text.to_ascii_lowercase();
    let mut scored: Vec<(usize, &'static str)> = PROPERTIES
        .iter()
        .filter_map(|info| {
            let name = info.name.to_ascii_lowercase();
            if wanted.len() >= 3 && name.contains(&wanted) {
                return Some((0, info.name));
            }
            let distance = edit_distance(&wanted, &name);
            (distance <= 3.max(wanted.len() / 5)).then_some((distance, info.name))
        })
        .collect();
    scored.sort();
    scored.into_iter().take(MAX).map(|(_, name)| name).collect()
}

/// Levenshtein distance over bytes (names are ASCII).
fn edit_distance(a: &str, b: &str) -> usize {
    let (a, b) = (a.as_bytes(), b.as_bytes());
    let mut previous: Vec<usize> = (0..=b.len()).collect();
    let mut current = vec![0; b.len() + 1];
    for (i, &ca) in a.iter().enumerate() {
        current[0] = i + 1;
        for (j, &cb) in b.iter().enumerate() {
            let substitution = previous[j] + usize::from(ca != cb);
            current[j + 1] = substitution.min(previous[j + 1] + 1).min(current[j] + 1);
        }
        std::mem::swap(&mut previous, &mut current);
    }
    previous[b.len()]
}
