//! Restrictions (MS-OXCDATA 2.12) and sort orders (MS-OXCDATA 2.13): the filter and ordering a
//! client hands to a table, in typed form.
//!
//! Stores that can push a filter into SQL translate these types; stores that cannot evaluate
//! them row by row over an in-memory property bag.
//!
//! - this file: the types;
//! - `codec`: their binary form ([`Restriction::encode`], [`decode_restriction`],
//!   [`SortOrderSet::encode`], ...), with [`property_value`] for the constants inside;
//! - `eval`: [`evaluate`], [`RowFilter`] and [`filter_rows`] over any [`PropertySource`];
//! - `compare`: [`compare_values`] (MAPI value order) and [`sort_rows`].

mod codec;
mod compare;
mod error;
mod eval;
pub mod property_value;
mod wire;

pub use codec::{
    MAX_DEPTH, decode_restriction, decode_sort_order_set, encode_restriction,
    encode_sort_order_set, read_restriction, read_sort_order_set,
};
pub use compare::{compare_text, compare_values, multi_elements, sort_rows};
pub use error::RestrictionError;
pub use eval::{PropertyBag, PropertySource, RowFilter, evaluate, filter_rows, lookup};
pub use wire::CountWidth;

use crate::{PropTag, PropType, TaggedValue};
use serde::{Deserialize, Serialize};

/// `PidTagMessageRecipients` (0x0E12000D): the recipient table as a sub-object.
pub const PID_TAG_MESSAGE_RECIPIENTS: PropTag = PropTag::new(0x0E12, PropType::Object);
/// `PidTagMessageAttachments` (0x0E13000D): the attachment table as a sub-object.
pub const PID_TAG_MESSAGE_ATTACHMENTS: PropTag = PropTag::new(0x0E13, PropType::Object);

/// The multi-value instance flag (MS-OXCDATA 2.11.1.1 `MultivalueInstance`, MAPI `MVI_FLAG`):
/// set in a tag's type, it asks for one row per value of a multi-valued column.
pub const MULTIVALUE_INSTANCE_FLAG: u16 = 0x2000;

/// A restriction: a Boolean expression over the properties of one table row (MS-OXCDATA 2.12).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Restriction {
    /// AndRestriction (2.12.1): true if every child is true; true when empty.
    And(Vec<Restriction>),
    /// OrRestriction (2.12.2): true if any child is true; false when empty.
    Or(Vec<Restriction>),
    /// NotRestriction (2.12.3).
    Not(Box<Restriction>),
    /// ContentRestriction (2.12.4): substring/prefix/full-string match on a string or binary.
    Content { fuzzy_level: FuzzyLevel, tag: PropTag, value: TaggedValue },
    /// PropertyRestriction (2.12.5): compares a property with a constant.
    Property { relop: RelOp, tag: PropTag, value: TaggedValue },
    /// ComparePropertiesRestriction (2.12.6): compares two properties of the same row.
    CompareProps { relop: RelOp, tag1: PropTag, tag2: PropTag },
    /// BitMaskRestriction (2.12.7): tests `value & mask` against zero.
    Bitmask { relop: BitmaskRelOp, tag: PropTag, mask: u32 },
    /// SizeRestriction (2.12.8): compares the size in bytes of a property with a constant.
    Size { relop: RelOp, tag: PropTag, size: u32 },
    /// ExistRestriction (2.12.9): true if the property is present.
    Exist { tag: PropTag },
    /// SubObjectRestriction (2.12.10): true if any row of a sub-table (recipients,
    /// attachments) satisfies the inner restriction.
    SubObject { subobject: SubObject, restriction: Box<Restriction> },
    /// CommentRestriction (2.12.11): annotations that are not evaluated, around an optional
    /// restriction that is.
    Comment { props: Vec<TaggedValue>, restriction: Option<Box<Restriction>> },
    /// CountRestriction (2.12.12): at most `count` rows may match the inner restriction.
    Count { count: u32, restriction: Box<Restriction> },
}

/// The `RestrictType` byte that opens each restriction structure (MS-OXCDATA 2.12).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[repr(u8)]
pub enum RestrictType {
    And = 0x00,
    Or = 0x01,
    Not = 0x02,
    Content = 0x03,
    Property = 0x04,
    CompareProperties = 0x05,
    BitMask = 0x06,
    Size = 0x07,
    Exist = 0x08,
    SubObject = 0x09,
    Comment = 0x0A,
    Count = 0x0B,
}

