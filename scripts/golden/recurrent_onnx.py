#!/usr/bin/python3
"""Golden data for the ONNX import of recurrent networks exported by PyTorch.

Run by hand with Debian's python3-torch and python3-onnx (CI never needs Python):

    apt-get install -y python3-torch python3-onnx
    /usr/bin/python3 scripts/golden/recurrent_onnx.py > /tmp/recurrent_onnx_nodes.txt

Writes to tests/NeuralSharp.Tests/Golden/interchange/, for KIND in rnn (nn.RNN, tanh), lstm (nn.LSTM) and gru (nn.GRU)
and OPSET in 13 and 17: KIND-opsetOPSET.onnx, a seeded
  KIND(input_size 3, hidden_size 5, batch_first, one layer, unidirectional, biases) → out[:, -1, :] → Linear(5, 2)
on sequences [batch, 6, 3] (no softmax, float32, eval mode, default initialization after torch.manual_seed of the
kind: rnn 21, lstm 22, gru 23, so both opsets of a kind hold the same weights), exported by torch.onnx.export with
input "input", output "output", a dynamic batch and every other argument at its default (do_constant_folding=True):
exactly what a PyTorch user gets, with the exporter's Shape/Gather/.../Expand nodes that build the zero initial state
and its nodes for out[:, -1, :]. Also lstm-hn-opset17.onnx: the LSTM of seed 22 with the Linear on h_n[-1], the
returned final hidden state, instead of out[:, -1, :] (the same weights and inputs as lstm-opset17, so the same
outputs, through a different graph). Beside each NAME.onnx: NAME-input.csv, 4 sequences (values uniform in [-2, 2]
from torch.manual_seed of the kind + 100) as rows of 18 values in [T, F] order (NeuralSharp's rows: time step 0's
three features, then time step 1's, ...); NAME-output.csv, PyTorch's outputs for them.

Prints on stdout, per file, the graph's inputs, outputs, initializers (values of the small ones) and nodes with their
inputs, outputs and attributes (Constant values in full): the listing the C# importer is written against.
"""
import os
import sys

import onnx
import torch
from onnx import numpy_helper
from torch import nn

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from interchange import OUT, write_rows  # noqa: E402  (the folder and the CSV form the MLPs' golden files use)

T, F, H, CLASSES, SAMPLES = 6, 3, 5, 2, 4
KINDS = {"rnn": (21, lambda: nn.RNN(F, H, nonlinearity="tanh", batch_first=True)),
         "lstm": (22, lambda: nn.LSTM(F, H, batch_first=True)),
         "gru": (23, lambda: nn.GRU(F, H, batch_first=True))}


class Net(nn.Module):
    """The recurrent layer, then Linear(5, 2) on the last time step (out[:, -1, :]) or on h_n[-1]."""

    def __init__(self, kind, last="out"):
        super().__init__()
        self.recurrent = KINDS[kind][1]()
        self.linear = nn.Linear(H, CLASSES)
        self.last = last

    def forward(self, x):
        out, state = self.recurrent(x)
        if self.last == "out":
            return self.linear(out[:, -1, :])
        h_n = state[0] if isinstance(state, tuple) else state
        return self.linear(h_n[-1])


def small(array, limit=16):
    return array.tolist() if array.size <= limit else f"<{array.dtype} {list(array.shape)}>"


def listing(name, path):
    model = onnx.load(path)
    graph = model.graph
    lines = [f"== {name}.onnx  (opset {[o.version for o in model.opset_import]}, producer {model.producer_name} "
             f"{model.producer_version}, {os.path.getsize(path)} bytes)"]
    for kind, values in (("input", graph.input), ("output", graph.output)):
        for v in values:
            dims = [d.dim_param or d.dim_value for d in v.type.tensor_type.shape.dim]
            lines.append(f"  {kind} {v.name}: {onnx.TensorProto.DataType.Name(v.type.tensor_type.elem_type)} {dims}")
    for init in graph.initializer:
        array = numpy_helper.to_array(init)
        lines.append(f"  initializer {init.name}: {array.dtype} {list(array.shape)} = {small(array, 8)}")
    for i, node in enumerate(graph.node):
        attributes = []
        for a in node.attribute:
            value = onnx.helper.get_attribute_value(a)
            if isinstance(value, onnx.TensorProto):
                array = numpy_helper.to_array(value)
                value = f"tensor {array.dtype} {list(array.shape)} {small(array)}"
            elif isinstance(value, bytes):
                value = value.decode()
            elif isinstance(value, list):
                value = [v.decode() if isinstance(v, bytes) else v for v in value]
            attributes.append(f"{a.name}={value}")
        lines.append(f"  [{i}] {node.op_type} {list(node.input)} -> {list(node.output)}"
                     + (f"  {{{', '.join(attributes)}}}" if attributes else ""))
    return "\n".join(lines)


def export(name, kind, opset, last="out"):
    seed = KINDS[kind][0]
    torch.manual_seed(seed)
    model = Net(kind, last).float().eval()
    torch.manual_seed(seed + 100)
    x = torch.rand(SAMPLES, T, F) * 4 - 2
    with torch.no_grad():
        y = model(x)
    path = os.path.join(OUT, name + ".onnx")
    torch.onnx.export(model, x, path, input_names=["input"], output_names=["output"],
                      dynamic_axes={"input": {0: "batch"}, "output": {0: "batch"}}, opset_version=opset)
    onnx.checker.check_model(onnx.load(path))
    write_rows(os.path.join(OUT, name + "-input.csv"), [f"p{i}" for i in range(T * F)], x.reshape(SAMPLES, T * F).tolist())
    write_rows(os.path.join(OUT, name + "-output.csv"), [f"y{i + 1}" for i in range(CLASSES)], y.tolist())
    ops = [node.op_type for node in onnx.load(path).graph.node]
    print(f"{name}: opset {opset}, nodes {ops}", file=sys.stderr)
    print(listing(name, path))
    print()


def main():
    for kind in KINDS:
        for opset in (13, 17):
            export(f"{kind}-opset{opset}", kind, opset)
    export("lstm-hn-opset17", "lstm", 17, last="h_n")


if __name__ == "__main__":
    main()
