"""PyTorch twin of a NeuralSharp model (MultiClassClassification), written by NeuralSharp beside its safetensors file.

model = load()                      # nn.Sequential with the NeuralSharp weights
y = model(standardize(x))           # x: raw features [batch, 4], in the order of FEATURES

Its last module is the output activation. To train on in PyTorch with nn.CrossEntropyLoss (which takes
logits) or nn.BCEWithLogitsLoss, train model[:-1]; nn.MSELoss takes model itself.
"""
import json
import struct

import torch
from torch import nn

WEIGHTS = "iris.safetensors"
DTYPE = torch.float32
FEATURES = ["sepal_length_cm", "sepal_width_cm", "petal_length_cm", "petal_width_cm"]
CLASSES = ["setosa", "versicolor", "virginica"]
TARGET = "target"
MEAN = [5.843333333333333, 3.0573333333333337, 3.7579999999999987, 1.199333333333334]
DEVIATION = [0.8253012917851407, 0.43441096773549426, 1.7594040657753027, 0.7596926279021597]
TARGET_MEAN = None
TARGET_DEVIATION = None


class Step(nn.Module):
    """The course's step: 1 where u > 0, else 0 (its gradient is 0 everywhere)."""

    def forward(self, u):
        return (u > 0).to(u.dtype)


def build():
    return nn.Sequential(
        nn.Linear(4, 8),  # 0: dense1
        nn.Tanh(),  # 1: tanh1
        nn.Linear(8, 3),  # 2: dense2
        nn.Softmax(dim=1),  # 3: softmax1
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