impl RestrictType {
    pub const fn code(self) -> u8 {
        self as u8
    }

    pub const fn from_code(code: u8) -> Option<RestrictType> {
        Some(match code {
            0x00 => RestrictType::And,
            0x01 => RestrictType::Or,
            0x02 => RestrictType::Not,
            0x03 => RestrictType::Content,
            0x04 => RestrictType::Property,
            0x05 => RestrictType::CompareProperties,
            0x06 => RestrictType::BitMask,
            0x07 => RestrictType::Size,
            0x08 => RestrictType::Exist,
            0x09 => RestrictType::SubObject,
            0x0A => RestrictType::Comment,
            0x0B => RestrictType::Count,
            _ => return None,
        })
    }
}

impl Restriction {
    /// Adds the ID of every property the restriction reads to `ids`; returns whether it looks
    /// into recipients or attachments (a `SubObject` term). Every term is visited, so `ids` is
    /// complete either way. Backends use it to load only what evaluating needs.
    pub fn collect_property_ids(&self, ids: &mut std::collections::BTreeSet<u16>) -> bool {
        match self {
            Restriction::And(children) | Restriction::Or(children) => {
                children.iter().fold(false, |sub, c| c.collect_property_ids(ids) | sub)
            }
            Restriction::Not(inner) | Restriction::Count { restriction: inner, .. } => {
                inner.collect_property_ids(ids)
            }
            Restriction::Content { tag, .. }
            | Restriction::Property { tag, .. }
            | Restriction::Bitmask { tag, .. }
            | Restriction::Size { tag, .. }
            | Restriction::Exist { tag } => {
                ids.insert(tag.id());
                false
            }
            Restriction::CompareProps { tag1, tag2, .. } => {
                ids.insert(tag1.id());
                ids.insert(tag2.id());
                false
            }
            Restriction::SubObject { .. } => true,
            Restriction::Comment { restriction, .. } => {
                restriction.as_deref().is_some_and(|inner| inner.collect_property_ids(ids))
            }
        }
    }

    /// The `RestrictType` of this restriction.
    pub fn restrict_type(&self) -> RestrictType {
        match self {
            Restriction::And(_) => RestrictType::And,
            Restriction::Or(_) => RestrictType::Or,
            Restriction::Not(_) => RestrictType::Not,
            Restriction::Content { .. } => RestrictType::Content,
            Restriction::Property { .. } => RestrictType::Property,
            Restriction::CompareProps { .. } => RestrictType::CompareProperties,
            Restriction::Bitmask { .. } => RestrictType::BitMask,
            Restriction::Size { .. } => RestrictType::Size,
            Restriction::Exist { .. } => RestrictType::Exist,
            Restriction::SubObject { .. } => RestrictType::SubObject,
            Restriction::Comment { .. } => RestrictType::Comment,
            Restriction::Count { .. } => RestrictType::Count,
        }
    }

    /// `Not(self)`.
    pub fn negate(self) -> Restriction {
        Restriction::Not(Box::new(self))
    }

    /// A property restriction whose tag is the value's own tag, the usual form.
    pub fn property(relop: RelOp, value: TaggedValue) -> Restriction {
        Restriction::Property { relop, tag: value.tag, value }
    }

    /// A content restriction whose tag is the value's own tag.
    pub fn content(fuzzy_level: FuzzyLevel, value: TaggedValue) -> Restriction {
        Restriction::Content { fuzzy_level, tag: value.tag, value }
    }
}

/// Relational operator of property, compare-properties and size restrictions
/// (MS-OXCDATA 2.12.5, `RelOp`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum RelOp {
    #[serde(rename = "RELOP_LT")]
    LessThan,
    #[serde(rename = "RELOP_LE")]
    LessThanOrEqual,
    #[serde(rename = "RELOP_GT")]
    GreaterThan,
    #[serde(rename = "RELOP_GE")]
    GreaterThanOrEqual,
    #[serde(rename = "RELOP_EQ")]
    Equal,
    #[serde(rename = "RELOP_NE")]
    NotEqual,
    /// Regular-expression match; MS-OXCDATA does not define the expression syntax.
    #[serde(rename = "RELOP_RE")]
    RegularExpression,
    /// Membership of a distribution list; needs an address book to evaluate.
    #[serde(rename = "RELOP_MEMBER_OF_DL")]
    MemberOfDl,
}

