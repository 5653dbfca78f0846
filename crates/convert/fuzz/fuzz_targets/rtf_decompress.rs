#![no_main]
//! Compressed RTF (MS-OXRTFCP) on arbitrary bytes: decompression ends in bytes or an error,
//! its output is bounded by the input, and what it produces compresses back to itself. The
//! first 16 bytes are also tried with a correct CRC, so the decoder is reached past the check.
libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    check(data);
    if data.len() >= 16 {
        let mut fixed = data.to_vec();
        let comp_size = (fixed.len() - 4) as u32;
        fixed[0..4].copy_from_slice(&comp_size.to_le_bytes());
        if fixed[8] & 1 == 0 {
            fixed[8..12].copy_from_slice(b"LZFu");
        }
        let crc = convert::rtf::crc32(&fixed[16..]);
        fixed[12..16].copy_from_slice(&crc.to_le_bytes());
        check(&fixed);
    }
});

fn check(data: &[u8]) {
    if let Ok(rtf) = convert::rtf::decompress(data) {
        assert!(rtf.len() <= data.len().saturating_mul(8) + 136, "output beyond the maximum expansion");
        let packed = convert::rtf::compress(&rtf).expect("compressible");
        assert_eq!(convert::rtf::decompress(&packed).expect("our own output"), rtf);
    }
}
