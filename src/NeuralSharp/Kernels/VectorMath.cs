using System.Numerics;
using System.Runtime.CompilerServices;
using NeuralSharp.Activations;

namespace NeuralSharp.Kernels;

/// <summary><c>eˣ</c> on a generic vector (the JIT keeps only the branch for T), and a scalar formula applied lane by lane.</summary>
internal static class VectorMath
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector<T> Exp<T>(Vector<T> x)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (typeof(T) == typeof(float))
        {
            return Vector.As<float, T>(Vector.Exp(Vector.As<T, float>(x)));
        }

        if (typeof(T) == typeof(double))
        {
            return Vector.As<double, T>(Vector.Exp(Vector.As<T, double>(x)));
        }

        throw new NotSupportedException($"Exp of {typeof(T).Name} vectors.");
    }

    /// <summary><c>f(u)</c> lane by lane from the operator's scalar formula (for a function with no vector form, such as erf).</summary>
    public static Vector<T> Values<T, TOperator>(Vector<T> u, TOperator f)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TOperator : struct, IActivationOperator<T>
    {
        Span<T> lanes = stackalloc T[Vector<T>.Count];
        u.CopyTo(lanes);
        for (int i = 0; i < lanes.Length; i++)
        {
            lanes[i] = f.Value(lanes[i]);
        }

        return new Vector<T>(lanes);
    }

    /// <summary><c>f'(u)</c> lane by lane from the operator's scalar formula.</summary>
    public static Vector<T> Derivatives<T, TOperator>(Vector<T> u, Vector<T> z, TOperator f)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TOperator : struct, IActivationOperator<T>
    {
        Span<T> lanes = stackalloc T[Vector<T>.Count], values = stackalloc T[Vector<T>.Count];
        u.CopyTo(lanes);
        z.CopyTo(values);
        for (int i = 0; i < lanes.Length; i++)
        {
            lanes[i] = f.Derivative(lanes[i], values[i]);
        }

        return new Vector<T>(lanes);
    }
}
