using System.Numerics;

namespace NeuralSharp.Kernels;

/// <summary>
/// B packed once for many products that share it — a recurrent layer multiplies the state by the same W_h at every
/// step — so each product packs only its rows of A.
/// </summary>
/// <typeparam name="T"><see cref="float"/> or <see cref="double"/>.</typeparam>
public sealed unsafe class PackedMatrix<T>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    private AlignedArray<T>? _data;

    /// <summary>The shared dimension k of the packed B.</summary>
    public int K { get; private set; }

    /// <summary>The columns n of the packed B.</summary>
    public int N { get; private set; }

    /// <summary>Whether B was stored transposed.</summary>
    public bool Transposed { get; private set; }

    /// <summary>True once <see cref="Pack"/> has run on a machine whose packed path exists.</summary>
    public bool IsPacked { get; private set; }

    /// <summary>
    /// Packs B (stored <c>[k, n]</c>, or <c>[n, k]</c> when <paramref name="transposeB"/>) for products of
    /// <paramref name="rows"/> rows of A — nothing where those would not take the packed path (a few rows, a machine
    /// without it), which then multiply B as it is stored.
    /// </summary>
    public void Pack(ReadOnlySpan<T> b, int k, int n, int rows, bool transposeB = false)
    {
        (K, N, Transposed, IsPacked) = (k, n, transposeB, false);
        if (!PackedGemm.Applies(rows, n, k))
        {
            return;
        }

        int nr = MicroKernel.Columns<T>();
        fixed (T* pb = b)
        {
            var job = new PackedGemm.JobShape<T>(pb, k, n, transposeB, nr);
            T* into = AlignedArray<T>.Reuse(ref _data, job.PackedLength);
            job.PackAll(into);
        }

        IsPacked = true;
    }

    /// <summary>The start of the packed blocks.</summary>
    internal T* Start => _data!.Start;
}

/// <summary>Products against a <see cref="PackedMatrix{T}"/>.</summary>
internal static unsafe partial class PackedGemm
{
    /// <summary>B's side of a job: what packing it takes, block by block in the order <see cref="Job{T}.Region"/> reads them.</summary>
    internal readonly struct JobShape<T>(T* b, int k, int n, bool transposeB, int nr)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        private Job<T> Job => new(null, b, null, 0, n, k, 0, 0, transposeB ? 1 : n, transposeB ? k : 1, nr, accumulate: false);

        public int PackedLength
        {
            get
            {
                Job<T> job = Job;
                long length = 0;
                for (int jc = 0; jc < n; jc += job.BlockColumns)
                {
                    length += (long)k * RoundUp(Math.Min(job.BlockColumns, n - jc), nr);
                }

                return checked((int)length);
            }
        }

        public void PackAll(T* into)
        {
            Job<T> job = Job;
            for (int jc = 0; jc < n; jc += job.BlockColumns)
            {
                int nc = Math.Min(job.BlockColumns, n - jc);
                for (int p0 = 0; p0 < k; p0 += job.KBlock)
                {
                    int kc = Math.Min(job.KBlock, k - p0);
                    job.PackB(into, p0, kc, jc, nc, 0, Slivers(nc, nr));
                    into += kc * RoundUp(nc, nr);
                }
            }
        }
    }

    /// <summary>Products against a packed B of at least this many multiply-adds share it with the helper thread (~7 µs on one core).</summary>
    internal const long PrepackedParallelThreshold = 1 << 20;

    /// <summary><c>C (+)= A·B</c> with B packed beforehand, on this thread; A stored <c>[m, k]</c>.</summary>
    public static void Multiply<T>(ReadOnlySpan<T> a, PackedMatrix<T> b, Span<T> c, int m, bool accumulate)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        int nr = MicroKernel.Columns<T>();
        fixed (T* pa = a, pc = c)
        {
            var job = new Job<T>(pa, null, pc, m, b.N, b.K, b.K, 1, 0, 0, nr, accumulate, b.Start);
            job.Region(0, m, 0, b.N);
        }
    }

    /// <summary>
    /// True when a product against <paramref name="b"/> can be halved by columns: B packed as one block (k ≤ KC, its
    /// columns within one block), so that a sliver-aligned half of its columns starts at a fixed place in it.
    /// </summary>
    public static bool HalvesByColumns<T>(PackedMatrix<T> b)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        int nr = MicroKernel.Columns<T>();
        return b.IsPacked && b.K <= KC && RoundUp(b.N, nr) <= new Job<T>(null, null, null, 0, b.N, b.K, 0, 0, 0, 0, nr, false).BlockColumns && b.N >= 2 * nr;
    }

    /// <summary>
    /// <c>C (+)= A·B</c> with B packed as one block (<see cref="HalvesByColumns{T}"/>), in two halves of C's columns on two
    /// threads when the helper is free (else one after the other here): a recurrent layer's step products, [32, 128]·[128, 512],
    /// are below the size a packed product shares. Each element is summed the same way either way: the same bits.
    /// </summary>
    public static void MultiplyInHalves<T>(ReadOnlySpan<T> a, PackedMatrix<T> b, Span<T> c, int m, bool accumulate)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        fixed (T* pa = a, pc = c)
        {
            PackedHalves<T> work = PackedHalves<T>.Instance ??= new PackedHalves<T>();
            work.Set(pa, b, pc, m, accumulate);
            if (!GemmWorker.TryRunInParallel(work))
            {
                work.Run(0);
                work.Run(1);
            }
        }
    }

    /// <summary>The two column halves of a product against a one-block packed B: share 0 the first, share 1 the rest.</summary>
    private sealed class PackedHalves<T> : GemmWorker.IWork
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        [ThreadStatic]
        public static PackedHalves<T>? Instance;

        private T* _a, _b, _c;
        private int _m, _n, _k, _middle;
        private bool _accumulate;

        public void Set(T* a, PackedMatrix<T> b, T* c, int m, bool accumulate)
        {
            int nr = MicroKernel.Columns<T>();
            _a = a;
            _b = b.Start;
            _c = c;
            (_m, _n, _k, _accumulate) = (m, b.N, b.K, accumulate);
            _middle = Math.Min(RoundUp((_n + 1) / 2, nr), _n);
        }

        public void Run(int share)
        {
            int nr = MicroKernel.Columns<T>();
            // one block of k rows: the slivers of columns middle… start middle·k values in
            int start = share == 0 ? 0 : _middle, columns = share == 0 ? _middle : _n - _middle;
            var job = new Job<T>(_a, null, _c + start, _m, columns, _k, _k, 1, 0, 0, nr, _accumulate, _b + ((long)start * _k), ldc: _n);
            job.Region(0, _m, 0, columns);
        }
    }
}
