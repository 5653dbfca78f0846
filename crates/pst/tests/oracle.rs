//! Microsoft's `outlook-pst` crate as an oracle: for every corpus file, every property of the
//! store, of every folder and of every message, and every cell of every recipient and
//! attachment table, is equal in both readers, element by element for multi-valued types.
//!
//! Outpost must read every object that outlook-pst reads: a failure of ours is a test failure.
//! Where outlook-pst refuses a file or an object, the refusal is listed below with its reason
//! and the error it gives; the test asserts each listed refusal still happens (so the list
//! cannot go stale) and that no unlisted one does. Those objects are compared against the
//! libpff dumps instead (corpus_dump.rs).

mod common;

use encoding_rs::Encoding;
use mapi::PropValue;
use outlook_pst::ltp::prop_context::PropertyValue;
use outlook_pst::ltp::table_context::TableContext as TheirTable;
use outlook_pst::messaging::store::Store;
use pst::{PropertyContext, PstFile, TableContext};
use std::collections::BTreeMap;
use std::rc::Rc;

/// A file outlook-pst 1.2 refuses to open: (file name, reason, what its error says).
const REFUSED_FILES: &[(&str, &str, &str)] = &[
    // wMagicClient "SO" (0x4F53 = 20307, MS-PST 2.2.2.6): outlook-pst reads PSTs only.
    (
        "aspose-SampleOstFile.ost",
        "an OST (wMagicClient \"SO\")",
        "InvalidNdbHeaderMagicClientValue(20307)",
    ),
    (
        "pst-extractor-outlookcom-2013.ost",
        "an OST (wMagicClient \"SO\") in the 4 KiB-page format (wVer 36)",
        "InvalidNdbHeaderMagicClientValue(20307)",
    ),
];

/// Objects of a file outlook-pst opens that it refuses: (file name, object kind, reason, what
/// its error says). Every object of that kind in that file that outlook-pst refuses must give
/// this error, and at least one must.
const REFUSED_OBJECTS: &[(&str, Kind, &str, &str)] = &[
    (
        "pst-extractor-enron.pst",
        Kind::Message,
        "its heap check refuses cFree 0 in an HNPAGEMAP, which MS-PST 2.3.1.5 allows",
        "InvalidHeapPageFreeCount(0)",
    ),
    (
        "java-libpst-dist-list.pst",
        Kind::Message,
        "a message without a subnode tree (bidSub 0, so no recipient table, which MS-PST 2.4.5 \
         expects): outlook-pst refuses it, Outpost reads its properties and no recipients",
        "MessageSubNodeTreeNotFound",
    ),
];

/// A table cell outlook-pst refuses: a variable-size cell whose HNID is 0, which holds an
/// empty value (as dwValueHnid 0 does in a PC, MS-PST 2.3.3.3); outlook-pst looks up heap item
/// 0 instead. Every such refusal must be of a cell we read as empty, and one must happen.
const REFUSED_EMPTY_CELL: &str = "Invalid HID hidIndex: 0x0000";

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Kind {
    Folder,
    Message,
}

/// Strips one trailing NUL unit, as either reader may keep or drop it.
fn trim<T: PartialEq + Default + Copy>(units: &[T]) -> &[T] {
    units.strip_suffix(&[T::default()]).unwrap_or(units)
}

/// Their 8-bit string decoded with the code page our reader chose for the object.
fn string8(bytes: &[u8], encoding: &'static Encoding) -> String {
    encoding.decode_without_bom_handling(trim(bytes)).0.into_owned()
}

fn guid(a: &outlook_pst::ltp::prop_context::GuidValue) -> mapi::Guid {
    mapi::Guid::from_fields(a.data1(), a.data2(), a.data3(), *a.data4())
}

