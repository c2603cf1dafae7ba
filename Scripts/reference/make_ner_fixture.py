#!/usr/bin/env python3
"""Produces the entity fixtures ONCE from the reference implementations; a person reviews the diff.

1. ner_metrics.json: for hand-written (ours) gold/predicted tag sequences, the anchors' own scoring
   `mlcommon.ner_metrics` (seqeval 1.2.2, default = conlleval mode) plus seqeval's `get_entities` chunks, and the
   anchors' `to_io` / `restrict_types` conversions. The Swift suite EntityMetricsTests compares with it.
2. word_alignment.json: for hand-written pre-split sentences, the reference fast tokenizer's ids and word_ids with
   `is_split_into_words=True` and truncation at max_length (as anchors/ner.py encode_batch does). Compared by
   WordPieceAlignmentTests.
3. shared_alignment.json: for the shared NER sets (FiNER-ORD train/val: CC BY-NC, so NO tokens or ids are
   committed), read with the anchors' own loaders (mlcommon.load_ner), the sentence and word counts, the words lost
   to truncation at 256, the tag counts, and the sha256 of every sentence's ids and word_ids written as
   "id,id,...|w,w,...\n" (word id -1 for [CLS]/[SEP]). WordPieceAlignmentTests recomputes them from ../shared.

Reference versions: seqeval==1.2.2 (pinned in ../shared/anchors/requirements-ml.txt), tokenizers==0.22.1. Usage:

    python3 -m venv /work/ner-venv && /work/ner-venv/bin/pip install seqeval==1.2.2 tokenizers==0.22.1
    /work/ner-venv/bin/python Scripts/reference/make_ner_fixture.py ~/.cache/findoc/models/all-MiniLM-L6-v2
"""
import json
import os
import sys

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
sys.path.insert(0, os.path.join(ROOT, "..", "shared", "anchors", "lib"))
import mlcommon as C  # noqa: E402
from seqeval.metrics.sequence_labeling import get_entities  # noqa: E402
from tokenizers import Tokenizer  # noqa: E402

OUT = os.path.join(ROOT, "Tests", "FinDocMLTests", "Fixtures", "entities")

# Each case: a name, gold sentences, predicted sentences (lists of tag lists). Written by hand to exercise one rule.
CASES = [
    ("exact match", [["B-PER", "I-PER", "O", "B-ORG"]], [["B-PER", "I-PER", "O", "B-ORG"]]),
    ("boundary error", [["B-PER", "I-PER", "O"]], [["B-PER", "O", "O"]]),
    ("type error", [["B-ORG", "I-ORG"]], [["B-LOC", "I-LOC"]]),
    ("I without B starts an entity", [["O", "B-LOC", "I-LOC", "O"]], [["O", "I-LOC", "I-LOC", "O"]]),
    ("I after other type", [["B-ORG", "B-LOC"]], [["B-ORG", "I-LOC"]]),
    ("B B adjacent", [["B-PER", "B-PER", "O"]], [["B-PER", "I-PER", "O"]]),
    ("sentence boundary splits", [["O", "B-ORG"], ["I-ORG", "O"]], [["O", "B-ORG"], ["I-ORG", "O"]]),
    ("no predictions", [["B-PER", "O"], ["O", "B-LOC"]], [["O", "O"], ["O", "O"]]),
    ("no gold", [["O", "O", "O"]], [["B-ORG", "O", "I-PER"]]),
    ("mixed corpus", [["B-PER", "I-PER", "O", "B-ORG", "I-ORG", "I-ORG", "O", "B-LOC"],
                      ["O", "B-ORG", "O", "B-PER", "O"],
                      ["B-LOC", "I-LOC", "O", "O"]],
                     [["B-PER", "I-PER", "O", "B-ORG", "I-ORG", "O", "O", "B-LOC"],
                      ["O", "B-ORG", "O", "B-PER", "I-PER"],
                      ["I-LOC", "I-LOC", "O", "B-ORG"]]),
    ("IO scheme", [["I-ORG", "I-ORG", "O", "I-PER", "I-LOC"]], [["I-ORG", "O", "O", "I-PER", "I-LOC"]]),
]

# Conversions as anchors/ner.py applies them: restrict_types(to_io(tags)) for IO data, restrict_types(tags) otherwise.
CONVERSIONS = [
    ["B-PER", "I-PER", "O", "B-MISC", "I-MISC", "I-ORG", "B-LOC"],
    ["I-MISC", "O", "I-LOC", "B-ORG"],
]

