using NeuralSharp.Activations;
using NeuralSharp.Layers;
using NeuralSharp.Losses;

namespace NeuralSharp.Diagnostics;

/// <summary>
/// Compares backpropagation's gradients with numerical ones from central differences, in float64, parameter by
/// parameter — the check that the analytic derivatives (and their code) are right.
/// </summary>
/// <remarks>
/// The numerical derivative uses the five-point central difference
/// <c>f'(w) ≈ (−f(w+2h) + 8f(w+h) − 8f(w−h) + f(w−2h)) / 12h</c>, whose truncation error is O(h⁴); with the default
/// h = 1e-3 both truncation and rounding stay near 1e-13 for a loss near 1, so a correct gradient agrees to
/// about 1e-9 relative (see <see cref="GradientFloor"/> for gradients too small to resolve).
/// ReLU, leaky ReLU and step have kinks at u = 0, and max pooling one wherever two values of a window tie: a difference
/// taken across one is meaningless. So an entry whose nudges move any input of a ReLU, leaky ReLU or step across 0, or
/// change any pooling window's winner, is left out of the comparison and counted (<see cref="ParameterCheck.Skipped"/>),
/// and the report gives the smallest |u| seen at such an activation (<see cref="GradientCheckReport.KinkDistance"/>).
/// </remarks>
public static class GradientCheck
{
    /// <summary>The default step h.</summary>
    public const double DefaultStep = 1e-3;

    /// <summary>
    /// Numerical gradient of <paramref name="f"/> with respect to each element of <paramref name="point"/>, which
    /// <paramref name="f"/> must read (each element is nudged and restored in turn).
    /// </summary>
    public static void Numerical(Span<double> point, Func<double> f, Span<double> gradient, double step = DefaultStep)
    {
        ArgumentNullException.ThrowIfNull(f);
        for (int i = 0; i < point.Length; i++)
        {
            double original = point[i];
            point[i] = original + (2 * step);
            double plus2 = f();
            point[i] = original + step;
            double plus1 = f();
            point[i] = original - step;
            double minus1 = f();
            point[i] = original - (2 * step);
            double minus2 = f();
            point[i] = original;
            // f'(w) ≈ (8(f(w+h) − f(w−h)) − (f(w+2h) − f(w−2h))) / 12h; differences first, so a flat f gives exactly 0
            gradient[i] = ((8 * (plus1 - minus1)) - (plus2 - minus2)) / (12 * step);
        }
    }

    /// <summary>
    /// Gradients smaller than this are compared as if they had this size. The five-point difference of a loss near 1
    /// carries a rounding error of about 16 · 2⁻⁵² / 12h ≈ 3e-13 at h = 1e-3, so it cannot resolve a gradient of 1e-10
    /// (vanished through a deep narrow stack, say) to 1e-7 relative; below the floor the error is an absolute one
    /// × 1e5, and the 1e-7 bar becomes |a − n| &lt; 1e-12.
    /// </summary>
    public const double GradientFloor = 1e-5;

    /// <summary>
    /// The relative error <c>|a − n| / max(|a|, |n|, GradientFloor)</c>; 0 when both are exactly 0 (behind a step).
    /// </summary>
    public static double RelativeError(double analytic, double numerical)
    {
        double scale = Math.Max(Math.Max(Math.Abs(analytic), Math.Abs(numerical)), GradientFloor);
        return Math.Abs(analytic - numerical) / scale;
    }

    /// <summary>
    /// Sets <paramref name="network"/> as it trains (batch norm on the batch's statistics) but with dropout off, for a
    /// check of a saved model: dropout's masks are fresh random draws at every pass, so the loss the differences see
    /// would not be one function of the weights.
    /// </summary>
    public static void TrainingWithoutDropout(Sequential<double> network)
    {
        ArgumentNullException.ThrowIfNull(network);
        network.Training = true;
        foreach (Dropout<double> dropout in network.Layers.OfType<Dropout<double>>())
        {
            dropout.Training = false;
        }
    }

