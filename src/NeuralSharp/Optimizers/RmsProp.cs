using System.Numerics;

namespace NeuralSharp.Optimizers;

/// <summary>
/// RMSProp (Tieleman and Hinton, 2012): AdaGrad with a decaying average instead of a sum,
/// <c>h ← ρ·h + (1 − ρ)·g²</c>, <c>W ← W − η·g / (√h + 1e-7)</c>. Defaults η = 0.01, ρ = 0.99 (Deep Learning from Scratch).
/// </summary>
/// <typeparam name="T"><see cref="float"/> or <see cref="double"/>.</typeparam>
public sealed class RmsProp<T> : Optimizer<T>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    /// <summary>Creates the optimizer.</summary>
    public RmsProp(double learningRate = 0.01, double decayRate = 0.99)
        : base(learningRate) => DecayRate = decayRate;

    /// <summary>ρ, the weight of the old average.</summary>
    public double DecayRate { get; set; }

    /// <inheritdoc />
    public override string Name => "rmsprop";

    /// <inheritdoc />
    protected override int StateSlots => 1;

    /// <inheritdoc />
    protected override void Update(Span<T> w, ReadOnlySpan<T> g, T[][] state)
    {
        T[] h = state[0];
        T eta = T.CreateChecked(LearningRate), rho = T.CreateChecked(DecayRate), guard = T.CreateChecked(1e-7);
        for (int i = 0; i < w.Length; i++)
        {
            // h ← ρ·h + (1 − ρ)·g²;  W ← W − η·g / (√h + 1e-7)
            h[i] = (rho * h[i]) + ((T.One - rho) * g[i] * g[i]);
            w[i] -= eta * g[i] / (T.Sqrt(h[i]) + guard);
        }
    }
}
