#![no_main]
//! HEADER parsing (MS-PST 2.2.2.6) on arbitrary bytes.
libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    let _ = pst::ndb::Header::parse(data);
});
