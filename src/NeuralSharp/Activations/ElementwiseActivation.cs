using System.Numerics;
using System.Runtime.InteropServices;

namespace NeuralSharp.Activations;

/// <summary>
/// The one driver for every elementwise activation: forward <c>z = f(u)</c>, backward <c>∂L/∂u = ∂L/∂z ⊙ f'(u)</c> and
/// the derivative itself, a vector at a time with a scalar tail, all from the operator's formula.
/// </summary>
/// <typeparam name="T"><see cref="float"/> or <see cref="double"/>.</typeparam>
/// <typeparam name="TOperator">The function's formula.</typeparam>
public abstract class ElementwiseActivation<T, TOperator> : IElementwiseActivation<T>
    where T : unmanaged, IFloatingPointIeee754<T>
    where TOperator : struct, IActivationOperator<T>
{
    /// <summary>Creates the function with its formula (an operator with parameters, like leaky ReLU's α, carries them).</summary>
    protected ElementwiseActivation(TOperator formula) => Operator = formula;

    /// <summary>The formula, for paths that apply it one number at a time.</summary>
    public TOperator Operator { get; }

    /// <inheritdoc />
    public abstract ActivationKind Kind { get; }

    /// <inheritdoc />
    public void Forward(ReadOnlySpan<T> u, Span<T> z, int columns)
    {
        TOperator f = Operator;
        int i = 0, count = Vector<T>.Count;
        if (Vector.IsHardwareAccelerated)
        {
            ref T uStart = ref MemoryMarshal.GetReference(u);
            ref T zStart = ref MemoryMarshal.GetReference(z[..u.Length]);
            for (; i + count <= u.Length; i += count)
            {
                f.Value(Vector.LoadUnsafe(ref uStart, (nuint)i)).StoreUnsafe(ref zStart, (nuint)i);
            }
        }

        for (; i < u.Length; i++)
        {
            z[i] = f.Value(u[i]);
        }
    }

    /// <inheritdoc />
    public void Backward(ReadOnlySpan<T> u, ReadOnlySpan<T> z, ReadOnlySpan<T> dz, Span<T> du, int columns)
    {
        TOperator f = Operator;
        int i = 0, count = Vector<T>.Count, length = u.Length;
        if (Vector.IsHardwareAccelerated)
        {
            ref T uStart = ref MemoryMarshal.GetReference(u);
            ref T zStart = ref MemoryMarshal.GetReference(z[..length]);
            ref T dzStart = ref MemoryMarshal.GetReference(dz[..length]);
            ref T duStart = ref MemoryMarshal.GetReference(du[..length]);
            for (; i + count <= length; i += count)
            {
                // ∂L/∂u = ∂L/∂z ⊙ f'(u)
                Vector<T> derivative = f.Derivative(Vector.LoadUnsafe(ref uStart, (nuint)i), Vector.LoadUnsafe(ref zStart, (nuint)i));
                (Vector.LoadUnsafe(ref dzStart, (nuint)i) * derivative).StoreUnsafe(ref duStart, (nuint)i);
            }
        }

        for (; i < length; i++)
        {
            du[i] = dz[i] * f.Derivative(u[i], z[i]);
        }
    }

    /// <inheritdoc />
    public void Derivative(ReadOnlySpan<T> u, ReadOnlySpan<T> z, Span<T> derivative)
    {
        TOperator f = Operator;
        for (int i = 0; i < u.Length; i++)
        {
            derivative[i] = f.Derivative(u[i], z[i]);
        }
    }
}
