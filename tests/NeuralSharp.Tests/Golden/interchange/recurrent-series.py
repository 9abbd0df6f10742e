"""PyTorch twin of a NeuralSharp model (Regression), written by NeuralSharp beside its safetensors file.

model = load()                      # nn.Sequential with the NeuralSharp weights
y = model(standardize(x))           # x: raw features [batch, 12], in the order of FEATURES

Its last module is the output activation. To train on in PyTorch with nn.CrossEntropyLoss (which takes
logits) or nn.BCEWithLogitsLoss, train model[:-1]; nn.MSELoss takes model itself.
"""
import json
import struct

import torch
from torch import nn

WEIGHTS = "recurrent-series.safetensors"
DTYPE = torch.float32
FEATURES = ["s0", "s1", "s2", "s3", "s4", "s5", "s6", "s7", "s8", "s9", "s10", "s11"]
CLASSES = None
TARGET = "target"
MEAN = None
DEVIATION = None
TARGET_MEAN = None
TARGET_DEVIATION = None


class Step(nn.Module):
    """The course's step: 1 where u > 0, else 0 (its gradient is 0 everywhere)."""

    def forward(self, u):
        return (u > 0).to(u.dtype)


class Recurrent(nn.Module):
    """A recurrent layer on rows of T·F values (time-major): its last state, or every state as rows of T·H."""

    def __init__(self, rnn, steps, features, every_step):
        super().__init__()
        self.rnn, self.steps, self.features, self.every_step = rnn, steps, features, every_step

    def forward(self, x):
        out, state = self.rnn(x.reshape(-1, self.steps, self.features))
        if self.every_step:
            return out.reshape(out.shape[0], -1)
        if not self.rnn.bidirectional:
            return out[:, -1, :]
        # both final states: the forward one's at the last step, the backward one's at the first
        h_n = state[0] if isinstance(state, tuple) else state
        return torch.cat([h_n[0], h_n[1]], dim=1)


class Ids(nn.Module):
    """nn.Embedding on rows of T ids (given as numbers): the rows of T·D values the next layer reads."""

    def __init__(self, embedding, steps):
        super().__init__()
        self.embedding, self.steps = embedding, steps

    def forward(self, x):
        return self.embedding(x.round().long()).reshape(x.shape[0], -1)


class Cell(nn.Module):
    """A recurrent layer PyTorch has no module for, under nn.RNN's and nn.GRU's parameter names and gate order:
    the course's GRU (the reset gate on the state before its product) or a simple RNN with the sigmoid."""

    def __init__(self, kind, input_size, hidden_size, bias=True):
        super().__init__()
        gates = 3 if kind == "course-gru" else 1
        self.kind, self.hidden_size, self.bidirectional = kind, hidden_size, False
        self.weight_ih_l0 = nn.Parameter(torch.zeros(gates * hidden_size, input_size))
        self.weight_hh_l0 = nn.Parameter(torch.zeros(gates * hidden_size, hidden_size))
        self.bias_ih_l0 = nn.Parameter(torch.zeros(gates * hidden_size)) if bias else None
        self.bias_hh_l0 = nn.Parameter(torch.zeros(gates * hidden_size)) if bias else None

    def forward(self, x):
        size = self.hidden_size
        h = x.new_zeros(x.shape[0], size)
        a = nn.functional.linear(x, self.weight_ih_l0, self.bias_ih_l0)
        out = []
        for t in range(x.shape[1]):
            if self.kind == "sigmoid-rnn":
                h = torch.sigmoid(a[:, t] + nn.functional.linear(h, self.weight_hh_l0, self.bias_hh_l0))
            else:
                # r, z as nn.GRU; n = tanh(W_in x + b_in + W_hn (r * h) + b_hn)
                b = self.bias_hh_l0
                r, z = torch.sigmoid(a[:, t, :2 * size] + nn.functional.linear(h, self.weight_hh_l0[:2 * size], None if b is None else b[:2 * size])).chunk(2, dim=1)
                n = torch.tanh(a[:, t, 2 * size:] + nn.functional.linear(r * h, self.weight_hh_l0[2 * size:], None if b is None else b[2 * size:]))
                h = (1 - z) * n + z * h
            out.append(h)
        return torch.stack(out, dim=1), h.unsqueeze(0)


class Steps(nn.Module):
    """One nn.Linear at every step of rows of T·H values."""

    def __init__(self, linear, steps):
        super().__init__()
        self.linear, self.steps = linear, steps

    def forward(self, x):
        y = self.linear(x.reshape(x.shape[0], self.steps, -1))
        return y.reshape(y.shape[0], -1)


def build():
    return nn.Sequential(
        Recurrent(Cell("sigmoid-rnn", 2, 4), 6, 2, True),  # 0: rnn1
        Recurrent(nn.RNN(4, 3, batch_first=True, bidirectional=True), 6, 4, True),  # 1: birnn1
        Recurrent(nn.GRU(6, 2, batch_first=True, bidirectional=True), 6, 6, False),  # 2: bigru1
        nn.Linear(4, 1),  # 3: dense1
    ).to(DTYPE)


def standardize(x):
    """Raw features as the network takes them: (x − MEAN) / DEVIATION, computed in float64."""
    x = torch.as_tensor(x, dtype=torch.float64)
    if MEAN is not None:
        x = (x - torch.tensor(MEAN, dtype=torch.float64)) / torch.tensor(DEVIATION, dtype=torch.float64)
    return x.to(DTYPE)


def unstandardize(y):
    """A regression's outputs in the target's own units."""
    if TARGET_MEAN is None:
        return y
    return y * torch.tensor(TARGET_DEVIATION, dtype=y.dtype) + torch.tensor(TARGET_MEAN, dtype=y.dtype)


def read_safetensors(path):
    """The tensors of a safetensors file: safetensors.torch.load_file, or the format itself where it is not installed."""
    try:
        from safetensors.torch import load_file
    except ImportError:
        with open(path, "rb") as f:
            data = f.read()
        (length,) = struct.unpack("<Q", data[:8])
        header = json.loads(data[8:8 + length])
        types = {"F32": torch.float32, "F64": torch.float64, "I64": torch.int64}
        start = 8 + length
        return {name: torch.frombuffer(bytearray(data[start + e["data_offsets"][0]:start + e["data_offsets"][1]]), dtype=types[e["dtype"]]).reshape(e["shape"])
                for name, e in header.items() if name != "__metadata__"}
    return load_file(path)


def load(path=None):
    import os
    model = build()
    model.load_state_dict(read_safetensors(path or os.path.join(os.path.dirname(os.path.abspath(__file__)), WEIGHTS)))
    return model.eval()
