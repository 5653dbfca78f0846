//! Known-answer vectors for the restriction, sort order and entry ID codecs: bytes laid out
//! field by field as the cited MS-OXCDATA sections define them, so a codec bug that still
//! round-trips (two fields swapped, a wrong constant, the wrong byte order) is caught. Each
//! vector is checked both ways: decode(bytes) == value and encode(value) == bytes.

use mapi::entry_id::{
    AddressBookEntryId, EntryId, ExchangeFolderType, ExchangeMessageType, FolderEntryId, Gid,
    MessageEntryId, OneOffEntryId, ProviderUid,
};
use mapi::restriction::{
    BitmaskRelOp, CountWidth, FuzzyLevel, FuzzyMatch, RelOp, Restriction, SortDirection, SortOrder,
    SortOrderSet, SubObject, decode_restriction, decode_sort_order_set, encode_restriction,
};
use mapi::{Guid, PropTag, PropValue, TaggedValue};

const PID_TAG_SUBJECT: PropTag = PropTag(0x0037_001F);
const PID_TAG_IMPORTANCE: PropTag = PropTag(0x0017_0003);
const PID_TAG_MESSAGE_FLAGS: PropTag = PropTag(0x0E07_0003);
const PID_TAG_BODY: PropTag = PropTag(0x1000_001F);
const PID_TAG_DISPLAY_NAME: PropTag = PropTag(0x3001_001F);
const PID_TAG_CLIENT_SUBMIT_TIME: PropTag = PropTag(0x0039_0040);
const PID_TAG_MESSAGE_DELIVERY_TIME: PropTag = PropTag(0x0E06_0040);

/// Hex text with spaces and `|` between fields, for readable vectors.
fn bytes(text: &str) -> Vec<u8> {
    let digits: String = text.chars().filter(char::is_ascii_hexdigit).collect();
    (0..digits.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(&digits[i..i + 2], 16).unwrap())
        .collect()
}

fn string(tag: PropTag, text: &str) -> TaggedValue {
    TaggedValue { tag, value: PropValue::String(text.to_owned()) }
}

fn int(tag: PropTag, n: i32) -> TaggedValue {
    TaggedValue { tag, value: PropValue::Integer32(n) }
}

fn exist_subject() -> Restriction {
    Restriction::Exist { tag: PID_TAG_SUBJECT }
}

fn check(name: &str, width: CountWidth, wire: &str, value: &Restriction) {
    let wire = bytes(wire);
    assert_eq!(decode_restriction(&wire, width).unwrap(), *value, "{name}: decode");
    assert_eq!(encode_restriction(value, width).unwrap(), wire, "{name}: encode");
}

#[test]
fn leaf_restrictions_have_the_field_layout_of_ms_oxcdata_2_12() {
    let cases: Vec<(&str, &str, Restriction)> = vec![
        (
            // 2.12.4 ContentRestriction: RestrictType 0x03, FuzzyLevelLow FL_PREFIX (0x0002),
            // FuzzyLevelHigh FL_IGNORECASE (0x0001), PropertyTag, TaggedValue (PtypString:
            // UTF-16LE with a terminating zero, 2.11.1).
            "content",
            "03 | 0200 | 0100 | 1F003700 | 1F003700 7600 6200 0000",
            Restriction::Content {
                fuzzy_level: FuzzyLevel::new(FuzzyMatch::Prefix).ignoring_case(),
                tag: PID_TAG_SUBJECT,
                value: string(PID_TAG_SUBJECT, "vb"),
            },
        ),
        (
            // 2.12.5 PropertyRestriction: 0x04, RelOp RELOP_EQ (0x04), PropTag, TaggedValue.
            "property",
            "04 | 04 | 03001700 | 03001700 02000000",
            Restriction::Property {
                relop: RelOp::Equal,
                tag: PID_TAG_IMPORTANCE,
                value: int(PID_TAG_IMPORTANCE, 2),
            },
        ),
        (
            // 2.12.6 ComparePropertiesRestriction: 0x05, RelOp RELOP_LE (0x01), PropTag1,
            // PropTag2.
            "compare properties",
            "05 | 01 | 40003900 | 4000060E",
            Restriction::CompareProps {
                relop: RelOp::LessThanOrEqual,
                tag1: PID_TAG_CLIENT_SUBMIT_TIME,
                tag2: PID_TAG_MESSAGE_DELIVERY_TIME,
            },
        ),
        (
            // 2.12.7 BitMaskRestriction: 0x06, BitmapRelOp BMR_EQZ (0x00), PropTag, Mask.
            "bitmask",
            "06 | 00 | 0300070E | 01000000",
            Restriction::Bitmask {
                relop: BitmaskRelOp::EqualToZero,
                tag: PID_TAG_MESSAGE_FLAGS,
                mask: 1,
            },
        ),
        (
            // 2.12.8 SizeRestriction: 0x07, RelOp RELOP_GT (0x02), PropTag, Size.
            "size",
            "07 | 02 | 1F000010 | 00040000",
            Restriction::Size { relop: RelOp::GreaterThan, tag: PID_TAG_BODY, size: 1024 },
        ),
        (
            // 2.12.9 ExistRestriction: 0x08, PropTag.
            "exist",
            "08 | 1F003700",
            exist_subject(),
        ),
    ];
    for width in [CountWidth::Bits16, CountWidth::Bits32] {
        for (name, wire, value) in &cases {
            check(name, width, wire, value);
        }
    }
}

