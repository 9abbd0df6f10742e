#!/usr/bin/python3
"""Golden data for the training engine's parity with PyTorch (issue 11, part 6).

Run by hand with Debian's python3-torch (CI never needs Python):

    apt-get install -y python3-torch
    /usr/bin/python3 scripts/golden/pytorch_parity.py > tests/NeuralSharp.Tests/Golden/pytorch-parity.json

A 3-8-4-2 network (ReLU, ReLU, softmax + mean cross entropy), float64, trained for 1,000 steps on 40 samples in
batches of 4 taken in order (10 batches, cycled), once per setting, each from the same initial weights:
torch.optim.SGD, SGD with momentum, Adam and RMSprop (issue 11); and what a PyTorch user writes beyond them
(issue 26): momentum and Adam through a rate drop to a tenth at step 500, Nesterov, AdamW, coupled weight_decay on
SGD and Adam, and schedulers stepped once per batch (LinearLR warm-up, transformers' cosine with warm-up through
LambdaLR, OneCycleLR without momentum cycling). Data and weights come from the portable generator of
shared/bench/WORKLOADS.md (u01), so the C# test rebuilds them exactly. Recorded: every step's batch loss (before
its update) and the final weights, in NeuralSharp's layout (W as [in, out]).
"""
import json
import math
import sys

import torch

MASK = (1 << 64) - 1


def u01(seed, n):
    out = []
    for i in range(1, n + 1):
        z = (seed * 0xD1B54A32D192ED03 + i * 0x9E3779B97F4A7C15) & MASK
        z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) & MASK
        z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & MASK
        z ^= z >> 31
        out.append((z >> 40) / 16777216.0)
    return out


SIZES = [3, 8, 4, 2]
SAMPLES, BATCH, STEPS = 40, 4, 1000
OPTIMIZERS = {
    "sgd": lambda p: torch.optim.SGD(p, lr=0.1),
    "momentum": lambda p: torch.optim.SGD(p, lr=0.05, momentum=0.9),
    "adam-pytorch": lambda p: torch.optim.Adam(p, lr=0.01, betas=(0.9, 0.999), eps=1e-8),
    "rmsprop-pytorch": lambda p: torch.optim.RMSprop(p, lr=0.01, alpha=0.99, eps=1e-8),
    "momentum-rate-drop": lambda p: torch.optim.SGD(p, lr=0.05, momentum=0.9),
    "adam-rate-drop": lambda p: torch.optim.Adam(p, lr=0.01),
    # η = 0.03: at 0.05 this run turns chaotic after step 500 and amplifies rounding past 1e-10 — PyTorch's own run with
    # ATEN_CPU_CAPABILITY=default parts from its AVX2 run by 5.5e-10 there; at 0.03 the two agree to 1e-14
    "nesterov": lambda p: torch.optim.SGD(p, lr=0.03, momentum=0.9, nesterov=True),
    "adamw": lambda p: torch.optim.AdamW(p, lr=0.01, weight_decay=0.1),
    "sgd-weight-decay": lambda p: torch.optim.SGD(p, lr=0.1, weight_decay=0.01),
    "adam-weight-decay": lambda p: torch.optim.Adam(p, lr=0.01, weight_decay=0.01),
    "sgd-warmup": lambda p: torch.optim.SGD(p, lr=0.1),
    "momentum-cosine-warmup": lambda p: torch.optim.SGD(p, lr=0.05, momentum=0.9),
    "adam-one-cycle": lambda p: torch.optim.Adam(p, lr=0.01),
}

RATE_DROP_STEP = 500
WARMUP, COSINE_WARMUP, ONE_CYCLE_MAX = 100, 100, 0.02


def cosine_with_warmup(step):
    """transformers' get_cosine_schedule_with_warmup(num_warmup_steps=100, num_training_steps=1000) as a LambdaLR factor."""
    if step < COSINE_WARMUP:
        return float(step) / float(max(1, COSINE_WARMUP))
    progress = float(step - COSINE_WARMUP) / float(max(1, STEPS - COSINE_WARMUP))
    return max(0.0, 0.5 * (1.0 + math.cos(math.pi * 0.5 * 2.0 * progress)))


