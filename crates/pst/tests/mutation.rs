//! Damaged files: bit flips, truncations and swapped blocks of small corpus files. Every
//! variant is opened and walked (check + dump) in strict and lenient mode; errors are fine,
//! panics and unbounded work are not.

mod common;

use pst::{OpenOptions, PstFile};
use std::sync::Arc;

/// A small deterministic generator (xorshift64*), so failures reproduce.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }
}

/// Offsets of the blocks and pages the original file uses, so most flips hit structure.
fn used_regions(bytes: &[u8]) -> Vec<(usize, usize)> {
    let file = PstFile::from_reader(Box::new(bytes.to_vec()), OpenOptions::default()).unwrap();
    let mut regions = Vec::new();
    file.ndb()
        .for_each_block(|e| regions.push((e.bref.ib as usize, usize::from(e.cb).max(1))))
        .unwrap();
    let root = file.header().root;
    regions.push((root.node_btree.ib as usize, 512));
    regions.push((root.block_btree.ib as usize, 512));
    regions.push((0, 564));
    regions
}

fn walk(bytes: Vec<u8>, lenient: bool) {
    let source: Arc<[u8]> = bytes.into();
    let Ok(file) = PstFile::from_reader(Box::new(source), OpenOptions { lenient }) else {
        return;
    };
    let report = pst::check::check(&file);
    assert!(report.problems.len() <= 10_000);
    let _ = pst::dump::dump(&file);
    let _ = file.message_store().map(|s| (s.display_name(), s.password_crc()));
    let _ = file.named_properties().map(|n| n.len());
}

fn mutate_and_walk(name: &str, variants: usize, seed: u64) {
    let original = std::fs::read(common::corpus_file(name)).unwrap();
    let regions = used_regions(&original);
    let mut rng = Rng(seed);
    for i in 0..variants {
        let mut bytes = original.clone();
        match i % 5 {
            // Flip 1–4 bits inside used structures.
            0..=2 => {
                for _ in 0..=rng.below(4) {
                    let (start, len) = regions[rng.below(regions.len())];
                    let at = (start + rng.below(len)).min(bytes.len() - 1);
                    bytes[at] ^= 1 << rng.below(8);
                }
            }
            // Truncate anywhere.
            3 => bytes.truncate(rng.below(original.len())),
            // Swap two blocks' first bytes.
            _ => {
                let (a, la) = regions[rng.below(regions.len())];
                let (b, lb) = regions[rng.below(regions.len())];
                let n = la.min(lb).min(64);
                if a + n <= bytes.len() && b + n <= bytes.len() && (a + n <= b || b + n <= a) {
                    let (first, second) = if a < b { (a, b) } else { (b, a) };
                    let (left, right) = bytes.split_at_mut(second);
                    left[first..first + n].swap_with_slice(&mut right[..n]);
                }
            }
        }
        walk(bytes, i % 2 == 0);
    }
}

#[test]
fn mutated_ansi_files_never_panic() {
    mutate_and_walk("pstsdk-test_ansi.pst", 200, 0x9E37_79B9_7F4A_7C15);
}

#[test]
fn mutated_unicode_files_never_panic() {
    mutate_and_walk("pstsdk-submessage.pst", 200, 0xD1B5_4A32_D192_ED03);
}

#[test]
fn mutated_files_with_appointments_and_embedded_messages_never_panic() {
    mutate_and_walk("java-libpst-dist-list.pst", 200, 0x94D0_49BB_1331_11EB);
}

#[test]
fn mutated_ansi_stores_with_hundreds_of_messages_never_panic() {
    mutate_and_walk("pst2john-97_outlook_pass12345.pst", 30, 0x2545_F491_4F6C_DD1D);
}

#[test]
fn mutated_4k_page_osts_never_panic() {
    // 16 MiB per variant: fewer variants, same code paths as the small files plus zlib blocks.
    mutate_and_walk("pst-extractor-outlookcom-2013.ost", 10, 0x5851_F42D_4C95_7F2D);
}

#[test]
fn truncated_headers_are_errors_not_panics() {
    let original = std::fs::read(common::corpus_file("pstsdk-test_unicode.pst")).unwrap();
    for len in [0, 3, 4, 100, 511, 512, 563, 564, 600] {
        let bytes = original[..len.min(original.len())].to_vec();
        assert!(
            PstFile::from_reader(Box::new(bytes), OpenOptions::default())
                .and_then(|f| f.root_folder().map(drop))
                .is_err()
        );
    }
}