#[test]
fn composite_restrictions_have_the_field_layout_of_ms_oxcdata_2_12() {
    let not_read = Restriction::Not(Box::new(Restriction::Bitmask {
        relop: BitmaskRelOp::NotEqualToZero,
        tag: PID_TAG_MESSAGE_FLAGS,
        mask: 1,
    }));
    // 2.12.3 NotRestriction: 0x02, then the restriction. 2.12.7 with BMR_NEZ (0x01).
    let not_read_wire = "02 | 06 01 0300070E 01000000";
    // 2.12.1 AndRestriction: 0x00, RestrictCount (2 bytes in ROP buffers, 4 in extended
    // rules, 2.12.1.1/2.12.1.2), the restrictions.
    let and = Restriction::And(vec![exist_subject(), not_read.clone()]);
    check(
        "and/16",
        CountWidth::Bits16,
        &format!("00 | 0200 | 08 1F003700 | {not_read_wire}"),
        &and,
    );
    check(
        "and/32",
        CountWidth::Bits32,
        &format!("00 | 02000000 | 08 1F003700 | {not_read_wire}"),
        &and,
    );
    // 2.12.2 OrRestriction: 0x01, as And.
    let or = Restriction::Or(vec![not_read, exist_subject()]);
    check("or", CountWidth::Bits16, &format!("01 | 0200 | {not_read_wire} | 08 1F003700"), &or);
    // 2.12.10 SubObjectRestriction: 0x09, Subobject PidTagMessageRecipients (0x0E12000D),
    // the restriction: here a whole-string, case-insensitive content match (FL_FULLSTRING
    // 0x0000, FL_IGNORECASE) on the display name.
    let to_sue = Restriction::SubObject {
        subobject: SubObject::Recipients,
        restriction: Box::new(Restriction::Content {
            fuzzy_level: FuzzyLevel::new(FuzzyMatch::FullString).ignoring_case(),
            tag: PID_TAG_DISPLAY_NAME,
            value: string(PID_TAG_DISPLAY_NAME, "Sue"),
        }),
    };
    check(
        "subobject",
        CountWidth::Bits16,
        "09 | 0D00120E | 03 0000 0100 1F000130 1F000130 5300 7500 6500 0000",
        &to_sue,
    );
    // 2.12.11 CommentRestriction: 0x0A, TaggedValuesCount (1 byte), TaggedValues,
    // RestrictionPresent (1 byte), Restriction.
    let comment = Restriction::Comment {
        props: vec![int(PID_TAG_IMPORTANCE, 2)],
        restriction: Some(Box::new(exist_subject())),
    };
    check(
        "comment",
        CountWidth::Bits16,
        "0A | 01 | 03001700 02000000 | 01 | 08 1F003700",
        &comment,
    );
    let bare_comment = Restriction::Comment { props: Vec::new(), restriction: None };
    check("comment without restriction", CountWidth::Bits32, "0A | 00 | 00", &bare_comment);
    // 2.12.12 CountRestriction: 0x0B, Count (4 bytes), SubRestriction.
    let count = Restriction::Count { count: 10, restriction: Box::new(exist_subject()) };
    check("count", CountWidth::Bits16, "0B | 0A000000 | 08 1F003700", &count);
}

