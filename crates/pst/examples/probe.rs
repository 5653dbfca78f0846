//! Development aid: inspect one message.
fn main() {
    let mut args = std::env::args().skip(1);
    let path = args.next().unwrap();
    let nid = u32::from_str_radix(args.next().unwrap().trim_start_matches("0x"), 16).unwrap();
    let file = pst::PstFile::open(&path).unwrap();
    let m = file.message(pst::NodeId(nid)).unwrap();
    println!("class {:?}", m.message_class());
    if let Some(t) = m.attachment_table().unwrap() {
        for r in t.rows() {
            let r = r.unwrap();
            println!("row {:#x}: {:?}", r.row_id(), r.values().map(|v| v.len()));
        }
    }
    for a in m.attachments() {
        println!("{:?}", a.len());
    }
    let node = pst::ltp::LtpNode::open(file.ndb(), pst::NodeId(nid)).unwrap();
    for s in node.subnodes.iter() {
        println!("sub {:x?}", s);
    }
}
