#!/usr/bin/env bash
# A fuzzing campaign for the MAPI structure parsers (crates/mapi/fuzz). Not part of CI beyond
# a short smoke run.
#
# Usage: scripts/fuzz/mapi.sh [SECONDS_PER_TARGET] [TARGET...]
#   SECONDS_PER_TARGET  default 600; targets default to all:
#     recurrence_blob  the recurrence BLOB (MS-OXOCAL 2.2.1.44), TZDEFINITION and
#                      PidLidTimeZoneStruct: parse, write back, expand a month
# Seeds: the MS-OXOCAL 4.1.1.2 example BLOB (crates/mapi/fuzz/seeds). New inputs go to
# crates/mapi/fuzz/corpus/TARGET, crashes to crates/mapi/fuzz/artifacts/TARGET (ignored by git).
# Needs cargo-fuzz; RUSTC_BOOTSTRAP=1 lets libFuzzer's -Z flags through on stable.
set -euo pipefail

seconds=${1:-600}
shift || true
if [ $# -gt 0 ]; then targets=("$@"); else targets=(recurrence_blob); fi

root=$(cd "$(dirname "$0")/../.." && pwd)
cd "$root/crates/mapi"
for target in "${targets[@]}"; do
    corpus="$root/crates/mapi/fuzz/corpus/$target"
    mkdir -p "$corpus"
    echo "== $target: ${seconds}s, corpus $corpus" >&2
    RUSTC_BOOTSTRAP=1 cargo fuzz run "$target" "$corpus" "$root/crates/mapi/fuzz/seeds" -- \
        -max_total_time="$seconds" -timeout=20 -rss_limit_mb=2048 -max_len=4096
done