SCHEDULES = {
    "sgd-warmup": lambda o: torch.optim.lr_scheduler.LinearLR(o, start_factor=0.1, end_factor=1.0, total_iters=WARMUP),
    "momentum-cosine-warmup": lambda o: torch.optim.lr_scheduler.LambdaLR(o, cosine_with_warmup),
    "adam-one-cycle": lambda o: torch.optim.lr_scheduler.OneCycleLR(o, max_lr=ONE_CYCLE_MAX, total_steps=STEPS, cycle_momentum=False),
}


def data():
    x = torch.tensor([2 * v - 1 for v in u01(21, SAMPLES * 3)], dtype=torch.float64).reshape(SAMPLES, 3)
    labels = torch.tensor([min(int(v * 2), 1) for v in u01(22, SAMPLES)], dtype=torch.long)
    return x, labels


def initial_layers():
    """(W [out, in], b [out]) per layer: W = (2u − 1)/√fan_in from u01(23 + layer), b = (2u − 1)·0.1 from u01(33 + layer)."""
    layers = []
    for k in range(len(SIZES) - 1):
        n_in, n_out = SIZES[k], SIZES[k + 1]
        w = [(2 * v - 1) / math.sqrt(n_in) for v in u01(23 + k, n_out * n_in)]
        b = [(2 * v - 1) * 0.1 for v in u01(33 + k, n_out)]
        layers.append((torch.tensor(w, dtype=torch.float64).reshape(n_out, n_in), torch.tensor(b, dtype=torch.float64)))
    return layers


def train(name, make_optimizer):
    x, labels = data()
    modules = []
    for k, (w, b) in enumerate(initial_layers()):
        linear = torch.nn.Linear(SIZES[k], SIZES[k + 1]).double()
        with torch.no_grad():
            linear.weight.copy_(w)
            linear.bias.copy_(b)
        modules.append(linear)
        if k < len(SIZES) - 2:
            modules.append(torch.nn.ReLU())
    net = torch.nn.Sequential(*modules)
    optimizer = make_optimizer(net.parameters())
    scheduler = SCHEDULES[name](optimizer) if name in SCHEDULES else None
    losses = []
    for step in range(STEPS):
        if name.endswith("-rate-drop") and step == RATE_DROP_STEP:
            for group in optimizer.param_groups:
                group["lr"] = group["lr"] * 0.1
        start = (step % (SAMPLES // BATCH)) * BATCH
        logits = net(x[start:start + BATCH])
        loss = torch.nn.functional.cross_entropy(logits, labels[start:start + BATCH])
        losses.append(loss.item())
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
        if scheduler is not None:
            scheduler.step()
    weights = {}
    for k, linear in enumerate(m for m in modules if isinstance(m, torch.nn.Linear)):
        weights[f"dense{k + 1}.W"] = linear.weight.detach().t().contiguous().reshape(-1).tolist()
        weights[f"dense{k + 1}.b"] = linear.bias.detach().tolist()
    return {"losses": losses, "weights": weights}


def main():
    result = {
        "recipe": "scripts/golden/pytorch_parity.py with torch " + torch.__version__,
        "sizes": SIZES,
        "samples": SAMPLES,
        "batch": BATCH,
        "steps": STEPS,
        "rate_drop_step": RATE_DROP_STEP,
        "warmup_steps": WARMUP,
        "cosine_warmup_steps": COSINE_WARMUP,
        "one_cycle_max_rate": ONE_CYCLE_MAX,
        "runs": {name: train(name, make) for name, make in OPTIMIZERS.items()},
    }
    json.dump(result, sys.stdout, indent=1)
    sys.stdout.write("\n")


if __name__ == "__main__":
    main()
