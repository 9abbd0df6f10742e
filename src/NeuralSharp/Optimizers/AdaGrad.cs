using System.Numerics;

namespace NeuralSharp.Optimizers;

/// <summary>
/// AdaGrad (Duchi, Hazan and Singer, 2011): each weight's step shrinks with the sum of its squared gradients,
/// <c>h ← h + g²</c>, <c>W ← W − η·g / (√h + 1e-7)</c>. Default η = 0.01 (Deep Learning from Scratch).
/// </summary>
/// <typeparam name="T"><see cref="float"/> or <see cref="double"/>.</typeparam>
public sealed class AdaGrad<T> : Optimizer<T>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    /// <summary>Creates the optimizer.</summary>
    public AdaGrad(double learningRate = 0.01)
        : base(learningRate)
    {
    }

    /// <inheritdoc />
    public override string Name => "adagrad";

    /// <inheritdoc />
    protected override int StateSlots => 1;

    /// <inheritdoc />
    protected override void Update(Span<T> w, ReadOnlySpan<T> g, T[][] state)
    {
        T[] h = state[0];
        T eta = T.CreateChecked(LearningRate), guard = T.CreateChecked(1e-7);
        for (int i = 0; i < w.Length; i++)
        {
            // h ← h + g²;  W ← W − η·g / (√h + 1e-7)
            h[i] += g[i] * g[i];
            w[i] -= eta * g[i] / (T.Sqrt(h[i]) + guard);
        }
    }
}