    /// <summary>
    /// Runs backpropagation once on (x, d), then differentiates the loss numerically with respect to every
    /// parameter — or, with <paramref name="entriesPerParameter"/>, that many entries of each spread evenly over it (a
    /// large network's full check would take hours) — and reports the largest disagreement per parameter. The
    /// network's weights end as they began.
    /// </summary>
    public static GradientCheckReport Run(
        Sequential<double> network, NDArray<double> x, NDArray<double> d, ILoss<double> loss, double step = DefaultStep, int? entriesPerParameter = null)
    {
        ArgumentNullException.ThrowIfNull(network);
        network.ComputeGradients(x, d, loss);
        // the fused gradient (y − d)/batch is the derivative of the cross entropy without its +ε guard inside the
        // log: differentiate that loss numerically, or the guard alone shows as an error of ~1e-5
        loss = network.IsFused(loss) ? loss switch
        {
            CrossEntropy<double> { Epsilon: not 0 } ce => new CrossEntropy<double>(epsilon: 0, ce.ClassWeights),
            BinaryCrossEntropy<double> { Epsilon: not 0 } bce => new BinaryCrossEntropy<double>(epsilon: 0, bce.ClassWeights),
            _ => loss,
        } : loss;
        double kinkDistance = KinkDistance(network);
        ulong sides = KinkSides(network);
        var analytic = network.Parameters.Select(parameter => parameter.Gradient.ToArray()).ToList();
        var results = new List<ParameterCheck>();
        for (int p = 0; p < network.Parameters.Count; p++)
        {
            Parameter<double> parameter = network.Parameters[p];
            int length = parameter.Value.Length, count = Math.Min(length, entriesPerParameter ?? length);
            // every entry, or count of them spread evenly from the first to the last
            int[] entries = [.. Enumerable.Range(0, count).Select(k => count == length ? k : (int)((long)k * (length - 1) / Math.Max(count - 1, 1)))];
            var numerical = new double[count];
            var across = new bool[count];
            for (int k = 0; k < count; k++)
            {
                bool crossed = false;
                double Loss()
                {
                    double value = network.Loss(x, d, loss);
                    crossed |= KinkSides(network) != sides;
                    return value;
                }

                Numerical(parameter.Value.AsSpan().Slice(entries[k], 1), Loss, numerical.AsSpan(k, 1), step);
                across[k] = crossed;
            }

            int[] kept = [.. Enumerable.Range(0, count).Where(k => !across[k])];
            ParameterCheck check = Compare(parameter.Name, [.. kept.Select(k => analytic[p][entries[k]])], [.. kept.Select(k => numerical[k])]);
            // the worst entry named by its place in the parameter, not in the sample
            results.Add(check with { WorstIndex = kept.Length > 0 ? entries[kept[check.WorstIndex]] : 0, Skipped = count - kept.Length });
        }

        return new GradientCheckReport(results, kinkDistance);
    }

    private static ParameterCheck Compare(string name, double[] analytic, double[] numerical)
    {
        double maxRelative = 0, maxAbsolute = 0;
        int worst = 0;
        for (int i = 0; i < analytic.Length; i++)
        {
            double relative = RelativeError(analytic[i], numerical[i]);
            maxAbsolute = Math.Max(maxAbsolute, Math.Abs(analytic[i] - numerical[i]));
            if (relative > maxRelative)
            {
                maxRelative = relative;
                worst = i;
            }
        }

        return new ParameterCheck(name, analytic.Length, maxRelative, maxAbsolute, worst,
            analytic.Length > 0 ? analytic[worst] : 0, numerical.Length > 0 ? numerical[worst] : 0);
    }

    /// <summary>
    /// Which side of every kink the last forward pass was on, as one hash: the sign of each input to a ReLU, leaky ReLU
    /// or step, and each max-pooling window's winner.
    /// </summary>
    private static ulong KinkSides(Sequential<double> network)
    {
        const ulong prime = 1_099_511_628_211;
        ulong hash = 14_695_981_039_346_656_037;
        foreach (ILayer<double> layer in network.Layers)
        {
            if (layer is ActivationLayer<double> { Activation.Kind: ActivationKind.Relu or ActivationKind.LeakyRelu or ActivationKind.Step } && layer.LastInput is { } u)
            {
                foreach (double value in u.AsSpan())
                {
                    hash = (hash ^ (value > 0 ? 1UL : 0UL)) * prime;
                }
            }
            else if (layer is MaxPool2D<double> pool)
            {
                foreach (int winner in pool.Winners)
                {
                    hash = (hash ^ (uint)winner) * prime;
                }
            }
        }

        return hash;
    }

    private static double KinkDistance(Sequential<double> network)
    {
        double distance = double.PositiveInfinity;
        foreach (ILayer<double> layer in network.Layers)
        {
            if (layer is ActivationLayer<double> { Activation.Kind: ActivationKind.Relu or ActivationKind.LeakyRelu or ActivationKind.Step }
                && layer.LastInput is { } u)
            {
                foreach (double value in u.AsSpan())
                {
                    distance = Math.Min(distance, Math.Abs(value));
                }
            }
        }

        return distance;
    }
}
