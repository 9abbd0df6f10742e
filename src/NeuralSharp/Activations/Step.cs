using System.Numerics;

namespace NeuralSharp.Activations;

/// <summary>
/// Step function: <c>z = 1 if u &gt; 0 else 0</c> (the course's <c>np.where(x &gt; 0, 1, 0)</c>).
/// Its derivative is 0 wherever it exists (everywhere but u = 0), so no gradient flows through it.
/// </summary>
public sealed class Step<T>() : ElementwiseActivation<T, StepOperator<T>>(default)
    where T : unmanaged, IFloatingPointIeee754<T>
{
    /// <inheritdoc />
    public override ActivationKind Kind => ActivationKind.Step;
}

/// <summary>The step's formula: <c>f(u) = 1 if u &gt; 0 else 0</c>, <c>f'(u) = 0</c>.</summary>
public readonly struct StepOperator<T> : IActivationOperator<T>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    /// <inheritdoc />
    public T Value(T u) => u > T.Zero ? T.One : T.Zero;

    /// <inheritdoc />
    public Vector<T> Value(Vector<T> u) => Vector.ConditionalSelect(Vector.GreaterThan(u, Vector<T>.Zero), Vector<T>.One, Vector<T>.Zero);

    /// <inheritdoc />
    public T Derivative(T u, T z) => T.Zero;

    /// <inheritdoc />
    public Vector<T> Derivative(Vector<T> u, Vector<T> z) => Vector<T>.Zero;
}
