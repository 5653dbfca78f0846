#![no_main]
//! Whole-file open and walk (check and dump) in lenient mode; seed with corpus files.
libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    let options = pst::OpenOptions { lenient: true };
    let Ok(file) = pst::PstFile::from_reader(Box::new(data.to_vec()), options) else { return };
    let _ = pst::check::check(&file);
    let _ = pst::dump::dump(&file);
});
