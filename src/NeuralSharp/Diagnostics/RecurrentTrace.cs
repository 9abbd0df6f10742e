using System.Numerics;
using NeuralSharp.Layers;

namespace NeuralSharp.Diagnostics;

/// <summary>
/// A recurrent layer's part of a <see cref="Trace{T}"/>: its weights, then step by step the state hₜ (and a simple
/// RNN's uₜ, an LSTM's gates i, f, g, o and cell cₜ, a GRU's r, z, n); going back, step by step from the last, δₜ (the
/// gradient of the gates' inputs, the course's <c>delta[:, t]</c>), then the weights' gradients summed over the steps.
/// Labels carry the layer's number and the step: <c>h1_t3</c>, <c>delta1_t3</c>.
/// </summary>
internal static class RecurrentTrace
{
    public static List<TraceEntry<T>> Forward<T>(RecurrentLayer<T> layer, int number)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var entries = new List<TraceEntry<T>>();
        entries.Add(Entry(TracePhase.Forward, layer, $"Wx{number}", TraceQuantity.Weights, layer.InputWeights.Value.Clone()));
        entries.Add(Entry(TracePhase.Forward, layer, $"Wh{number}", TraceQuantity.Weights, layer.StateWeights.Value.Clone()));
        if (layer.HasBias)
        {
            entries.Add(Entry(TracePhase.Forward, layer, $"bx{number}", TraceQuantity.Bias, layer.InputBias.Value.Clone()));
            entries.Add(Entry(TracePhase.Forward, layer, $"bh{number}", TraceQuantity.Bias, layer.StateBias.Value.Clone()));
        }

        int rows = layer.LastInput!.Rows, h = layer.Hidden;
        string[] gates = layer switch { Lstm<T> => ["i", "f", "g", "o"], Gru<T> => ["r", "z", "n"], _ => [] };
        for (int t = 1; t <= layer.Input.Steps; t++)
        {
            if (layer is SimpleRnn<T> rnn)
            {
                entries.Add(Entry(TracePhase.Forward, layer, $"u{number}_t{t}", TraceQuantity.TotalInput, Matrix(rnn.PreActivation(t), rows, h)));
            }

            for (int k = 0; k < gates.Length; k++)
            {
                ReadOnlySpan<T> applied = layer switch { Lstm<T> lstm => lstm.GateValues(t), Gru<T> gru => gru.GateValues(t), _ => default };
                entries.Add(Entry(TracePhase.Forward, layer, $"{gates[k]}{number}_t{t}", TraceQuantity.Gate, Block(applied, rows, gates.Length, k, h)));
            }

            if (layer is Lstm<T> withCell)
            {
                entries.Add(Entry(TracePhase.Forward, layer, $"c{number}_t{t}", TraceQuantity.CellState, Matrix(withCell.Cell(t), rows, h)));
            }

            entries.Add(Entry(TracePhase.Forward, layer, $"h{number}_t{t}", TraceQuantity.State, Matrix(layer.State(t), rows, h)));
        }

        return entries;
    }

    public static List<TraceEntry<T>> Backward<T>(RecurrentLayer<T> layer, int number)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var entries = new List<TraceEntry<T>>();
        int rows = layer.LastInput!.Rows, width = layer.Gates * layer.Hidden;
        for (int t = layer.Input.Steps; t >= 1; t--)
        {
            entries.Add(Entry(TracePhase.Backward, layer, $"delta{number}_t{t}", TraceQuantity.Delta, Matrix(layer.GateInputGradient(t), rows, width)));
        }

        entries.Add(Entry(TracePhase.Backward, layer, $"dWx{number}", TraceQuantity.WeightGradient, layer.InputWeights.Gradient.Clone()));
        entries.Add(Entry(TracePhase.Backward, layer, $"dWh{number}", TraceQuantity.WeightGradient, layer.StateWeights.Gradient.Clone()));
        if (layer.HasBias)
        {
            entries.Add(Entry(TracePhase.Backward, layer, $"dbx{number}", TraceQuantity.BiasGradient, layer.InputBias.Gradient.Clone()));
            entries.Add(Entry(TracePhase.Backward, layer, $"dbh{number}", TraceQuantity.BiasGradient, layer.StateBias.Gradient.Clone()));
        }

        return entries;
    }

    private static TraceEntry<T> Entry<T>(TracePhase phase, ILayer<T> layer, string label, TraceQuantity quantity, NDArray<T> value)
        where T : unmanaged, IFloatingPointIeee754<T> => new(phase, layer.Name, label, quantity, value);

    private static NDArray<T> Matrix<T>(ReadOnlySpan<T> values, int rows, int columns)
        where T : unmanaged, IFloatingPointIeee754<T> => new(new Shape(rows, columns), values[..(rows * columns)].ToArray());

    /// <summary>Gate k of every row of <c>[rows, G·H]</c>, as <c>[rows, H]</c>.</summary>
    private static NDArray<T> Block<T>(ReadOnlySpan<T> gates, int rows, int count, int k, int h)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var block = new T[rows * h];
        for (int b = 0; b < rows; b++)
        {
            gates.Slice((((b * count) + k) * h), h).CopyTo(block.AsSpan(b * h));
        }

        return new NDArray<T>(new Shape(rows, h), block);
    }
}
