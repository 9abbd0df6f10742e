using System.Numerics;

namespace NeuralSharp.Optimizers;

/// <summary>
/// Adam (Kingma and Ba, 2015), in Deep Learning from Scratch's form with the bias correction folded into the rate:
/// <c>η_t = η·√(1 − β₂ᵗ) / (1 − β₁ᵗ)</c>, <c>m ← m + (1 − β₁)(g − m)</c>, <c>v ← v + (1 − β₂)(g² − v)</c>,
/// <c>W ← W − η_t·m / (√v + 1e-7)</c>. Defaults η = 0.001, β₁ = 0.9, β₂ = 0.999.
/// </summary>
/// <typeparam name="T"><see cref="float"/> or <see cref="double"/>.</typeparam>
public sealed class Adam<T> : Optimizer<T>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    /// <summary>Creates the optimizer.</summary>
    public Adam(double learningRate = 0.001, double beta1 = 0.9, double beta2 = 0.999)
        : base(learningRate)
    {
        Beta1 = beta1;
        Beta2 = beta2;
    }

    /// <summary>β₁, the decay of the first-moment (mean) estimate.</summary>
    public double Beta1 { get; set; }

    /// <summary>β₂, the decay of the second-moment (uncentred variance) estimate.</summary>
    public double Beta2 { get; set; }

    /// <inheritdoc />
    public override string Name => "adam";

    /// <inheritdoc />
    protected override int StateSlots => 2;

    /// <inheritdoc />
    protected override void Update(Span<T> w, ReadOnlySpan<T> g, T[][] state)
    {
        T[] m = state[0], v = state[1];
        // η_t = η·√(1 − β₂ᵗ) / (1 − β₁ᵗ)
        T rate = T.CreateChecked(LearningRate * Math.Sqrt(1 - Math.Pow(Beta2, Steps)) / (1 - Math.Pow(Beta1, Steps)));
        T b1 = T.CreateChecked(1 - Beta1), b2 = T.CreateChecked(1 - Beta2), guard = T.CreateChecked(1e-7);
        for (int i = 0; i < w.Length; i++)
        {
            // m ← m + (1 − β₁)(g − m);  v ← v + (1 − β₂)(g² − v);  W ← W − η_t·m / (√v + 1e-7)
            m[i] += b1 * (g[i] - m[i]);
            v[i] += b2 * ((g[i] * g[i]) - v[i]);
            w[i] -= rate * m[i] / (T.Sqrt(v[i]) + guard);
        }
    }
}
