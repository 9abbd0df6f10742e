using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace NeuralSharp.Kernels;

/// <summary>
/// Elementwise selections by sign, a vector at a time (a per-element branch mispredicts on half of random signs); and
/// AVX-512's masked loads and stores, for rows narrower than a vector.
/// </summary>
public static class Masked
{
    /// <summary>
    /// <c>u &gt; 0 ? value : 0</c> without a branch (a compare and a mask in a vector register): for one unit of a small
    /// network, whose signs change from sample to sample (a mispredicted branch costs more than the unit's work).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static T WherePositive<T>(T u, T value)
        where T : unmanaged, IFloatingPointIeee754<T> => Vector128.IsHardwareAccelerated
        ? Vector128.ConditionalSelect(Vector128.GreaterThan(Vector128.CreateScalarUnsafe(u), Vector128<T>.Zero), Vector128.CreateScalarUnsafe(value), Vector128<T>.Zero).ToScalar()
        : u > T.Zero ? value : T.Zero;

    /// <summary>0, 1, 2, … in the lanes of a 512-bit vector (compare it with a count for a mask of the first lanes).</summary>
    internal static Vector512<T> LaneIndices<T>()
        where T : unmanaged, IFloatingPointIeee754<T> => Lanes<T>.Indices;

    /// <summary>
    /// The lanes of <paramref name="lanes"/> (all bits set) loaded from <paramref name="source"/>, zeros in the
    /// others, which are not read (AVX-512 suppresses their faults): a row narrower than a vector, even at the end of
    /// its array, without a scalar tail.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static unsafe Vector512<T> Load<T>(T* source, Vector512<T> lanes)
        where T : unmanaged
    {
        if (typeof(T) == typeof(float))
        {
            return Avx512F.MaskLoad((float*)source, lanes.AsSingle(), Vector512<float>.Zero).As<float, T>();
        }

        if (typeof(T) == typeof(double))
        {
            return Avx512F.MaskLoad((double*)source, lanes.AsDouble(), Vector512<double>.Zero).As<double, T>();
        }

        throw new NotSupportedException($"Masked loads of {typeof(T).Name}.");
    }

    /// <summary>Stores the lanes of <paramref name="lanes"/> of <paramref name="value"/> to <paramref name="target"/>, leaving the numbers after them alone.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static unsafe void Store<T>(T* target, Vector512<T> lanes, Vector512<T> value)
        where T : unmanaged
    {
        if (typeof(T) == typeof(float))
        {
            Avx512F.MaskStore((float*)target, lanes.AsSingle(), value.AsSingle());
        }
        else if (typeof(T) == typeof(double))
        {
            Avx512F.MaskStore((double*)target, lanes.AsDouble(), value.AsDouble());
        }
        else
        {
            throw new NotSupportedException($"Masked stores of {typeof(T).Name}.");
        }
    }

    private static class Lanes<T>
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        public static readonly Vector512<T> Indices = Vector512.Create<T>([.. Enumerable.Range(0, Vector512<T>.Count).Select(T.CreateTruncating)]);
    }
}
