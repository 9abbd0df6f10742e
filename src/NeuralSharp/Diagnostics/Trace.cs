using System.Collections;
using System.Numerics;
using NeuralSharp.Layers;
using NeuralSharp.Losses;

namespace NeuralSharp.Diagnostics;

/// <summary>
/// A structured record of one forward and backward pass: every x, W, b, u, z, y, d, E, δ, ∂E/∂W and ∂E/∂b, layer by
/// layer, each labelled and shaped — the course's <c>print_vec</c> calls, as data a caller can print or inspect.
/// </summary>
/// <typeparam name="T"><see cref="float"/> or <see cref="double"/>.</typeparam>
public sealed class Trace<T> : IReadOnlyList<TraceEntry<T>>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    private readonly List<TraceEntry<T>> _entries;

    private Trace(List<TraceEntry<T>> entries) => _entries = entries;

    /// <inheritdoc />
    public int Count => _entries.Count;

    /// <inheritdoc />
    public TraceEntry<T> this[int index] => _entries[index];

    /// <summary>The entry with the given label, e.g. <c>u1</c> or <c>dW2</c>.</summary>
    /// <exception cref="KeyNotFoundException">No entry has that label; the message lists those that exist.</exception>
    public TraceEntry<T> this[string label] =>
        _entries.Find(entry => entry.Label == label)
        ?? throw new KeyNotFoundException($"The trace has no '{label}'. It has: {string.Join(", ", _entries.Select(e => e.Label))}.");

    /// <summary>
    /// Runs one forward and backward pass of <paramref name="network"/> on (x, d) and records every value. The
    /// network's weights are not changed; its parameters' gradients are those of this pass.
    /// </summary>
    public static Trace<T> Record(Sequential<T> network, NDArray<T> x, NDArray<T> d, ILoss<T> loss)
    {
        ArgumentNullException.ThrowIfNull(network);
        ArgumentNullException.ThrowIfNull(loss);
        ArgumentNullException.ThrowIfNull(x);
        MemoryBudget.EnsureFits(network, x.Rows, $"Tracing {x.Rows:N0} rows");
        T error = network.ComputeGradients(x, d, loss);
        var entries = new List<TraceEntry<T>> { new(TracePhase.Forward, "", "x", TraceQuantity.Input, x.Clone()) };
        IReadOnlyList<ILayer<T>> layers = network.Layers;
        int number = 0;
        for (int i = 0; i < layers.Count; i++)
        {
            ILayer<T> layer = layers[i];
            bool last = i == layers.Count - 1;
            if (layer is RecurrentLayer<T> recurrent)
            {
                number++;
                entries.AddRange(RecurrentTrace.Forward(recurrent, number));
                continue;
            }

            if (Weighted(layer) is ({ } weights, { } bias))
            {
                // a dense layer's W [in, out], or a convolution's filters as columns of W [C·KH·KW, F]
                number++;
                entries.Add(Forward(layer, $"W{number}", TraceQuantity.Weights, weights.Value));
                entries.Add(Forward(layer, $"b{number}", TraceQuantity.Bias, bias.Value));
                entries.Add(Forward(layer, $"u{number}", TraceQuantity.TotalInput, layer.LastOutput!));
            }
            else if (layer is not Flatten<T>)
            {
                string label = last ? "y" : layer switch
                {
                    MaxPool2D<T> => $"pool{number}",
                    BatchNorm<T> => $"bn{number}",
                    Dropout<T> => $"dropout{number}",
                    _ => $"z{number}",
                };
                entries.Add(Forward(layer, label, last ? TraceQuantity.Output : TraceQuantity.HiddenOutput, layer.LastOutput!));
            }

            if (last && Weighted(layer).Weights is not null)
            {
                entries.Add(Forward(layer, "y", TraceQuantity.Output, layer.LastOutput!));
            }
        }

        entries.Add(new(TracePhase.Loss, "", "d", TraceQuantity.Target, d.Clone()));
        entries.Add(new(TracePhase.Loss, "", "E", TraceQuantity.Loss, NDArray.Vector(error)));
        for (int i = layers.Count - 1; i >= 0; i--)
        {
            if (layers[i] is RecurrentLayer<T> recurrent)
            {
                entries.AddRange(RecurrentTrace.Backward(recurrent, number));
                number--;
            }
            else if (Weighted(layers[i]) is ({ } weights, { } bias))
            {
                ILayer<T> layer = layers[i];
                entries.Add(new(TracePhase.Backward, layer.Name, $"delta{number}", TraceQuantity.Delta, layer.LastOutputGradient!.Clone()));
                entries.Add(new(TracePhase.Backward, layer.Name, $"dW{number}", TraceQuantity.WeightGradient, weights.Gradient.Clone()));
                entries.Add(new(TracePhase.Backward, layer.Name, $"db{number}", TraceQuantity.BiasGradient, bias.Gradient.Clone()));
                number--;
            }
        }

        return new Trace<T>(entries);
    }

    /// <inheritdoc />
    public IEnumerator<TraceEntry<T>> GetEnumerator() => _entries.GetEnumerator();

    /// <inheritdoc />
    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    /// <summary>Every entry, one <c>print_vec</c> block after another.</summary>
    public override string ToString() => string.Join(Environment.NewLine, _entries);

    /// <summary>The weights and bias of a layer that has them (dense or convolution), else nulls.</summary>
    private static (Parameter<T>? Weights, Parameter<T>? Bias) Weighted(ILayer<T> layer) => layer switch
    {
        Dense<T> dense => (dense.Weights, dense.Bias),
        Conv2D<T> conv => (conv.Weights, conv.Bias),
        _ => (null, null),
    };

    private static TraceEntry<T> Forward(ILayer<T> layer, string label, TraceQuantity quantity, NDArray<T> value) =>
        new(TracePhase.Forward, layer.Name, label, quantity, value.Clone());
}
