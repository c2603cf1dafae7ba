#!/usr/bin/env bash
# Acceptance check: kill -9 an ingest of 250,000 rows part-way, re-run it, and expect exactly 250,000 transactions
# and a store that passes SQLite's integrity check. Run from the repository root after a release build:
#   swift build -c release && bash Scripts/kill9-check.sh [ROWS] [KILL_AFTER_SECONDS...]
set -euo pipefail
cd "$(dirname "$0")/.."
rows=${1:-250000}
shift || true
delays=("${@:-0.3 0.8 1.5}")
bin=$(swift build -c release --show-bin-path)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

for layout in "1 file" "5 files"; do
  files=${layout%% *}
  "$bin/findoc-bench" --rows "$rows" --files "$files" --dir "$work/in-$files" --generate-only >/dev/null
  rm -f "$work/in-$files"/*.sqlite*
  for delay in ${delays[@]}; do
    db="$work/kill-$files-$delay.sqlite"
    "$bin/findoc" ingest --db "$db" "$work/in-$files" >/dev/null 2>&1 &
    pid=$!
    sleep "$delay"
    kill -9 "$pid" 2>/dev/null && killed=yes || killed="no (finished first)"
    wait "$pid" 2>/dev/null || true
    before=$("$bin/findoc" sql --db "$db" --format csv "SELECT COUNT(*) FROM transactions" 2>/dev/null | tail -1 | tr -d "\r" || echo "store missing")
    integrity=$("$bin/findoc" sql --db "$db" --format csv "PRAGMA integrity_check" 2>/dev/null | tail -1 | tr -d "\r" || echo "-")
    "$bin/findoc" ingest --db "$db" "$work/in-$files" >/dev/null 2>&1 || true
    after=$("$bin/findoc" sql --db "$db" --format csv "SELECT COUNT(*) FROM transactions" | tail -1 | tr -d "\r")
    status="OK"
    [ "$after" = "$rows" ] || status="WRONG"
    echo "$layout, kill -9 after ${delay}s (killed: $killed): $before rows committed, integrity $integrity; after re-run $after rows: $status"
    [ "$status" = OK ] || exit 1
  done
done
