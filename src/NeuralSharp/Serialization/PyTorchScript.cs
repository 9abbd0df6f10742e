using System.Globalization;
using System.Numerics;
using System.Text;
using NeuralSharp.Activations;
using NeuralSharp.Layers;

namespace NeuralSharp.Serialization;

/// <summary>
/// A Python file that defines a model's PyTorch twin: the <c>nn.Sequential</c> whose <c>state_dict</c> is the
/// safetensors file's (<see cref="SafeTensorsFile"/>), the standardizer as constants, and a <c>load</c> that reads the
/// weights with <c>safetensors.torch.load_file</c> (or, without that package, the format's few lines of Python).
/// </summary>
public static class PyTorchScript
{
    /// <summary>The script's text for <paramref name="model"/>, whose weights are in <paramref name="weightsFile"/>.</summary>
    public static string For<T>(Model<T> model, string weightsFile)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(weightsFile);
        string dtype = typeof(T) == typeof(float) ? "torch.float32" : "torch.float64";
        var text = new StringBuilder();
        text.AppendLine(CultureInfo.InvariantCulture, $""""
            """PyTorch twin of a NeuralSharp model ({model.Task}), written by NeuralSharp beside its safetensors file.

            model = load()                      # nn.Sequential with the NeuralSharp weights
            y = model(standardize(x))           # x: raw features [batch, {model.FeatureNames.Count}], in the order of FEATURES

            Its last module is the output activation. To train on in PyTorch with nn.CrossEntropyLoss (which takes
            logits) or nn.BCEWithLogitsLoss, train model[:-1]; nn.MSELoss takes model itself.
            """
            import json
            import struct

            import torch
            from torch import nn

            WEIGHTS = {Quote(weightsFile)}
            DTYPE = {dtype}
            FEATURES = [{string.Join(", ", model.FeatureNames.Select(Quote))}]
            CLASSES = {(model.ClassNames is { } classes ? $"[{string.Join(", ", classes.Select(Quote))}]" : "None")}
            TARGET = {Quote(model.TargetName)}
            """");
        text.AppendLine(CultureInfo.InvariantCulture, $"MEAN = {Numbers(model.Standardizer?.Mean)}");
        text.AppendLine(CultureInfo.InvariantCulture, $"DEVIATION = {Numbers(model.Standardizer?.Deviation)}");
        text.AppendLine(CultureInfo.InvariantCulture, $"TARGET_MEAN = {Numbers(model.TargetStandardizer?.Mean)}");
        text.AppendLine(CultureInfo.InvariantCulture, $"TARGET_DEVIATION = {Numbers(model.TargetStandardizer?.Deviation)}");
        text.AppendLine(""""


            class Step(nn.Module):
                """The course's step: 1 where u > 0, else 0 (its gradient is 0 everywhere)."""

                def forward(self, u):
                    return (u > 0).to(u.dtype)
            """");
        if (model.Network.Layers.Any(layer => layer is RecurrentLayer<T> or TimeDistributedDense<T> or Bidirectional<T> or Embedding<T>))
        {
            text.AppendLine(""""


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
            """");
        }

        text.AppendLine(""""


            def build():
                return nn.Sequential(
            """");
        CheckModules(model.Network);
        // a network that starts on images takes rows of C·H·W values, as the library's does: the twin unflattens them first
        int first = 0;
        if (model.Network.Layers[0] switch { Conv2D<T> c => c.Input, MaxPool2D<T> p => p.Input, BatchNorm<T> { Image: { } i } => i, _ => (ImageShape?)null } is { } image)
        {
            text.AppendLine(CultureInfo.InvariantCulture, $"        nn.Unflatten(1, ({image.Channels}, {image.Height}, {image.Width})),  # 0: rows to images");
            first = 1;
        }

        for (int index = 0; index < model.Network.Layers.Count; index++)
        {
            ILayer<T> layer = model.Network.Layers[index];
            string module = layer switch
            {
                Conv2D<T> conv => string.Create(CultureInfo.InvariantCulture, $"nn.Conv2d({conv.Input.Channels}, {conv.Filters}, ({conv.KernelHeight}, {conv.KernelWidth}), stride={conv.Stride}, padding={conv.Padding})"),
                MaxPool2D<T> pool => string.Create(CultureInfo.InvariantCulture, $"nn.MaxPool2d({pool.Size}, stride={pool.Stride})"),
                Flatten<T> => "nn.Flatten()",
                Dropout<T> dropout => $"nn.Dropout({Number(dropout.Ratio)})",
                // PyTorch's momentum is the new statistic's weight, 1 − m
                BatchNorm<T> norm => string.Create(CultureInfo.InvariantCulture, $"nn.BatchNorm{(norm.Image is null ? 1 : 2)}d({norm.Channels}, eps={Number(norm.Epsilon)}, momentum={(1 - norm.Momentum).ToString("G12", CultureInfo.InvariantCulture)})"),
                Dense<T> dense => $"nn.Linear({dense.Inputs}, {dense.Outputs})",
                RecurrentLayer<T> r => Recurrent(r, bidirectional: false),
                Bidirectional<T> both => Recurrent(both.Forwards, bidirectional: true),
                Embedding<T> embedding => string.Create(CultureInfo.InvariantCulture, $"Ids(nn.Embedding({embedding.Vocabulary}, {embedding.Dimension}), {embedding.Steps})"),
                TimeDistributedDense<T> step => string.Create(CultureInfo.InvariantCulture, $"Steps(nn.Linear({step.Inputs}, {step.Outputs}{(step.HasBias ? "" : ", bias=False")}), {step.Steps})"),
                ActivationLayer<T> activation => string.Format(CultureInfo.InvariantCulture, Activation.Info(activation.Activation.Kind).PyTorchModule,
                    activation.Activation is LeakyRelu<T> leaky ? Number(double.CreateChecked(leaky.Alpha)) : ""),
                _ => throw new InvalidOperationException(layer.Name), // refused by CheckModules
            };
            text.AppendLine(CultureInfo.InvariantCulture, $"        {module},  # {first + index}: {layer.Name}");
        }

        text.AppendLine(""""
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
            """");
        return text.ToString().ReplaceLineEndings("\n");
    }

    /// <summary>Refuses a network with a layer PyTorch has no module for, which the twin script could not write.</summary>
    /// <exception cref="NotSupportedException">The first such layer, named.</exception>
    public static void CheckModules<T>(Sequential<T> network)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(network);
        bool images = false;
        foreach (ILayer<T> layer in network.Layers)
        {
            images = layer switch { Conv2D<T> or MaxPool2D<T> or BatchNorm<T> { Image: not null } => true, Flatten<T> or Dense<T> => false, _ => images };
            // PyTorch's own modules, and the twin's for the course's GRU and a sigmoid RNN; both directions only of PyTorch's
            bool form = layer is Dense<T> or ActivationLayer<T> or RecurrentLayer<T> or TimeDistributedDense<T> or Embedding<T> or Conv2D<T> or MaxPool2D<T> or Flatten<T> or Dropout<T>
                || (layer is Bidirectional<T> both && Native(both.Forwards))
                || (layer is BatchNorm<T> norm && (norm.Image is not null || !images));
            if (!form)
            {
                string why = layer switch
                {
                    BatchNorm<T> => "a batch normalisation of every value of an image (a model from before it went per channel) has no PyTorch module",
                    Bidirectional<T> => "both directions of the course's GRU or a sigmoid RNN are not one of PyTorch's modules",
                    _ => "PyTorch has no module the twin script writes for it yet",
                };
                throw new NotSupportedException($"safetensors export cannot write layer '{layer.Name}' ({layer.GetType().Name.Split('`')[0]}): {why} (export ONNX instead).");
            }
        }
    }

    /// <summary>True for a recurrent layer that is one of PyTorch's own modules (nn.LSTM, nn.GRU, nn.RNN with tanh or ReLU).</summary>
    private static bool Native<T>(RecurrentLayer<T> layer)
        where T : unmanaged, IFloatingPointIeee754<T> =>
        layer is Lstm<T> or Gru<T> { Form: GruForm.PyTorch } || (layer is SimpleRnn<T> rnn && rnn.Activation.Kind is ActivationKind.Tanh or ActivationKind.Relu);

    /// <summary>The twin's module of a recurrent layer: PyTorch's own, or the script's Cell for the course's GRU and a sigmoid RNN.</summary>
    private static string Recurrent<T>(RecurrentLayer<T> r, bool bidirectional)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        string bias = r.HasBias ? "" : ", bias=False";
        string module = Native(r)
            ? $"nn.{r switch { Lstm<T> => "LSTM", Gru<T> => "GRU", _ => "RNN" }}({r.Input.Features}, {r.Hidden}, batch_first=True{bias}{(r is SimpleRnn<T> { Activation.Kind: ActivationKind.Relu } ? ", nonlinearity=\"relu\"" : "")}{(bidirectional ? ", bidirectional=True" : "")})"
            : $"Cell(\"{(r is Gru<T> ? "course-gru" : "sigmoid-rnn")}\", {r.Input.Features}, {r.Hidden}{bias})";
        return string.Create(CultureInfo.InvariantCulture, $"Recurrent({module}, {r.Input.Steps}, {r.Input.Features}, {(r.Output == RecurrentOutput.EveryStep ? "True" : "False")})");
    }

    private static string Numbers(IReadOnlyList<double>? values) =>
        values is null ? "None" : $"[{string.Join(", ", values.Select(Number))}]";

    private static string Number(double value) => value.ToString("R", CultureInfo.InvariantCulture);

    private static string Quote(string text) =>
        "\"" + text.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal).Replace("\n", "\\n", StringComparison.Ordinal).Replace("\r", "\\r", StringComparison.Ordinal) + "\"";
}
