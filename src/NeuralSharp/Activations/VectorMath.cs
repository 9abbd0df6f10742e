using System.Numerics;
using System.Runtime.CompilerServices;

namespace NeuralSharp.Activations;

/// <summary><c>eˣ</c> on a generic vector (the JIT keeps only the branch for T).</summary>
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
}
