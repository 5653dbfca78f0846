//! Microsoft's `outlook-pst` crate as an oracle: for every corpus file both can read, every
//! property of every folder and message that both read is equal.
//!
//! `outlook-pst` 1.2 reads ANSI and Unicode PSTs but refuses OSTs (`wMagicClient` "SO") and the
//! 4 KiB-page variant (`wVer` 36), so the two OSTs are compared by the libpff dump only. It also
//! refuses some messages it cannot parse (all of pst-extractor-enron.pst fail its heap check with
//! `InvalidHeapPageFreeCount(0)`, though MS-PST 2.3.1.5 allows `cFree` 0); those are compared by
//! the libpff dump only. The test requires most messages to be compared.

mod common;

use mapi::PropValue;
use outlook_pst::ltp::prop_context::PropertyValue;
use outlook_pst::messaging::store::Store;
use pst::{PropertyContext, PstFile};
use std::rc::Rc;

/// Strips one trailing NUL unit, as either reader may keep or drop it.
fn trim<T: PartialEq + Default + Copy>(units: &[T]) -> &[T] {
    units.strip_suffix(&[T::default()]).unwrap_or(units)
}

/// Compares their value with ours; returns a description of the difference, if any.
fn differs(theirs: &PropertyValue, ours: &PropValue, raw: &[u8]) -> Option<String> {
    let same = match (theirs, ours) {
        (PropertyValue::Null, PropValue::Null) => true,
        // A variable-size value stored with dwValueHnid 0 (MS-PST 2.3.3.3: no heap item, size
        // 0): we read an empty value of the property's type, outlook-pst reads PtypNull.
        (
            PropertyValue::Null,
            PropValue::String(_) | PropValue::String8(_) | PropValue::Binary(_),
        ) if raw.is_empty() => true,
        (PropertyValue::Integer16(a), PropValue::Integer16(b)) => a == b,
        (PropertyValue::Integer32(a), PropValue::Integer32(b)) => a == b,
        (PropertyValue::Floating32(a), PropValue::Floating32(b)) => a.to_bits() == b.to_bits(),
        (PropertyValue::Floating64(a), PropValue::Floating64(b)) => a.to_bits() == b.to_bits(),
        (PropertyValue::Currency(a), PropValue::Currency(b)) => a == b,
        (PropertyValue::FloatingTime(a), PropValue::FloatingTime(b)) => a.to_bits() == b.to_bits(),
        (PropertyValue::ErrorCode(a), PropValue::Error(b)) => *a as u32 == b.value(),
        (PropertyValue::Boolean(a), PropValue::Boolean(b)) => a == b,
        (PropertyValue::Integer64(a), PropValue::Integer64(b)) => a == b,
        (PropertyValue::Time(a), PropValue::Time(b)) => *a as u64 == b.0,
        (PropertyValue::String8(a), PropValue::String8(_)) => trim(a.buffer()) == trim(raw),
        (PropertyValue::Unicode(a), PropValue::String(_)) => {
            let units: Vec<u16> =
                raw.chunks_exact(2).map(|c| u16::from_le_bytes([c[0], c[1]])).collect();
            trim(a.buffer()) == trim(&units)
        }
        (PropertyValue::Guid(a), PropValue::Guid(b)) => {
            mapi::Guid::from_fields(a.data1(), a.data2(), a.data3(), *a.data4()) == *b
        }
        (PropertyValue::Binary(a), PropValue::Binary(b)) => a.buffer() == &b[..],
        (PropertyValue::Object(_), PropValue::Object) => true,
        (PropertyValue::MultipleInteger16(a), PropValue::MultipleInteger16(b)) => a == b,
        (PropertyValue::MultipleInteger32(a), PropValue::MultipleInteger32(b)) => a == b,
        (PropertyValue::MultipleInteger64(a), PropValue::MultipleInteger64(b)) => a == b,
        (PropertyValue::MultipleCurrency(a), PropValue::MultipleCurrency(b)) => a == b,
        (PropertyValue::MultipleTime(a), PropValue::MultipleTime(b)) => {
            a.iter().map(|v| *v as u64).eq(b.iter().map(|v| v.0))
        }
        (PropertyValue::MultipleBinary(a), PropValue::MultipleBinary(b)) => {
            a.iter().map(|v| v.buffer()).eq(b.iter().map(Vec::as_slice))
        }
        (PropertyValue::MultipleUnicode(a), PropValue::MultipleString(b)) => {
            a.iter().map(|v| String::from_utf16_lossy(trim(v.buffer()))).eq(b.iter().cloned())
        }
        (PropertyValue::MultipleString8(a), PropValue::MultipleString8(b)) => a.len() == b.len(),
        (PropertyValue::MultipleGuid(a), PropValue::MultipleGuid(b)) => a.len() == b.len(),
        (PropertyValue::MultipleFloating32(a), PropValue::MultipleFloating32(b)) => a == b,
        (PropertyValue::MultipleFloating64(a), PropValue::MultipleFloating64(b)) => a == b,
        (PropertyValue::MultipleFloatingTime(a), PropValue::MultipleFloatingTime(b)) => a == b,
        _ => false,
    };
    (!same).then(|| format!("theirs {theirs:?}, ours {ours:?}"))
}

