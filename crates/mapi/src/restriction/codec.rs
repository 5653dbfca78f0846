//! Binary form of restrictions (MS-OXCDATA 2.12) and sort order sets (MS-OXCDATA 2.13), as
//! carried in ROP buffers, PtypRestriction values and extended rules.
//!
//! Every structure opens with a one-byte `RestrictType`; the fields that follow are
//! little-endian. The decoder never trusts a count beyond what the rest of the input can hold,
//! and refuses nesting deeper than [`MAX_DEPTH`].

use super::property_value::{expect_end, read_tagged, write_tagged};
use super::wire::{CountWidth, Reader, Writer};
use super::{
    BitmaskRelOp, FuzzyLevel, RelOp, RestrictType, Restriction, RestrictionError, SortDirection,
    SortOrder, SortOrderSet, SubObject,
};
use crate::PropTag;

/// The deepest nesting the codec (and the evaluator) accepts. Real restrictions are a handful
/// of levels deep; the cap keeps recursion bounded on hostile input.
pub const MAX_DEPTH: usize = 64;

impl Restriction {
    /// Encodes with the counts of `width` (16-bit for ROPs, 32-bit for extended rules).
    pub fn encode(&self, width: CountWidth) -> Result<Vec<u8>, RestrictionError> {
        encode_restriction(self, width)
    }

    /// Decodes a restriction that fills `bytes`.
    pub fn decode(bytes: &[u8], width: CountWidth) -> Result<Restriction, RestrictionError> {
        decode_restriction(bytes, width)
    }
}

impl SortOrderSet {
    pub fn encode(&self) -> Result<Vec<u8>, RestrictionError> {
        encode_sort_order_set(self)
    }

    pub fn decode(bytes: &[u8]) -> Result<SortOrderSet, RestrictionError> {
        decode_sort_order_set(bytes)
    }
}

/// Encodes a restriction.
pub fn encode_restriction(
    restriction: &Restriction,
    width: CountWidth,
) -> Result<Vec<u8>, RestrictionError> {
    let mut w = Writer::new(width);
    write_restriction(&mut w, restriction, 0)?;
    Ok(w.out)
}

/// Decodes a restriction that fills `bytes`; trailing bytes are an error.
pub fn decode_restriction(
    bytes: &[u8],
    width: CountWidth,
) -> Result<Restriction, RestrictionError> {
    let mut r = Reader::new(bytes, width);
    let restriction = read_restriction_at_depth(&mut r, 0)?;
    expect_end(&r, "restriction")?;
    Ok(restriction)
}

/// Decodes a restriction at the start of `bytes` and says how many bytes it took, for buffers
/// where more fields follow (ROP requests).
pub fn read_restriction(
    bytes: &[u8],
    width: CountWidth,
) -> Result<(Restriction, usize), RestrictionError> {
    let mut r = Reader::new(bytes, width);
    let restriction = read_restriction_at_depth(&mut r, 0)?;
    Ok((restriction, r.offset()))
}

fn write_restriction(
    w: &mut Writer,
    restriction: &Restriction,
    depth: usize,
) -> Result<(), RestrictionError> {
    if depth >= MAX_DEPTH {
        return Err(RestrictionError::Unencodable {
            what: "restriction".to_owned(),
            reason: format!("nested deeper than {MAX_DEPTH} levels"),
        });
    }
    w.u8(restriction.restrict_type().code());
    match restriction {
        Restriction::And(children) | Restriction::Or(children) => {
            w.count(children.len(), "RestrictCount of And/Or restriction")?;
            for child in children {
                write_restriction(w, child, depth + 1)?;
            }
        }
        Restriction::Not(inner) => write_restriction(w, inner, depth + 1)?,
        Restriction::Content { fuzzy_level, tag, value } => {
            let bits = fuzzy_level.to_u32();
            w.u16(bits as u16);
            w.u16((bits >> 16) as u16);
            w.u32(tag.0);
            write_tagged(w, value)?;
        }
        Restriction::Property { relop, tag, value } => {
            w.u8(relop.code());
            w.u32(tag.0);
            write_tagged(w, value)?;
        }
        Restriction::CompareProps { relop, tag1, tag2 } => {
            w.u8(relop.code());
            w.u32(tag1.0);
            w.u32(tag2.0);
        }
        Restriction::Bitmask { relop, tag, mask } => {
            w.u8(relop.code());
            w.u32(tag.0);
            w.u32(*mask);
        }
        Restriction::Size { relop, tag, size } => {
            w.u8(relop.code());
            w.u32(tag.0);
            w.u32(*size);
        }
        Restriction::Exist { tag } => w.u32(tag.0),
        Restriction::SubObject { subobject, restriction } => {
            w.u32(subobject.tag().0);
            write_restriction(w, restriction, depth + 1)?;
        }
        Restriction::Comment { props, restriction } => {
            // TaggedValuesCount is one byte whatever the count width (MS-OXCDATA 2.12.11).
            let count = u8::try_from(props.len()).map_err(|_| RestrictionError::Unencodable {
                what: "CommentRestriction".to_owned(),
                reason: format!(
                    "{} tagged values do not fit the 8-bit TaggedValuesCount",
                    props.len()
                ),
            })?;
            w.u8(count);
            for prop in props {
                write_tagged(w, prop)?;
            }
            match restriction {
                Some(inner) => {
                    w.u8(1);
                    write_restriction(w, inner, depth + 1)?;
                }
                None => w.u8(0),
            }
        }
        Restriction::Count { count, restriction } => {
            w.u32(*count);
            write_restriction(w, restriction, depth + 1)?;
        }
    }
    Ok(())
}

