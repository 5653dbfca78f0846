//! The public API a store adapter builds on, pinned on corpus files.

mod common;

use mapi::{PropTag, PropType, PropValue};
use pst::{Format, NodeId, PstFile};
use std::io::Read;

fn open(name: &str) -> PstFile {
    PstFile::open(common::corpus_file(name)).unwrap()
}

/// Depth-first over the folder tree by hierarchy tables.
fn all_folders(file: &PstFile) -> Vec<pst::Folder> {
    let mut out = Vec::new();
    let mut stack = vec![file.root_folder().unwrap()];
    while let Some(folder) = stack.pop() {
        stack.extend(folder.subfolders().unwrap());
        out.push(folder);
    }
    out
}

fn all_messages(file: &PstFile) -> Vec<pst::Message> {
    all_folders(file)
        .iter()
        .flat_map(|f| f.message_nids().unwrap())
        .map(|nid| file.message(nid).unwrap())
        .collect()
}

#[test]
fn the_header_tells_ansi_unicode_and_4k_apart() {
    assert_eq!(open("pstsdk-test_ansi.pst").header().format, Format::Ansi);
    assert_eq!(open("pstsdk-test_unicode.pst").header().format, Format::Unicode);
    let ost = open("pst-extractor-outlookcom-2013.ost");
    assert_eq!(ost.header().format, Format::Unicode4k);
    assert_eq!(ost.header().w_ver, 36);
    assert!(ost.header().is_ost());
}

#[test]
fn encryption_comes_from_b_crypt_method() {
    use pst::CryptMethod;
    assert_eq!(
        open("pst2john-2003_no-encryption_quickquick.pst").header().crypt_method,
        CryptMethod::None
    );
    assert_eq!(open("pstsdk-test_ansi.pst").header().crypt_method, CryptMethod::Permute);
    assert_eq!(
        open("pst2john-2003_high-encryption_quickquick.pst").header().crypt_method,
        CryptMethod::Cyclic
    );
}

#[test]
fn the_store_password_is_checked_against_its_crc() {
    let store = open("pst2john-97_outlook_pass12345.pst").message_store().unwrap();
    assert_eq!(store.password_crc(), 0xB103_1B28);
    assert!(store.password_matches("pass12345"));
    assert!(!store.password_matches("pass1234"));
    let open_store = open("pstsdk-submessage.pst").message_store().unwrap();
    assert_eq!(open_store.password_crc(), 0);
    assert!(open_store.password_matches("anything"));
}

#[test]
fn entry_ids_carry_the_store_record_key_and_the_nid() {
    let file = open("pstsdk-test_unicode.pst");
    let store = file.message_store().unwrap();
    let ipm = store.ipm_subtree().expect("IPM subtree entry ID");
    let id = store.entry_id(ipm).unwrap();
    assert_eq!(id.len(), 24);
    assert_eq!(store.nid_from_entry_id(&id), Some(ipm));
    let mut foreign = id.clone();
    foreign[4] ^= 0xFF;
    assert_eq!(store.nid_from_entry_id(&foreign), None);
    assert_eq!(
        file.folder(ipm).unwrap().display_name().as_deref(),
        Some("Top of Personal Folders")
    );
}

#[test]
fn folder_tables_list_subfolders_and_messages_with_their_columns() {
    let file = open("go-pst-support.pst");
    let inbox = all_folders(&file)
        .into_iter()
        .find(|f| f.display_name().as_deref() == Some("Drafts"))
        .unwrap();
    let contents = inbox.contents_table().unwrap();
    assert_eq!(contents.row_count(), 6);
    let subject = PropTag::new(0x0037, PropType::String);
    assert!(contents.columns().iter().any(|c| c.tag == subject));
    for row in contents.rows() {
        let row = row.unwrap();
        let message = file.message(NodeId(row.row_id())).unwrap();
        assert_eq!(row.string(0x001A), message.message_class());
    }
}

