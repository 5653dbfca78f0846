//! Evaluating a restriction against one row held in memory, for stores that cannot push the
//! filter down into their storage.
//!
//! Semantics (MS-OXCDATA 2.12 and MAPI's `SRestriction` reference; where MAPI leaves a choice to
//! the provider, the choice is stated here):
//! - A missing property (absent, or present as a `PtypErrorCode` value) makes content,
//!   property, compare-properties, bitmask and size restrictions false; `Exist` is true only
//!   for a present property. `Not` of such a restriction is therefore true.
//! - A `PtypString` tag finds a `PtypString8` value of the same ID and the reverse, and
//!   likewise for their multi-valued forms.
//! - A multi-value instance tag (type | 0x2000) looks at the multi-valued column; property,
//!   compare-properties and content restrictions on a multi-valued value against a single
//!   value (on either side) match if **any** element does (for `RELOP_NE`: if any element
//!   differs). Two multi-valued values are compared whole, element by element.
//! - Property and compare-properties restrictions compare with
//!   [`compare_values`](super::compare_values): strings case-insensitively, integers across
//!   widths. Values of kinds that do not compare make the restriction false.
//! - Content restrictions: FL_IGNORECASE lower-cases both sides; FL_IGNORENONSPACE applies
//!   Unicode canonical decomposition and drops combining marks (so "é" matches "e");
//!   FL_LOOSE does both. On binaries the flags do not apply. The phrase mode (0x0020, an
//!   Exchange extension) matches the value's words as consecutive whole words of the property
//!   (words: runs of letters and digits); on binaries it never matches.
//! - Size restrictions compare [`PropValue::byte_size`]: strings in UTF-16 for `PtypString`,
//!   without the terminator.
//! - Bitmask restrictions apply to integer properties; other kinds make them false.
//! - Comment restrictions are not evaluated (MAPI): they are true, or the value of the
//!   restriction they wrap.
//! - Count restrictions (2.12.12) limit how many rows may match: a [`RowFilter`] lets the first
//!   `count` rows that satisfy the inner restriction through and refuses the rest. A single
//!   [`evaluate`] call uses a fresh filter, so there a count restriction is true if `count > 0`
//!   and the inner restriction is.
//! - `RELOP_RE` is refused: MS-OXCDATA does not say which expression syntax it uses, and
//!   Exchange rejects it too. `RELOP_MEMBER_OF_DL` needs an address book. Both make
//!   [`RowFilter::new`] and [`evaluate`] fail with [`RestrictionError::Unsupported`]
//!   (MAPI_E_TOO_COMPLEX), whether or not evaluation would reach them.

use super::compare::{compare_values, multi_elements};
use super::{
    BitmaskRelOp, FuzzyLevel, FuzzyMatch, MAX_DEPTH, MULTIVALUE_INSTANCE_FLAG, RelOp, Restriction,
    RestrictionError, SubObject,
};
use crate::{PropTag, PropType, PropValue, TaggedValue};
use serde::{Deserialize, Serialize};
use std::borrow::Cow;
use std::cmp::Ordering;
use std::collections::{BTreeMap, HashMap};
use std::hash::BuildHasher;
use unicode_normalization::UnicodeNormalization;
use unicode_normalization::char::is_combining_mark;

/// A row the evaluator can read: property values by tag, and the rows of its sub-objects.
pub trait PropertySource {
    /// The value with exactly this tag, if the row has it. String width and multi-value
    /// instance tags are handled by the evaluator (see [`lookup`]), not here.
    fn value(&self, tag: PropTag) -> Option<Cow<'_, PropValue>>;

    /// The rows of a sub-object table (recipients, attachments); none by default.
    fn sub_objects(&self, subobject: SubObject) -> Vec<Box<dyn PropertySource + '_>> {
        let _ = subobject;
        Vec::new()
    }
}

impl<T: PropertySource + ?Sized> PropertySource for &T {
    fn value(&self, tag: PropTag) -> Option<Cow<'_, PropValue>> {
        (**self).value(tag)
    }

    fn sub_objects(&self, subobject: SubObject) -> Vec<Box<dyn PropertySource + '_>> {
        (**self).sub_objects(subobject)
    }
}