fn invalid(
    what: &'static str,
    offset: usize,
    found: String,
    expected: &'static str,
) -> RestrictionError {
    RestrictionError::Invalid { what, offset, found, expected }
}

fn read_relop(r: &mut Reader<'_>, what: &'static str) -> Result<RelOp, RestrictionError> {
    let offset = r.offset();
    let code = r.u8(what)?;
    RelOp::from_code(code).ok_or_else(|| {
        invalid(what, offset, format!("0x{code:02X}"), "a RELOP_* value (0x00..=0x06 or 0x64)")
    })
}

pub(crate) fn read_restriction_at_depth(
    r: &mut Reader<'_>,
    depth: usize,
) -> Result<Restriction, RestrictionError> {
    let offset = r.offset();
    if depth >= MAX_DEPTH {
        return Err(RestrictionError::TooDeep { offset, limit: MAX_DEPTH });
    }
    let code = r.u8("RestrictType")?;
    let Some(restrict_type) = RestrictType::from_code(code) else {
        return Err(invalid("RestrictType", offset, format!("0x{code:02X}"), "0x00..=0x0B"));
    };
    // The smallest restrictions are an empty And/Or with 16-bit counts and an empty Comment
    // (type, TaggedValuesCount, RestrictionPresent): 3 bytes.
    let min_restriction = 3;
    Ok(match restrict_type {
        RestrictType::And | RestrictType::Or => {
            let count = r.count("RestrictCount", min_restriction)?;
            let mut children = Vec::with_capacity(count);
            for _ in 0..count {
                children.push(read_restriction_at_depth(r, depth + 1)?);
            }
            if restrict_type == RestrictType::And {
                Restriction::And(children)
            } else {
                Restriction::Or(children)
            }
        }
        RestrictType::Not => Restriction::Not(Box::new(read_restriction_at_depth(r, depth + 1)?)),
        RestrictType::Content => {
            let level_offset = r.offset();
            let low = r.u16("FuzzyLevelLow")?;
            let high = r.u16("FuzzyLevelHigh")?;
            let bits = (u32::from(high) << 16) | u32::from(low);
            let fuzzy_level = FuzzyLevel::from_u32(bits).ok_or_else(|| {
                invalid(
                    "FuzzyLevelLow/FuzzyLevelHigh",
                    level_offset,
                    format!("0x{bits:08X}"),
                    "FL_FULLSTRING, FL_SUBSTRING or FL_PREFIX with FL_IGNORECASE, \
                     FL_IGNORENONSPACE, FL_LOOSE",
                )
            })?;
            let tag = PropTag(r.u32("PropertyTag of ContentRestriction")?);
            let value = read_tagged(r, depth)?;
            Restriction::Content { fuzzy_level, tag, value }
        }
        RestrictType::Property => {
            let relop = read_relop(r, "RelOp of PropertyRestriction")?;
            let tag = PropTag(r.u32("PropTag of PropertyRestriction")?);
            let value = read_tagged(r, depth)?;
            Restriction::Property { relop, tag, value }
        }
        RestrictType::CompareProperties => {
            let relop = read_relop(r, "RelOp of ComparePropertiesRestriction")?;
            let tag1 = PropTag(r.u32("PropTag1")?);
            let tag2 = PropTag(r.u32("PropTag2")?);
            Restriction::CompareProps { relop, tag1, tag2 }
        }
        RestrictType::BitMask => {
            let relop_offset = r.offset();
            let code = r.u8("BitmapRelOp")?;
            let relop = BitmaskRelOp::from_code(code).ok_or_else(|| {
                invalid("BitmapRelOp", relop_offset, format!("0x{code:02X}"), "BMR_EQZ or BMR_NEZ")
            })?;
            let tag = PropTag(r.u32("PropTag of BitMaskRestriction")?);
            let mask = r.u32("Mask")?;
            Restriction::Bitmask { relop, tag, mask }
        }
        RestrictType::Size => {
            let relop = read_relop(r, "RelOp of SizeRestriction")?;
            let tag = PropTag(r.u32("PropTag of SizeRestriction")?);
            let size = r.u32("Size")?;
            Restriction::Size { relop, tag, size }
        }
        RestrictType::Exist => {
            Restriction::Exist { tag: PropTag(r.u32("PropTag of ExistRestriction")?) }
        }
        RestrictType::SubObject => {
            let subobject = SubObject::from_tag(PropTag(r.u32("Subobject")?));
            let restriction = Box::new(read_restriction_at_depth(r, depth + 1)?);
            Restriction::SubObject { subobject, restriction }
        }
        RestrictType::Comment => {
            let count_offset = r.offset();
            let count = usize::from(r.u8("TaggedValuesCount")?);
            // A tagged value is at least its 4-byte tag.
            r.check_fits("TaggedValuesCount", count_offset, count, 4)?;
            let mut props = Vec::with_capacity(count);
            for _ in 0..count {
                props.push(read_tagged(r, depth)?);
            }
            let present_offset = r.offset();
            let restriction = match r.u8("RestrictionPresent")? {
                0 => None,
                1 => Some(Box::new(read_restriction_at_depth(r, depth + 1)?)),
                other => {
                    return Err(invalid(
                        "RestrictionPresent",
                        present_offset,
                        format!("0x{other:02X}"),
                        "0x00 or 0x01",
                    ));
                }
            };
            Restriction::Comment { props, restriction }
        }
        RestrictType::Count => {
            let count = r.u32("Count")?;
            let restriction = Box::new(read_restriction_at_depth(r, depth + 1)?);
            Restriction::Count { count, restriction }
        }
    })
}

