#!/usr/bin/env python3
"""Token ids for findoc-encoder-bench, for exactly the sentences ../shared/anchors/encoder_speed.py times.

Until findoc's own WordPiece tokenizer is wired into the bench, the reference tokenizer (transformers'
BertTokenizerFast from the installed model folder; max_length 128, truncation) provides the ids, and its own cost
is measured here so the bench report can state it.

    /work/ml-venv/bin/python Scripts/reference/tokenize_for_bench.py \
        --input ../shared/data/financial_phrasebank/train.tsv --limit 969 --out ../bench-out/phrasebank_ids.jsonl

Writes one JSON object per line, {"text": ..., "ids": [...]}, OUTSIDE the repository (PhraseBank is
non-commercial and stays out of it).
"""
import argparse
import json
import os
import statistics
import sys
import time

ANCHORS = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "..", "shared", "anchors")


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--input", required=True)
    ap.add_argument("--limit", type=int, default=969)
    ap.add_argument("--model", default=os.path.expanduser("~/.cache/findoc/models/all-MiniLM-L6-v2"))
    ap.add_argument("--anchors", default=ANCHORS, help="the anchors kit (for its sentence sampling)")
    ap.add_argument("--out", required=True)
    a = ap.parse_args()
    sys.path.insert(0, os.path.abspath(a.anchors))
    sys.path.insert(0, os.path.join(os.path.abspath(a.anchors), "lib"))
    import mlcommon as C
    from encoder_speed import read_texts
    from transformers import AutoTokenizer

    texts = read_texts(a.input, None, a.limit, C.SEED)
    tok = AutoTokenizer.from_pretrained(a.model)
    ids = tok(texts, truncation=True, max_length=128)["input_ids"]
    os.makedirs(os.path.dirname(os.path.abspath(a.out)), exist_ok=True)
    with open(a.out, "w", encoding="utf-8") as f:
        for t, i in zip(texts, ids):
            f.write(json.dumps({"text": t, "ids": i}, ensure_ascii=False) + "\n")
    for bs in (32, 1):
        runs = []
        for _ in range(5):
            t0 = time.perf_counter()
            for s in range(0, len(texts), bs):
                tok(texts[s:s + bs], padding=True, truncation=True, max_length=128)
            runs.append(time.perf_counter() - t0)
        med = statistics.median(runs)
        print(f"reference tokenizer (BertTokenizerFast), batch {bs}: {len(texts) / med:,.0f} sentences/s "
              f"({1e6 * med / len(texts):.0f} us per sentence)")
    print(f"wrote {len(texts)} sentences, mean {sum(map(len, ids)) / len(ids):.1f} ids, to {a.out}")


if __name__ == "__main__":
    main()
