#![no_main]
//! Reading text out of RTF (MS-OXRTFEX de-encapsulation and the plain rendering) on arbitrary
//! bytes: a value or an error, never a panic, with output bounded by the input.
libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    let limit = data.len().saturating_mul(4) + 16;
    if let Ok(text) = convert::rtf::to_plain_text(data) {
        assert!(text.len() <= limit, "plain text {} from {} bytes", text.len(), data.len());
    }
    if let Ok(Some(html)) = convert::rtf::extract_html(data) {
        assert!(html.len() <= limit, "html {} from {} bytes", html.len(), data.len());
    }
    if let Ok(Some(text)) = convert::rtf::extract_text(data) {
        assert!(text.len() <= limit);
    }
});
