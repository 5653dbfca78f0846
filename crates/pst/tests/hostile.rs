//! Crafted hostile files (tests/common/craft.rs): each hostile structure is reached as written
//! (CRCs recomputed) and must end in an error or a bounded answer, never in work or memory
//! that multiplies. Each file is first walked in a child process under a 512 MiB address-space
//! cap and a 15 s timeout (`prlimit`, `timeout`), so a regression fails instead of swapping;
//! only then are the exact answers checked in this process.

mod common;
#[path = "common/craft.rs"]
mod craft;

// craft.rs writes through `super::builder`.
use common::builder;

use pst::{NodeId, OpenOptions, PstFile};
use sha2::Digest as _;
use std::path::{Path, PathBuf};
use std::process::Command;

const FILE_ENV: &str = "OUTPOST_HOSTILE_FILE";
const MEMORY_CAP: &str = "--as=536870912";

fn corpus_pst() -> PathBuf {
    common::corpus_file("java-libpst-dist-list.pst")
}

fn crafted_dir() -> PathBuf {
    let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("hostile-pst");
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

fn write_case(name: &str) -> PathBuf {
    let (_, bytes) =
        craft::cases(&corpus_pst()).into_iter().find(|(n, _)| *n == name).expect("a known case");
    let path = crafted_dir().join(name);
    std::fs::write(&path, bytes).unwrap();
    path
}

fn open(path: &Path, lenient: bool) -> PstFile {
    PstFile::open_with(path, OpenOptions { lenient }).unwrap()
}

/// Everything a reader does with a file: check (every block, node, message, attachment), the
/// dump, the store, the name map, strict and lenient.
fn walk(path: &Path) {
    for lenient in [false, true] {
        let Ok(file) = PstFile::open_with(path, OpenOptions { lenient }) else { continue };
        let report = pst::check::check(&file);
        assert!(report.problems.len() <= 10_000);
        let _ = pst::dump::dump(&file);
        let _ = file.message_store().map(|s| s.display_name());
        let _ = file.named_properties().map(|n| n.len());
        if let Ok(store) = pst::provider::PstStore::open(path, None) {
            use mapi::provider::MessageStore as _;
            if let Ok(root) = store.root_folder() {
                let _ = root.hierarchy_table(true);
            }
        }
    }
}

/// The child side of [`walk_bounded`]: walks the file named by the environment, or, run as an
/// ordinary test, a sound corpus file (whose walk must find it sound).
#[test]
fn walk_file_named_by_env() {
    match std::env::var_os(FILE_ENV) {
        Some(path) => walk(Path::new(&path)),
        None => {
            walk(&corpus_pst());
            let report = pst::check::check(&open(&corpus_pst(), false));
            assert!(report.problems.is_empty(), "{:?}", report.problems);
            assert!(report.messages > 0);
        }
    }
}

/// Walks `path` in a child process under the memory cap and the timeout.
fn walk_bounded(path: &Path) {
    let exe = std::env::current_exe().unwrap();
    let output = Command::new("prlimit")
        .arg(MEMORY_CAP)
        .args(["--", "timeout", "15"])
        .arg(exe)
        .args(["--exact", "walk_file_named_by_env", "--nocapture", "--test-threads=1"])
        .env(FILE_ENV, path)
        .output()
        .expect("prlimit and timeout (util-linux, coreutils) are installed");
    assert!(
        output.status.success(),
        "walking {} under 512 MiB / 15 s ended with {:?}\n{}",
        path.display(),
        output.status,
        String::from_utf8_lossy(&output.stderr)
    );
}

fn expect_err<T: std::fmt::Debug>(result: pst::PstResult<T>, needle: &str) {
    let err = result.expect_err("a hostile structure must be refused");
    assert!(err.to_string().contains(needle), "{err} does not say {needle:?}");
}

#[test]
fn bth_index_records_naming_one_item_again_are_refused() {
    let path = write_case("bth-shared-index-store.pst");
    walk_bounded(&path);
    expect_err(open(&path, false).message_store(), "a second time");

    let path = write_case("bth-shared-index-message.pst");
    walk_bounded(&path);
    let nid = craft::first_message(&craft::Craft::load(&corpus_pst()));
    expect_err(open(&path, false).message(NodeId(nid)), "a second time");
}

#[test]
fn data_trees_listing_a_block_twice_are_refused() {
    let nid = craft::first_message(&craft::Craft::load(&corpus_pst()));
    for (name, needle) in [
        ("datatree-repeated-xblock.pst", "XBLOCK a second time"),
        ("datatree-repeated-leaf.pst", "a second time"),
    ] {
        let path = write_case(name);
        walk_bounded(&path);
        let file = open(&path, false);
        let entry = file.ndb().node(NodeId(nid)).unwrap();
        expect_err(file.ndb().data_tree(entry.bid_data), needle);
        expect_err(file.message(NodeId(nid)), needle);
    }
}

#[test]
fn an_unsorted_property_context_reads_every_value_and_is_reported() {
    let path = write_case("pc-unsorted-store.pst");
    walk_bounded(&path);
    let crafted = open(&path, false);
    let sound = open(&corpus_pst(), false);
    let pc = crafted.property_context(NodeId::MESSAGE_STORE).unwrap();
    let expected = sound.property_context(NodeId::MESSAGE_STORE).unwrap();
    let (values, errors) = pc.all();
    assert!(errors.is_empty(), "{errors:?}");
    assert_eq!(values, expected.all().0, "every value found, in ID order");
    for tag in expected.tags() {
        assert_eq!(pc.get(tag).unwrap(), expected.get(tag).unwrap(), "{tag}");
    }
    assert_eq!(pc.value(0x0001).unwrap(), None, "an absent ID stays absent");
    let problems = crafted.problems();
    assert!(
        problems.iter().any(|p| p.message.contains("not in key order")),
        "the damage is reported: {problems:?}"
    );
    let report = pst::check::check(&crafted);
    assert!(report.problems.iter().any(|p| p.message.contains("not in key order")));
}

#[test]
fn name_map_entries_sharing_one_string_are_bounded() {
    let path = write_case("named-shared-string.pst");
    walk_bounded(&path);
    expect_err(open(&path, false).named_properties(), "more than four times");
}

#[test]
fn a_folder_cycle_ends_every_walk() {
    let path = write_case("folder-cycle.pst");
    walk_bounded(&path);
    let file = open(&path, false);
    let ipm = file.message_store().unwrap().ipm_subtree().unwrap();
    let child = file.folder(ipm).unwrap().subfolder_nids().unwrap()[0];
    // The crafted cycle is there: the child lists itself.
    assert!(file.folder(child).unwrap().subfolder_nids().unwrap().contains(&child));
    // The provider's deep hierarchy table shows each folder once.
    use mapi::provider::MessageStore as _;
    let store = pst::provider::PstStore::open(&path, None).unwrap();
    let table = store.root_folder().unwrap().hierarchy_table(true).unwrap();
    let rows = table.row_count().unwrap();
    let folders =
        file.nodes().unwrap().iter().filter(|n| matches!(n.nid.type_code(), 0x02 | 0x03)).count();
    assert!(rows as usize <= folders, "{rows} rows for {folders} folders");
}

#[test]
fn table_cells_naming_one_large_subnode_are_bounded_per_pass() {
    let path = write_case("tc-shared-subnode-cells.pst");
    walk_bounded(&path);
    let file = open(&path, false);
    let nid = NodeId(craft::contents_table(&craft::Craft::load(&corpus_pst())));
    let table = file.table_context(nid).unwrap();
    assert_eq!(table.row_count(), 11 * (craft::SUBNODE_CELL_BLOCK / craft::SUBNODE_CELL_ROW_SIZE));
    let value_size = 11 * craft::SUBNODE_CELL_BLOCK;
    let cell = |row: pst::Row<'_>| row.bytes(craft::SUBNODE_CELL_COLUMN);
    // The first cells are read whole; the budget (64 × the file size) runs out long before
    // the last row, with an error that says why.
    let file_size = std::fs::metadata(&path).unwrap().len() as usize;
    let mut rows = table.rows();
    for _ in 0..64 * file_size / value_size {
        assert_eq!(cell(rows.next().unwrap().unwrap()).unwrap().unwrap().len(), value_size);
    }
    let err = rows.find_map(|r| cell(r.unwrap()).err()).expect("the budget runs out");
    assert!(err.to_string().contains("budget for subnode cells"), "{err}");
    // A new pass has a new budget.
    assert!(cell(table.rows().next().unwrap().unwrap()).unwrap().is_some());
    // The walk reports the damage instead of reading 9 988 × 90 KB.
    let report = pst::check::check(&file);
    assert!(report.problems.iter().any(|p| p.message.contains("budget for subnode cells")));
}

#[test]
fn a_row_matrix_claiming_four_gigabytes_has_the_rows_its_blocks_hold() {
    let path = write_case("tc-inflated-row-count.pst");
    walk_bounded(&path);
    let file = open(&path, false);
    let nid = NodeId(craft::contents_table(&craft::Craft::load(&corpus_pst())));
    let table = file.table_context(nid).unwrap();
    // lcbTotal says 0xFFFFFFFF bytes; two blocks of 908 whole rows are what there is.
    let rows = 2 * (craft::SUBNODE_CELL_BLOCK / craft::SUBNODE_CELL_ROW_SIZE);
    assert_eq!(table.row_count(), rows);
    assert_eq!(table.capacity_hint(), 1024, "allocation up front stays capped");
    let ids: Vec<u32> = table.rows().map(|r| r.unwrap().row_id()).collect();
    assert_eq!(ids, (1..=rows as u32).collect::<Vec<_>>());
}

#[test]
fn property_values_naming_one_large_subnode_are_bounded_per_pass() {
    let path = write_case("pc-shared-subnode-values.pst");
    walk_bounded(&path);
    let file = open(&path, false);
    let nid = NodeId(craft::first_message(&craft::Craft::load(&corpus_pst())));
    let pc = file.property_context(nid).unwrap();
    let entries = craft::SUBNODE_VALUE_LEAVES * craft::SUBNODE_VALUES_PER_LEAF;
    assert_eq!(pc.tags().count(), entries);
    let value_size = craft::SUBNODE_VALUE_BLOCKS * craft::SUBNODE_CELL_BLOCK;
    let first = craft::SUBNODE_VALUE_FIRST_ID;
    // One value alone reads whole.
    assert_eq!(pc.bytes(first).unwrap().unwrap().len(), value_size);
    // Every property: the first ones read whole, until the pass's budget (64 × the file
    // size) runs out; the rest are refused with an error that says why.
    let file_size = std::fs::metadata(&path).unwrap().len() as usize;
    let within = 64 * file_size / value_size;
    assert!(within < entries);
    let (values, errors) = pc.all();
    assert_eq!(values.len(), within);
    assert!(
        values
            .iter()
            .all(|v| v.value == mapi::PropValue::Binary(pc.bytes(first).unwrap().unwrap()))
    );
    assert_eq!(errors.len(), entries - within);
    assert!(
        errors.iter().all(|e| e.to_string().contains("budget for subnode values")),
        "{:?}",
        errors[0]
    );
    // Reading one property again within a pass is not charged again; a new pass has a new
    // budget.
    let mut pass = pc.pass();
    for _ in 0..=within {
        assert!(pass.value(first).unwrap().is_some());
    }
    assert!(pass.value(first + 1).unwrap().is_some());
    assert!(pc.pass().value(first + 2).unwrap().is_some());
    // The provider's GetProps of every tag is one pass too.
    use mapi::provider::{MessageStore as _, PropertyObject as _};
    let store = pst::provider::PstStore::open(&path, None).unwrap();
    let Some(mapi::PropValue::Binary(record_key)) =
        store.get_prop(mapi::catalog::tags::PidTagRecordKey).unwrap()
    else {
        panic!("the store has a record key")
    };
    // A PST entry ID (MS-PST 2.4.3.2): four flag bytes, the record key, the NID.
    let entry_id = [&[0u8; 4][..], &record_key, &nid.0.to_le_bytes()].concat();
    let message = store.open_message(&entry_id).unwrap();
    let tags: Vec<mapi::PropTag> = pc.tags().collect();
    let answered = message.get_props(&tags).unwrap();
    let read = answered.iter().filter(|v| matches!(v.value, mapi::PropValue::Binary(_))).count();
    assert_eq!(read, within, "the rest answer MAPI_E_CORRUPT_DATA");
    let crafted = first..first + entries as u16;
    let all = message.get_all_props().unwrap();
    assert_eq!(all.iter().filter(|v| crafted.contains(&v.tag.id())).count(), within);
    // The walk reports the damage instead of reading 7 000 × 130 KB.
    let report = pst::check::check(&file);
    assert!(report.problems.iter().any(|p| p.message.contains("budget for subnode values")));
}

#[test]
fn many_nodes_sharing_one_message_are_bounded_per_walk() {
    let path = write_case("nodes-sharing-one-message.pst");
    walk_bounded(&path);
    let file = open(&path, false);
    let file_size = std::fs::metadata(&path).unwrap().len();
    let budget = pst::ndb::WALK_BUDGET_PER_FILE_BYTE * file_size;
    let messages = craft::SHARED_MESSAGES;
    let value_size = craft::SHARED_BLOCKS * craft::SUBNODE_CELL_BLOCK;
    // Each message alone reads whole; every one is the same message.
    let message = file.message(NodeId(craft::shared_message(0))).unwrap();
    let html = message.html().unwrap();
    assert_eq!(html.len(), value_size);
    let html_sha256: String =
        sha2::Sha256::digest(&html).iter().map(|b| format!("{b:02x}")).collect();
    // Unbounded, the dump alone would read each message's heap, body and HTML.
    let per_message = 3 * value_size as u64;
    assert!(messages as u64 * per_message > 4 * budget, "the case is worth bounding");

    // The dump lists every message: the first ones read, then the rest with the budget's
    // error; what it reads stays within the budget plus one message.
    let before = file.ndb().block_bytes_read();
    let dump = pst::dump::dump(&file).unwrap();
    let read = file.ndb().block_bytes_read() - before;
    assert!(read <= budget + 2 * per_message, "the dump read {read} bytes, budget {budget}");
    fn items(folder: &pst::dump::DumpFolder, out: &mut Vec<pst::dump::DumpItem>) {
        out.extend(folder.messages.iter().cloned());
        folder.subfolders.iter().for_each(|f| items(f, out));
    }
    let mut all = Vec::new();
    items(&dump.root, &mut all);
    let hashed = all
        .iter()
        .filter(|i| matches!(i, pst::dump::DumpItem::Message(m) if m.html_body_sha256.as_deref() == Some(html_sha256.as_str())))
        .count();
    let refused = all
        .iter()
        .filter(
            |i| matches!(i, pst::dump::DumpItem::Error { error } if error.contains("budget of")),
        )
        .count();
    assert_eq!(hashed + refused, messages, "every crafted message is listed");
    assert!(hashed > 0 && refused > 0, "{hashed} read, {refused} refused");

    // The check reads within the budget too, and names what it left unread.
    let before = file.ndb().block_bytes_read();
    let report = pst::check::check(&file);
    let read = file.ndb().block_bytes_read() - before;
    // Its budget, one message more, then one read of every block for its CRC.
    assert!(read <= budget + 2 * per_message + 2 * file_size, "check read {read} bytes");
    let problem = report
        .problems
        .iter()
        .find(|p| p.message.contains("budget of"))
        .expect("the nodes left unread are reported");
    assert!(problem.unreadable && problem.message.contains("nodes not read"), "{problem:?}");

    // Each walk has its own budget: the next one reads the first message again.
    let again = pst::dump::dump(&file).unwrap();
    assert_eq!(again, dump);
}

/// Every crafted case is covered above; a new one must be added to a test.
#[test]
fn every_crafted_case_is_walked_within_bounds() {
    // Its own directory: the tests above write the same names at the same time.
    let dir = crafted_dir().join("every-case");
    std::fs::create_dir_all(&dir).unwrap();
    for (name, bytes) in craft::cases(&corpus_pst()) {
        let path = dir.join(name);
        std::fs::write(&path, bytes).unwrap();
        walk_bounded(&path);
    }
}
