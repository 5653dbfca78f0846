use super::*;
use crate::Guid;
use std::collections::HashSet;

fn guid(text: &str) -> Guid {
    text.parse().expect("test GUID literal")
}

// ---- consistency of the table ----

#[test]
fn no_two_rows_share_a_name_even_ignoring_case() {
    let mut seen = HashSet::new();
    for info in PROPERTIES {
        assert!(seen.insert(info.name.to_ascii_lowercase()), "duplicate name {}", info.name);
    }
}

#[test]
fn no_two_tagged_rows_share_a_tag() {
    let mut seen = HashSet::new();
    for info in PROPERTIES {
        if let Some(tag) = info.tag() {
            assert!(seen.insert(tag), "{} repeats tag {tag}", info.name);
        }
    }
}

#[test]
fn no_two_named_rows_share_a_set_and_id() {
    let mut seen = HashSet::new();
    for info in PROPERTIES {
        if let Some(named) = info.named_property() {
            let key = match &named.id {
                crate::NamedId::Lid(lid) => format!("{}:{lid}", named.set),
                crate::NamedId::Name(name) => format!("{}:{}", named.set, name.to_lowercase()),
            };
            assert!(seen.insert(key), "{} repeats {named}", info.name);
        }
    }
}

#[test]
fn every_name_looks_up_back_to_its_row() {
    for info in PROPERTIES {
        assert_eq!(by_name(info.name), Some(info), "by_name({})", info.name);
        assert_eq!(by_name(&info.name.to_ascii_uppercase()), Some(info));
        assert_eq!(lookup(info.name), Ok(vec![info]));
    }
}

#[test]
fn every_tag_and_named_property_looks_up_back_to_its_row() {
    for info in PROPERTIES {
        match info.kind {
            PropertyKind::Tagged { tag } => {
                assert_eq!(by_tag(tag), Some(info), "by_tag({tag})");
                assert!(by_id(tag.id()).contains(&info));
            }
            PropertyKind::Named { .. } => {
                let named = info.named_property().expect("named row");
                assert_eq!(by_named(&named), Some(info), "by_named({named})");
            }
        }
    }
}

#[test]
fn names_carry_the_prefix_of_their_kind() {
    for info in PROPERTIES {
        let prefix = match info.kind {
            PropertyKind::Tagged { .. } => "PidTag",
            PropertyKind::Named { id: CatalogNamedId::Lid(_), .. } => "PidLid",
            PropertyKind::Named { id: CatalogNamedId::Name(_), .. } => "PidName",
        };
        assert!(info.name.starts_with(prefix), "{} should start with {prefix}", info.name);
    }
}

#[test]
fn types_are_ones_a_property_can_have() {
    for info in PROPERTIES {
        assert!(
            !matches!(
                info.prop_type,
                PropType::Unspecified | PropType::Null | PropType::ErrorCode | PropType::String8
            ),
            "{} has type {}",
            info.name,
            info.prop_type
        );
        if let Some(tag) = info.tag() {
            assert_eq!(tag.prop_type(), Some(info.prop_type), "{}", info.name);
            assert_ne!(tag.id(), 0, "{} has ID 0", info.name);
        }
    }
}

#[test]
fn named_rows_use_sets_the_catalog_lists_and_nonzero_lids() {
    for info in PROPERTIES {
        if let Some(set) = info.property_set() {
            assert_eq!(sets::by_guid(set.guid), Some(set), "{}", info.name);
            assert_eq!(sets::by_name(set.name), Some(set), "{}", info.name);
        }
        if let Some(lid) = info.lid() {
            assert_ne!(lid, 0, "{} has LID 0", info.name);
        }
    }
}

#[test]
fn the_catalog_is_as_large_as_an_outlook_client_needs() {
    let tagged = PROPERTIES.iter().filter(|p| !p.is_named()).count();
    let named = PROPERTIES.iter().filter(|p| p.is_named()).count();
    assert!(tagged >= 400, "only {tagged} tagged properties");
    assert!(named >= 200, "only {named} named properties");
}

// ---- spot checks against MS-OXPROPS ----

#[test]
fn subject_is_0x0037001f_ptyp_string() {
    assert_eq!(tags::PidTagSubject, PropTag(0x0037_001F));
    let info = by_name("PidTagSubject").expect("PidTagSubject");
    assert_eq!(info.tag(), Some(PropTag(0x0037_001F)));
    assert_eq!(info.prop_type, PropType::String);
}

#[test]
fn tag_0x3001001f_is_display_name() {
    assert_eq!(by_tag(PropTag(0x3001_001F)).map(|p| p.name), Some("PidTagDisplayName"));
}