impl RelOp {
    pub const ALL: [RelOp; 8] = [
        RelOp::LessThan,
        RelOp::LessThanOrEqual,
        RelOp::GreaterThan,
        RelOp::GreaterThanOrEqual,
        RelOp::Equal,
        RelOp::NotEqual,
        RelOp::RegularExpression,
        RelOp::MemberOfDl,
    ];

    pub const fn code(self) -> u8 {
        match self {
            RelOp::LessThan => 0x00,
            RelOp::LessThanOrEqual => 0x01,
            RelOp::GreaterThan => 0x02,
            RelOp::GreaterThanOrEqual => 0x03,
            RelOp::Equal => 0x04,
            RelOp::NotEqual => 0x05,
            RelOp::RegularExpression => 0x06,
            RelOp::MemberOfDl => 0x64,
        }
    }

    pub const fn from_code(code: u8) -> Option<RelOp> {
        Some(match code {
            0x00 => RelOp::LessThan,
            0x01 => RelOp::LessThanOrEqual,
            0x02 => RelOp::GreaterThan,
            0x03 => RelOp::GreaterThanOrEqual,
            0x04 => RelOp::Equal,
            0x05 => RelOp::NotEqual,
            0x06 => RelOp::RegularExpression,
            0x64 => RelOp::MemberOfDl,
            _ => return None,
        })
    }

    /// The mapidefs.h name, e.g. `RELOP_GE`.
    pub const fn name(self) -> &'static str {
        match self {
            RelOp::LessThan => "RELOP_LT",
            RelOp::LessThanOrEqual => "RELOP_LE",
            RelOp::GreaterThan => "RELOP_GT",
            RelOp::GreaterThanOrEqual => "RELOP_GE",
            RelOp::Equal => "RELOP_EQ",
            RelOp::NotEqual => "RELOP_NE",
            RelOp::RegularExpression => "RELOP_RE",
            RelOp::MemberOfDl => "RELOP_MEMBER_OF_DL",
        }
    }
}

/// `BitmapRelOp` of a bitmask restriction (MS-OXCDATA 2.12.7).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum BitmaskRelOp {
    /// BMR_EQZ (0x00): true if `value & mask == 0`.
    #[serde(rename = "BMR_EQZ")]
    EqualToZero,
    /// BMR_NEZ (0x01): true if `value & mask != 0`.
    #[serde(rename = "BMR_NEZ")]
    NotEqualToZero,
}

impl BitmaskRelOp {
    pub const fn code(self) -> u8 {
        match self {
            BitmaskRelOp::EqualToZero => 0x00,
            BitmaskRelOp::NotEqualToZero => 0x01,
        }
    }

    pub const fn from_code(code: u8) -> Option<BitmaskRelOp> {
        match code {
            0x00 => Some(BitmaskRelOp::EqualToZero),
            0x01 => Some(BitmaskRelOp::NotEqualToZero),
            _ => None,
        }
    }
}

/// How much of the property a content restriction's value must cover: the low 16 bits of the
/// fuzzy level, `FuzzyLevelLow` (MS-OXCDATA 2.12.4). Exactly one applies.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
pub enum FuzzyMatch {
    /// FL_FULLSTRING (0x0000): the whole property equals the value.
    #[default]
    #[serde(rename = "FL_FULLSTRING")]
    FullString,
    /// FL_SUBSTRING (0x0001): the value occurs anywhere in the property.
    #[serde(rename = "FL_SUBSTRING")]
    Substring,
    /// FL_PREFIX (0x0002): the property starts with the value.
    #[serde(rename = "FL_PREFIX")]
    Prefix,
    /// The value's words occur in the property as consecutive whole words (Outlook's DASL
    /// `ci_phrasematch`). MS-OXCDATA defines no phrase mode; 0x0020 is the value Exchange's
    /// content indexer uses for it (`FL_PHRASE_MATCH`). Words are runs of letters and digits.
    #[serde(rename = "FL_PHRASE_MATCH")]
    PhraseMatch,
}

impl FuzzyMatch {
    pub const fn code(self) -> u16 {
        match self {
            FuzzyMatch::FullString => 0x0000,
            FuzzyMatch::Substring => 0x0001,
            FuzzyMatch::Prefix => 0x0002,
            FuzzyMatch::PhraseMatch => 0x0020,
        }
    }

    pub const fn from_code(code: u16) -> Option<FuzzyMatch> {
        match code {
            0x0000 => Some(FuzzyMatch::FullString),
            0x0001 => Some(FuzzyMatch::Substring),
            0x0002 => Some(FuzzyMatch::Prefix),
            0x0020 => Some(FuzzyMatch::PhraseMatch),
            _ => None,
        }
    }
}