# Pre-split sentences (ours) for the alignment fixture: punctuation inside a word, accents, a word longer than
# WordPiece's 100-character limit, a zero-width space that normalises to nothing, a literal special token, money.
SENTENCES = [
    ["Northwind", "Capital", "raised", "$84.3", "billion", "in", "Q3", "2022", "."],
    ["U.S.", "regulators", "met", "Zoë", "Ångström", "of", "Fjordbank", "ASA", "in", "Oslo", "."],
    ["x" * 120, "\u200b", "[SEP]", "EBITDA", "rose", "12.5%", "y/y"],
    ["Acme", "Holdings'", "CFO", "said", "(", "NYSE:", "ACME", ")", "—", "€1.2m", "…"],
]
LONG = ["revenue"] * 120 + ["antidisestablishmentarianism"] * 40 + ["Northwind"] * 10


def metrics_fixture():
    cases = []
    for name, gold, pred in CASES:
        cases.append({"name": name, "gold": gold, "pred": pred, "metrics": C.ner_metrics(gold, pred),
                      "gold_entities": [[list(e) for e in get_entities(s)] for s in gold],
                      "pred_entities": [[list(e) for e in get_entities(s)] for s in pred]})
    conv = [{"tags": t, "to_io": C.to_io(t), "restrict_types": C.restrict_types(t),
             "restrict_io": C.restrict_types(C.to_io(t))} for t in CONVERSIONS]
    return {"reference": "mlcommon.ner_metrics (seqeval 1.2.2)", "cases": cases, "conversions": conv}


def alignment_fixture(model_dir, max_len=256):
    tok = Tokenizer.from_file(os.path.join(model_dir, "tokenizer.json"))
    tok.no_padding()
    tok.enable_truncation(max_length=max_len)
    out = []
    for words in SENTENCES + [LONG]:
        enc = tok.encode(words, is_pretokenized=True)
        out.append({"words": words, "ids": enc.ids, "word_ids": enc.word_ids})
    return {"reference": "tokenizers 0.22.1, is_pretokenized=True, truncation max_length %d" % max_len,
            "max_length": max_len, "sentences": out}


SHARED_SETS = ["finer_ord/train.csv", "finer_ord/val.csv", "sec_filings_ner_alvarado2015/train/FIN5.txt"]


def shared_fixture(model_dir, max_len=256):
    import hashlib
    from collections import Counter
    tok = Tokenizer.from_file(os.path.join(model_dir, "tokenizer.json"))
    tok.no_padding()
    tok.enable_truncation(max_length=max_len)
    out = []
    for rel in SHARED_SETS:
        sents, fmt = C.load_ner(os.path.join(ROOT, "..", "shared", "data", rel))
        h = hashlib.sha256()
        lost = 0
        for words, _ in sents:
            enc = tok.encode(words, is_pretokenized=True)
            wids = [-1 if w is None else w for w in enc.word_ids]
            lost += len(words) - len(set(w for w in wids if w >= 0))
            h.update((",".join(map(str, enc.ids)) + "|" + ",".join(map(str, wids)) + "\n").encode())
        tags = Counter(t for _, y in sents for t in C.restrict_types(y))
        out.append({"file": rel, "format": fmt, "sentences": len(sents), "words": sum(len(w) for w, _ in sents),
                    "words_lost_to_truncation": lost, "tag_counts": dict(sorted(tags.items())),
                    "alignment_sha256": h.hexdigest()})
    return {"reference": "mlcommon.load_ner + tokenizers 0.22.1 is_pretokenized, max_length %d" % max_len,
            "sets": out}


def main():
    if len(sys.argv) != 2:
        sys.exit("usage: make_ner_fixture.py MODEL_DIR (the folder with tokenizer.json)")
    os.makedirs(OUT, exist_ok=True)
    with open(os.path.join(OUT, "ner_metrics.json"), "w", encoding="utf-8") as f:
        json.dump(metrics_fixture(), f, indent=1, ensure_ascii=False)
        f.write("\n")
    with open(os.path.join(OUT, "word_alignment.json"), "w", encoding="utf-8") as f:
        json.dump(alignment_fixture(sys.argv[1]), f, ensure_ascii=False)
        f.write("\n")
    with open(os.path.join(OUT, "shared_alignment.json"), "w", encoding="utf-8") as f:
        json.dump(shared_fixture(sys.argv[1]), f, indent=1)
        f.write("\n")


if __name__ == "__main__":
    main()