/// Compares their value with ours, decoded value against decoded value (and, for strings,
/// the stored bytes too); returns a description of the difference, if any.
fn differs(
    theirs: &PropertyValue,
    ours: &PropValue,
    raw: &[u8],
    encoding: &'static Encoding,
) -> Option<String> {
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
        (PropertyValue::String8(a), PropValue::String8(b)) => {
            trim(a.buffer()) == trim(raw) && string8(a.buffer(), encoding) == *b
        }
        (PropertyValue::Unicode(a), PropValue::String(b)) => {
            let units: Vec<u16> =
                raw.chunks_exact(2).map(|c| u16::from_le_bytes([c[0], c[1]])).collect();
            trim(a.buffer()) == trim(&units) && String::from_utf16_lossy(trim(a.buffer())) == *b
        }
        (PropertyValue::Guid(a), PropValue::Guid(b)) => guid(a) == *b,
        (PropertyValue::Binary(a), PropValue::Binary(b)) => a.buffer() == &b[..],
        // PtypObject in a PC (MS-PST 2.3.3.5): the stored record is the subnode NID and size.
        (PropertyValue::Object(a), PropValue::Object) => {
            raw.len() == 8
                && u32::from(a.node()).to_le_bytes() == raw[..4]
                && a.size().to_le_bytes() == raw[4..]
        }
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
        (PropertyValue::MultipleString8(a), PropValue::MultipleString8(b)) => {
            a.iter().map(|v| string8(v.buffer(), encoding)).eq(b.iter().cloned())
        }
        (PropertyValue::MultipleGuid(a), PropValue::MultipleGuid(b)) => {
            a.iter().map(guid).eq(b.iter().copied())
        }
        (PropertyValue::MultipleFloating32(a), PropValue::MultipleFloating32(b)) => {
            a.iter().map(|v| v.to_bits()).eq(b.iter().map(|v| v.to_bits()))
        }
        (PropertyValue::MultipleFloating64(a), PropValue::MultipleFloating64(b)) => {
            a.iter().map(|v| v.to_bits()).eq(b.iter().map(|v| v.to_bits()))
        }
        (PropertyValue::MultipleFloatingTime(a), PropValue::MultipleFloatingTime(b)) => {
            a.iter().map(|v| v.to_bits()).eq(b.iter().map(|v| v.to_bits()))
        }
        _ => false,
    };
    (!same).then(|| format!("theirs {theirs:?}, ours {ours:?}"))
}

/// What was compared and what differed.
#[derive(Default)]
struct Tally {
    files: usize,
    folders: usize,
    messages: usize,
    table_rows: usize,
    values: usize,
    /// Cells outlook-pst refuses that hold an empty value ([`REFUSED_EMPTY_CELL`]).
    refused_empty_cells: usize,
    differences: Vec<String>,
    /// Objects outlook-pst reads and Outpost does not.
    our_failures: Vec<String>,
    /// Refusals of outlook-pst by (file, kind): how many, and their errors.
    their_refusals: BTreeMap<(String, Kind), Vec<String>>,
}

