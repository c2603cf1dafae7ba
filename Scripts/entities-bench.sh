#!/usr/bin/env bash
# Times the deterministic entity recognisers end to end: ingest the shared Motley Fool calls
# (../shared/data/earnings_calls_fool_json) into a temporary store, then `findoc label --task entities` (read
# sentences, recognise MONEY/PERCENT/DATE/TICKER, store). Prints sentences, entities per type, wall time and peak
# memory. Usage: Scripts/entities-bench.sh [debug|release]   (default debug; release builds first, ~minutes)
set -euo pipefail
cd "$(dirname "$0")/.."
config=${1:-debug}
if [ "$config" = release ]; then swift build -c release --product findoc 2>&1 | grep -E "error|warning:|Build complete"; fi
bin=.build/$config/findoc
data=../shared/data/earnings_calls_fool_json
db=$(mktemp -d)/bench.sqlite
"$bin" ingest --db "$db" "$data" > /dev/null
/usr/bin/time -f "label --task entities ($config): %e s wall, %M KB peak" "$bin" label --db "$db" --task entities
"$bin" sql --db "$db" "SELECT entity_type, COUNT(*) AS n FROM entities GROUP BY 1 ORDER BY 1"
rm -rf "$(dirname "$db")"
