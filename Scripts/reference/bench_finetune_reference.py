#!/usr/bin/env python3
"""PyTorch side of the fine-tuning speed benchmark (not a test): forward + backward of all-MiniLM-L6-v2 with mean
pooling and a 3-way linear head, on the same sentences, batches and max length as

    .build/release/findoc-encoder-bench --text FILE.tsv --fine-tune [--limit N] [--batches 32] [--max-length 64]

    /work/ml-venv/bin/python Scripts/reference/bench_finetune_reference.py --model <models>/all-MiniLM-L6-v2 \
        --text ../shared/data/financial_phrasebank/train.tsv [--limit N] [--mode lora|full] [--threads 2]

Sentences in file order, cut into batches of 32, each padded to its longest (max 64 tokens); train mode (dropout
0.1); labels index mod 3. --mode lora wraps the four projections of every layer with rank-8 adapters (alpha 16,
base weights frozen, as findoc's default); --mode full trains every weight. Timed: forward, loss, backward (no
optimiser step) per batch after one warm-up batch. Reported like the Swift side: real (unpadded) tokens/s,
sentences/s, median seconds per batch, and process CPU seconds per batch. The sentences are read at run time and
never written anywhere.
"""
import argparse
import math
import os
import statistics
import time

import torch
from transformers import AutoModel, AutoTokenizer


class LoRALinear(torch.nn.Module):
    """y = base(x) + (alpha/r)·(x Aᵀ) Bᵀ with the base frozen (PEFT's LoRA without its dropout)."""

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
        return self.base(x) + (x @ self.a.T) @ self.b.T * self.scale


def sentences(path, limit):
    with open(path, encoding="utf-8") as f:
        header = f.readline().rstrip("\r\n").split("\t")
        column = [h.strip().lower() for h in header].index("sentence")
        out = [line.rstrip("\r\n").split("\t")[column] for line in f if line.strip()]
    return out[:limit] if limit else out


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--model", required=True)
    ap.add_argument("--text", required=True)
    ap.add_argument("--limit", type=int, default=0)
    ap.add_argument("--batch", type=int, default=32)
    ap.add_argument("--max-length", type=int, default=64)
    ap.add_argument("--mode", choices=["lora", "full"], default="lora")
    ap.add_argument("--threads", type=int, default=2)
    a = ap.parse_args()
    torch.set_num_threads(a.threads)
    torch.manual_seed(1)
    model_dir = os.path.expanduser(a.model)
    tok = AutoTokenizer.from_pretrained(model_dir)
    model = AutoModel.from_pretrained(model_dir, dtype=torch.float32)
    if a.mode == "lora":
        for layer in model.encoder.layer:
            for parent, name in [(layer.attention.self, "query"), (layer.attention.self, "key"),
                                 (layer.attention.self, "value"), (layer.attention.output, "dense"),
                                 (layer.intermediate, "dense"), (layer.output, "dense")]:
                setattr(parent, name, LoRALinear(getattr(parent, name), 8, 16))
        for name, p in model.named_parameters():
            if not (name.endswith(".a") or name.endswith(".b")):
                p.requires_grad_(False)
    model.train()
    head = torch.nn.Linear(model.config.hidden_size, 3)
    texts = sentences(a.text, a.limit)
    batches = [texts[i:i + a.batch] for i in range(0, len(texts), a.batch)]
    encoded = [tok(b, padding=True, truncation=True, max_length=a.max_length, return_tensors="pt") for b in batches]
    tokens = sum(int(e["attention_mask"].sum()) for e in encoded)
    trainable = sum(p.numel() for p in model.parameters() if p.requires_grad) + sum(p.numel() for p in head.parameters())

    def step(index, enc):
        hidden = model(**enc).last_hidden_state
        mask = enc["attention_mask"].unsqueeze(-1).float()
        pooled = (hidden * mask).sum(1) / mask.sum(1)
        logits = head(torch.nn.functional.dropout(pooled, 0.1, training=True))
        labels = torch.tensor([(index * a.batch + i) % 3 for i in range(len(logits))])
        loss = torch.nn.functional.cross_entropy(logits, labels)
        model.zero_grad(set_to_none=True)
        head.zero_grad(set_to_none=True)
        loss.backward()

    print(f"# pytorch {torch.__version__} fine-tune ({a.mode}): {len(texts)} sentences, {len(batches)} batches of "
          f"{a.batch}, max length {a.max_length}, mean {tokens / len(texts):.1f} tokens; {trainable} trainable values; "
          f"{a.threads} threads")
    step(0, encoded[0])  # warm-up
    times = []
    cpu0 = time.process_time()
    for index, enc in enumerate(encoded):
        t0 = time.perf_counter()
        step(index, enc)
        times.append(time.perf_counter() - t0)
    cpu = time.process_time() - cpu0
    total = sum(times)
    print(f"pytorch fine-tune forward+backward: {tokens / total:.0f} tokens/s, {len(texts) / total:.1f} sentences/s; "
          f"median {statistics.median(times):.3f} s per batch of {a.batch}; CPU {cpu / len(batches):.3f} s per batch "
          f"(user + system, all threads); pass {total:.2f} s")


if __name__ == "__main__":
    main()
