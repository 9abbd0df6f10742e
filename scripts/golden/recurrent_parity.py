#!/usr/bin/python3
"""Golden data for the recurrent layers' parity with PyTorch (RNN, LSTM, GRU).

Run by hand with Debian's python3-torch (CI never needs Python):

    apt-get install -y python3-torch
    /usr/bin/python3 scripts/golden/recurrent_parity.py > tests/NeuralSharp.Tests/Golden/recurrent-parity.json

One recurrent layer (input F=3, hidden H=5, batch_first, one layer, unidirectional, with both biases, zero initial
h and c) over sequences [batch, T=6, F=3]; the last time step's hidden state h_T → Linear(5, 2); loss
0.5 · mse_loss (NeuralSharp's squared error, MeanOverElements: ½ · mean over all elements of (y − d)²). float64.
Kinds: "rnn" (nn.RNN, tanh), "lstm" (nn.LSTM), "gru" (nn.GRU), with PyTorch's equations and gate order:
  rnn:  h' = tanh(x·Wx + bx + h·Wh + bh)
  lstm: gates i, f, g, o (each H wide, in that order along G·H); i, f, o = σ, g = tanh; c' = f⊙c + i⊙g; h' = o⊙tanh(c')
  gru:  gates r, z, n; r = σ(x·Wx_r + bx_r + h·Wh_r + bh_r), z likewise, n = tanh(x·Wx_n + bx_n + r⊙(h·Wh_n + bh_n)),
        h' = (1 − z)⊙n + z⊙h
Data from the portable generator of shared/bench/WORKLOADS.md (u01): x = 2u − 1 from u01(51, 40·6·3) as [40, 6, 3]
(sample, time, feature) row-major; targets = 2u − 1 from u01(52, 80) as [40, 2].
Initial weights in NeuralSharp's layout, G = 1 (rnn), 4 (lstm), 3 (gru): Wx [F, G·H] = weight_ih_l0ᵀ,
Wh [H, G·H] = weight_hh_l0ᵀ, bx [G·H] = bias_ih_l0, bh [G·H] = bias_hh_l0, head.W [H, 2] = linear.weightᵀ,
head.b [2] = linear.bias; Wx = (2u − 1)/√H from u01(61), Wh from u01(62), bx from u01(63), bh from u01(64),
head.W = (2u − 1)/√H from u01(65), all row-major in that layout; head.b = (2u − 1)·0.1 from u01(66).
Training: 200 steps, batches of 4 in order (samples 0–3, 4–7, …, 36–39, then again from 0), no shuffling, per kind
once per optimizer, each from the same initial weights: "sgd" SGD lr 0.1; "adam" Adam lr 0.01, betas (0.9, 0.999),
eps 1e-8 (PyTorch's form); "sgd-clip" SGD lr 0.5 after torch.nn.utils.clip_grad_norm_(every parameter incl. the head,
max_norm 0.05): total = √(Σ over all gradient elements g²), every gradient × min(1, 0.05 / (total + 1e-6)) — note
PyTorch's 1e-6 in the divisor; "clipped_steps" counts the steps where that factor was below 1.
Recorded per kind: "first_batch" — from the initial weights, the outputs on samples 0–3 ([4, 2] flat) and the
gradients of the loss on that batch for the six tensors; per run: every step's batch loss (before its update) and the
final weights. Every tensor is a flat row-major list in NeuralSharp's layout, under "Wx", "Wh", "bx", "bh", "head.W",
"head.b".
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


T, F, H, OUT = 6, 3, 5, 2
SAMPLES, BATCH, STEPS = 40, 4, 200
CLIP_NORM = 0.05
KINDS = {"rnn": (1, lambda: torch.nn.RNN(F, H, nonlinearity="tanh", batch_first=True)),
         "lstm": (4, lambda: torch.nn.LSTM(F, H, batch_first=True)),
         "gru": (3, lambda: torch.nn.GRU(F, H, batch_first=True))}
OPTIMIZERS = {
    "sgd": (lambda p: torch.optim.SGD(p, lr=0.1), False),
    "adam": (lambda p: torch.optim.Adam(p, lr=0.01, betas=(0.9, 0.999), eps=1e-8), False),
    "sgd-clip": (lambda p: torch.optim.SGD(p, lr=0.5), True),
}


def tensor(values, *shape):
    return torch.tensor(values, dtype=torch.float64).reshape(*shape)


def data():
    x = tensor([2 * v - 1 for v in u01(51, SAMPLES * T * F)], SAMPLES, T, F)
    y = tensor([2 * v - 1 for v in u01(52, SAMPLES * OUT)], SAMPLES, OUT)
    return x, y


def initial_weights(gates):
    """The six tensors in NeuralSharp's layout."""
    gh, s = gates * H, 1 / math.sqrt(H)
    return {
        "Wx": tensor([(2 * v - 1) * s for v in u01(61, F * gh)], F, gh),
        "Wh": tensor([(2 * v - 1) * s for v in u01(62, H * gh)], H, gh),
        "bx": tensor([(2 * v - 1) * s for v in u01(63, gh)], gh),
        "bh": tensor([(2 * v - 1) * s for v in u01(64, gh)], gh),
        "head.W": tensor([(2 * v - 1) * s for v in u01(65, H * OUT)], H, OUT),
        "head.b": tensor([(2 * v - 1) * 0.1 for v in u01(66, OUT)], OUT),
    }


