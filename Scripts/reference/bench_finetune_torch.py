#!/usr/bin/env python3
"""Times PyTorch fine-tuning steps of all-MiniLM-L6-v2 on the same data and threads as `findoc-encoder-bench
--train-step`, so the two figures come from one run on one machine.

    /work/ml-venv/bin/python Scripts/reference/bench_finetune_torch.py \
        --data ../anchors-dev/phrasebank/train.tsv --steps 20 --mode full
    ... --mode lora --rank 8 --alpha 16

A step is what `../shared/anchors/sentiment.py` (minilm_ft) does per batch: tokenise a batch of 32 texts (dynamic
padding, max length 64), forward, cross-entropy, backward, clip the global gradient norm to 1, AdamW, schedule.
`full` trains every weight (the anchor's recipe, BertForSequenceClassification); `lora` freezes the encoder and trains
rank-r adapters on the query/key/value, attention output, intermediate and output projections of every layer plus a
mean-pooled linear head (findoc's recipe), written here by hand so no extra package is needed.

Batches are drawn in file order after a seeded shuffle; the first `--warmup` steps are not timed. Prints one JSON
line: steps, sentences, word-pieces (non-padding), seconds, seconds per step, sentences/s and tokens/s.
"""
import argparse
import csv
import json
import math
import os
import random
import sys
import time

import torch
from transformers import AutoModel, AutoTokenizer


def read_texts(path):
    with open(path, newline="", encoding="utf-8") as handle:
        sample = handle.read(4096)
        handle.seek(0)
        delimiter = "\t" if "\t" in sample else ","
        rows = list(csv.reader(handle, delimiter=delimiter))
    header = [h.strip().lower() for h in rows[0]]
    column = header.index("sentence") if "sentence" in header else header.index("text") if "text" in header else 0
    return [row[column] for row in rows[1:] if len(row) > column]


class LoRALinear(torch.nn.Module):
    """y = x·Wᵀ + b + (alpha/r)·x·Aᵀ·Bᵀ with W, b frozen; A Kaiming-uniform, B zero (as PEFT initialises them)."""

    def __init__(self, base, rank, alpha):
        super().__init__()
        self.base = base
        for p in self.base.parameters():
            p.requires_grad_(False)
        self.a = torch.nn.Parameter(torch.empty(rank, base.in_features))
        torch.nn.init.kaiming_uniform_(self.a, a=math.sqrt(5))
        self.b = torch.nn.Parameter(torch.zeros(base.out_features, rank))
        self.scale = alpha / rank

    def forward(self, x):
        return self.base(x) + (x @ self.a.t() @ self.b.t()) * self.scale


class MeanPoolClassifier(torch.nn.Module):
    def __init__(self, encoder, labels):
        super().__init__()
        self.encoder = encoder
        self.dropout = torch.nn.Dropout(0.1)
        self.head = torch.nn.Linear(encoder.config.hidden_size, labels)

    def forward(self, input_ids, attention_mask, token_type_ids=None):
        hidden = self.encoder(input_ids=input_ids, attention_mask=attention_mask).last_hidden_state
        mask = attention_mask.unsqueeze(-1).to(hidden.dtype)
        pooled = (hidden * mask).sum(1) / mask.sum(1).clamp(min=1)
        return self.head(self.dropout(pooled))


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--data", required=True, help="TSV/CSV with a sentence/text column")
    ap.add_argument("--model", default=os.path.expanduser(
        os.path.join(os.environ.get("FINDOC_MODELS", "~/.cache/findoc/models"), "all-MiniLM-L6-v2")))
    ap.add_argument("--mode", choices=["full", "lora"], default="full")
    ap.add_argument("--rank", type=int, default=8)
    ap.add_argument("--alpha", type=float, default=16)
    ap.add_argument("--steps", type=int, default=20)
    ap.add_argument("--warmup", type=int, default=2)
    ap.add_argument("--batch", type=int, default=32)
    ap.add_argument("--max-len", type=int, default=64)
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--seed", type=int, default=13)
    a = ap.parse_args()

    torch.set_num_threads(a.threads)
    torch.manual_seed(a.seed)
    texts = read_texts(a.data)
    random.Random(a.seed).shuffle(texts)
    tok = AutoTokenizer.from_pretrained(a.model)
    encoder = AutoModel.from_pretrained(a.model, add_pooling_layer=False)
    if a.mode == "lora":
        for p in encoder.parameters():
            p.requires_grad_(False)
        for layer in encoder.encoder.layer:
            att = layer.attention.self
            att.query = LoRALinear(att.query, a.rank, a.alpha)
            att.key = LoRALinear(att.key, a.rank, a.alpha)
            att.value = LoRALinear(att.value, a.rank, a.alpha)
            layer.attention.output.dense = LoRALinear(layer.attention.output.dense, a.rank, a.alpha)
            layer.intermediate.dense = LoRALinear(layer.intermediate.dense, a.rank, a.alpha)
            layer.output.dense = LoRALinear(layer.output.dense, a.rank, a.alpha)
    model = MeanPoolClassifier(encoder, 3)
    model.train()
    params = [p for p in model.parameters() if p.requires_grad]
    opt = torch.optim.AdamW(params, lr=5e-5, weight_decay=0.01)
    labels = torch.randint(0, 3, (len(texts),), generator=torch.Generator().manual_seed(a.seed))
    timed_steps = timed_sentences = timed_tokens = 0
    elapsed = 0.0
    for step in range(a.warmup + a.steps):
        start = (step * a.batch) % max(1, len(texts) - a.batch)
        batch = texts[start:start + a.batch]
        t0 = time.perf_counter()
        b = tok(batch, padding=True, truncation=True, max_length=a.max_len, return_tensors="pt")
        logits = model(input_ids=b["input_ids"], attention_mask=b["attention_mask"])
        loss = torch.nn.functional.cross_entropy(logits, labels[start:start + a.batch])
        loss.backward()
        torch.nn.utils.clip_grad_norm_(params, 1.0)
        opt.step()
        opt.zero_grad()
        dt = time.perf_counter() - t0
        if step >= a.warmup:
            elapsed += dt
            timed_steps += 1
            timed_sentences += len(batch)
            timed_tokens += int(b["attention_mask"].sum())
    print(json.dumps({
        "peer": f"pytorch {torch.__version__} {a.mode}" + (f" rank {a.rank}" if a.mode == "lora" else ""),
        "threads": a.threads, "batch": a.batch, "max_len": a.max_len, "steps": timed_steps,
        "sentences": timed_sentences, "tokens": timed_tokens, "seconds": round(elapsed, 3),
        "seconds_per_step": round(elapsed / max(1, timed_steps), 4),
        "sentences_per_s": round(timed_sentences / max(elapsed, 1e-9), 2),
        "tokens_per_s": round(timed_tokens / max(elapsed, 1e-9), 1),
        "trainable_parameters": sum(p.numel() for p in params)}))


if __name__ == "__main__":
    sys.exit(main())