fn compare<'a>(
    what: &str,
    theirs: impl Iterator<Item = (&'a u16, &'a PropertyValue)>,
    ours: &PropertyContext,
    differences: &mut Vec<String>,
) -> usize {
    let mut compared = 0;
    for (&id, value) in theirs {
        // outlook-pst adds PidTagEntryId and PidTagFolderType to folders, computed from the
        // NID and NID type rather than stored in the PC; only stored properties are compared.
        if matches!(id, 0x0FFF | 0x3601) && !ours.contains(id) {
            continue;
        }
        let mine = ours.value(id).unwrap();
        let raw = ours.bytes(id).unwrap().unwrap_or_default();
        match mine {
            None => differences.push(format!("{what} 0x{id:04X}: only outlook-pst has it")),
            Some(mine) => {
                if let Some(d) = differs(value, &mine, &raw) {
                    differences.push(format!("{what} 0x{id:04X}: {d}"));
                }
                compared += 1;
            }
        }
    }
    compared
}

#[test]
fn every_property_both_readers_read_is_equal() {
    let mut differences = Vec::new();
    let mut compared = 0;
    let mut files_compared = 0;
    let mut messages_compared = 0;
    for path in common::corpus_files() {
        let ours = PstFile::open(&path).unwrap();
        if ours.header().format == pst::Format::Unicode4k {
            continue;
        }
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        let theirs: Rc<dyn Store> = match outlook_pst::open_store(&path) {
            Ok(store) => store,
            // outlook-pst refuses OSTs (wMagicClient "SO"); every PST must open.
            Err(err) => {
                assert!(ours.header().is_ost(), "outlook-pst cannot open {name}: {err}");
                continue;
            }
        };
        files_compared += 1;
        compared += compare(
            &format!("{name} store"),
            theirs.properties().iter(),
            ours.message_store().unwrap().properties(),
            &mut differences,
        );
        for node in ours.nodes().unwrap() {
            let nid = node.nid;
            let their_nid = outlook_pst::ndb::node_id::NodeId::from(nid.0);
            let Ok(entry_id) = theirs.properties().make_entry_id(their_nid) else { continue };
            match nid.type_code() {
                0x02 | 0x03 => {
                    let (Ok(their_folder), Ok(our_folder)) =
                        (theirs.open_folder(&entry_id), ours.folder(nid))
                    else {
                        continue;
                    };
                    compared += compare(
                        &format!("{name} folder {nid:?}"),
                        their_folder.properties().iter(),
                        our_folder.properties(),
                        &mut differences,
                    );
                }
                0x04 => {
                    let (Ok(their_message), Ok(our_message)) =
                        (theirs.open_message(&entry_id, None), ours.message(nid))
                    else {
                        continue;
                    };
                    messages_compared += 1;
                    compared += compare(
                        &format!("{name} message {nid:?}"),
                        their_message.properties().iter(),
                        our_message.properties(),
                        &mut differences,
                    );
                    let their_recipients =
                        their_message.recipient_table().map_or(0, |t| t.rows_matrix().count());
                    let their_attachments =
                        their_message.attachment_table().map_or(0, |t| t.rows_matrix().count());
                    assert_eq!(our_message.recipient_count().unwrap(), their_recipients);
                    assert_eq!(our_message.attachment_count().unwrap(), their_attachments);
                }
                _ => {}
            }
        }
    }
    assert!(files_compared >= 13, "{files_compared}");
    assert!(compared > 10_000, "only {compared} properties compared");
    // 482 top-level messages in the 13 PSTs; outlook-pst opens 410 of them.
    assert!(messages_compared >= 400, "only {messages_compared} messages compared");
    assert!(
        differences.is_empty(),
        "{} differences, first: {:#?}",
        differences.len(),
        &differences[..differences.len().min(10)]
    );
}