class Model(torch.nn.Module):
    def __init__(self, kind):
        super().__init__()
        gates, make = KINDS[kind]
        self.rnn = make()
        self.head = torch.nn.Linear(H, OUT)
        w = initial_weights(gates)
        with torch.no_grad():
            self.rnn.weight_ih_l0.copy_(w["Wx"].t())
            self.rnn.weight_hh_l0.copy_(w["Wh"].t())
            self.rnn.bias_ih_l0.copy_(w["bx"])
            self.rnn.bias_hh_l0.copy_(w["bh"])
            self.head.weight.copy_(w["head.W"].t())
            self.head.bias.copy_(w["head.b"])

    def forward(self, x):
        output, _ = self.rnn(x)  # zero initial state
        return self.head(output[:, -1, :])

    def named(self, of=lambda p: p):
        """The six tensors (or their gradients, with of=lambda p: p.grad) in NeuralSharp's layout, flat."""
        r = self.rnn
        pairs = [("Wx", r.weight_ih_l0, True), ("Wh", r.weight_hh_l0, True), ("bx", r.bias_ih_l0, False),
                 ("bh", r.bias_hh_l0, False), ("head.W", self.head.weight, True), ("head.b", self.head.bias, False)]
        out = {}
        for name, p, transpose in pairs:
            t = of(p).detach()
            out[name] = (t.t() if transpose else t).contiguous().reshape(-1).tolist()
        return out


def loss_of(prediction, target):
    return 0.5 * torch.nn.functional.mse_loss(prediction, target)


def first_batch(kind, x, y):
    model = Model(kind)
    prediction = model(x[:BATCH])
    loss_of(prediction, y[:BATCH]).backward()
    return {"output": prediction.detach().reshape(-1).tolist(), "gradients": model.named(lambda p: p.grad)}


def train(kind, make_optimizer, clip, x, y):
    model = Model(kind)
    parameters = list(model.parameters())
    optimizer = make_optimizer(parameters)
    losses, clipped = [], 0
    for step in range(STEPS):
        start = (step % (SAMPLES // BATCH)) * BATCH
        loss = loss_of(model(x[start:start + BATCH]), y[start:start + BATCH])
        losses.append(loss.item())
        optimizer.zero_grad()
        loss.backward()
        if clip:
            total = torch.nn.utils.clip_grad_norm_(parameters, max_norm=CLIP_NORM).item()
            if CLIP_NORM / (total + 1e-6) < 1:
                clipped += 1
        optimizer.step()
    run = {"losses": losses, "weights": model.named()}
    if clip:
        run["clipped_steps"] = clipped
        print(f"{kind} clipped on {clipped} of {STEPS} steps", file=sys.stderr)
    return run


def main():
    torch.set_default_dtype(torch.float64)
    torch.use_deterministic_algorithms(True)
    x, y = data()
    kinds = {}
    for kind in KINDS:
        kinds[kind] = {
            "first_batch": first_batch(kind, x, y),
            "runs": {name: train(kind, make, clip, x, y) for name, (make, clip) in OPTIMIZERS.items()},
        }
    result = {
        "recipe": "scripts/golden/recurrent_parity.py with torch " + torch.__version__,
        "T": T, "F": F, "H": H, "samples": SAMPLES, "batch": BATCH, "steps": STEPS,
        "kinds": kinds,
    }
    json.dump(result, sys.stdout, separators=(",", ":"))
    sys.stdout.write("\n")


if __name__ == "__main__":
    main()
