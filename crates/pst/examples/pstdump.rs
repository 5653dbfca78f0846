//! Prints the canonical dump of a PST/OST file (development aid).
fn main() {
    let path = std::env::args().nth(1).expect("usage: pstdump FILE");
    let file = pst::PstFile::open(&path).expect("open");
    let dump = pst::dump::dump(&file).expect("dump");
    println!("{}", serde_json::to_string_pretty(&dump).expect("json"));
}
