using System.Numerics;

namespace NeuralSharp.Activations;

/// <summary>Leaky ReLU: <c>z = u if u &gt; 0 else αu</c>, <c>f'(u) = 1 if u &gt; 0 else α</c>.</summary>
/// <param name="alpha">The slope α for negative inputs (default 0.01).</param>
public sealed class LeakyRelu<T>(double alpha = 0.01) : ElementwiseActivation<T, LeakyReluOperator<T>>(new LeakyReluOperator<T>(T.CreateChecked(alpha)))
    where T : unmanaged, IFloatingPointIeee754<T>
{
    /// <summary>The slope α for negative inputs.</summary>
    public T Alpha => Operator.Alpha;

    /// <inheritdoc />
    public override ActivationKind Kind => ActivationKind.LeakyRelu;
}

/// <summary>Leaky ReLU's formula: <c>f(u) = u if u &gt; 0 else αu</c>, <c>f'(u) = 1 if u &gt; 0 else α</c>.</summary>
/// <param name="alpha">The slope α for negative inputs.</param>
public readonly struct LeakyReluOperator<T>(T alpha) : IActivationOperator<T>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    /// <summary>The slope α for negative inputs.</summary>
    public T Alpha { get; } = alpha;

    /// <inheritdoc />
    public T Value(T u) => u > T.Zero ? u : Alpha * u;

    /// <inheritdoc />
    public Vector<T> Value(Vector<T> u) => Vector.ConditionalSelect(Vector.GreaterThan(u, Vector<T>.Zero), u, u * Alpha);

    /// <inheritdoc />
    public T Derivative(T u, T z) => u > T.Zero ? T.One : Alpha;

    /// <inheritdoc />
    public Vector<T> Derivative(Vector<T> u, Vector<T> z) => Vector.ConditionalSelect(Vector.GreaterThan(u, Vector<T>.Zero), Vector<T>.One, new Vector<T>(Alpha));
}
