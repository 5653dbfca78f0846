//! Helpers every backend needs to answer `GetProps` the MAPI way.

use crate::{ErrorCode, PropTag, PropType, PropValue, TaggedValue};

/// The PT_ERROR answer for a property the object lacks: the requested ID with type
/// `PtypErrorCode` and `MAPI_E_NOT_FOUND` (MS-OXCPRPT 3.2.5.1).
pub fn missing(tag: PropTag) -> TaggedValue {
    TaggedValue {
        tag: tag.with_type(PropType::ErrorCode),
        value: PropValue::Error(ErrorCode::NotFound),
    }
}

pub(crate) fn is_missing_marker(requested: PropTag, got: &TaggedValue) -> bool {
    requested.prop_type() != Some(PropType::ErrorCode)
        && got.tag.prop_type() == Some(PropType::ErrorCode)
        && matches!(got.value, PropValue::Error(_))
}

/// Finds the stored value that answers a request for `tag`: same ID and type, any type for
/// `PtypUnspecified`, and either string width for a string request (converted to the width
/// asked for, as MAPI providers do).
pub fn find_value<'a>(
    stored: impl IntoIterator<Item = &'a TaggedValue>,
    tag: PropTag,
) -> Option<TaggedValue> {
    stored.into_iter().find_map(|v| requested_value(v, tag))
}

/// `stored` as the answer to a request for `tag`, or `None` if it does not answer it.
pub fn requested_value(stored: &TaggedValue, tag: PropTag) -> Option<TaggedValue> {
    if stored.tag.id() != tag.id() {
        return None;
    }
    if stored.tag == tag || tag.type_code() == PropType::Unspecified.code() {
        return Some(stored.clone());
    }
    let value = match (&stored.value, tag.prop_type()?) {
        (PropValue::String(s), PropType::String8) => PropValue::String8(s.clone()),
        (PropValue::String8(s), PropType::String) => PropValue::String(s.clone()),
        (PropValue::MultipleString(v), PropType::MultipleString8) => {
            PropValue::MultipleString8(v.clone())
        }
        (PropValue::MultipleString8(v), PropType::MultipleString) => {
            PropValue::MultipleString(v.clone())
        }
        _ => return None,
    };
    Some(TaggedValue { tag, value })
}

#[cfg(test)]
mod tests {
    use super::*;

    const SUBJECT: PropTag = PropTag::new(0x0037, PropType::String);

    #[test]
    fn unspecified_type_matches_by_id() {
        let stored = TaggedValue { tag: SUBJECT, value: PropValue::String("hi".into()) };
        let asked = PropTag::new(0x0037, PropType::Unspecified);
        assert_eq!(requested_value(&stored, asked), Some(stored.clone()));
    }

    #[test]
    fn a_string8_request_gets_the_unicode_value_narrowed() {
        let stored = TaggedValue { tag: SUBJECT, value: PropValue::String("hi".into()) };
        let asked = SUBJECT.with_type(PropType::String8);
        let got = requested_value(&stored, asked).unwrap();
        assert_eq!(got.value, PropValue::String8("hi".into()));
    }

    #[test]
    fn another_type_does_not_answer() {
        let stored = TaggedValue { tag: SUBJECT, value: PropValue::String("hi".into()) };
        assert_eq!(requested_value(&stored, SUBJECT.with_type(PropType::Integer32)), None);
        let marker = missing(SUBJECT);
        assert!(is_missing_marker(SUBJECT, &marker));
        assert_eq!(marker.tag.0, 0x0037_000A);
    }
}
