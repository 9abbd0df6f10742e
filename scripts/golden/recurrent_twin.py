#!/usr/bin/python3
"""Golden data for the PyTorch twin of recurrent models whose layers PyTorch has no module for (the course's GRU, a
sigmoid RNN: the twin script's own Cell), of both directions (nn.RNN/nn.GRU/nn.LSTM with bidirectional=True) and of an
embedding (nn.Embedding).

Run by hand with Debian's python3-torch (CI never needs Python):

    /usr/bin/python3 scripts/golden/recurrent_twin.py

recurrent-ids.safetensors/.py/-rows.csv and recurrent-series.safetensors/.py/-rows.csv in
tests/NeuralSharp.Tests/Golden/interchange/ are what `neuralsharp export --safetensors` writes for
PyTorchInterchangeTests.RecurrentTwinModels and their 20 rows (the C# test checks the committed bytes;
NEURALSHARP_WRITE_GOLDEN=1 rewrites them). This script loads each with its own load() and writes PyTorch's outputs for
the rows (NAME-pytorch-output.csv).
"""
import csv
import importlib.util
import os
import sys

import torch

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from interchange import OUT, write_rows  # noqa: E402  (the folder and the CSV form the other golden files use)


def main():
    for name in ["recurrent-ids", "recurrent-series"]:
        spec = importlib.util.spec_from_file_location(name.replace("-", "_"), os.path.join(OUT, name + ".py"))
        twin = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(twin)
        model = twin.load()
        with open(os.path.join(OUT, name + "-rows.csv")) as f:
            rows = [[float(record[feature]) for feature in twin.FEATURES] for record in csv.DictReader(f)]
        with torch.no_grad():
            y = model(twin.standardize(rows))
        write_rows(os.path.join(OUT, name + "-pytorch-output.csv"), [f"y{i + 1}" for i in range(y.shape[1])], y.tolist())
        print(f"{name}: {[type(m).__name__ for m in model]}", file=sys.stderr)


if __name__ == "__main__":
    main()
