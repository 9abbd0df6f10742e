using System.Numerics;
using NeuralSharp.Kernels;

namespace NeuralSharp.Activations;

/// <summary>
/// Gaussian error linear unit (Hendrycks and Gimpel, 2016): <c>z = u·Φ(u) = ½u(1 + erf(u/√2))</c>,
/// <c>f'(u) = Φ(u) + u·φ(u)</c> — PyTorch's <c>nn.GELU()</c>. <see cref="GeluTanh{T}"/> is its tanh approximation.
/// </summary>
public sealed class Gelu<T>() : ElementwiseActivation<T, GeluOperator<T>>(default)
    where T : unmanaged, IFloatingPointIeee754<T>
{
    /// <inheritdoc />
    public override ActivationKind Kind => ActivationKind.Gelu;
}

/// <summary>
/// GELU's tanh approximation: <c>z = ½u(1 + tanh(k(u + 0.044715u³)))</c>, k = √(2/π) — PyTorch's
/// <c>nn.GELU(approximate='tanh')</c>, ONNX's <c>Gelu(approximate="tanh")</c>.
/// </summary>
public sealed class GeluTanh<T>() : ElementwiseActivation<T, GeluTanhOperator<T>>(default)
    where T : unmanaged, IFloatingPointIeee754<T>
{
    /// <inheritdoc />
    public override ActivationKind Kind => ActivationKind.GeluTanh;
}

/// <summary>
/// GELU's formula, computed in float64: <c>f(u) = ½u(1 + erf(u/√2))</c>, <c>f'(u) = Φ(u) + u·e^(−u²/2)/√(2π)</c>.
/// </summary>
public readonly struct GeluOperator<T> : IActivationOperator<T>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    private const double InverseSqrt2 = 0.7071067811865476, InverseSqrt2Pi = 0.3989422804014327;

    /// <inheritdoc />
    public T Value(T u)
    {
        double x = double.CreateTruncating(u);
        return T.CreateTruncating(0.5 * x * (1 + Erf.Of(x * InverseSqrt2)));
    }

    /// <inheritdoc />
    public Vector<T> Value(Vector<T> u) => VectorMath.Values(u, this);

    /// <inheritdoc />
    public T Derivative(T u, T z)
    {
        double x = double.CreateTruncating(u);
        // Φ(u) + u·φ(u)
        return T.CreateTruncating((0.5 * (1 + Erf.Of(x * InverseSqrt2))) + (x * Math.Exp(-0.5 * x * x) * InverseSqrt2Pi));
    }

    /// <inheritdoc />
    public Vector<T> Derivative(Vector<T> u, Vector<T> z) => VectorMath.Derivatives(u, z, this);
}

/// <summary>
/// The tanh approximation's formula: t = tanh(k(u + c·u³)), <c>f(u) = ½u(1 + t)</c>,
/// <c>f'(u) = ½(1 + t) + ½u(1 − t²)·k(1 + 3c·u²)</c>, k = √(2/π), c = 0.044715.
/// </summary>
public readonly struct GeluTanhOperator<T> : IActivationOperator<T>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    private static readonly T K = T.CreateChecked(0.7978845608028654), C = T.CreateChecked(0.044715), Half = T.CreateChecked(0.5), Three = T.CreateChecked(3);

    /// <inheritdoc />
    public T Value(T u) => Half * u * (T.One + T.Tanh(K * (u + (C * u * u * u))));

    /// <inheritdoc />
    public Vector<T> Value(Vector<T> u) => VectorMath.Values(u, this);

    /// <inheritdoc />
    public T Derivative(T u, T z)
    {
        T t = T.Tanh(K * (u + (C * u * u * u)));
        return (Half * (T.One + t)) + (Half * u * (T.One - (t * t)) * K * (T.One + (Three * C * u * u)));
    }

    /// <inheritdoc />
    public Vector<T> Derivative(Vector<T> u, Vector<T> z) => VectorMath.Derivatives(u, z, this);
}
