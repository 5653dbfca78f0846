//! Compressed RTF throughput: `cargo bench -p outpost-convert --bench rtf`.
//! The input is a 1 MiB RTF document of pseudo-random words (a fixed seed), so the ratio is
//! like a real body's rather than a best case.

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use std::hint::black_box;

fn document() -> Vec<u8> {
    const WORDS: &[&str] = &[
        "the",
        "meeting",
        "\\b quarterly\\b0",
        "report",
        "{\\i attached}",
        "please",
        "review",
        "\\par ",
        "Caf\\'e9",
        "numbers",
        "\\u8364?",
        "budget",
        "team",
        "schedule",
        "\\tab ",
    ];
    let mut out =
        b"{\\rtf1\\ansi\\ansicpg1252\\deff0{\\fonttbl{\\f0\\fswiss Arial;}}\\pard\\f0\\fs20 "
            .to_vec();
    let mut seed = 0x2545_f491_4f6c_dd1du64;
    while out.len() < 1 << 20 {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        out.extend_from_slice(WORDS[(seed % WORDS.len() as u64) as usize].as_bytes());
        out.push(b' ');
    }
    out.push(b'}');
    out
}

fn bench(c: &mut Criterion) {
    let rtf = document();
    let packed = convert::rtf::compress(&rtf).unwrap();
    let mut group = c.benchmark_group("compressed_rtf");
    group.throughput(Throughput::Bytes(rtf.len() as u64));
    group.bench_function("decompress_1MiB", |b| {
        b.iter(|| convert::rtf::decompress(black_box(&packed)).unwrap())
    });
    group.bench_function("compress_1MiB", |b| {
        b.iter(|| convert::rtf::compress(black_box(&rtf)).unwrap())
    });
    group.bench_function("to_plain_text_1MiB", |b| {
        b.iter(|| convert::rtf::to_plain_text(black_box(&rtf)).unwrap())
    });
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
