#![no_main]
//! BTPAGE parsing (MS-PST 2.2.2.7.7) in each format; the first byte picks format and ptype.
use pst::ndb::Format;
use pst::ndb::page::BTreePage;

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    let Some((&selector, rest)) = data.split_first() else { return };
    let format = match selector % 3 {
        0 => Format::Ansi,
        1 => Format::Unicode,
        _ => Format::Unicode4k,
    };
    let ptype = if selector & 0x80 != 0 { 0x80 } else { 0x81 };
    let size = if format == Format::Unicode4k { 4096 } else { 512 };
    let mut page = rest.to_vec();
    page.resize(size, 0);
    if let Ok((page, _)) = BTreePage::parse(format, 0x4400, pst::BlockId(4), ptype, page) {
        for i in 0..page.c_ent {
            if page.c_level > 0 {
                let _ = page.child(format, i);
            } else if ptype == 0x81 {
                let _ = page.node_entry(format, i);
            } else {
                let _ = page.block_entry(format, i);
            }
        }
    }
});
