#!/usr/bin/python3
"""Golden data for ONNX and safetensors interchange with PyTorch (issue 14).

Run by hand with Debian's python3-torch and python3-onnx (CI never needs Python):

    apt-get install -y python3-torch python3-onnx
    /usr/bin/python3 scripts/golden/interchange.py

PyTorch → NeuralSharp: four seeded MLPs exported by torch.onnx.export (dynamic batch) to
tests/NeuralSharp.Tests/Golden/interchange/NAME.onnx, with 20 input rows (NAME-input.csv) and PyTorch's outputs for
them (NAME-output.csv):
  multiclass   Linear(4,8) ReLU Linear(8,6) Tanh Linear(6,3) Softmax        opset 13 (Gemm, transB = 1)
  bias-free    Linear(3,5, bias=False) LeakyReLU(0.2) Linear(5,2) Sigmoid   opset 11 (MatMul, then Gemm)
  regression   Flatten Linear(2,16) Sigmoid Dropout(0.1) Linear(16,1)       opset 17 (eval mode)
  float64      Linear(2,4) Tanh Linear(4,1), in float64                     opset 14

NeuralSharp → PyTorch: iris.safetensors and iris.py in the same folder are what `neuralsharp export --safetensors`
writes for a seeded 4-8-3 model (a C# test rebuilds them and checks the committed bytes; set
NEURALSHARP_WRITE_GOLDEN=1 when running that test to rewrite them). This script loads them with iris.py's own load(),
writes PyTorch's predictions for the 150 iris rows (iris-pytorch-output.csv), and trains on in PyTorch from those
weights — model[:-1] with nn.CrossEntropyLoss and SGD at lr 0.1, 20 full-batch steps on the standardized rows —
writing the loss before each step (iris-pytorch-training.csv).
"""
import csv
import importlib.util
import os
import sys

import onnx
import torch
from torch import nn

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..")
OUT = os.path.join(ROOT, "tests", "NeuralSharp.Tests", "Golden", "interchange")


def write_rows(path, header, rows):
    with open(path, "w", newline="") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(header)
        for row in rows:
            w.writerow([repr(float(v)) for v in row])


def export(name, model, inputs, opset, dtype=torch.float32):
    torch.manual_seed(0)
    model = model.to(dtype).eval()
    x = torch.randn(20, inputs, dtype=dtype)
    with torch.no_grad():
        y = model(x)
    path = os.path.join(OUT, name + ".onnx")
    torch.onnx.export(model, x, path, input_names=["x"], output_names=["y"], dynamic_axes={"x": {0: "batch"}, "y": {0: "batch"}}, opset_version=opset)
    onnx.checker.check_model(onnx.load(path))
    write_rows(os.path.join(OUT, name + "-input.csv"), [f"x{i + 1}" for i in range(inputs)], x.tolist())
    write_rows(os.path.join(OUT, name + "-output.csv"), [f"y{i + 1}" for i in range(y.shape[1])], y.tolist())
    ops = [node.op_type for node in onnx.load(path).graph.node]
    print(f"{name}: opset {opset}, nodes {ops}", file=sys.stderr)


def pytorch_to_neuralsharp():
    torch.manual_seed(1)
    export("multiclass", nn.Sequential(nn.Linear(4, 8), nn.ReLU(), nn.Linear(8, 6), nn.Tanh(), nn.Linear(6, 3), nn.Softmax(dim=1)), 4, 13)
    torch.manual_seed(2)
    export("bias-free", nn.Sequential(nn.Linear(3, 5, bias=False), nn.LeakyReLU(0.2), nn.Linear(5, 2), nn.Sigmoid()), 3, 11)
    torch.manual_seed(3)
    export("regression", nn.Sequential(nn.Flatten(), nn.Linear(2, 16), nn.Sigmoid(), nn.Dropout(0.1), nn.Linear(16, 1)), 2, 17)
    torch.manual_seed(4)
    export("float64", nn.Sequential(nn.Linear(2, 4), nn.Tanh(), nn.Linear(4, 1)), 2, 14, torch.float64)


def neuralsharp_to_pytorch():
    spec = importlib.util.spec_from_file_location("iris", os.path.join(OUT, "iris.py"))
    iris = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(iris)
    model = iris.load()
    rows, labels = [], []
    with open(os.path.join(ROOT, "src", "NeuralSharp", "Data", "BuiltIn", "iris.csv")) as f:
        for record in csv.DictReader(f):
            rows.append([float(record[name]) for name in iris.FEATURES])
            labels.append(int(record["target"]))
    x = iris.standardize(rows)
    with torch.no_grad():
        write_rows(os.path.join(OUT, "iris-pytorch-output.csv"), iris.CLASSES, model(x).tolist())
    logits = model[:-1]
    optimizer = torch.optim.SGD(logits.parameters(), lr=0.1)
    loss_fn = nn.CrossEntropyLoss()
    target = torch.tensor(labels)
    losses = []
    for _ in range(20):
        optimizer.zero_grad()
        loss = loss_fn(logits(x), target)
        losses.append([loss.item()])
        loss.backward()
        optimizer.step()
    write_rows(os.path.join(OUT, "iris-pytorch-training.csv"), ["loss"], losses)
    print(f"iris: PyTorch losses {losses[0][0]:.6f} → {losses[-1][0]:.6f}", file=sys.stderr)


if __name__ == "__main__":
    pytorch_to_neuralsharp()
    if os.path.exists(os.path.join(OUT, "iris.safetensors")):
        neuralsharp_to_pytorch()
    else:
        print("iris.safetensors is missing: run the C# test with NEURALSHARP_WRITE_GOLDEN=1 first", file=sys.stderr)
