//! Property tests: compression round-trips any bytes, and hostile input to every reader ends
//! in a value or an error, never a panic, with output bounded by the input.

use proptest::prelude::*;

/// RTF-like bytes: repetitive enough that references are used, with any byte mixed in.
fn rtf_like() -> impl Strategy<Value = Vec<u8>> {
    let pieces = prop_oneof![
        Just(b"{\\rtf1\\ansi ".to_vec()),
        Just(b"\\par ".to_vec()),
        Just(b"{\\*\\htmltag84 <p>}".to_vec()),
        Just(b"\\htmlrtf0 ".to_vec()),
        Just(b"}".to_vec()),
        Just(b"\\'e9".to_vec()),
        Just(b"\\u8364?".to_vec()),
        proptest::collection::vec(any::<u8>(), 0..20),
    ];
    proptest::collection::vec(pieces, 0..200).prop_map(|v| v.concat())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn compress_then_decompress_is_the_identity(data in rtf_like()) {
        let packed = convert::rtf::compress(&data).unwrap();
        prop_assert_eq!(convert::rtf::decompress(&packed).unwrap(), data);
    }

    #[test]
    fn arbitrary_bytes_round_trip(data in proptest::collection::vec(any::<u8>(), 0..5000)) {
        let packed = convert::rtf::compress(&data).unwrap();
        prop_assert_eq!(convert::rtf::decompress(&packed).unwrap(), data);
    }

    #[test]
    fn decompress_of_hostile_bytes_is_bounded(mut data in proptest::collection::vec(any::<u8>(), 16..2000), raw in any::<u32>(), lzfu in any::<bool>()) {
        let len = data.len() as u32 - 4;
        data[0..4].copy_from_slice(&len.to_le_bytes());
        data[4..8].copy_from_slice(&raw.to_le_bytes());
        data[8..12].copy_from_slice(if lzfu { b"LZFu" } else { b"MELA" });
        let crc = convert::rtf::crc32(&data[16..]);
        data[12..16].copy_from_slice(&crc.to_le_bytes());
        if let Ok(out) = convert::rtf::decompress(&data) {
            prop_assert!(out.len() <= data.len() * 8 + 136);
        }
    }

    #[test]
    fn readers_never_panic(data in rtf_like()) {
        let _ = convert::rtf::to_plain_text(&data);
        let _ = convert::rtf::extract_html(&data);
        let _ = convert::rtf::extract_text(&data);
        let _ = convert::rtf::encapsulation(&data);
    }
}