#[test]
fn appointment_start_whole_is_lid_0x820d_in_psetid_appointment() {
    let info = lids::PidLidAppointmentStartWhole;
    assert_eq!(info.property_set(), Some(sets::PSETID_Appointment));
    assert_eq!(sets::PSETID_Appointment.guid, guid("{00062002-0000-0000-C000-000000000046}"));
    assert_eq!(info.lid(), Some(0x820D));
    assert_eq!(info.prop_type, PropType::Time);
    let named = NamedProperty::lid(guid("00062002-0000-0000-c000-000000000046"), 0x820D);
    assert_eq!(by_named(&named).map(|p| p.name), Some("PidLidAppointmentStartWhole"));
}

#[test]
fn well_known_tags_have_their_spec_values() {
    let expected = [
        ("PidTagMessageClass", 0x001A_001F),
        ("PidTagEntryId", 0x0FFF_0102),
        ("PidTagRecordKey", 0x0FF9_0102),
        ("PidTagAttachMethod", 0x3705_0003),
        ("PidTagMemberRights", 0x6673_0003),
        ("PidTagPstPassword", 0x67FF_0003),
        ("PidTagBody", 0x1000_001F),
        ("PidTagHtml", 0x1013_0102),
        ("PidTagRtfCompressed", 0x1009_0102),
        ("PidTagInternetCodepage", 0x3FDE_0003),
        ("PidTagMessageCodepage", 0x3FFD_0003),
        ("PidTagIpmSubtreeEntryId", 0x35E0_0102),
        ("PidTagAdditionalRenEntryIds", 0x36D8_1102),
        ("PidTagAttachDataBinary", 0x3701_0102),
        ("PidTagAttachDataObject", 0x3701_000D),
    ];
    for (name, tag) in expected {
        assert_eq!(by_name(name).and_then(|p| p.tag()), Some(PropTag(tag)), "{name}");
    }
    assert_eq!(tags::PidTagMessageClass, PropTag(0x001A_001F));
    assert_eq!(tags::PidTagPstPassword, PropTag(0x67FF_0003));
}

#[test]
fn email1_address_is_lid_0x8083_in_psetid_address() {
    let info = by_name("PidLidEmail1EmailAddress").expect("PidLidEmail1EmailAddress");
    assert_eq!(info.property_set(), Some(sets::PSETID_Address));
    assert_eq!(sets::PSETID_Address.guid, guid("00062004-0000-0000-C000-000000000046"));
    assert_eq!(info.lid(), Some(0x8083));
    assert_eq!(info.prop_type, PropType::String);
}

#[test]
fn keywords_is_a_string_named_multi_string_in_public_strings() {
    let info = names::PidNameKeywords;
    assert_eq!(info.property_set(), Some(sets::PS_PUBLIC_STRINGS));
    assert_eq!(sets::PS_PUBLIC_STRINGS.guid, guid("00020329-0000-0000-C000-000000000046"));
    assert_eq!(info.string_name(), Some("Keywords"));
    assert_eq!(info.prop_type, PropType::MultipleString);
    let named = NamedProperty::name(sets::PS_PUBLIC_STRINGS.guid, "Keywords");
    assert_eq!(by_named(&named).map(|p| p.name), Some("PidNameKeywords"));
}

// ---- lookup behaviour ----

#[test]
fn an_ansi_string_tag_finds_the_unicode_row() {
    assert_eq!(by_tag(PropTag(0x0037_001E)).map(|p| p.name), Some("PidTagSubject"));
    assert_eq!(lookup("0x0037001E").map(|v| v[0].name), Ok("PidTagSubject"));
}

#[test]
fn an_error_typed_column_finds_the_only_row_with_that_id() {
    assert_eq!(by_tag(PropTag(0x0037_000A)).map(|p| p.name), Some("PidTagSubject"));
    // 0x3701 has two rows (binary and object data), so an error column names neither.
    assert_eq!(by_tag(PropTag(0x3701_000A)), None);
}

#[test]
fn a_four_digit_id_finds_every_type_with_that_id() {
    let found = lookup("0x3701").expect("0x3701");
    let names: Vec<_> = found.iter().map(|p| p.name).collect();
    assert!(names.contains(&"PidTagAttachDataBinary"), "{names:?}");
    assert!(names.contains(&"PidTagAttachDataObject"), "{names:?}");
}

#[test]
fn a_four_digit_number_also_finds_lids() {
    let found = lookup("0x820d").expect("0x820D");
    assert_eq!(found.iter().map(|p| p.name).collect::<Vec<_>>(), ["PidLidAppointmentStartWhole"]);
}

#[test]
fn a_bare_name_finds_the_prefixed_property() {
    assert_eq!(lookup("subject").map(|v| v[0].name), Ok("PidTagSubject"));
    assert_eq!(lookup("Keywords").map(|v| v[0].name), Ok("PidNameKeywords"));
}

