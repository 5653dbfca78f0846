use super::*;

/// MS-OXRTFCP 4.1.1 (Example 1: Simple Compressed RTF), header and contents.
const SIMPLE_COMPRESSED: &[u8] = &[
    0x2d, 0x00, 0x00, 0x00, 0x2b, 0x00, 0x00, 0x00, 0x4c, 0x5a, 0x46, 0x75, 0xf1, 0xc5, 0xc7, 0xa7,
    0x03, 0x00, 0x0a, 0x00, 0x72, 0x63, 0x70, 0x67, 0x31, 0x32, 0x35, 0x42, 0x32, 0x0a, 0xf3, 0x20,
    0x68, 0x65, 0x6c, 0x09, 0x00, 0x20, 0x62, 0x77, 0x05, 0xb0, 0x6c, 0x64, 0x7d, 0x0a, 0x80, 0x0f,
    0xa0,
];
const SIMPLE_RTF: &[u8] = b"{\\rtf1\\ansi\\ansicpg1252\\pard hello world}\r\n";

/// MS-OXRTFCP 4.1.2 (Example 2: a token that crosses the write position).
const CROSSING_COMPRESSED: &[u8] = &[
    0x1a, 0x00, 0x00, 0x00, 0x1c, 0x00, 0x00, 0x00, 0x4c, 0x5a, 0x46, 0x75, 0xe2, 0xd4, 0x4b, 0x51,
    0x41, 0x00, 0x04, 0x20, 0x57, 0x58, 0x59, 0x5a, 0x0d, 0x6e, 0x7d, 0x01, 0x0e, 0xb0,
];
const CROSSING_RTF: &[u8] = b"{\\rtf1 WXYZWXYZWXYZWXYZWXYZ}";

#[test]
fn the_spec_examples_decompress() {
    assert_eq!(decompress(SIMPLE_COMPRESSED).unwrap(), SIMPLE_RTF);
    assert_eq!(decompress(CROSSING_COMPRESSED).unwrap(), CROSSING_RTF);
}

#[test]
fn the_spec_examples_compress_to_the_spec_bytes() {
    assert_eq!(compress(SIMPLE_RTF).unwrap(), SIMPLE_COMPRESSED);
    assert_eq!(compress(CROSSING_RTF).unwrap(), CROSSING_COMPRESSED);
}

#[test]
fn crc_of_the_spec_example_is_its_header_crc() {
    assert_eq!(crc32(&SIMPLE_COMPRESSED[16..]), 0xa7c7_c5f1);
}

#[test]
fn mela_returns_the_raw_bytes() {
    let mut data = Vec::new();
    data.extend_from_slice(&(12u32 + 5).to_le_bytes());
    data.extend_from_slice(&5u32.to_le_bytes());
    data.extend_from_slice(&MELA.to_le_bytes());
    data.extend_from_slice(&0u32.to_le_bytes());
    data.extend_from_slice(b"{\\rt}");
    assert_eq!(decompress(&data).unwrap(), b"{\\rt}");
    // RAWSIZE beyond the contents (COMPSIZE written there, as some writers do): what is there.
    data[4] = 17;
    assert_eq!(decompress(&data).unwrap(), b"{\\rt}");
    data[4] = 3;
    assert_eq!(decompress(&data).unwrap(), b"{\\r");
}

#[test]
fn a_huge_rawsize_is_refused_before_anything_is_reserved() {
    let mut data = SIMPLE_COMPRESSED.to_vec();
    data[4..8].copy_from_slice(&u32::MAX.to_le_bytes());
    let err = decompress(&data).unwrap_err();
    assert!(
        matches!(
            err,
            ConvertError::RawSizeBeyondData { raw_size: u32::MAX, max: 272, contents: 33, .. }
        ),
        "{err}"
    );
    assert!(err.to_string().contains("RAWSIZE 4294967295"), "{err}");
}

#[test]
fn short_and_inconsistent_headers_are_errors_naming_the_field() {
    assert!(matches!(
        decompress(&SIMPLE_COMPRESSED[..10]),
        Err(ConvertError::Truncated { offset: 10, .. })
    ));
    assert!(matches!(
        decompress(&SIMPLE_COMPRESSED[..40]),
        Err(ConvertError::CompressedSizeBeyondData { comp_size: 0x2d, needed: 49, available: 40 })
    ));
    let mut bad_type = SIMPLE_COMPRESSED.to_vec();
    bad_type[8] = b'X';
    assert!(matches!(decompress(&bad_type), Err(ConvertError::UnknownCompression { .. })));
    let mut bad_crc = SIMPLE_COMPRESSED.to_vec();
    bad_crc[20] ^= 1;
    assert!(matches!(
        decompress(&bad_crc),
        Err(ConvertError::CrcMismatch { stored: 0xa7c7_c5f1, .. })
    ));
    let mut small = SIMPLE_COMPRESSED.to_vec();
    small[0..4].copy_from_slice(&3u32.to_le_bytes());
    assert!(matches!(
        decompress(&small),
        Err(ConvertError::CompressedSizeTooSmall { comp_size: 3 })
    ));
}

#[test]
fn a_wrong_rawsize_or_a_missing_end_marker_is_an_error_with_the_offset() {
    let mut wrong = SIMPLE_COMPRESSED.to_vec();
    wrong[4] = 0x2a;
    let err = decompress(&wrong).unwrap_err();
    assert_eq!(err, ConvertError::RawSizeMismatch { offset: 47, produced: 43, raw_size: 42 });

    // Drop the end marker (the last two bytes) and fix up COMPSIZE and the CRC.
    let mut cut = SIMPLE_COMPRESSED[..SIMPLE_COMPRESSED.len() - 2].to_vec();
    let comp_size = (cut.len() - 4) as u32;
    cut[0..4].copy_from_slice(&comp_size.to_le_bytes());
    let crc = crc32(&cut[16..]);
    cut[12..16].copy_from_slice(&crc.to_le_bytes());
    assert!(matches!(decompress(&cut), Err(ConvertError::Truncated { offset: 47, .. })));
}

#[test]
fn padding_after_compsize_is_ignored() {
    let mut padded = SIMPLE_COMPRESSED.to_vec();
    padded.extend_from_slice(&[0, 0, 0]);
    assert_eq!(decompress(&padded).unwrap(), SIMPLE_RTF);
}

#[test]
fn long_repetitive_input_uses_references_across_the_window() {
    let text: Vec<u8> =
        (0..20_000u32).flat_map(|i| format!("\\par line {} ", i % 300).into_bytes()).collect();
    let packed = compress(&text).unwrap();
    assert!(packed.len() < text.len() / 3, "{} of {}", packed.len(), text.len());
    assert_eq!(decompress(&packed).unwrap(), text);
}

#[test]
fn empty_input_round_trips() {
    let packed = compress(b"").unwrap();
    assert_eq!(decompress(&packed).unwrap(), b"");
}
