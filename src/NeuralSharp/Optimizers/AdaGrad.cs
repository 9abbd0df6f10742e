using System.Numerics;

namespace NeuralSharp.Optimizers;

/// <summary>
/// AdaGrad (Duchi, Hazan and Singer, 2011): each weight's step shrinks with the sum of its squared gradients,
/// <c>h ← h + g²</c>, <c>W ← W − η·g / (√h + 1e-7)</c>. Default η = 0.01 (Deep Learning from Scratch).
/// </summary>
/// <typeparam name="T"><see cref="float"/> or <see cref="double"/>.</typeparam>
public sealed class AdaGrad<T> : RuleOptimizer<T, AdaGradRule<T>>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    /// <summary>Creates the optimizer.</summary>
    public AdaGrad(double learningRate = 0.01)
        : base(learningRate)
    {
    }

    /// <summary>ε, the guard added to √h (default 1e-7, as the course).</summary>
    public double Epsilon { get; set; } = 1e-7;

    /// <inheritdoc />
    public override string Name => "adagrad";

    /// <inheritdoc />
    private protected override AdaGradRule<T> Rule() => new(T.CreateChecked(LearningRate), T.CreateChecked(Epsilon));
}

/// <summary>AdaGrad's rule: <c>h ← h + g²</c>, <c>W ← W − η·g / (√h + ε)</c> (h is the first state slot).</summary>
/// <param name="eta">The learning rate η.</param>
/// <param name="epsilon">The guard ε.</param>
public readonly struct AdaGradRule<T>(T eta, T epsilon) : IUpdateRule<T>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    /// <inheritdoc />
    public static int StateSlots => 1;

    /// <inheritdoc />
    public void Apply(ref T w, T g, ref T first, ref T second)
    {
        first += g * g;
        w -= eta * g / (T.Sqrt(first) + epsilon);
    }

    /// <inheritdoc />
    public void Apply(ref Vector<T> w, Vector<T> g, ref Vector<T> first, ref Vector<T> second)
    {
        first += g * g;
        w -= new Vector<T>(eta) * g / (Vector.SquareRoot(first) + new Vector<T>(epsilon));
    }
}
