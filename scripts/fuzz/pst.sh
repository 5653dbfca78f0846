#!/usr/bin/env bash
# A long fuzzing campaign for the PST/OST reader (crates/pst/fuzz). Not part of CI.
#
# Usage: scripts/fuzz/pst.sh [SECONDS_PER_TARGET] [TARGET...]
#   SECONDS_PER_TARGET  default 3600; targets default to all four:
#     header      the HEADER/ROOT parser (MS-PST 2.2.2.6)
#     btree_page  B-tree pages with their trailers (2.2.2.7)
#     heap_bth    heap-on-node, BTH, PC and TC over one block (2.3)
#     open_walk   a whole file opened leniently, then `check` and `dump`
#     provider_walk  a whole file mounted as a mapi store and walked through the traits
#   FUZZ_JOBS=N runs N libFuzzer jobs per target in parallel (default 1).
#
# Needs cargo-fuzz (`cargo install cargo-fuzz --locked`) and libFuzzer's -Z flags, which only a
# nightly rustc accepts: on the stable toolchain RUSTC_BOOTSTRAP=1 lets them through.
# open_walk and provider_walk are seeded read-only from ../shared/corpus/pst (inputs are capped at 300 KB, so the
# small corpus files are whole and the large ones truncated) and from the crafted hostile files
# of crates/pst/tests/common/craft.rs (written to target/hostile-seeds by the craft_hostile
# example), so that each bounded structure (shared BTH index items, repeated data-tree blocks,
# unsorted PCs, shared name-map strings, folder cycles) is in reach from the first run. New inputs go to
# crates/pst/fuzz/corpus/TARGET, crashes to crates/pst/fuzz/artifacts/TARGET (both ignored by
# git); the script stops at the first target that finds a crash. Reproduce one with
#   RUSTC_BOOTSTRAP=1 cargo fuzz run TARGET crates/pst/fuzz/artifacts/TARGET/crash-...
set -euo pipefail

seconds=${1:-3600}
shift || true
if [ $# -gt 0 ]; then targets=("$@"); else targets=(header btree_page heap_bth open_walk provider_walk); fi
jobs=${FUZZ_JOBS:-1}

root=$(cd "$(dirname "$0")/../.." && pwd)
seeds="$root/../shared/corpus/pst"
cd "$root/crates/pst"
hostile="$root/target/hostile-seeds"
if [ -f "$seeds/java-libpst-dist-list.pst" ]; then
    cargo run --quiet --example craft_hostile -- "$seeds/java-libpst-dist-list.pst" "$hostile" >/dev/null
fi

for target in "${targets[@]}"; do
    corpus="$root/crates/pst/fuzz/corpus/$target"
    mkdir -p "$corpus"
    dirs=("$corpus")
    flags=(-max_total_time="$seconds" -timeout=20 -rss_limit_mb=2048)
    if [ "$target" = open_walk ] || [ "$target" = provider_walk ]; then
        flags+=(-max_len=300000)
        if [ -d "$seeds" ]; then dirs+=("$seeds"); fi
        if [ -d "$hostile" ]; then dirs+=("$hostile"); fi
    fi
    if [ "$jobs" -gt 1 ]; then flags+=(-jobs="$jobs" -workers="$jobs"); fi
    echo "== $target: ${seconds}s, corpus $corpus" >&2
    RUSTC_BOOTSTRAP=1 cargo fuzz run "$target" "${dirs[@]}" -- "${flags[@]}"
done