/// Encodes a SortOrderSet (MS-OXCDATA 2.13.2): three 16-bit counts, then each SortOrder as
/// PropertyType (2 bytes), PropertyId (2 bytes) and Order (1 byte).
pub fn encode_sort_order_set(set: &SortOrderSet) -> Result<Vec<u8>, RestrictionError> {
    check_sort_counts(set).map_err(|reason| RestrictionError::Unencodable {
        what: "SortOrderSet".to_owned(),
        reason: reason.to_owned(),
    })?;
    let mut w = Writer::new(CountWidth::Bits16);
    w.count(set.sorts.len(), "SortOrderCount")?;
    w.u16(set.category_count);
    w.u16(set.expanded_count);
    for sort in &set.sorts {
        // The tag's low half is the type, so the little-endian tag is PropertyType then
        // PropertyId.
        w.u32(sort.tag.0);
        w.u8(sort.direction.code());
    }
    Ok(w.out)
}

fn check_sort_counts(set: &SortOrderSet) -> Result<(), &'static str> {
    if usize::from(set.category_count) > set.sorts.len() {
        return Err("CategorizedCount exceeds SortOrderCount");
    }
    if set.expanded_count > set.category_count {
        return Err("ExpandedCount exceeds CategorizedCount");
    }
    Ok(())
}

/// Decodes a SortOrderSet that fills `bytes`.
pub fn decode_sort_order_set(bytes: &[u8]) -> Result<SortOrderSet, RestrictionError> {
    let mut r = Reader::new(bytes, CountWidth::Bits16);
    let set = read_sort_order_set_from(&mut r)?;
    expect_end(&r, "SortOrderSet")?;
    Ok(set)
}

/// Decodes a SortOrderSet at the start of `bytes` and says how many bytes it took.
pub fn read_sort_order_set(bytes: &[u8]) -> Result<(SortOrderSet, usize), RestrictionError> {
    let mut r = Reader::new(bytes, CountWidth::Bits16);
    let set = read_sort_order_set_from(&mut r)?;
    Ok((set, r.offset()))
}

