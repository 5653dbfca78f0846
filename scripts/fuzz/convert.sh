#!/usr/bin/env bash
# A fuzzing campaign for the convert crate (crates/convert/fuzz). Not part of CI beyond the
# 10-second smoke run in .ci/run.
#
# Usage: scripts/fuzz/convert.sh [SECONDS_PER_TARGET] [TARGET...]
#   SECONDS_PER_TARGET  default 3600; targets default to both:
#     rtf_decompress  compressed RTF (MS-OXRTFCP) decompression, and compression of its output
#     rtf_text        HTML/text de-encapsulation (MS-OXRTFEX) and the plain rendering of RTF
#   FUZZ_JOBS=N runs N libFuzzer jobs per target in parallel (default 1).
#
# Needs cargo-fuzz and libFuzzer's -Z flags (RUSTC_BOOTSTRAP=1 on stable), like pst.sh. Seeds:
# the spec's examples and a few RTF documents written here to target/convert-seeds. New inputs
# go to crates/convert/fuzz/corpus/TARGET, crashes to crates/convert/fuzz/artifacts/TARGET
# (both ignored by git). Reproduce one with
#   RUSTC_BOOTSTRAP=1 cargo fuzz run TARGET crates/convert/fuzz/artifacts/TARGET/crash-...
set -euo pipefail

seconds=${1:-3600}
shift || true
if [ $# -gt 0 ]; then targets=("$@"); else targets=(rtf_decompress rtf_text); fi
jobs=${FUZZ_JOBS:-1}

root=$(cd "$(dirname "$0")/../.." && pwd)
seeds="$root/target/convert-seeds"
mkdir -p "$seeds/rtf_decompress" "$seeds/rtf_text"
# MS-OXRTFCP 4.1.1 (Example 1) as stored, and RTF shapes for the text readers.
printf '\x2d\x00\x00\x00\x2b\x00\x00\x00\x4c\x5a\x46\x75\xf1\xc5\xc7\xa7\x03\x00\x0a\x00\x72\x63\x70\x67\x31\x32\x35\x42\x32\x0a\xf3\x20\x68\x65\x6c\x09\x00\x20\x62\x77\x05\xb0\x6c\x64\x7d\x0a\x80\x0f\xa0' \
    > "$seeds/rtf_decompress/spec-example-1"
printf '%s' '{\rtf1\ansi\ansicpg1252\fromhtml1 \deff0{\fonttbl{\f0\fswiss\fcharset204 Arial;}}{\*\htmltag19 <html>}\htmlrtf {\htmlrtf0 {\*\htmltag64 <p>}Caf\'"'"'e9 \u8364?\htmlrtf \par\htmlrtf0 {\*\htmltag72 </p>}\htmlrtf }\htmlrtf0 }' \
    > "$seeds/rtf_text/fromhtml"
printf '%s' '{\rtf1\ansi\fromtext{\fonttbl{\f0 Courier;}}{\colortbl;\red1;}\f0 Hello\par\uc2\u-4064XX\bin2 {}tail\tab end}' \
    > "$seeds/rtf_text/fromtext"

cd "$root/crates/convert"
for target in "${targets[@]}"; do
    corpus="$root/crates/convert/fuzz/corpus/$target"
    mkdir -p "$corpus"
    flags=(-max_total_time="$seconds" -timeout=20 -rss_limit_mb=2048 -max_len=65536)
    if [ "$jobs" -gt 1 ]; then flags+=(-jobs="$jobs" -workers="$jobs"); fi
    echo "== $target: ${seconds}s, corpus $corpus" >&2
    RUSTC_BOOTSTRAP=1 cargo fuzz run "$target" "$corpus" "$seeds/$target" -- "${flags[@]}"
done
