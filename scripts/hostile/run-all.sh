#!/usr/bin/env bash
# Runs every command that reads a PST/OST on every file of a directory, each under a 512 MiB
# address-space cap (prlimit --as) and a 15 s timeout, and reports pass/fail per file. A file
# passes when every command ends with exit 0, 1 or 2 within the limits (issue 16, section 3).
#
# Usage: scripts/hostile/run-all.sh DIR [OUTPOST_BINARY]
#   OUTPOST_BINARY  default: $OUTPOST_BIN, else target/release/outpost, target/debug/outpost,
#                   then `outpost` on PATH.
#   HOSTILE_TIMEOUT / HOSTILE_MEMORY override the limits (seconds / bytes).
# Commands per file, each with a fresh OUTPOST_HOME and --no-instance for session commands:
#   pst info|ls|dump|check FILE, store add FILE, folders, items inbox --store FILE
# Exit 0 when every file passes, 1 otherwise; needs prlimit (util-linux) and timeout (coreutils).
set -uo pipefail

dir=${1:?usage: run-all.sh DIR [OUTPOST_BINARY]}
root=$(cd "$(dirname "$0")/../.." && pwd)
bin=${2:-${OUTPOST_BIN:-}}
if [ -z "$bin" ]; then
    for candidate in "$root/target/release/outpost" "$root/target/debug/outpost"; do
        if [ -x "$candidate" ]; then bin=$candidate; break; fi
    done
fi
bin=${bin:-outpost}
seconds=${HOSTILE_TIMEOUT:-15}
memory=${HOSTILE_MEMORY:-536870912}
command -v prlimit >/dev/null || { echo "prlimit (util-linux) is needed" >&2; exit 2; }
command -v timeout >/dev/null || { echo "timeout (coreutils) is needed" >&2; exit 2; }

failed=0
total=0
for file in "$dir"/*; do
    [ -f "$file" ] || continue
    total=$((total + 1))
    home=$(mktemp -d)
    problems=()
    run() {
        local code
        OUTPOST_HOME="$home" OUTPOST_NO_INSTANCE=1 USER=${USER:-hostile} \
            prlimit --as="$memory" -- timeout --kill-after=2 "$seconds" "$bin" "$@" \
            >/dev/null 2>"$home/stderr"
        code=$?
        case $code in
            0|1|2) ;;
            124|137) problems+=("$* : no answer within ${seconds}s") ;;
            *) problems+=("$* : exit $code ($(tail -c 300 "$home/stderr" | tr '\n' ' '))") ;;
        esac
    }
    run pst info "$file"
    run pst ls "$file"
    run pst dump "$file"
    run pst check "$file"
    run store add "$file" --no-instance
    run folders --no-instance
    run items inbox --store "$file" --no-instance
    rm -rf "$home"
    if [ ${#problems[@]} -eq 0 ]; then
        echo "PASS $file"
    else
        failed=$((failed + 1))
        echo "FAIL $file"
        printf '     %s\n' "${problems[@]}"
    fi
done
echo "$((total - failed)) of $total files passed"
[ "$failed" -eq 0 ]
