using System.Numerics;
using System.Runtime.InteropServices;
using NeuralSharp.Activations;

namespace NeuralSharp.Kernels;

/// <summary>
/// The one driver for every elementwise activation: forward <c>z = f(u)</c> and backward <c>∂L/∂u = ∂L/∂z ⊙ f'(u)</c>,
/// a vector at a time with a scalar tail, from the operator's formula (the JIT makes one loop per formula); a long
/// pass (a convolution's feature maps) in two halves on two threads, cut at a whole number of vectors.
/// </summary>
internal static unsafe class Elementwise
{
    /// <summary><c>z = f(u)</c>.</summary>
    public static void Forward<T, TOperator>(TOperator f, ReadOnlySpan<T> u, Span<T> z)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TOperator : struct, IActivationOperator<T>
    {
        if (u.Length < Halves.ParallelThreshold || z.Length < u.Length)
        {
            ForwardRange(f, u, z);
            return;
        }

        fixed (T* pu = u, pz = z)
        {
            (Pass<T, TOperator>.Instance ??= new Pass<T, TOperator>()).Execute(f, pu, null, null, pz, u.Length);
        }
    }

    /// <summary><c>du = dz ⊙ f'(u)</c>, f' from u and the stored z.</summary>
    public static void Backward<T, TOperator>(TOperator f, ReadOnlySpan<T> u, ReadOnlySpan<T> z, ReadOnlySpan<T> dz, Span<T> du)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TOperator : struct, IActivationOperator<T>
    {
        if (u.Length < Halves.ParallelThreshold || z.Length < u.Length || dz.Length < u.Length || du.Length < u.Length)
        {
            BackwardRange(f, u, z, dz, du);
            return;
        }

        fixed (T* pu = u, pz = z, pdz = dz, pdu = du)
        {
            (Pass<T, TOperator>.Instance ??= new Pass<T, TOperator>()).Execute(f, pu, pz, pdz, pdu, u.Length);
        }
    }

    private static void ForwardRange<T, TOperator>(TOperator f, ReadOnlySpan<T> u, Span<T> z)
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

    private static void BackwardRange<T, TOperator>(TOperator f, ReadOnlySpan<T> u, ReadOnlySpan<T> z, ReadOnlySpan<T> dz, Span<T> du)
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

    /// <summary>A forward (no dz) or backward pass over halves of the elements.</summary>
    private sealed class Pass<T, TOperator> : Halves
        where T : unmanaged, IFloatingPointIeee754<T>
        where TOperator : struct, IActivationOperator<T>
    {
        [ThreadStatic]
        public static Pass<T, TOperator>? Instance;

        private TOperator _f;
        private T* _u, _z, _dz, _out;

        public void Execute(TOperator f, T* u, T* z, T* dz, T* output, int length)
        {
            _f = f;
            _u = u;
            _z = z;
            _dz = dz;
            _out = output;
            Execute(length, Vector<T>.Count, length);
        }

        protected override void Run(int start, int end)
        {
            int length = end - start;
            if (_dz == null)
            {
                ForwardRange(_f, new ReadOnlySpan<T>(_u + start, length), new Span<T>(_out + start, length));
            }
            else
            {
                BackwardRange(_f, new ReadOnlySpan<T>(_u + start, length), new ReadOnlySpan<T>(_z + start, length), new ReadOnlySpan<T>(_dz + start, length), new Span<T>(_out + start, length));
            }
        }
    }
}