impl Tally {
    fn compare<'a>(
        &mut self,
        what: &str,
        theirs: impl Iterator<Item = (&'a u16, &'a PropertyValue)>,
        ours: &PropertyContext,
    ) {
        let mut seen = std::collections::BTreeSet::new();
        for (&id, value) in theirs {
            seen.insert(id);
            // outlook-pst adds PidTagEntryId and PidTagFolderType to folders, computed from
            // the NID and NID type rather than stored in the PC; only stored ones are compared.
            if matches!(id, 0x0FFF | 0x3601) && !ours.contains(id) {
                continue;
            }
            let (mine, raw) = match (ours.value(id), ours.bytes(id)) {
                (Ok(Some(mine)), Ok(raw)) => (mine, raw.unwrap_or_default()),
                (Ok(None), _) => {
                    self.differences.push(format!("{what} 0x{id:04X}: only outlook-pst has it"));
                    continue;
                }
                (Err(e), _) | (_, Err(e)) => {
                    self.our_failures.push(format!("{what} 0x{id:04X}: {e}"));
                    continue;
                }
            };
            self.values += 1;
            if let Some(d) = differs(value, &mine, &raw, ours.encoding()) {
                self.differences.push(format!("{what} 0x{id:04X}: {d}"));
            }
        }
        // Nothing of ours goes unseen: the properties we read that outlook-pst does not.
        for tag in ours.tags().filter(|t| !seen.contains(&t.id())) {
            self.differences.push(format!("{what} {tag}: only Outpost has it"));
        }
    }

    /// Every cell of every row, rows in row-matrix order (same dwRowID in both).
    fn compare_table(
        &mut self,
        what: &str,
        theirs: Option<&Rc<dyn TheirTable>>,
        ours: Option<TableContext>,
        encoding: &'static Encoding,
    ) {
        let (theirs, ours) = match (theirs, ours) {
            (None, None) => return,
            (Some(theirs), Some(ours)) => (theirs, ours),
            (theirs, ours) => {
                let (t, o) = (theirs.is_some(), ours.is_some());
                self.differences.push(format!("{what}: theirs present {t}, ours present {o}"));
                return;
            }
        };
        let their_rows: Vec<_> = theirs.rows_matrix().collect();
        let our_rows: Vec<_> = ours.rows().collect();
        if their_rows.len() != our_rows.len() {
            let (t, o) = (their_rows.len(), our_rows.len());
            self.differences.push(format!("{what}: theirs {t} rows, ours {o}"));
            return;
        }
        for (their_row, our_row) in their_rows.into_iter().zip(our_rows) {
            let our_row = match our_row {
                Ok(row) => row,
                Err(e) => {
                    self.our_failures.push(format!("{what}: {e}"));
                    return;
                }
            };
            let row_id = u32::from(their_row.id());
            let what = format!("{what} row {row_id:#x}");
            if our_row.row_id() != row_id {
                self.differences.push(format!("{what}: ours is row {:#x}", our_row.row_id()));
                continue;
            }
            self.table_rows += 1;
            let cells = their_row.columns(theirs.context()).expect("outlook-pst reads its cells");
            for (column, cell) in theirs.context().columns().iter().zip(cells) {
                let id = column.prop_id();
                let mine = match (our_row.value(id), our_row.bytes(id)) {
                    (Ok(mine), Ok(raw)) => mine.map(|m| (m, raw.unwrap_or_default())),
                    (Err(e), _) | (_, Err(e)) => {
                        self.our_failures.push(format!("{what} 0x{id:04X}: {e}"));
                        continue;
                    }
                };
                let value = cell.map(|c| theirs.read_column(&c, column.prop_type()));
                match (value, mine) {
                    (None, None) => {}
                    (Some(Ok(value)), Some((mine, raw))) => {
                        self.values += 1;
                        if let Some(d) = differs(&value, &mine, &raw, encoding) {
                            self.differences.push(format!("{what} 0x{id:04X}: {d}"));
                        }
                    }
                    (Some(Err(e)), Some((_, raw)))
                        if raw.is_empty() && e.to_string().contains(REFUSED_EMPTY_CELL) =>
                    {
                        self.refused_empty_cells += 1;
                    }
                    (Some(Err(e)), mine) => panic!(
                        "{what} 0x{id:04X}: outlook-pst refuses a cell (ours {:?}): {e}",
                        mine.map(|m| m.0)
                    ),
                    (value, mine) => self.differences.push(format!(
                        "{what} 0x{id:04X}: theirs {value:?}, ours {:?}",
                        mine.map(|m| m.0)
                    )),
                }
            }
        }
    }

    fn refused(&mut self, file: &str, kind: Kind, error: String) {
        self.their_refusals.entry((file.to_owned(), kind)).or_default().push(error);
    }
}

