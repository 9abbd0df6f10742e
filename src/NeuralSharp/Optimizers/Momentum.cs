using System.Numerics;

namespace NeuralSharp.Optimizers;

/// <summary>
/// Momentum (Polyak, 1964): a velocity that remembers past gradients,
/// <c>v ← α·v − η·g</c>, <c>W ← W + v</c>. Defaults as Deep Learning from Scratch: η = 0.01, α = 0.9.
/// </summary>
/// <typeparam name="T"><see cref="float"/> or <see cref="double"/>.</typeparam>
public sealed class Momentum<T> : Optimizer<T>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    /// <summary>Creates the optimizer.</summary>
    public Momentum(double learningRate = 0.01, double momentum = 0.9)
        : base(learningRate) => MomentumFactor = momentum;

    /// <summary>α, the fraction of the velocity kept each step.</summary>
    public double MomentumFactor { get; set; }

    /// <inheritdoc />
    public override string Name => "momentum";

    /// <inheritdoc />
    protected override int StateSlots => 1;

    /// <inheritdoc />
    protected override void Update(Span<T> w, ReadOnlySpan<T> g, T[][] state)
    {
        T[] v = state[0];
        T alpha = T.CreateChecked(MomentumFactor), eta = T.CreateChecked(LearningRate);
        for (int i = 0; i < w.Length; i++)
        {
            // v ← α·v − η·g;  W ← W + v
            v[i] = (alpha * v[i]) - (eta * g[i]);
            w[i] += v[i];
        }
    }
}