#[test]
fn an_unknown_name_suggests_close_names() {
    match lookup("PidTagSubjekt") {
        Err(LookupError::UnknownName { name, suggestions }) => {
            assert_eq!(name, "PidTagSubjekt");
            assert_eq!(suggestions.first(), Some(&"PidTagSubject"));
        }
        other => panic!("expected UnknownName, got {other:?}"),
    }
    let message = lookup("PidTagSubjekt").unwrap_err().to_string();
    assert!(message.contains("did you mean PidTagSubject"), "{message}");
}

#[test]
fn malformed_and_unknown_numbers_say_what_was_expected() {
    assert_eq!(lookup("0x12345"), Err(LookupError::Malformed { text: "0x12345".into() }));
    assert_eq!(lookup("0xZZZZ"), Err(LookupError::Malformed { text: "0xZZZZ".into() }));
    assert_eq!(lookup(""), Err(LookupError::Malformed { text: String::new() }));
    assert_eq!(lookup("Pid Tag"), Err(LookupError::Malformed { text: "Pid Tag".into() }));
    assert_eq!(lookup("0x7A7A0003"), Err(LookupError::UnknownTag { tag: PropTag(0x7A7A_0003) }));
    assert_eq!(lookup("0x7A7A"), Err(LookupError::UnknownId { id: 0x7A7A }));
    let err: crate::MapiError = lookup("0x7A7A").unwrap_err().into();
    assert_eq!(err.code, crate::ErrorCode::NotFound);
}

#[test]
fn property_sets_are_found_by_name_or_guid() {
    assert_eq!(sets::by_name("psetid_task"), Some(sets::PSETID_Task));
    assert_eq!(
        sets::by_guid(guid("6ED8DA90-450B-101B-98DA-00AA003F1305")).map(|s| s.name),
        Some("PSETID_Meeting")
    );
    assert_eq!(sets::by_name("PSETID_Nothing"), None);
}

#[test]
fn a_named_property_takes_the_id_the_store_mapped_it_to() {
    assert_eq!(lids::PidLidReminderSet.tag_in_store(0x8012), PropTag(0x8012_000B));
    assert_eq!(by_name("PidTagSubject").map(|p| p.tag_in_store(0x8012)), Some(tags::PidTagSubject));
}

// ---- JSON shape for the CLI ----

#[test]
fn tagged_json_has_name_tag_id_and_type() {
    let info = by_name("PidTagSubject").expect("PidTagSubject");
    assert_eq!(
        serde_json::to_string(info).expect("json"),
        r#"{"name":"PidTagSubject","tag":"0x0037001F","id":"0x0037","type":"PtypString"}"#
    );
}

#[test]
fn lid_json_has_set_guid_lid_and_type() {
    assert_eq!(
        serde_json::to_string(&lids::PidLidAppointmentStartWhole).expect("json"),
        concat!(
            r#"{"name":"PidLidAppointmentStartWhole","property_set":"PSETID_Appointment","#,
            r#""property_set_guid":"00062002-0000-0000-c000-000000000046","lid":"0x820D","#,
            r#""type":"PtypTime"}"#
        )
    );
}

#[test]
fn string_named_json_has_the_property_name() {
    let json = serde_json::to_value(names::PidNameKeywords).expect("json");
    assert_eq!(json["property_set"], "PS_PUBLIC_STRINGS");
    assert_eq!(json["property_name"], "Keywords");
    assert_eq!(json["type"], "PtypMultipleString");
}

#[test]
fn lookup_errors_serialise_with_their_kind() {
    let json = serde_json::to_value(lookup("PidTagSubjekt").unwrap_err()).expect("json");
    assert_eq!(json["error"], "unknown_name");
    assert_eq!(json["name"], "PidTagSubjekt");
    assert_eq!(json["suggestions"][0], "PidTagSubject");
}

#[test]
fn catalog_types_are_send_sync_and_debug() {
    fn check<T: Send + Sync + std::fmt::Debug>() {}
    check::<PropertyInfo>();
    check::<PropertySet>();
    check::<LookupError>();
}

// ---- properties of lookup over arbitrary input ----

mod arbitrary_input {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        #[test]
        fn lookup_answers_any_text_without_panicking(text in "\\PC{0,40}") {
            match lookup(&text) {
                Ok(found) => prop_assert!(!found.is_empty()),
                Err(err) => prop_assert!(!err.to_string().is_empty()),
            }
        }

        #[test]
        fn a_tag_found_has_the_id_asked_for(raw in any::<u32>()) {
            if let Some(info) = by_tag(PropTag(raw)) {
                prop_assert_eq!(info.id(), Some(PropTag(raw).id()));
            }
        }

        #[test]
        fn hex_text_of_any_catalog_tag_finds_its_row(row in 0..PROPERTIES.len()) {
            let info = &PROPERTIES[row];
            if let Some(tag) = info.tag() {
                prop_assert_eq!(lookup(&format!("0x{:08x}", tag.0)), Ok(vec![info]));
            }
        }
    }
}
