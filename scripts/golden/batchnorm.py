#!/usr/bin/python3
"""Golden data for batch normalisation between PyTorch and NeuralSharp: per channel after a convolution (BatchNorm2d),
per feature after a dense layer (BatchNorm1d).

Run by hand with Debian's python3-torch and python3-onnx (CI never needs Python):

    apt-get install -y python3-torch python3-onnx
    /usr/bin/python3 scripts/golden/batchnorm.py

PyTorch → NeuralSharp: batchnorm.onnx, a seeded
  Conv2d(1, 4, 3, padding=1) ReLU BatchNorm2d(4) MaxPool2d(2) Flatten Linear(64, 8) BatchNorm1d(8) ReLU Linear(8, 3) Softmax
on [batch, 1, 8, 8] images, its running statistics moved by five training-mode passes, exported in eval mode by
torch.onnx.export at opset 13 with a dynamic batch (BatchNorm2d follows the ReLU so that the exporter does not fold it
into the convolution); batchnorm-input.csv, 20 images as rows of 64 values; batchnorm-output.csv, PyTorch's outputs.

NeuralSharp → PyTorch: convnet-bn.safetensors, convnet-bn.py and convnet-bn-rows.csv in the same folder are what
`neuralsharp export --safetensors` writes for PyTorchInterchangeTests.BatchNormModel and its 20 rows (the C# test checks
the committed bytes; NEURALSHARP_WRITE_GOLDEN=1 rewrites them). This script loads them with convnet-bn.py's own load(),
writes PyTorch's predictions for the rows (convnet-bn-pytorch-output.csv), and trains on in PyTorch from those weights
in training mode (batch statistics) — model[:-1] with nn.CrossEntropyLoss and SGD at lr 0.1, 20 full-batch steps —
writing the loss before each step (convnet-bn-pytorch-training.csv).
"""
import csv
import importlib.util
import os
import sys

import onnx
import torch
from torch import nn

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from interchange import OUT, write_rows  # noqa: E402  (the folder and the CSV form the other golden files use)


def pytorch_to_neuralsharp():
    torch.manual_seed(11)
    model = nn.Sequential(
        nn.Conv2d(1, 4, 3, padding=1), nn.ReLU(), nn.BatchNorm2d(4), nn.MaxPool2d(2),
        nn.Flatten(), nn.Linear(64, 8), nn.BatchNorm1d(8), nn.ReLU(), nn.Linear(8, 3), nn.Softmax(dim=1))
    with torch.no_grad():
        for module in model:
            if isinstance(module, (nn.BatchNorm1d, nn.BatchNorm2d)):
                module.weight.uniform_(0.5, 1.5)
                module.bias.uniform_(-0.5, 0.5)
        model.train()
        for _ in range(5):
            model(torch.randn(32, 1, 8, 8) * 2 + 0.7)
    model.eval()
    x = torch.randn(20, 1, 8, 8) * 2 + 0.7
    with torch.no_grad():
        y = model(x)
    path = os.path.join(OUT, "batchnorm.onnx")
    torch.onnx.export(model, x, path, input_names=["x"], output_names=["y"], dynamic_axes={"x": {0: "batch"}, "y": {0: "batch"}}, opset_version=13)
    onnx.checker.check_model(onnx.load(path))
    write_rows(os.path.join(OUT, "batchnorm-input.csv"), [f"p{i}" for i in range(64)], x.reshape(20, 64).tolist())
    write_rows(os.path.join(OUT, "batchnorm-output.csv"), [f"y{i + 1}" for i in range(3)], y.tolist())
    print(f"batchnorm: nodes {[node.op_type for node in onnx.load(path).graph.node]}", file=sys.stderr)


def neuralsharp_to_pytorch():
    spec = importlib.util.spec_from_file_location("convnet_bn", os.path.join(OUT, "convnet-bn.py"))
    twin = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(twin)
    model = twin.load()
    rows, labels = [], []
    with open(os.path.join(OUT, "convnet-bn-rows.csv")) as f:
        for record in csv.DictReader(f):
            rows.append([float(record[name]) for name in twin.FEATURES])
            labels.append(int(float(record["target"])))
    x = twin.standardize(rows)
    with torch.no_grad():
        write_rows(os.path.join(OUT, "convnet-bn-pytorch-output.csv"), twin.CLASSES, model(x).tolist())
    logits = model[:-1].train()
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
    write_rows(os.path.join(OUT, "convnet-bn-pytorch-training.csv"), ["loss"], losses)
    print(f"convnet-bn: PyTorch losses {losses[0][0]:.6f} → {losses[-1][0]:.6f}", file=sys.stderr)


if __name__ == "__main__":
    pytorch_to_neuralsharp()
    if os.path.exists(os.path.join(OUT, "convnet-bn.safetensors")):
        neuralsharp_to_pytorch()
    else:
        print("convnet-bn.safetensors is missing: run the C# test with NEURALSHARP_WRITE_GOLDEN=1 first", file=sys.stderr)
