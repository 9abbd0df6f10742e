using System.Numerics;
using System.Numerics.Tensors;

namespace NeuralSharp.Kernels;

/// <summary>
/// BLAS's axpy, <c>y ← a·x + y</c> — the SGD update <c>W ← −η·g + W</c>. Memory bound, so a long one (a weight matrix
/// of a quarter million numbers) is split in two halves with the GEMM helper thread when <see cref="Parallelism.Threads"/>
/// allows two.
/// </summary>
public static unsafe class Axpy
{
    /// <summary>Vectors shorter than this run on one thread.</summary>
    private const int ParallelThreshold = 64 * 1024;

    /// <summary><c>y[i] = a·x[i] + y[i]</c>.</summary>
    /// <exception cref="ArgumentException">x is shorter than y.</exception>
    public static void Run<T>(T a, ReadOnlySpan<T> x, Span<T> y)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (x.Length < y.Length)
        {
            throw new ArgumentException($"x has {x.Length} numbers but y has {y.Length}.", nameof(x));
        }

        if (y.Length < ParallelThreshold || Parallelism.Threads < 2)
        {
            TensorPrimitives.MultiplyAdd(x[..y.Length], a, y, y);
            return;
        }

        fixed (T* px = x, py = y)
        {
            (Pass<T>.Instance ??= new Pass<T>()).Execute(a, px, py, y.Length);
        }
    }

    /// <summary>Halves of y (at any element: each is computed alike).</summary>
    private sealed class Pass<T> : Halves
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        [ThreadStatic]
        public static Pass<T>? Instance;

        private T _a;
        private T* _x;
        private T* _y;

        public void Execute(T a, T* x, T* y, int length)
        {
            _a = a;
            _x = x;
            _y = y;
            Execute(length, 1, length, ParallelThreshold);
        }

        protected override void Run(int start, int end)
        {
            var y = new Span<T>(_y + start, end - start);
            TensorPrimitives.MultiplyAdd(new ReadOnlySpan<T>(_x + start, end - start), _a, y, y);
        }
    }
}
