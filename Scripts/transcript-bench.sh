#!/usr/bin/env bash
# End-to-end transcript ingest throughput (not a test): a release build of findoc ingests a folder of transcripts
# into a fresh store and this prints transcripts/s and MB/s. Usage:
#   Scripts/transcript-bench.sh [FOLDER ...]   (default: the 60 shared JSON calls, then the raw text folder)
set -euo pipefail
cd "$(dirname "$0")/.."
swift build -c release --product findoc 2>&1 | grep -E "error|warning:|Compiling|Build complete" | tail -1
bin=$(swift build -c release --show-bin-path)/findoc
folders=("$@")
if [ ${#folders[@]} -eq 0 ]; then
  folders=(../shared/data/earnings_calls_fool_json ../shared/data/earnings_calls_fool_raw_text)
fi
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
for folder in "${folders[@]}"; do
  files=$(find "$folder" -type f -name '*.txt' | wc -l)
  bytes=$(find "$folder" -type f -name '*.txt' -printf '%s\n' | awk '{s+=$1} END {print s}')
  rm -f "$out"/bench.sqlite*
  # Transcripts only: SOURCE.md and READMEs are left out by passing the .txt files.
  start=$(date +%s.%N)
  TIMEFORMAT='%U %S'
  cpu=$( { time (find "$folder" -type f -name '*.txt' -print0 | sort -z \
    | xargs -0 "$bin" ingest --db "$out/bench.sqlite" > /dev/null 2>&1 || true); } 2>&1 | awk '{print $1 + $2}')
  end=$(date +%s.%N)
  calls=$("$bin" sql --db "$out/bench.sqlite" --format csv "SELECT COUNT(*) FROM transcripts" | tail -1)
  sentences=$("$bin" sql --db "$out/bench.sqlite" --format csv "SELECT COUNT(*) FROM sentences" | tail -1)
  # Wall time depends on what else the machine runs; CPU time (user + system) is printed beside it.
  awk -v f="$folder" -v n="$files" -v c="$calls" -v s="$sentences" -v b="$bytes" -v t0="$start" -v t1="$end" \
    -v cpu="$cpu" 'BEGIN {
    t = t1 - t0; printf "%s: %d files (%.2f MB), %d calls stored, %d sentences in %.2f s wall: %.1f transcripts/s, %.2f MB/s; %.2f s CPU: %.1f transcripts/CPU-s, %.2f MB/CPU-s\n",
      f, n, b / 1e6, c, s, t, n / t, b / 1e6 / t, cpu, n / cpu, b / 1e6 / cpu }'
done
