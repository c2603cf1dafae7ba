#!/usr/bin/env python3
"""Writes the trainer's reference fixtures with PyTorch and Python's safetensors (run once, output committed).

    /work/ml-venv/bin/python Scripts/reference/make_training_fixture.py --out Tests/FinDocMLTests/Fixtures/training

Output:
  adamw.json             torch.optim.AdamW (two parameter groups: weight decay 0.01 and 0.0) driven by
                         transformers' get_linear_schedule_with_warmup (LambdaLR stepped after every optimiser
                         step) and torch.nn.utils.clip_grad_norm_(max_norm=1.0), for 6 steps on fixed gradients:
                         the initial values, each step's gradients, the rate each step used, the norm
                         clip_grad_norm_ returned, and the final values and moments.
  reference.safetensors  tensors written by safetensors.numpy.save_file (the Rust writer), which
                         SafetensorsWriter must reproduce byte for byte; their values are listed in adamw.json's
                         neighbour safetensors.json.
Deterministic: fixed numpy seed, CPU, float32.
"""
import argparse
import json
import math
import os

import numpy as np
import safetensors
import torch
from safetensors.numpy import save_file


def linear_schedule_with_warmup(optimizer, warmup, total):
    # transformers.get_linear_schedule_with_warmup, written out so the fixture needs torch only.
    def factor(step):
        if step < warmup:
            return float(step) / float(max(1, warmup))
        return max(0.0, float(total - step) / float(max(1, total - warmup)))

    return torch.optim.lr_scheduler.LambdaLR(optimizer, factor)


def adamw_fixture():
    rng = np.random.default_rng(7)
    weight0 = rng.normal(size=(2, 3)).astype(np.float32)
    bias0 = rng.normal(size=(3,)).astype(np.float32)
    steps, warmup, peak = 6, 2, 0.01
    grads = []
    for step in range(steps):
        # Step 3's gradients are large so that clipping bites; the others stay under the norm of 1.
        scale = 4.0 if step == 3 else 0.2
        grads.append(
            {
                "weight": (rng.normal(size=(2, 3)) * scale).astype(np.float32),
                "bias": (rng.normal(size=(3,)) * scale).astype(np.float32),
            }
        )
    weight = torch.nn.Parameter(torch.from_numpy(weight0.copy()))
    bias = torch.nn.Parameter(torch.from_numpy(bias0.copy()))
    optimizer = torch.optim.AdamW(
        [{"params": [weight], "weight_decay": 0.01}, {"params": [bias], "weight_decay": 0.0}],
        lr=peak, betas=(0.9, 0.999), eps=1e-8,
    )
    scheduler = linear_schedule_with_warmup(optimizer, warmup, steps)
    rates, norms = [], []
    for step in range(steps):
        optimizer.zero_grad()
        weight.grad = torch.from_numpy(grads[step]["weight"].copy())
        bias.grad = torch.from_numpy(grads[step]["bias"].copy())
        norm = torch.nn.utils.clip_grad_norm_([weight, bias], max_norm=1.0)
        rates.append(scheduler.get_last_lr()[0])
        norms.append(float(norm))
        optimizer.step()
        scheduler.step()
    state_w = optimizer.state[weight]
    state_b = optimizer.state[bias]
    as_list = lambda a: [float(x) for x in np.asarray(a, dtype=np.float32).reshape(-1)]
    return {
        "torch_version": torch.__version__,
        "peak": peak, "total_steps": steps, "warmup_steps": warmup, "max_norm": 1.0,
        "beta1": 0.9, "beta2": 0.999, "epsilon": 1e-8, "weight_decay": 0.01,
        "initial": {"weight": as_list(weight0), "bias": as_list(bias0)},
        "gradients": [{"weight": as_list(g["weight"]), "bias": as_list(g["bias"])} for g in grads],
        "rates": rates,
        "norms": norms,
        "final": {"weight": as_list(weight.detach().numpy()), "bias": as_list(bias.detach().numpy())},
        "exp_avg": {"weight": as_list(state_w["exp_avg"]), "bias": as_list(state_b["exp_avg"])},
        "exp_avg_sq": {"weight": as_list(state_w["exp_avg_sq"]), "bias": as_list(state_b["exp_avg_sq"])},
    }


def safetensors_fixture(out):
    # Values are multiples of 1/8 so that they are exact in JSON and Float; names exercise the ordering (by UTF-8
    # bytes: upper case before lower case, '.' before letters), a scalar and an empty tensor.
    tensors = {
        "layer.0.lora_a": np.arange(6, dtype=np.float32).reshape(2, 3) / 8 - 0.25,
        "head.weight": np.array([[1.5, -2.0], [0.125, 3.0]], dtype=np.float32),
        "Head.bias": np.array([0.5, -0.5, 7.0], dtype=np.float32),
        "scale": np.array(2.75, dtype=np.float32),
        "empty": np.zeros((0, 4), dtype=np.float32),
    }
    save_file(tensors, os.path.join(out, "reference.safetensors"), metadata={"format": "pt"})
    listing = {
        "safetensors_version": safetensors.__version__,
        "metadata": {"format": "pt"},
        "tensors": {
            name: {"shape": list(array.shape), "values": [float(x) for x in array.reshape(-1)]}
            for name, array in tensors.items()
        },
    }
    with open(os.path.join(out, "safetensors.json"), "w") as handle:
        json.dump(listing, handle, indent=1, sort_keys=True)
        handle.write("\n")


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--out", required=True)
    args = parser.parse_args()
    os.makedirs(args.out, exist_ok=True)
    with open(os.path.join(args.out, "adamw.json"), "w") as handle:
        json.dump(adamw_fixture(), handle, indent=1)
        handle.write("\n")
    safetensors_fixture(args.out)


if __name__ == "__main__":
    main()
