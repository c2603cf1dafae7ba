#!/usr/bin/env bash
# Category model on the Birmingham purchase cards with a time split, as reported in the categories work:
#   train: Dec 2016 - Jun 2017 (7 monthly files), test: Jul - Aug 2017 (the last two months of ../shared).
# Usage: bash Scripts/bench-categories.sh [extra train flags...]   (run from the repository root, release build)
# Set EXTRA_COLUMNS=1 to add the card number (--account-column) as findoc can; the anchors see only the merchant.
set -euo pipefail
D=${DATA:-../shared/data/txn_birmingham_pcard}
BIN=${BIN:-.build/release/findoc}
OUT=${OUT:-/tmp/findoc-bench-categories}
TRAIN=("$D"/purchase-card-transactions-201612.csv "$D"/purchase-card-transactions-20170[1-6].csv)
TEST=("$D"/purchase-card-transactions-20170[78].csv)
COLS=(--text-column "MERCHANT NAME" --label-column "TRANS CAC DESC 1" --amount-column "ORIGINAL GROSS AMT")
if [[ "${EXTRA_COLUMNS:-0}" == 1 ]]; then COLS+=(--account-column "CARD NUMBER"); fi
mkdir -p "$OUT"
"$BIN" train categories --data "${TRAIN[@]}" "${COLS[@]}" --out "$OUT/model" "$@" 2>/dev/null
"$BIN" eval "$OUT/model" --data "${TEST[@]}" "${COLS[@]}" --format json 2>/dev/null > "$OUT/eval.json"
python3 - "$OUT/eval.json" <<'PY'
import json, sys
r = json.load(open(sys.argv[1]))
u, t = r["unknown"], r["timing"]
print(f"test rows {r['count']}  accuracy {r['accuracy']:.4f}  macro_f1 {r['macro_f1']:.4f}  weighted_f1 {r['weighted_f1']:.4f}")
print(f"UNKNOWN threshold {u['threshold']:.3f}: coverage {u['coverage']:.4f} precision {u['precision']:.4f}")
print(f"prediction {t['items_per_s']:.0f} items/s ({t['threads']} threads, features + model, one batch)")
PY
