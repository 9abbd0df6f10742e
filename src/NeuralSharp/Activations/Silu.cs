using System.Numerics;
using NeuralSharp.Kernels;

namespace NeuralSharp.Activations;

/// <summary>
/// Sigmoid linear unit, or swish (Elfwing et al., 2017; Ramachandran et al., 2017): <c>z = u·σ(u)</c>,
/// <c>f'(u) = σ(u)(1 + u(1 − σ(u)))</c> — PyTorch's <c>nn.SiLU()</c>; ONNX has no operator of its own, so it is written
/// as <c>Sigmoid</c> then <c>Mul</c>, as PyTorch exports it.
/// </summary>
public sealed class Silu<T>() : ElementwiseActivation<T, SiluOperator<T>>(default)
    where T : unmanaged, IFloatingPointIeee754<T>
{
    /// <inheritdoc />
    public override ActivationKind Kind => ActivationKind.Silu;
}

/// <summary>SiLU's formula: σ = 1 / (1 + e^(−u)), <c>f(u) = u·σ</c>, <c>f'(u) = σ(1 + u(1 − σ))</c>.</summary>
public readonly struct SiluOperator<T> : IActivationOperator<T>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    /// <inheritdoc />
    public T Value(T u) => u / (T.One + T.Exp(-u));

    /// <inheritdoc />
    public Vector<T> Value(Vector<T> u) => u / (Vector<T>.One + VectorMath.Exp(-u));

    /// <inheritdoc />
    public T Derivative(T u, T z)
    {
        T sigma = T.One / (T.One + T.Exp(-u));
        return sigma * (T.One + (u * (T.One - sigma)));
    }

    /// <inheritdoc />
    public Vector<T> Derivative(Vector<T> u, Vector<T> z)
    {
        Vector<T> sigma = Vector<T>.One / (Vector<T>.One + VectorMath.Exp(-u));
        return sigma * (Vector<T>.One + (u * (Vector<T>.One - sigma)));
    }
}
