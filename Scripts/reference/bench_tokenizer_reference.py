#!/usr/bin/env python3
"""Times the reference tokenizers on the same sentences as `findoc-bench tokenizer` (first TSV column after the
header): HuggingFace `tokenizers` 0.22.1 (Rust, from the model's tokenizer.json) and `transformers.BertTokenizer`
4.57.1 (pure Python), pinned in requirements-tokenizer.txt. Run by Scripts/reference/bench_tokenizer.sh.

    python bench_tokenizer_reference.py MODEL_DIR DATA.tsv [REPEATS] [--batch-only]

RAYON_NUM_THREADS=1 pins the Rust tokenizer's encode_batch to one thread; --batch-only times encode_batch alone.
"""
import os
import sys
import time

from tokenizers import Tokenizer


def best(repeats, body):
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        body()
        times.append(time.perf_counter() - start)
    return min(times)


def main():
    batch_only = "--batch-only" in sys.argv
    args = [a for a in sys.argv[1:] if a != "--batch-only"]
    model_dir, data = args[0], args[1]
    repeats = int(args[2]) if len(args) > 2 else 5
    with open(data, encoding="utf-8") as f:
        sentences = [line.rstrip("\n").split("\t")[0] for line in f.read().split("\n")[1:] if line]
    fast = Tokenizer.from_file(os.path.join(model_dir, "tokenizer.json"))
    fast.no_padding()
    fast.no_truncation()
    tokens = sum(len(fast.encode(s).ids) - 2 for s in sentences)
    if not batch_only:
        print(f"reference: {len(sentences)} sentences, {tokens} WordPiece tokens (no [CLS]/[SEP])")

    def report(name, seconds):
        print(f"  {name:<58} {len(sentences) / seconds:10.0f} sentences/s {tokens / seconds:12.0f} tokens/s"
              f"  ({seconds:.3f} s per pass, best of {repeats})")

    if not batch_only:
        report("tokenizers (Rust) encode one by one, no truncation",
               best(repeats, lambda: [fast.encode(s) for s in sentences]))
    fast.enable_truncation(max_length=128)
    fast.enable_padding(pad_id=0, pad_token="[PAD]")
    batches = [sentences[i:i + 32] for i in range(0, len(sentences), 32)]
    threads = "1 thread" if os.environ.get("RAYON_NUM_THREADS") == "1" else "all cores"
    report(f"tokenizers (Rust) encode_batch 32, max 128, padded ({threads})",
           best(repeats, lambda: [fast.encode_batch(b) for b in batches]))
    if batch_only:
        return

    from transformers import BertTokenizer
    slow = BertTokenizer(os.path.join(model_dir, "vocab.txt"), do_lower_case=True)
    slow_repeats = max(1, repeats // 5)
    seconds = best(slow_repeats, lambda: [slow.encode(s) for s in sentences])
    print(f"  {'transformers.BertTokenizer (Python) encode one by one':<58} {len(sentences) / seconds:10.0f} sentences/s"
          f" {tokens / seconds:12.0f} tokens/s  ({seconds:.3f} s per pass, best of {slow_repeats})")


if __name__ == "__main__":
    main()
