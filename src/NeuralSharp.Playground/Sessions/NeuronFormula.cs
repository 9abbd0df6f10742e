using NeuralSharp.Diagnostics;
using NeuralSharp.Layers;

namespace NeuralSharp.Playground.Sessions;

/// <summary>
/// The formula panel: for one neuron and one training point, <c>u = Σ w·x + b</c> and <c>z = f(u)</c> with the
/// current numbers, and the backward pass for that point — δ = ∂E/∂u, ∂E/∂w for each incoming weight, ∂E/∂b —
/// taken from the engine's own trace.
/// </summary>
public static class NeuronFormula
{
    /// <summary>The numbers for neuron <paramref name="unit"/> of dense layer <paramref name="layer"/> (1-based) at training point <paramref name="sample"/>.</summary>
    public static object Of(Session session, int layer, int unit, int sample)
    {
        ArgumentNullException.ThrowIfNull(session);
        return session.Locked(() =>
        {
            Dense<double>[] dense = [.. session.Network.Layers.OfType<Dense<double>>()];
            if (layer < 1 || layer > dense.Length || unit < 0 || unit >= dense[layer - 1].Outputs || sample < 0 || sample >= session.Data.TrainCount)
            {
                throw new ArgumentOutOfRangeException(nameof(layer), $"There is no neuron {unit} in layer {layer}, or no training point {sample}.");
            }

            NDArray<double> x = session.Data.FeatureTensor(sample, sample + 1);
            NDArray<double> d = session.Head.EncodeTargets<double>(session.Data.Targets.AsSpan(sample, 1), 1);
            Trace<double> trace = Trace<double>.Record(session.Network, x, d, session.Loss);
            NDArray<double> input = layer == 1 ? trace["x"].Value : trace[$"z{layer - 1}"].Value;
            bool last = layer == dense.Length;
            NDArray<double> z = last ? trace["y"].Value : trace[$"z{layer}"].Value;
            NDArray<double> w = trace[$"W{layer}"].Value, dw = trace[$"dW{layer}"].Value;
            return new
            {
                layer,
                unit,
                sample,
                point = new[] { session.Data.Points[2 * sample], session.Data.Points[(2 * sample) + 1] },
                inputs = input.ToArray(),
                weights = Enumerable.Range(0, w.Rows).Select(i => w[i, unit]).ToArray(),
                bias = trace[$"b{layer}"].Value[unit],
                u = trace[$"u{layer}"].Value[0, unit],
                z = z[0, unit],
                activation = last ? (session.Network.OutputActivation?.Activation.Kind.ToString() ?? "Identity") : session.Config.Activation,
                delta = trace[$"delta{layer}"].Value[0, unit],
                weightGradients = Enumerable.Range(0, dw.Rows).Select(i => dw[i, unit]).ToArray(),
                biasGradient = trace[$"db{layer}"].Value[unit],
                loss = trace["E"].Value[0],
            };
        });
    }
}
