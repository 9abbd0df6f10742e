using System.Numerics;
using System.Runtime.InteropServices;

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
}
