//! Property tests: the parsers of each layer take arbitrary bytes without panicking, and
//! well-formed structures built by hand parse to what was put in.

use mapi::{PropType, PropValue};
use proptest::prelude::*;
use pst::ltp::bth::HeapTree;
use pst::ltp::value::{decode_value, encoding_for_codepage};
use pst::ltp::{HeapId, HeapNode};
use pst::ndb::Header;

/// A one-block heap: HNHDR, the given allocations, then the HNPAGEMAP (MS-PST 2.3.1).
fn heap_block(client_sig: u8, user_root: u32, items: &[Vec<u8>]) -> Vec<u8> {
    let mut block = vec![0u8; 12];
    block[2] = 0xEC;
    block[3] = client_sig;
    block[4..8].copy_from_slice(&user_root.to_le_bytes());
    let mut offsets = vec![12u16];
    for item in items {
        block.extend_from_slice(item);
        offsets.push(block.len() as u16);
    }
    let ib_hnpm = block.len() as u16;
    block[0..2].copy_from_slice(&ib_hnpm.to_le_bytes());
    block.extend_from_slice(&(items.len() as u16).to_le_bytes());
    block.extend_from_slice(&0u16.to_le_bytes());
    for o in offsets {
        block.extend_from_slice(&o.to_le_bytes());
    }
    block
}

fn hid(index: u32) -> u32 {
    index << 5
}

proptest! {
    #[test]
    fn header_parse_never_panics(bytes in proptest::collection::vec(any::<u8>(), 0..700)) {
        let _ = Header::parse(&bytes);
    }

    #[test]
    fn heap_and_bth_parsing_never_panic(
        blocks in proptest::collection::vec(proptest::collection::vec(any::<u8>(), 0..300), 1..3),
        raw_hid in any::<u32>(),
    ) {
        if let Ok(heap) = HeapNode::from_blocks(pst::NodeId(0x21), blocks) {
            let _ = heap.item(HeapId(raw_hid));
            if let Ok(tree) = HeapTree::open(&heap, heap.user_root) {
                let _ = tree.records(&heap);
            }
        }
    }

    #[test]
    fn value_decoding_never_panics(code in any::<u16>(), bytes in proptest::collection::vec(any::<u8>(), 0..64)) {
        if let Some(t) = PropType::from_code(code) {
            let _ = decode_value(t, &bytes, encoding_for_codepage(None));
        }
    }

    #[test]
    fn a_bth_built_by_hand_yields_its_records_in_order(
        keys in proptest::collection::btree_set(any::<u16>(), 0..40),
    ) {
        // PC-shaped BTH: cbKey 2, cbEnt 6, one leaf level.
        let mut leaf = Vec::new();
        for k in &keys {
            leaf.extend_from_slice(&k.to_le_bytes());
            leaf.extend_from_slice(&[3, 0]);
            leaf.extend_from_slice(&u32::from(*k).to_le_bytes());
        }
        let root = if keys.is_empty() { 0 } else { hid(2) };
        let mut header = vec![0xB5, 2, 6, 0];
        header.extend_from_slice(&root.to_le_bytes());
        let block = heap_block(0xBC, hid(1), &[header, leaf]);
        let heap = HeapNode::from_blocks(pst::NodeId(0x21), vec![block]).unwrap();
        let tree = HeapTree::open(&heap, heap.user_root).unwrap();
        let records = tree.records(&heap).unwrap();
        let got: Vec<u16> = records.iter().map(|(k, _)| u16::from_le_bytes([k[0], k[1]])).collect();
        prop_assert_eq!(got, keys.into_iter().collect::<Vec<_>>());
    }

    #[test]
    fn utf16_strings_round_trip(text in "\\PC{0,40}") {
        let bytes: Vec<u8> = text.encode_utf16().flat_map(u16::to_le_bytes).collect();
        let value = decode_value(PropType::String, &bytes, encoding_for_codepage(None));
        prop_assert_eq!(value, Some(PropValue::String(text)));
    }
}

#[test]
fn a_heap_item_past_its_page_map_is_an_error() {
    let block = heap_block(0xBC, hid(1), &[vec![1, 2, 3]]);
    let heap = HeapNode::from_blocks(pst::NodeId(0x21), vec![block]).unwrap();
    assert_eq!(heap.item(HeapId(hid(1))).unwrap(), &[1, 2, 3]);
    assert!(heap.item(HeapId(hid(2))).is_err());
    assert!(heap.item(HeapId(hid(1) | (1 << 16))).is_err(), "no second block");
    assert!(heap.item(HeapId(0x21)).is_err(), "a NID is not a HID");
}

#[test]
fn a_header_with_a_wrong_partial_crc_names_the_field() {
    let mut bytes = std::fs::read(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../../shared/corpus/pst/pstsdk-test_unicode.pst"
    ))
    .unwrap();
    bytes.truncate(Header::READ_SIZE);
    assert!(Header::parse(&bytes).is_ok());
    bytes[100] ^= 1;
    let err = Header::parse(&bytes).unwrap_err().to_string();
    assert!(err.contains("dwCRCPartial"), "{err}");
}

proptest! {
    #[test]
    fn rtf_decompression_of_arbitrary_bodies_never_panics(
        body in proptest::collection::vec(any::<u8>(), 0..300),
        raw_size in any::<u32>(),
        mela in any::<bool>(),
    ) {
        // A header that passes the size and CRC checks, so the body reaches the decoder.
        let mut data = Vec::new();
        data.extend_from_slice(&((body.len() + 12) as u32).to_le_bytes());
        data.extend_from_slice(&raw_size.to_le_bytes());
        data.extend_from_slice(if mela { b"MELA" } else { b"LZFu" });
        data.extend_from_slice(&pst::ndb::crc::compute_crc(&body).to_le_bytes());
        data.extend_from_slice(&body);
        let _ = pst::messaging::decompress_rtf(&data);
        let _ = pst::messaging::decompress_rtf(&data[..data.len() / 2]);
    }
}
