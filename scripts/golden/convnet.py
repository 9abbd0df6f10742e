#!/usr/bin/python3
"""Golden data for the ONNX import of a convolutional network exported by PyTorch.

Run by hand with Debian's python3-torch and python3-onnx (CI never needs Python):

    apt-get install -y python3-torch python3-onnx
    /usr/bin/python3 scripts/golden/convnet.py

Writes to tests/NeuralSharp.Tests/Golden/interchange/: convnet.onnx, a seeded
  Conv2d(1, 4, 3, padding=1) ReLU MaxPool2d(2) Conv2d(4, 3, 3, stride=2, padding=1) Tanh Flatten Linear(12, 3) Softmax
on [batch, 1, 8, 8] images, exported by torch.onnx.export at opset 13 with a dynamic batch; convnet-input.csv, 20 images
as rows of 64 values in [C, H, W] order (NeuralSharp's rows); convnet-output.csv, PyTorch's outputs for them.
"""
import os
import sys

import onnx
import torch
from torch import nn

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from interchange import OUT, write_rows  # noqa: E402  (the folder and the CSV form the MLPs' golden files use)


def main():
    torch.manual_seed(5)
    model = nn.Sequential(
        nn.Conv2d(1, 4, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2),
        nn.Conv2d(4, 3, 3, stride=2, padding=1), nn.Tanh(),
        nn.Flatten(), nn.Linear(12, 3), nn.Softmax(dim=1)).eval()
    x = torch.randn(20, 1, 8, 8)
    with torch.no_grad():
        y = model(x)
    path = os.path.join(OUT, "convnet.onnx")
    torch.onnx.export(model, x, path, input_names=["x"], output_names=["y"], dynamic_axes={"x": {0: "batch"}, "y": {0: "batch"}}, opset_version=13)
    onnx.checker.check_model(onnx.load(path))
    write_rows(os.path.join(OUT, "convnet-input.csv"), [f"p{i}" for i in range(64)], x.reshape(20, 64).tolist())
    write_rows(os.path.join(OUT, "convnet-output.csv"), [f"y{i + 1}" for i in range(3)], y.tolist())
    graph = onnx.load(path).graph
    print(f"convnet: nodes {[node.op_type for node in graph.node]}", file=sys.stderr)
    for node in graph.node:
        print(f"  {node.op_type} {[(a.name, onnx.helper.get_attribute_value(a)) for a in node.attribute]}", file=sys.stderr)


if __name__ == "__main__":
    main()
