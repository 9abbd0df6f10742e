using System.Numerics;
using NeuralSharp.Kernels;

namespace NeuralSharp.Optimizers;

/// <summary>Plain gradient descent, the course's update: <c>W ← W − η · ∂E/∂W</c> for every parameter.</summary>
/// <typeparam name="T"><see cref="float"/> or <see cref="double"/>.</typeparam>
public sealed class Sgd<T> : Optimizer<T>
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
    protected override void Update(Span<T> w, ReadOnlySpan<T> g, T[][] state) =>
        // W ← W − η · g
        Axpy.Run(T.CreateChecked(-LearningRate), g, w);
}
