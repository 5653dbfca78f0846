#![no_main]
//! Heap-on-node and BTH parsing (MS-PST 2.3.1, 2.3.2): the input is split into heap blocks
//! at 0xFF 0xFF markers.
use pst::ltp::bth::HeapTree;
use pst::ltp::HeapNode;

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    let blocks: Vec<Vec<u8>> = data.split(|&b| b == 0xFF).take(8).map(<[u8]>::to_vec).collect();
    let Ok(heap) = HeapNode::from_blocks(pst::NodeId(0x21), blocks) else { return };
    if let Ok(tree) = HeapTree::open(&heap, heap.user_root) {
        let _ = tree.records(&heap);
    }
});