impl PropertySource for BTreeMap<PropTag, PropValue> {
    fn value(&self, tag: PropTag) -> Option<Cow<'_, PropValue>> {
        self.get(&tag).map(Cow::Borrowed)
    }
}

impl<S: BuildHasher> PropertySource for HashMap<PropTag, PropValue, S> {
    fn value(&self, tag: PropTag) -> Option<Cow<'_, PropValue>> {
        self.get(&tag).map(Cow::Borrowed)
    }
}

impl PropertySource for [TaggedValue] {
    fn value(&self, tag: PropTag) -> Option<Cow<'_, PropValue>> {
        self.iter().find(|p| p.tag == tag).map(|p| Cow::Borrowed(&p.value))
    }
}

impl PropertySource for Vec<TaggedValue> {
    fn value(&self, tag: PropTag) -> Option<Cow<'_, PropValue>> {
        self.as_slice().value(tag)
    }
}

/// An in-memory row: properties by tag, and sub-object tables by the sub-object's tag.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct PropertyBag {
    pub props: BTreeMap<PropTag, PropValue>,
    pub sub_tables: BTreeMap<PropTag, Vec<PropertyBag>>,
}

impl PropertyBag {
    pub fn new() -> PropertyBag {
        PropertyBag::default()
    }

    /// Sets a property, replacing any value with the same tag.
    pub fn set(&mut self, tag: PropTag, value: PropValue) {
        self.props.insert(tag, value);
    }

    /// The bag with one more property; the tag takes the value's type.
    pub fn with(mut self, id: u16, value: PropValue) -> PropertyBag {
        self.set(PropTag::new(id, value.prop_type()), value);
        self
    }

    /// The bag with the rows of a sub-object table.
    pub fn with_sub_objects(mut self, subobject: SubObject, rows: Vec<PropertyBag>) -> PropertyBag {
        self.sub_tables.insert(subobject.tag(), rows);
        self
    }
}

impl FromIterator<TaggedValue> for PropertyBag {
    fn from_iter<I: IntoIterator<Item = TaggedValue>>(iter: I) -> PropertyBag {
        PropertyBag {
            props: iter.into_iter().map(|p| (p.tag, p.value)).collect(),
            sub_tables: BTreeMap::new(),
        }
    }
}

impl PropertySource for PropertyBag {
    fn value(&self, tag: PropTag) -> Option<Cow<'_, PropValue>> {
        self.props.get(&tag).map(Cow::Borrowed)
    }

    fn sub_objects(&self, subobject: SubObject) -> Vec<Box<dyn PropertySource + '_>> {
        self.sub_tables.get(&subobject.tag()).map_or_else(Vec::new, |rows| {
            rows.iter().map(|row| Box::new(row) as Box<dyn PropertySource + '_>).collect()
        })
    }
}

/// The value a restriction sees for `tag`: a multi-value instance tag reads its multi-valued
/// column, a string tag of either width finds the other width, and an error value counts as
/// missing.
pub fn lookup<'a, S: PropertySource + ?Sized>(
    source: &'a S,
    tag: PropTag,
) -> Option<Cow<'a, PropValue>> {
    let tag = PropTag(tag.0 & !u32::from(MULTIVALUE_INSTANCE_FLAG));
    let value = source.value(tag).or_else(|| {
        let other = match tag.prop_type()? {
            PropType::String => PropType::String8,
            PropType::String8 => PropType::String,
            PropType::MultipleString => PropType::MultipleString8,
            PropType::MultipleString8 => PropType::MultipleString,
            _ => return None,
        };
        source.value(tag.with_type(other))
    })?;
    match value.as_ref() {
        PropValue::Error(_) => None,
        _ => Some(value),
    }
}

/// Evaluates a restriction against one row.
pub fn evaluate(
    restriction: &Restriction,
    row: &dyn PropertySource,
) -> Result<bool, RestrictionError> {
    Ok(RowFilter::new(restriction)?.matches(row))
}

/// The rows that satisfy a restriction, in their order, with count restrictions applied
/// across the rows.
pub fn filter_rows<'a, R: PropertySource>(
    rows: &'a [R],
    restriction: &Restriction,
) -> Result<Vec<&'a R>, RestrictionError> {
    let mut filter = RowFilter::new(restriction)?;
    Ok(rows.iter().filter(|row| filter.matches(*row)).collect())
}

