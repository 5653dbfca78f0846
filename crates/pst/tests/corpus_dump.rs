//! For every PST and OST in the corpus, the dump equals the libpff expected dump
//! (`NAME.expected.json`, made by `shared/tools/pst_dump.py`) as parsed JSON values.
//!
//! Known libpff deviations: none are needed today. Where libpff's view differs from MS-PST,
//! the dump reproduces libpff and says so in `pst::dump` (subfolders and messages come from
//! the node B-tree's `nidParent` links in NID order rather than from the hierarchy/contents
//! table rows of MS-PST 2.4.4.4; empty strings read as absent; items whose message class
//! libpff does not know are generic items without times or bodies).

mod common;

use serde_json::Value;

#[test]
fn the_corpus_is_present() {
    let files = common::corpus_files();
    assert!(files.len() >= 15, "expected the 13 PSTs and 2 OSTs, found {files:?}");
}

#[test]
fn every_corpus_file_dumps_exactly_like_libpff() {
    let mut mismatches = Vec::new();
    for path in common::corpus_files() {
        let expected_path = path.with_extension("expected.json");
        let expected: Value =
            serde_json::from_str(&std::fs::read_to_string(&expected_path).unwrap()).unwrap();
        let file = pst::PstFile::open(&path).unwrap();
        let got = serde_json::to_value(pst::dump::dump(&file).unwrap()).unwrap();
        if got != expected {
            mismatches.push(path.file_name().unwrap().to_string_lossy().into_owned());
        }
    }
    assert!(mismatches.is_empty(), "dumps differ from libpff for {mismatches:?}");
}

#[test]
fn every_corpus_dump_is_byte_identical_to_pst_dump_py_output() {
    let mut mismatches = Vec::new();
    for path in common::corpus_files() {
        let expected = std::fs::read_to_string(path.with_extension("expected.json")).unwrap();
        let file = pst::PstFile::open(&path).unwrap();
        // What `pst dump --json` prints: streamed item by item. The in-memory dump must make
        // the same text.
        let mut streamed = Vec::new();
        pst::dump::write_json(&file, &mut streamed).unwrap();
        let whole = pst::dump::to_json_text(&pst::dump::dump(&file).unwrap());
        if String::from_utf8(streamed).unwrap() != expected || whole != expected {
            mismatches.push(path.file_name().unwrap().to_string_lossy().into_owned());
        }
    }
    assert!(mismatches.is_empty(), "text differs from pst_dump.py for {mismatches:?}");
}