#[test]
fn sort_order_sets_have_the_field_layout_of_ms_oxcdata_2_13() {
    // 2.13.1 SortOrderSet: SortOrderCount, CategorizedCount, ExpandedCount (2 bytes each),
    // then 2.13.2 SortOrder: PropertyType (2), PropertyId (2), Order (1: TABLE_SORT_DESCEND
    // 0x01, TABLE_SORT_ASCEND 0x00).
    let wire = bytes("0200 | 0000 | 0000 | 4000 060E 01 | 1F00 3700 00");
    let set = SortOrderSet::new(vec![
        SortOrder { tag: PID_TAG_MESSAGE_DELIVERY_TIME, direction: SortDirection::Descending },
        SortOrder::ascending(PID_TAG_SUBJECT),
    ]);
    assert_eq!(decode_sort_order_set(&wire).unwrap(), set);
    assert_eq!(set.encode().unwrap(), wire);
}

fn guid(first: u8) -> Guid {
    Guid::from_le_bytes(std::array::from_fn(|i| first + i as u8))
}

#[test]
fn exchange_folder_and_message_entry_ids_have_the_layout_of_ms_oxcdata_2_2_4() {
    let mailbox = ProviderUid(std::array::from_fn(|i| 0xA0 + i as u8));
    let database = guid(0x10);
    // 2.2.4.1 Folder EntryID: Flags (4), ProviderUID (16), FolderType eitLTPrivateFolder
    // (0x0001), DatabaseGuid (16), GlobalCounter (6, most significant byte first: a GLOBCNT,
    // MS-OXCFXICS 2.2.2.5), Pad (2).
    let folder_wire = bytes(
        "00000000 | A0A1A2A3A4A5A6A7A8A9AAABACADAEAF | 0100 | \
         101112131415161718191A1B1C1D1E1F | 000000012345 | 0000",
    );
    let folder_gid = Gid::new(database, 0x0001_2345).unwrap();
    let folder = FolderEntryId::new(mailbox, ExchangeFolderType::Private, folder_gid);
    assert_eq!(EntryId::decode(&folder_wire).unwrap(), EntryId::Folder(folder));
    assert_eq!(folder.encode(), folder_wire);
    // 2.2.4.2 Message EntryID: Flags, ProviderUID, MessageType eitLTPrivateMessage (0x0007),
    // FolderDatabaseGuid, FolderGlobalCounter, Pad, MessageDatabaseGuid,
    // MessageGlobalCounter, Pad.
    let message_wire = bytes(
        "00000000 | A0A1A2A3A4A5A6A7A8A9AAABACADAEAF | 0700 | \
         101112131415161718191A1B1C1D1E1F | 000000012345 | 0000 | \
         101112131415161718191A1B1C1D1E1F | 0000ABCDEF01 | 0000",
    );
    let message = MessageEntryId::new(
        mailbox,
        ExchangeMessageType::Private,
        folder_gid,
        Gid::new(database, 0xABCD_EF01).unwrap(),
    );
    assert_eq!(EntryId::decode(&message_wire).unwrap(), EntryId::Message(message));
    assert_eq!(message.encode(), message_wire);
}

#[test]
fn recipient_entry_ids_have_the_layout_of_ms_oxcdata_2_2_5() {
    // 2.2.5.1 One-Off EntryID: Flags (4), ProviderUID MAPI_ONE_OFF_UID
    // 812B1FA4BEA310199D6E00DD010F5402, Version (2) 0x0000, flags word (2, here
    // MAPI_ONE_OFF_UNICODE 0x8000 | MAPI_ONE_OFF_NO_RICH_INFO 0x0001), then DisplayName,
    // AddressType and EmailAddress as zero-terminated UTF-16LE strings.
    let wire = bytes(
        "00000000 | 812B1FA4BEA310199D6E00DD010F5402 | 0000 | 0180 | \
         53007500650000 00 | 53004D0054005000 0000 | 7300400078002E00790000 00",
    );
    let one_off = OneOffEntryId::new("Sue", "SMTP", "s@x.y");
    assert_eq!(EntryId::decode(&wire).unwrap(), EntryId::OneOff(one_off.clone()));
    assert_eq!(one_off.encode(), wire);

    // 2.2.5.2 Address Book EntryID: Flags (4), ProviderUID DCA740C8C042101AB4B908002B2FE182,
    // Version (4) 0x00000001, Type (4) 0x00000000 (a mail user), X500DN zero-terminated
    // 8-bit text.
    let dn = "/o=Org/ou=Site/cn=Recipients/cn=sue";
    let wire = bytes(&format!(
        "00000000 | DCA740C8C042101AB4B908002B2FE182 | 01000000 | 00000000 | {}00",
        dn.bytes().map(|b| format!("{b:02X}")).collect::<String>()
    ));
    let address_book = AddressBookEntryId::mail_user(dn);
    assert_eq!(EntryId::decode(&wire).unwrap(), EntryId::AddressBook(address_book.clone()));
    assert_eq!(address_book.encode(), wire);
}
