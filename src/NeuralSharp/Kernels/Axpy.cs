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

        if (y.Length >= ParallelThreshold && Parallelism.Threads >= 2)
        {
            fixed (T* px = x, py = y)
            {
                Halves<T> work = Halves<T>.Instance ??= new Halves<T>();
                work.Set(a, px, py, y.Length);
                if (GemmWorker.TryRunInParallel(work))
                {
                    return;
                }
            }
        }

        TensorPrimitives.MultiplyAdd(x[..y.Length], a, y, y);
    }

    /// <summary>The reusable work item: share 0 takes the first half, share 1 the rest.</summary>
    private sealed class Halves<T> : GemmWorker.IWork
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        [ThreadStatic]
        public static Halves<T>? Instance;

        private T _a;
        private T* _x;
        private T* _y;
        private int _length;

        public void Set(T a, T* x, T* y, int length)
        {
            (_a, _length) = (a, length);
            _x = x;
            _y = y;
        }

        public void Run(int share)
        {
            int middle = _length / 2;
            int start = share == 0 ? 0 : middle, count = share == 0 ? middle : _length - middle;
            var y = new Span<T>(_y + start, count);
            TensorPrimitives.MultiplyAdd(new ReadOnlySpan<T>(_x + start, count), _a, y, y);
        }
    }
}