/// The fuzzy level of a content restriction (MS-OXCDATA 2.12.4): a match mode in the low 16 bits
/// and independent string-comparison flags in the high 16 bits (`FuzzyLevelHigh`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
pub struct FuzzyLevel {
    pub mode: FuzzyMatch,
    /// FL_IGNORECASE (0x00010000).
    pub ignore_case: bool,
    /// FL_IGNORENONSPACE (0x00020000): ignore non-spacing characters such as diacritics.
    pub ignore_nonspace: bool,
    /// FL_LOOSE (0x00040000): match whenever possible; treated as both flags above.
    pub loose: bool,
}

impl FuzzyLevel {
    pub const FL_IGNORECASE: u32 = 0x0001_0000;
    pub const FL_IGNORENONSPACE: u32 = 0x0002_0000;
    pub const FL_LOOSE: u32 = 0x0004_0000;

    /// A level with no comparison flags.
    pub const fn new(mode: FuzzyMatch) -> FuzzyLevel {
        FuzzyLevel { mode, ignore_case: false, ignore_nonspace: false, loose: false }
    }

    /// The same level with FL_IGNORECASE set.
    pub const fn ignoring_case(mut self) -> FuzzyLevel {
        self.ignore_case = true;
        self
    }

    /// The same level with FL_IGNORENONSPACE set.
    pub const fn ignoring_nonspace(mut self) -> FuzzyLevel {
        self.ignore_nonspace = true;
        self
    }

    /// The same level with FL_LOOSE set.
    pub const fn loosely(mut self) -> FuzzyLevel {
        self.loose = true;
        self
    }

    /// The 32-bit `ulFuzzyLevel` as MAPI writes it.
    pub const fn to_u32(self) -> u32 {
        let mut bits = self.mode.code() as u32;
        if self.ignore_case {
            bits |= Self::FL_IGNORECASE;
        }
        if self.ignore_nonspace {
            bits |= Self::FL_IGNORENONSPACE;
        }
        if self.loose {
            bits |= Self::FL_LOOSE;
        }
        bits
    }

    /// Parses `ulFuzzyLevel`; `None` if the low half is not a defined mode or the high half has a
    /// bit MS-OXCDATA does not define.
    pub const fn from_u32(bits: u32) -> Option<FuzzyLevel> {
        let known = Self::FL_IGNORECASE | Self::FL_IGNORENONSPACE | Self::FL_LOOSE;
        if bits & 0xFFFF_0000 & !known != 0 {
            return None;
        }
        let Some(mode) = FuzzyMatch::from_code(bits as u16) else {
            return None;
        };
        Some(FuzzyLevel {
            mode,
            ignore_case: bits & Self::FL_IGNORECASE != 0,
            ignore_nonspace: bits & Self::FL_IGNORENONSPACE != 0,
            loose: bits & Self::FL_LOOSE != 0,
        })
    }

    /// Case is ignored (FL_IGNORECASE or FL_LOOSE).
    pub const fn folds_case(self) -> bool {
        self.ignore_case || self.loose
    }

    /// Non-spacing marks are ignored (FL_IGNORENONSPACE or FL_LOOSE).
    pub const fn strips_nonspace(self) -> bool {
        self.ignore_nonspace || self.loose
    }
}

/// The sub-object a SubObjectRestriction looks into (MS-OXCDATA 2.12.10 `Subobject`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SubObject {
    /// `PidTagMessageRecipients`: the message's recipient rows.
    Recipients,
    /// `PidTagMessageAttachments`: the message's attachment rows.
    Attachments,
    /// Any other object-valued property; use [`SubObject::from_tag`] so the two above are never
    /// spelt this way.
    Other(PropTag),
}

impl SubObject {
    pub const fn tag(self) -> PropTag {
        match self {
            SubObject::Recipients => PID_TAG_MESSAGE_RECIPIENTS,
            SubObject::Attachments => PID_TAG_MESSAGE_ATTACHMENTS,
            SubObject::Other(tag) => tag,
        }
    }

    pub const fn from_tag(tag: PropTag) -> SubObject {
        match tag.0 {
            0x0E12_000D => SubObject::Recipients,
            0x0E13_000D => SubObject::Attachments,
            _ => SubObject::Other(tag),
        }
    }
}