fn compare_file(path: &std::path::Path, tally: &mut Tally) {
    let name = path.file_name().unwrap().to_string_lossy().into_owned();
    let ours = PstFile::open(path).unwrap();
    let theirs: Rc<dyn Store> = match outlook_pst::open_store(path) {
        Ok(store) => {
            assert!(
                !REFUSED_FILES.iter().any(|r| r.0 == name),
                "outlook-pst now opens {name}: take it off REFUSED_FILES"
            );
            store
        }
        Err(err) => {
            let Some((_, reason, error)) = REFUSED_FILES.iter().find(|r| r.0 == name) else {
                panic!("outlook-pst cannot open {name}, and no reason is recorded: {err:?}");
            };
            let err = format!("{err:?}");
            assert!(err.contains(error), "outlook-pst refuses {name} ({reason}) with {err}");
            return;
        }
    };
    tally.files += 1;
    let store = ours.message_store().unwrap();
    tally.compare(&format!("{name} store"), theirs.properties().iter(), store.properties());
    for node in ours.nodes().unwrap() {
        let nid = node.nid;
        let kind = match nid.type_code() {
            0x02 | 0x03 => Kind::Folder,
            0x04 => Kind::Message,
            _ => continue,
        };
        let what = format!("{name} {kind:?} {nid:?}");
        let their_nid = outlook_pst::ndb::node_id::NodeId::from(nid.0);
        let entry_id = match theirs.properties().make_entry_id(their_nid) {
            Ok(entry_id) => entry_id,
            Err(err) => {
                tally.refused(&name, kind, format!("{what}: entry ID: {err:?}"));
                continue;
            }
        };
        match kind {
            Kind::Folder => {
                let their_folder = match theirs.open_folder(&entry_id) {
                    Ok(folder) => folder,
                    Err(err) => {
                        tally.refused(&name, kind, format!("{what}: {err:?}"));
                        continue;
                    }
                };
                match ours.folder(nid) {
                    Ok(folder) => {
                        tally.folders += 1;
                        tally.compare(&what, their_folder.properties().iter(), folder.properties());
                    }
                    Err(e) => tally.our_failures.push(format!("{what}: {e}")),
                }
            }
            Kind::Message => {
                let their_message = match theirs.open_message(&entry_id, None) {
                    Ok(message) => message,
                    Err(err) => {
                        tally.refused(&name, kind, format!("{what}: {err:?}"));
                        continue;
                    }
                };
                let message = match ours.message(nid) {
                    Ok(message) => message,
                    Err(e) => {
                        tally.our_failures.push(format!("{what}: {e}"));
                        continue;
                    }
                };
                tally.messages += 1;
                tally.compare(&what, their_message.properties().iter(), message.properties());
                let encoding = message.properties().encoding();
                match (message.recipients(), message.attachment_table()) {
                    (Ok(recipients), Ok(attachments)) => {
                        let recipients_of = format!("{what} recipients");
                        let table = their_message.recipient_table();
                        tally.compare_table(&recipients_of, table, recipients, encoding);
                        let attachments_of = format!("{what} attachments");
                        let table = their_message.attachment_table();
                        tally.compare_table(&attachments_of, table, attachments, encoding);
                    }
                    (Err(e), _) | (_, Err(e)) => tally.our_failures.push(format!("{what}: {e}")),
                }
            }
        }
    }
}

#[test]
fn every_value_outlook_pst_reads_outpost_reads_equally() {
    let mut tally = Tally::default();
    let files = common::corpus_files();
    for (name, ..) in REFUSED_FILES {
        assert!(files.iter().any(|f| f.ends_with(name)), "{name} is no longer in the corpus");
    }
    for path in files {
        compare_file(&path, &mut tally);
    }
    let Tally { files, folders, messages, table_rows, values, .. } = tally;
    let refused: usize = tally.their_refusals.values().map(Vec::len).sum();
    eprintln!(
        "compared {files} files, {folders} folders, {messages} messages, {table_rows} \
         recipient/attachment rows, {values} values; outlook-pst refused {refused} objects and \
         {} empty cells",
        tally.refused_empty_cells
    );
    assert!(
        tally.our_failures.is_empty(),
        "Outpost fails on {} objects outlook-pst reads: {:#?}",
        tally.our_failures.len(),
        &tally.our_failures[..tally.our_failures.len().min(10)]
    );
    for ((file, kind), errors) in &tally.their_refusals {
        let Some((.., reason, error)) =
            REFUSED_OBJECTS.iter().find(|r| r.0 == file && r.1 == *kind)
        else {
            panic!(
                "outlook-pst refuses {} {kind:?} objects of {file}, unrecorded: {errors:#?}",
                errors.len()
            );
        };
        for e in errors {
            assert!(e.contains(error), "an unrecorded refusal ({reason} expected): {e}");
        }
    }
    for (file, kind, reason, _) in REFUSED_OBJECTS {
        assert!(
            tally.their_refusals.contains_key(&(file.to_string(), *kind)),
            "outlook-pst no longer refuses {kind:?} objects of {file} ({reason}): \
             take it off REFUSED_OBJECTS"
        );
    }
    assert!(tally.refused_empty_cells > 0, "outlook-pst now reads cells of HNID 0");
    assert!(files >= 13, "{files}");
    assert!(values > 40_000, "only {values} values compared");
    // 482 top-level messages in the 13 PSTs; outlook-pst refuses the enron ones and one more.
    assert!(messages >= 400, "only {messages} messages compared");
    assert!(table_rows > 1_000, "only {table_rows} table rows compared");
    assert!(
        tally.differences.is_empty(),
        "{} differences, first: {:#?}",
        tally.differences.len(),
        &tally.differences[..tally.differences.len().min(10)]
    );
}
