using System.Numerics;
using System.Runtime.InteropServices;
using NeuralSharp.Activations;

namespace NeuralSharp.Kernels;

/// <summary>
/// The one driver for every elementwise activation: forward <c>z = f(u)</c> and backward <c>∂L/∂u = ∂L/∂z ⊙ f'(u)</c>,
/// a vector at a time with a scalar tail, from the operator's formula (the JIT makes one loop per formula).
/// </summary>
internal static class Elementwise
{
    /// <summary><c>z = f(u)</c>.</summary>
    public static void Forward<T, TOperator>(TOperator f, ReadOnlySpan<T> u, Span<T> z)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TOperator : struct, IActivationOperator<T>
    {
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

    /// <summary><c>du = dz ⊙ f'(u)</c>, f' from u and the stored z.</summary>
    public static void Backward<T, TOperator>(TOperator f, ReadOnlySpan<T> u, ReadOnlySpan<T> z, ReadOnlySpan<T> dz, Span<T> du)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TOperator : struct, IActivationOperator<T>
    {
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
}