/// Direction of one sort key (MS-OXCDATA 2.13.1 `Order`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
pub enum SortDirection {
    /// 0x00.
    #[default]
    #[serde(rename = "TABLE_SORT_ASCEND")]
    Ascending,
    /// 0x01.
    #[serde(rename = "TABLE_SORT_DESCEND")]
    Descending,
    /// 0x04: order the categories made by the previous key by the maximum of this column over
    /// each category's rows.
    #[serde(rename = "TABLE_SORT_CATEG_MAX")]
    MaxCategory,
    /// 0x08: as `MaxCategory` with the minimum. Not listed by MS-OXCDATA 2.13.1; MAPI's
    /// `TABLE_SORT_CATEG_MIN`.
    #[serde(rename = "TABLE_SORT_CATEG_MIN")]
    MinCategory,
}

impl SortDirection {
    pub const fn code(self) -> u8 {
        match self {
            SortDirection::Ascending => 0x00,
            SortDirection::Descending => 0x01,
            SortDirection::MaxCategory => 0x04,
            SortDirection::MinCategory => 0x08,
        }
    }

    pub const fn from_code(code: u8) -> Option<SortDirection> {
        match code {
            0x00 => Some(SortDirection::Ascending),
            0x01 => Some(SortDirection::Descending),
            0x04 => Some(SortDirection::MaxCategory),
            0x08 => Some(SortDirection::MinCategory),
            _ => None,
        }
    }
}

/// One sort key: a column and a direction (MS-OXCDATA 2.13.1 SortOrder).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct SortOrder {
    pub tag: PropTag,
    pub direction: SortDirection,
}

impl SortOrder {
    pub const fn ascending(tag: PropTag) -> SortOrder {
        SortOrder { tag, direction: SortDirection::Ascending }
    }

    pub const fn descending(tag: PropTag) -> SortOrder {
        SortOrder { tag, direction: SortDirection::Descending }
    }
}

/// The sort keys of a table, with categorisation (MS-OXCDATA 2.13.2 SortOrderSet): the first
/// `category_count` keys are category columns, of which the first `expanded_count` start
/// expanded.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
pub struct SortOrderSet {
    pub sorts: Vec<SortOrder>,
    pub category_count: u16,
    pub expanded_count: u16,
}

impl SortOrderSet {
    /// A plain (uncategorised) sort.
    pub fn new(sorts: Vec<SortOrder>) -> SortOrderSet {
        SortOrderSet { sorts, category_count: 0, expanded_count: 0 }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn assert_send_sync<T: Send + Sync>() {}

    #[test]
    fn public_types_are_send_and_sync() {
        assert_send_sync::<Restriction>();
        assert_send_sync::<SortOrderSet>();
    }

    #[test]
    fn fuzzy_level_splits_into_mode_and_flags() {
        let level = FuzzyLevel::from_u32(0x0001_0001).unwrap();
        assert_eq!(level, FuzzyLevel::new(FuzzyMatch::Substring).ignoring_case());
        assert_eq!(level.to_u32(), 0x0001_0001);
        let loose = FuzzyLevel::from_u32(0x0004_0002).unwrap();
        assert!(loose.folds_case() && loose.strips_nonspace());
        assert_eq!(FuzzyLevel::from_u32(0x0000_0003), None);
        assert_eq!(FuzzyLevel::from_u32(0x0008_0000), None);
    }

    #[test]
    fn codes_round_trip() {
        for relop in RelOp::ALL {
            assert_eq!(RelOp::from_code(relop.code()), Some(relop));
        }
        assert_eq!(RelOp::MemberOfDl.code(), 100);
        for code in 0..=0x0B {
            assert_eq!(RestrictType::from_code(code).map(RestrictType::code), Some(code));
        }
        assert_eq!(RestrictType::from_code(0x0C), None);
        assert_eq!(SubObject::from_tag(PropTag(0x0E12_000D)), SubObject::Recipients);
        assert_eq!(SubObject::Attachments.tag().0, 0x0E13_000D);
    }

    #[test]
    fn restriction_serialises_with_spec_names() {
        let r = Restriction::property(
            RelOp::GreaterThanOrEqual,
            TaggedValue::new(0x0E08, crate::PropValue::Integer32(1024)),
        );
        let json = serde_json::to_value(&r).unwrap();
        assert_eq!(json["property"]["relop"], "RELOP_GE");
        assert_eq!(json["property"]["tag"], "0x0E080003");
        let back: Restriction = serde_json::from_value(json).unwrap();
        assert_eq!(back, r);
    }
}