fn read_sort_order_set_from(r: &mut Reader<'_>) -> Result<SortOrderSet, RestrictionError> {
    let count = usize::from(r.u16("SortOrderCount")?);
    let counts_offset = r.offset();
    let category_count = r.u16("CategorizedCount")?;
    let expanded_count = r.u16("ExpandedCount")?;
    r.check_fits("SortOrderCount", 0, count, 5)?;
    let mut sorts = Vec::with_capacity(count);
    for _ in 0..count {
        let tag = PropTag(r.u32("PropertyType/PropertyId of SortOrder")?);
        let order_offset = r.offset();
        let code = r.u8("Order")?;
        let direction = SortDirection::from_code(code).ok_or_else(|| {
            invalid("Order", order_offset, format!("0x{code:02X}"), "0x00, 0x01, 0x04 or 0x08")
        })?;
        sorts.push(SortOrder { tag, direction });
    }
    let set = SortOrderSet { sorts, category_count, expanded_count };
    check_sort_counts(&set).map_err(|reason| {
        invalid(
            "CategorizedCount/ExpandedCount",
            counts_offset,
            format!("{category_count}/{expanded_count} with {count} sorts"),
            reason,
        )
    })?;
    Ok(set)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{PropType, PropValue, TaggedValue};

    const SUBJECT: PropTag = PropTag::new(0x0037, PropType::String);

    #[test]
    fn exist_restriction_is_type_byte_and_tag() {
        let r = Restriction::Exist { tag: SUBJECT };
        assert_eq!(r.encode(CountWidth::Bits16).unwrap(), [0x08, 0x1F, 0x00, 0x37, 0x00]);
    }

    #[test]
    fn and_count_is_16_bits_in_rops_and_32_in_extended_rules() {
        let r = Restriction::And(vec![Restriction::Exist { tag: SUBJECT }]);
        let rop = r.encode(CountWidth::Bits16).unwrap();
        let rule = r.encode(CountWidth::Bits32).unwrap();
        assert_eq!(&rop[..3], [0x00, 0x01, 0x00]);
        assert_eq!(&rule[..5], [0x00, 0x01, 0x00, 0x00, 0x00]);
        assert_eq!(Restriction::decode(&rop, CountWidth::Bits16).unwrap(), r);
        assert_eq!(Restriction::decode(&rule, CountWidth::Bits32).unwrap(), r);
    }

    #[test]
    fn content_restriction_lays_out_fuzzy_level_halves() {
        let r = Restriction::content(
            FuzzyLevel::new(super::super::FuzzyMatch::Substring).ignoring_case(),
            TaggedValue { tag: SUBJECT, value: PropValue::String("a".into()) },
        );
        let bytes = r.encode(CountWidth::Bits16).unwrap();
        assert_eq!(
            bytes,
            [
                0x03, 0x01, 0x00, 0x01, 0x00, // type, FuzzyLevelLow, FuzzyLevelHigh
                0x1F, 0x00, 0x37, 0x00, // PropertyTag
                0x1F, 0x00, 0x37, 0x00, b'a', 0x00, 0x00, 0x00, // TaggedValue
            ]
        );
        assert_eq!(Restriction::decode(&bytes, CountWidth::Bits16).unwrap(), r);
    }

    #[test]
    fn unknown_restrict_type_names_the_field_and_offset() {
        let bytes = [0x02, 0x02, 0x0C];
        let err = Restriction::decode(&bytes, CountWidth::Bits16).unwrap_err();
        assert_eq!(
            err,
            RestrictionError::Invalid {
                what: "RestrictType",
                offset: 2,
                found: "0x0C".into(),
                expected: "0x00..=0x0B"
            }
        );
    }

    #[test]
    fn nesting_beyond_the_cap_is_refused() {
        let bytes = vec![0x02; MAX_DEPTH + 1];
        let err = Restriction::decode(&bytes, CountWidth::Bits16).unwrap_err();
        assert_eq!(err, RestrictionError::TooDeep { offset: MAX_DEPTH, limit: MAX_DEPTH });
    }

    #[test]
    fn trailing_bytes_are_reported_but_read_restriction_stops_early() {
        let mut bytes = Restriction::Exist { tag: SUBJECT }.encode(CountWidth::Bits16).unwrap();
        bytes.push(0xAA);
        assert!(matches!(
            Restriction::decode(&bytes, CountWidth::Bits16),
            Err(RestrictionError::TrailingBytes { offset: 5, count: 1, .. })
        ));
        let (_, used) = read_restriction(&bytes, CountWidth::Bits16).unwrap();
        assert_eq!(used, 5);
    }

    #[test]
    fn sort_order_set_layout() {
        let set = SortOrderSet {
            sorts: vec![
                SortOrder::ascending(PropTag::new(0x0070, PropType::String)),
                SortOrder {
                    tag: PropTag::new(0x0E06, PropType::Time),
                    direction: SortDirection::MaxCategory,
                },
            ],
            category_count: 1,
            expanded_count: 1,
        };
        let bytes = set.encode().unwrap();
        assert_eq!(
            bytes,
            [2, 0, 1, 0, 1, 0, 0x1F, 0x00, 0x70, 0x00, 0x00, 0x40, 0x00, 0x06, 0x0E, 0x04]
        );
        assert_eq!(SortOrderSet::decode(&bytes).unwrap(), set);
    }

    #[test]
    fn sort_order_set_with_more_categories_than_sorts_is_refused() {
        let bytes = [0, 0, 1, 0, 0, 0];
        assert!(matches!(
            SortOrderSet::decode(&bytes),
            Err(RestrictionError::Invalid { what: "CategorizedCount/ExpandedCount", .. })
        ));
    }
}