#[test]
fn a_recipient_table_with_more_than_a_hundred_rows_reads_completely() {
    // MANIFEST: one message of go-pst-support.pst has 106 recipients.
    let file = open("go-pst-support.pst");
    let counts: Vec<usize> =
        all_messages(&file).iter().map(|m| m.recipient_count().unwrap()).collect();
    assert_eq!(counts.iter().max(), Some(&106));
    let big =
        all_messages(&file).into_iter().find(|m| m.recipient_count().unwrap() == 106).unwrap();
    let table = big.recipients().unwrap().unwrap();
    let mut names = 0;
    for row in table.rows() {
        if row.unwrap().string(0x3001).is_some_and(|n| !n.is_empty()) {
            names += 1;
        }
    }
    assert_eq!(names, 106);
}

#[test]
fn an_embedded_message_opens_with_its_own_properties() {
    let file = open("pstsdk-submessage.pst");
    let message = all_messages(&file).pop().unwrap();
    let attachments = message.attachments().unwrap();
    assert_eq!(attachments.len(), 1);
    assert_eq!(attachments[0].method(), Some(pst::messaging::ATTACH_EMBEDDED_MESSAGE));
    let embedded = attachments[0].embedded_message().unwrap().unwrap();
    assert!(embedded.message_class().unwrap().starts_with("IPM."));
    assert_ne!(embedded.subject(), message.subject());
    assert!(attachments[0].data_reader().is_ok());
}

#[test]
fn attachment_data_streams_the_same_bytes_the_property_holds() {
    let file = open("pst-extractor-enron.pst");
    let mut streamed_total = 0u64;
    for message in all_messages(&file) {
        for attachment in message.attachments().unwrap() {
            let Some(mut reader) = attachment.data_reader().unwrap() else { continue };
            let mut streamed = Vec::new();
            reader.read_to_end(&mut streamed).unwrap();
            let whole = attachment.properties().bytes(0x3701).unwrap().unwrap();
            assert_eq!(streamed, whole);
            // PidTagAttachSize counts the data plus the attachment's other properties.
            let size = attachment.properties().i32(0x0E20).unwrap() as usize;
            assert!(size >= streamed.len());
            streamed_total += streamed.len() as u64;
        }
    }
    assert!(streamed_total > 1_000_000, "enron.pst carries megabytes of attachments");
}

#[test]
fn named_properties_map_both_ways() {
    let file = open("java-libpst-dist-list.pst");
    let names = file.named_properties().unwrap();
    assert!(names.len() > 10);
    for (id, name) in names.iter() {
        assert!(id >= 0x8000);
        assert_eq!(names.id_of(name), Some(id));
    }
    // PidLidAppointmentStartWhole: PSETID_Appointment {00062002-...}, LID 0x820D.
    let appointment: mapi::Guid = "00062002-0000-0000-c000-000000000046".parse().unwrap();
    let start = mapi::NamedProperty::lid(appointment, 0x820D);
    let id = names.id_of(&start).expect("the calendar item uses PidLidAppointmentStartWhole");
    let calendar_item = all_messages(&file)
        .into_iter()
        .find(|m| m.message_class().as_deref() == Some("IPM.Appointment"))
        .unwrap();
    assert!(matches!(calendar_item.properties().value(id).unwrap(), Some(PropValue::Time(_))));
}

#[test]
fn ansi_strings_decode_through_the_code_page() {
    let file = open("pst2john-97_outlook_pass12345.pst");
    let messages = all_messages(&file);
    assert_eq!(messages.len(), 294);
    let subject_tag = messages[0].properties().tag_of(0x0037).unwrap();
    assert_eq!(subject_tag.prop_type(), Some(PropType::String8));
    assert!(messages.iter().all(|m| m.subject().is_some()));
}

#[test]
fn every_property_of_every_message_decodes() {
    for name in
        ["aspose-Outlook.pst", "aspose-passwordprotectedPST.pst", "aspose-SampleOstFile.ost"]
    {
        let file = open(name);
        for message in all_messages(&file) {
            let (values, errors) = message.properties().all();
            assert!(errors.is_empty(), "{name} {}: {errors:?}", message.nid());
            assert!(!values.is_empty());
        }
    }
}

#[test]
fn compressed_rtf_bodies_decompress_to_rtf() {
    let file = open("aspose-Outlook.pst");
    let mut seen = 0;
    for message in all_messages(&file) {
        if let Some(rtf) = message.rtf().unwrap() {
            assert!(rtf.starts_with("{\\rtf1"), "{}", &rtf[..rtf.len().min(40)]);
            seen += 1;
        }
    }
    assert!(seen > 0);
}
