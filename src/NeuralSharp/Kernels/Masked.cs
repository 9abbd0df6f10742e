using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace NeuralSharp.Kernels;

/// <summary>Elementwise selections by sign, a vector at a time (a per-element branch mispredicts on half of random signs).</summary>
public static class Masked
{
    /// <summary><c>result[i] = u[i] &gt; 0 ? values[i] : otherwise·values[i]</c> — ReLU's (otherwise = 0) and leaky ReLU's gradient.</summary>
    public static void WherePositive<T>(ReadOnlySpan<T> u, ReadOnlySpan<T> values, T otherwise, Span<T> result)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (values.Length < u.Length || result.Length < u.Length)
        {
            throw new ArgumentException("The spans are shorter than u.", nameof(values));
        }

        int i = 0;
        if (Vector.IsHardwareAccelerated && u.Length >= Vector<T>.Count)
        {
            ReadOnlySpan<Vector<T>> uVectors = MemoryMarshal.Cast<T, Vector<T>>(u);
            var scale = new Vector<T>(otherwise);
            for (int v = 0; v < uVectors.Length; v++, i += Vector<T>.Count)
            {
                var given = new Vector<T>(values[i..]);
                Vector.ConditionalSelect(Vector.GreaterThan(uVectors[v], Vector<T>.Zero), given, given * scale).CopyTo(result[i..]);
            }
        }

        for (; i < u.Length; i++)
        {
            result[i] = u[i] > T.Zero ? values[i] : otherwise * values[i];
        }
    }

    /// <summary>
    /// <c>u &gt; 0 ? value : 0</c> without a branch (a compare and a mask in a vector register): for one unit of a small
    /// network, whose signs change from sample to sample (a mispredicted branch costs more than the unit's work).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static T WherePositive<T>(T u, T value)
        where T : unmanaged, IFloatingPointIeee754<T> => Vector128.IsHardwareAccelerated
        ? Vector128.ConditionalSelect(Vector128.GreaterThan(Vector128.CreateScalarUnsafe(u), Vector128<T>.Zero), Vector128.CreateScalarUnsafe(value), Vector128<T>.Zero).ToScalar()
        : u > T.Zero ? value : T.Zero;
}