/// A restriction checked once and then applied to rows in table order. It carries the state
/// of count restrictions: how many more rows each may still let through.
#[derive(Debug)]
pub struct RowFilter<'r> {
    restriction: &'r Restriction,
    remaining: Vec<(&'r Restriction, u32)>,
}

impl<'r> RowFilter<'r> {
    /// Checks that every part of the restriction can be evaluated.
    pub fn new(restriction: &'r Restriction) -> Result<RowFilter<'r>, RestrictionError> {
        let mut remaining = Vec::new();
        check(restriction, 0, &mut remaining)?;
        Ok(RowFilter { restriction, remaining })
    }

    /// True if the row satisfies the restriction.
    pub fn matches(&mut self, row: &dyn PropertySource) -> bool {
        self.eval(self.restriction, row)
    }

    fn eval(&mut self, node: &'r Restriction, row: &dyn PropertySource) -> bool {
        match node {
            Restriction::And(children) => children.iter().all(|c| self.eval(c, row)),
            Restriction::Or(children) => children.iter().any(|c| self.eval(c, row)),
            Restriction::Not(inner) => !self.eval(inner, row),
            Restriction::Content { fuzzy_level, tag, value } => lookup(row, *tag)
                .is_some_and(|found| content_matches(*fuzzy_level, &found, &value.value)),
            Restriction::Property { relop, tag, value } => lookup(row, *tag)
                .is_some_and(|found| property_matches(*relop, &found, &value.value)),
            Restriction::CompareProps { relop, tag1, tag2 } => {
                match (lookup(row, *tag1), lookup(row, *tag2)) {
                    (Some(a), Some(b)) => property_matches(*relop, &a, &b),
                    _ => false,
                }
            }
            Restriction::Bitmask { relop, tag, mask } => {
                let Some(bits) = lookup(row, *tag).and_then(|v| v.as_i64()) else {
                    return false;
                };
                let zero = bits & i64::from(*mask) == 0;
                match relop {
                    BitmaskRelOp::EqualToZero => zero,
                    BitmaskRelOp::NotEqualToZero => !zero,
                }
            }
            Restriction::Size { relop, tag, size } => lookup(row, *tag).is_some_and(|v| {
                let actual = u64::try_from(v.byte_size()).unwrap_or(u64::MAX);
                relop_holds(*relop, Some(actual.cmp(&u64::from(*size))))
            }),
            Restriction::Exist { tag } => lookup(row, *tag).is_some(),
            Restriction::SubObject { subobject, restriction } => {
                let subs = row.sub_objects(*subobject);
                subs.iter().any(|sub| self.eval(restriction, sub.as_ref()))
            }
            Restriction::Comment { restriction, .. } => {
                restriction.as_deref().is_none_or(|inner| self.eval(inner, row))
            }
            Restriction::Count { restriction, .. } => {
                let slot = self.remaining.iter().position(|(n, _)| std::ptr::eq(*n, node));
                let Some(slot) = slot else { return false };
                if self.remaining[slot].1 == 0 || !self.eval(restriction, row) {
                    return false;
                }
                self.remaining[slot].1 -= 1;
                true
            }
        }
    }
}

fn check<'r>(
    node: &'r Restriction,
    depth: usize,
    counts: &mut Vec<(&'r Restriction, u32)>,
) -> Result<(), RestrictionError> {
    if depth >= MAX_DEPTH {
        return Err(RestrictionError::Unsupported {
            what: "restriction nesting",
            reason: "deeper than 64 levels",
        });
    }
    let unsupported_relop = |relop: &RelOp| match relop {
        RelOp::RegularExpression => Err(RestrictionError::Unsupported {
            what: "RELOP_RE",
            reason: "MS-OXCDATA does not define the regular expression syntax",
        }),
        RelOp::MemberOfDl => Err(RestrictionError::Unsupported {
            what: "RELOP_MEMBER_OF_DL",
            reason: "distribution list membership needs an address book",
        }),
        _ => Ok(()),
    };
    match node {
        Restriction::And(children) | Restriction::Or(children) => {
            children.iter().try_for_each(|c| check(c, depth + 1, counts))
        }
        Restriction::Not(inner) | Restriction::SubObject { restriction: inner, .. } => {
            check(inner, depth + 1, counts)
        }
        Restriction::Property { relop, .. }
        | Restriction::CompareProps { relop, .. }
        | Restriction::Size { relop, .. } => unsupported_relop(relop),
        Restriction::Comment { restriction, .. } => match restriction {
            Some(inner) => check(inner, depth + 1, counts),
            None => Ok(()),
        },
        Restriction::Count { count, restriction } => {
            counts.push((node, *count));
            check(restriction, depth + 1, counts)
        }
        Restriction::Content { .. } | Restriction::Bitmask { .. } | Restriction::Exist { .. } => {
            Ok(())
        }
    }
}

fn relop_holds(relop: RelOp, ordering: Option<Ordering>) -> bool {
    let Some(ord) = ordering else { return false };
    match relop {
        RelOp::LessThan => ord.is_lt(),
        RelOp::LessThanOrEqual => ord.is_le(),
        RelOp::GreaterThan => ord.is_gt(),
        RelOp::GreaterThanOrEqual => ord.is_ge(),
        RelOp::Equal => ord.is_eq(),
        RelOp::NotEqual => ord.is_ne(),
        // Refused by `check` before evaluation starts.
        RelOp::RegularExpression | RelOp::MemberOfDl => false,
    }
}

/// Property and compare-properties semantics: a multi-valued value against a single one (on
/// either side) matches if any element does.
fn property_matches(relop: RelOp, found: &PropValue, constant: &PropValue) -> bool {
    match (multi_elements(found), multi_elements(constant)) {
        (Some(elements), None) => {
            elements.iter().any(|e| relop_holds(relop, compare_values(e, constant)))
        }
        (None, Some(elements)) => {
            elements.iter().any(|e| relop_holds(relop, compare_values(found, e)))
        }
        _ => relop_holds(relop, compare_values(found, constant)),
    }
}

fn content_matches(level: FuzzyLevel, found: &PropValue, needle: &PropValue) -> bool {
    if let Some(elements) = multi_elements(found) {
        return elements.iter().any(|e| content_matches(level, e, needle));
    }
    if let (Some(text), Some(pattern)) = (found.as_str(), needle.as_str()) {
        let text = normalise(text, level);
        let pattern = normalise(pattern, level);
        return match level.mode {
            FuzzyMatch::FullString => text == pattern,
            FuzzyMatch::Substring => text.contains(pattern.as_str()),
            FuzzyMatch::Prefix => text.starts_with(pattern.as_str()),
            FuzzyMatch::PhraseMatch => phrase_matches(&text, &pattern),
        };
    }
    if let (Some(bytes), Some(pattern)) = (found.as_binary(), needle.as_binary()) {
        return match level.mode {
            FuzzyMatch::FullString => bytes == pattern,
            FuzzyMatch::Substring => {
                pattern.is_empty() || bytes.windows(pattern.len()).any(|w| w == pattern)
            }
            FuzzyMatch::Prefix => bytes.starts_with(pattern),
            // Binaries have no words.
            FuzzyMatch::PhraseMatch => false,
        };
    }
    false
}

/// Whether the words of `phrase` occur in `text` as consecutive whole words. A word is a run
/// of letters and digits; everything else separates words. A phrase without words matches
/// every text, as an empty substring does.
fn phrase_matches(text: &str, phrase: &str) -> bool {
    let words = |s: &str| -> Vec<String> {
        s.split(|c: char| !c.is_alphanumeric())
            .filter(|w| !w.is_empty())
            .map(str::to_owned)
            .collect()
    };
    let wanted = words(phrase);
    if wanted.is_empty() {
        return true;
    }
    let found = words(text);
    found.windows(wanted.len()).any(|window| window == wanted.as_slice())
}

fn normalise(text: &str, level: FuzzyLevel) -> String {
    let stripped: String = if level.strips_nonspace() {
        text.nfd().filter(|c| !is_combining_mark(*c)).collect()
    } else {
        text.to_owned()
    };
    if level.folds_case() {
        stripped.chars().flat_map(char::to_lowercase).collect()
    } else {
        stripped
    }
}
