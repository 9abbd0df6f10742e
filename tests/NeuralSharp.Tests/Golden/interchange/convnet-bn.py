"""PyTorch twin of a NeuralSharp model (MultiClassClassification), written by NeuralSharp beside its safetensors file.

model = load()                      # nn.Sequential with the NeuralSharp weights
y = model(standardize(x))           # x: raw features [batch, 64], in the order of FEATURES

Its last module is the output activation. To train on in PyTorch with nn.CrossEntropyLoss (which takes
logits) or nn.BCEWithLogitsLoss, train model[:-1]; nn.MSELoss takes model itself.
"""
import json
import struct

import torch
from torch import nn

WEIGHTS = "convnet-bn.safetensors"
DTYPE = torch.float32
FEATURES = ["p0", "p1", "p2", "p3", "p4", "p5", "p6", "p7", "p8", "p9", "p10", "p11", "p12", "p13", "p14", "p15", "p16", "p17", "p18", "p19", "p20", "p21", "p22", "p23", "p24", "p25", "p26", "p27", "p28", "p29", "p30", "p31", "p32", "p33", "p34", "p35", "p36", "p37", "p38", "p39", "p40", "p41", "p42", "p43", "p44", "p45", "p46", "p47", "p48", "p49", "p50", "p51", "p52", "p53", "p54", "p55", "p56", "p57", "p58", "p59", "p60", "p61", "p62", "p63"]
CLASSES = ["a", "b", "c"]
TARGET = "target"
MEAN = None
DEVIATION = None
TARGET_MEAN = None
TARGET_DEVIATION = None


class Step(nn.Module):
    """The course's step: 1 where u > 0, else 0 (its gradient is 0 everywhere)."""

    def forward(self, u):
        return (u > 0).to(u.dtype)


def build():
    return nn.Sequential(
        nn.Unflatten(1, (1, 8, 8)),  # 0: rows to images
        nn.Conv2d(1, 4, (3, 3), stride=1, padding=1),  # 1: conv2d1
        nn.BatchNorm2d(4, eps=1E-05, momentum=0.1),  # 2: batchnorm1
        nn.ReLU(),  # 3: relu1
        nn.MaxPool2d(2, stride=2),  # 4: maxpool2d1
        nn.Flatten(),  # 5: flatten1
        nn.Linear(64, 8),  # 6: dense1
        nn.BatchNorm1d(8, eps=1E-05, momentum=0.1),  # 7: batchnorm2
        nn.ReLU(),  # 8: relu2
        nn.Linear(8, 3),  # 9: dense2
        nn.Softmax(dim=1),  # 10: softmax1
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
