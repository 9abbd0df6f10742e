using System.Numerics;

namespace NeuralSharp.Optimizers;

/// <summary>
/// Momentum (Polyak, 1964): a velocity that remembers past gradients,
/// <c>v ← α·v − η·g</c>, <c>W ← W + v</c>. Defaults as Deep Learning from Scratch: η = 0.01, α = 0.9.
/// </summary>
/// <remarks>
/// PyTorch's <c>SGD(momentum=α)</c> keeps <c>b ← α·b + g</c> and steps <c>W ← W − η·b</c>: the same update for a constant
/// η (v = −η·b), so the two agree step for step up to rounding.
/// </remarks>
/// <typeparam name="T"><see cref="float"/> or <see cref="double"/>.</typeparam>
public sealed class Momentum<T> : RuleOptimizer<T, MomentumRule<T>>
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
    private protected override MomentumRule<T> Rule() => new(T.CreateChecked(LearningRate), T.CreateChecked(MomentumFactor));
}

/// <summary>Momentum's rule: <c>v ← α·v − η·g</c>, <c>W ← W + v</c> (v is the first state slot).</summary>
/// <param name="eta">The learning rate η.</param>
/// <param name="alpha">The fraction α of the velocity kept.</param>
public readonly struct MomentumRule<T>(T eta, T alpha) : IUpdateRule<T>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    /// <inheritdoc />
    public static int StateSlots => 1;

    /// <inheritdoc />
    public void Apply(ref T w, T g, ref T first, ref T second)
    {
        first = (alpha * first) - (eta * g);
        w += first;
    }

    /// <inheritdoc />
    public void Apply(ref Vector<T> w, Vector<T> g, ref Vector<T> first, ref Vector<T> second)
    {
        first = (new Vector<T>(alpha) * first) - (new Vector<T>(eta) * g);
        w += first;
    }
}
