using System.Numerics;

namespace NeuralSharp.Optimizers;

/// <summary>Plain gradient descent, the course's update: <c>W ← W − η · ∂E/∂W</c> for every parameter.</summary>
/// <remarks>
/// The training engine fuses this update into the backward pass (a dense layer adds <c>−η·xᵀδ</c> straight into W) when
/// no regularisation is set; otherwise it runs <see cref="SgdRule{T}"/> on each parameter.
/// </remarks>
/// <typeparam name="T"><see cref="float"/> or <see cref="double"/>.</typeparam>
public sealed class Sgd<T> : RuleOptimizer<T, SgdRule<T>>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    /// <summary>Creates the optimizer with learning rate η (Deep Learning from Scratch's default 0.01).</summary>
    public Sgd(double learningRate = 0.01)
        : base(learningRate)
    {
    }

    /// <inheritdoc />
    public override string Name => "sgd";

    /// <inheritdoc />
    internal override bool IsPlainDescent => !Regularised;

    /// <inheritdoc />
    private protected override SgdRule<T> Rule() => new(T.CreateChecked(LearningRate));
}

/// <summary>SGD's rule: <c>W ← W − η·g</c>.</summary>
/// <param name="eta">The learning rate η.</param>
public readonly struct SgdRule<T>(T eta) : IUpdateRule<T>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    /// <inheritdoc />
    public static int StateSlots => 0;

    /// <inheritdoc />
    public void Apply(ref T w, T g, ref T first, ref T second) => w -= eta * g;

    /// <inheritdoc />
    public void Apply(ref Vector<T> w, Vector<T> g, ref Vector<T> first, ref Vector<T> second) => w -= new Vector<T>(eta) * g;
}
