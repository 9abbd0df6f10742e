using System.Numerics;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace NeuralSharp.Kernels;

/// <summary>
/// The large-matrix path of <see cref="Gemm"/> (Goto and van de Geijn's blocking, loops ordered for a large L2):
/// B is packed into a KC×NC block of NR-wide slivers that stays in L2; A's MR×KC slivers stay in L1 while the block
/// of B streams past them (read where they lie when A is stored by rows, packed when it is stored transposed); a
/// 12 × 2-vector register-blocked micro-kernel (<see cref="Vector512{T}"/>, or <see cref="Vector256{T}"/> as two 6-row
/// halves where AVX-512 is missing) runs fused multiply-adds over them.
/// Transposes are folded into the packing. On two threads (<see cref="GemmWorker"/>) a long product is shared by a
/// team (<see cref="Team{T}"/>: B's blocks packed together, A's slivers dealt out as they go), a shorter one by halves
/// of C's columns. Packing buffers start on a cache line and are reused: a warm call allocates nothing.
/// </summary>
/// <remarks>
/// Why each choice (the measurements behind them are in bench/NOTES.md):
/// <list type="bullet">
/// <item>packing buffers start on a 64-byte boundary: a vector load that straddles two cache lines costs two, and the
/// kernel loads B's sliver every step;</item>
/// <item>A's sliver stays in L1 and B's block in L2 (rather than B's sliver in L1): the block is reused by every sliver
/// of A;</item>
/// <item>12 rows × 2 vectors: the most accumulators the registers hold, so the fewest loads per multiply-add;</item>
/// <item>A's stored rows are read where they lie (no packing pass) unless they are a multiple of 1 KB apart, where the
/// twelve rows would share a few L1 sets; packing is by 4 × 4 register transposes;</item>
/// <item>an edge sliver (m not a multiple of 12) is computed into a scratch tile and copied back by vectors.</item>
/// </list>
/// </remarks>
internal static unsafe partial class PackedGemm
{
    private const int MR = MicroKernel.Rows;
    private const int KC = 256;

    /// <summary>Bytes of packed B per block: half of a 2 MB L2 (and all of a 1 MB one).</summary>
    private const int BlockBytes = 1 << 20;

    /// <summary>Products with fewer multiply-adds than this run on one thread.</summary>
    internal const long ParallelThreshold = 4_000_000;

    /// <summary>
    /// True when this path pays: the micro-kernel has the instructions it needs and the product is not tiny. A short
    /// shared dimension or four to eleven rows still pay (one edge sliver; a block of a few rows), δ·Wᵀ into an output
    /// layer of ten among them. Without AVX-512 (so without <see cref="FewRows"/>' masked narrow rows) this path also
    /// takes outputs narrower than a tile, an output layer of ten: the padded tile wastes lanes, but far fewer than the
    /// fallback's column-at-a-time dots.
    /// </summary>
    public static bool Applies(int m, int n, int k) =>
        MicroKernel.IsSupported && m >= 4 && n >= (Vector512.IsHardwareAccelerated ? 16 : 2) && k >= 1 && (long)m * n * k >= 32_768;

    /// <summary><c>C = op(A)·op(B)</c>, or <c>C += op(A)·op(B)</c> when <paramref name="accumulate"/> (C is not cleared first: the first block of the shared dimension stores).</summary>
    public static void Multiply<T>(ReadOnlySpan<T> a, ReadOnlySpan<T> b, Span<T> c, int m, int n, int k, bool transposeA, bool transposeB, bool accumulate)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        int nr = MicroKernel.Columns<T>();
        fixed (T* pa = a, pb = b, pc = c)
        {
            var job = new Job<T>(pa, pb, pc, m, n, k, transposeA ? 1 : k, transposeA ? m : 1, transposeB ? 1 : n, transposeB ? k : 1, nr, accumulate);
            bool parallel = (long)m * n * k >= ParallelThreshold && Parallelism.Threads >= 2 && (n >= 2 * nr || Slivers(m, MR) >= Team<T>.MinimumSlivers);
            if (parallel)
            {
                InParallel(job);
            }
            else
            {
                job.Region(0, m, 0, n);
            }
        }
    }

    /// <summary>
    /// The two threads share the product: as a team over shared blocks of B (<see cref="Team{T}"/>) when the product
    /// is long and C has rows enough to deal out; a shorter one by halves of C (<see cref="HalvesOfC{T}"/>: one
    /// meeting, no sharing).
    /// </summary>
    private static void InParallel<T>(Job<T> job)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        GemmWorker.IWork work;
        bool fewColumns = job.N < 2 * job.NR;
        if (Slivers(job.M, MR) >= Team<T>.MinimumSlivers && (fewColumns || (long)job.M * job.N * job.K >= Team<T>.MinimumProduct))
        {
            Team<T> team = Team<T>.Instance ??= new Team<T>();
            team.Prepare(job);
            work = team;
        }
        else
        {
            // A packed (stored transposed, or rows a multiple of 1 KB apart) and taller than B is wide: halves of the
            // rows, so that each thread packs its own rows of A and both pack B, the smaller of the two (column halves
            // would have both pack all of A: xᵀ·δ into a first layer's ∂W packed 784 × 128 twice)
            HalvesOfC<T> halves = HalvesOfC<T>.Instance ??= new HalvesOfC<T>();
            halves.Job = job;
            halves.ByRows = job.PacksA && job.M > job.N && Slivers(job.M, MR) >= 2;
            work = halves;
        }

        // the product may still run on this thread alone (the helper busy, or away): its packing buffer is grown now, while
        // the product is warming up, rather than the first time that happens
        Buffers<T>.B(Math.Min(job.KBlock, job.K) * RoundUp(Math.Min(job.BlockColumns, job.N), job.NR));
        if (!GemmWorker.TryRunInParallel(work))
        {
            job.Region(0, job.M, 0, job.N);
        }
    }

    /// <summary>
    /// For shorter products, and a C of few rows: each thread computes half of C — its columns (packing its own half of
    /// B; A read in place, or packed by both when it must be packed), or its rows, split at a whole sliver (packing its
    /// own rows of A and all of B) — with the whole blocked algorithm, so the two threads meet once per product.
    /// </summary>
    private sealed class HalvesOfC<T> : GemmWorker.IWork
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        [ThreadStatic]
        public static HalvesOfC<T>? Instance;

        public Job<T> Job { get; set; }

        /// <summary>Halves of the rows rather than of the columns.</summary>
        public bool ByRows { get; set; }

        public void Run(int share)
        {
            Job<T> job = Job;
            if (ByRows)
            {
                int middle = Slivers(job.M, MR) / 2 * MR;
                job.Region(share == 0 ? 0 : middle, share == 0 ? middle : job.M, 0, job.N);
            }
            else
            {
                int middle = Math.Min(RoundUp((job.N + 1) / 2, job.NR), job.N);
                job.Region(0, job.M, share == 0 ? 0 : middle, share == 0 ? middle : job.N);
            }
        }
    }

    private static int Slivers(int length, int width) => (length + width - 1) / width;

    private static int RoundUp(int value, int multiple) => (value + multiple - 1) / multiple * multiple;

    /// <summary>
    /// Per-thread packing buffers, grown when needed and then reused, on a 64-byte boundary (see
    /// <see cref="AlignedArray{T}"/>): the micro-kernel loads B's packed sliver every step.
    /// </summary>
    private static class Buffers<T>
        where T : unmanaged
    {
        [ThreadStatic]
        private static AlignedArray<T>? t_a;

        [ThreadStatic]
        private static AlignedArray<T>? t_b;

        public static T* A(int length) => AlignedArray<T>.Reuse(ref t_a, length);

        public static T* B(int length) => AlignedArray<T>.Reuse(ref t_b, length);
    }

    /// <summary>
    /// One product's operands and strides: A(i, p) = a[i·ars + p·acs], B(p, j) = b[p·brs + j·bcs], C's rows
    /// <paramref name="ldc"/> apart (0: n, a C of its own; more: the columns of a wider C).
    /// </summary>
    private readonly struct Job<T>(T* a, T* b, T* c, int m, int n, int k, int ars, int acs, int brs, int bcs, int nr, bool accumulate, T* packed = null, int ldc = 0)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        private long Ldc => ldc == 0 ? n : ldc;

        public int M => m;

        public int N => n;

        public int K => k;

        public int NR => nr;

        /// <summary>True when A's slivers are packed rather than read in place (see <see cref="RowSlivers"/>): Aᵀ stored, or rows a multiple of 1 KB apart.</summary>
        public bool PacksA => acs != 1 || ars * sizeof(T) % 1024 == 0;

        /// <summary>Columns of B per packed block: <see cref="BlockBytes"/> of KC rows.</summary>
        public int BlockColumns => BlockBytes / (KC * sizeof(T)) / nr * nr;

        /// <summary>
        /// The shared dimension in equal blocks of at most KC (784 = 4 × 196, not 3 × 256 + 16: a block of 16 would
        /// pay the C tile's loads and stores and a packing pass for a sixteenth of the work).
        /// </summary>
        public int KBlock => (k + ((k + KC - 1) / KC) - 1) / ((k + KC - 1) / KC);

        /// <summary>True for the first block of the shared dimension of a product that overwrites C: its sums are stored.</summary>
        public bool Stores(int p0) => p0 == 0 && !accumulate;

        /// <summary>C[rowStart..rowEnd, columnStart..columnEnd] += A[those rows, :] · B[:, those columns].</summary>
        public void Region(int rowStart, int rowEnd, int columnStart, int columnEnd)
        {
            int blockColumns = BlockColumns, kBlock = KBlock;
            // B packed beforehand (whole, so a region is all of C's columns) is read block after block in this order
            T* ready = packed;
            for (int jc = columnStart; jc < columnEnd; jc += blockColumns)
            {
                int nc = Math.Min(blockColumns, columnEnd - jc);
                for (int p0 = 0; p0 < k; p0 += kBlock)
                {
                    int kc = Math.Min(kBlock, k - p0);
                    T* packedB = ready != null ? ready : Buffers<T>.B(kc * RoundUp(nc, nr));
                    if (ready == null)
                    {
                        PackB(packedB, p0, kc, jc, nc, 0, Slivers(nc, nr));
                    }
                    else
                    {
                        ready += kc * RoundUp(nc, nr);
                    }

                    RowSlivers(rowStart, rowEnd, packedB, p0, kc, jc, nc, Stores(p0));
                }
            }
        }

        /// <summary>
        /// Slivers firstSliver..endSliver of B's rows p0..p0+kc, columns jc..jc+nc, packed as NR-wide slivers of kc rows
        /// into the block at <paramref name="block"/> (columns past the edge are zero).
        /// </summary>
        public void PackB(T* block, int p0, int kc, int jc, int nc, int firstSliver, int endSliver)
        {
            T* dst = block + (firstSliver * (long)nr * kc);
            for (int jr = firstSliver * nr; jr < Math.Min(nc, endSliver * nr); jr += nr)
            {
                int width = Math.Min(nr, nc - jr);
                T* corner = b + (p0 * (long)brs) + ((jc + jr) * (long)bcs);
                if (width == nr && brs == 1 && typeof(T) == typeof(float) && Sse.IsSupported)
                {
                    // Bᵀ stored (δ·Wᵀ): each of the sliver's columns is a stored row, transposed four by four
                    Transpose.Floats((float*)corner, bcs, (float*)dst, nr, nr, kc);
                    dst += kc * nr;
                    continue;
                }

                for (int p = 0; p < kc; p++)
                {
                    T* row = corner + (p * (long)brs);
                    if (width == nr && bcs == 1)
                    {
                        // a whole contiguous sliver row: two vector copies
                        MicroKernel.CopyVector(row, dst);
                        MicroKernel.CopyVector(row + (nr / 2), dst + (nr / 2));
                    }
                    else
                    {
                        for (int j = 0; j < nr; j++)
                        {
                            dst[j] = j < width ? row[j * (long)bcs] : T.Zero;
                        }
                    }

                    dst += nr;
                }
            }
        }

        /// <summary>C[rowStart..rowEnd, jc..jc+nc] += A[those rows, p0..p0+kc] · the packed block of B, MR rows at a time.</summary>
        /// <remarks>With <paramref name="store"/> (the first block of a product that overwrites C) the sums replace C's values.</remarks>
        public void RowSlivers(int rowStart, int rowEnd, T* packedB, int p0, int kc, int jc, int nc, bool store)
        {
            T* pa = Buffers<T>.A(MR * KC);
            T* pb = packedB;
            // scratch for partial tiles, on a 64-byte boundary like the rows it is copied into
            Span<T> edge = stackalloc T[(MR * nr) + (64 / sizeof(T))];
            fixed (T* pEdge = edge)
            {
                T* pe = (T*)(((nint)pEdge + 63) & ~(nint)63);
                for (int i0 = rowStart; i0 < rowEnd; i0 += MR)
                {
                    int height = Math.Min(MR, rowEnd - i0);
                    // a whole sliver of A stored by rows is read where it lies (its 12 rows stay in L1 while B's
                    // slivers pass) unless its rows are a multiple of 1 KB apart: then they share a few of L1's sets
                    // and evict each other when the core is shared; Aᵀ and edge slivers are packed
                    bool inPlace = height == MR && acs == 1 && ars * sizeof(T) % 1024 != 0;
                    T* sliver = inPlace ? a + (i0 * (long)ars) + p0 : pa;
                    nint rowStride = inPlace ? ars : 1, step = inPlace ? 1 : MR;
                    if (!inPlace)
                    {
                        PackA(pa, i0, height, p0, kc);
                    }

                    for (int jr = 0; jr < nc; jr += nr)
                    {
                        int width = Math.Min(nr, nc - jr);
                        T* cTile = c + (i0 * Ldc) + jc + jr;
                        if (height == MR && width == nr)
                        {
                            MicroKernel.Run(kc, sliver, rowStride, step, pb + (jr * kc), cTile, (int)Ldc, store);
                        }
                        else
                        {
                            // a partial tile: compute the full tile into a scratch block, then use the part that exists
                            MicroKernel.Run(kc, sliver, rowStride, step, pb + (jr * kc), pe, nr, store: true);
                            CopyTile(pe, cTile, height, width, store);
                        }
                    }
                }
            }
        }

        /// <summary>
        /// The part of a scratch tile that exists in C, by whole vectors where a row is whole (read back as the kernel
        /// stored it: number-by-number loads of just-stored vectors cannot be forwarded and wait for the stores).
        /// </summary>
        private void CopyTile(T* tile, T* cTile, int height, int width, bool store)
        {
            int v = Vector<T>.Count;
            for (int r = 0; r < height; r++)
            {
                T* from = tile + (r * nr), to = cTile + (r * Ldc);
                int j = 0;
                for (; j + v <= width; j += v)
                {
                    Vector<T> sum = store ? Vector.Load(from + j) : Vector.Load(to + j) + Vector.Load(from + j);
                    sum.Store(to + j);
                }

                for (; j < width; j++)
                {
                    to[j] = store ? from[j] : to[j] + from[j];
                }
            }
        }

        /// <summary>A's rows i0..i0+height, columns p0..p0+kc, as kc columns of MR (rows past the edge are zero).</summary>
        private void PackA(T* packed, int i0, int height, int p0, int kc)
        {
            T* first = a + (i0 * (long)ars) + (p0 * (long)acs);
            if (height == MR && ars == 1)
            {
                // Aᵀ stored (xᵀ·δ): the MR numbers of each column lie side by side, a vector copy
                for (int p = 0; p < kc; p++)
                {
                    T* column = first + (p * (long)acs);
                    for (int q = 0; q < MR; q += Vector128<T>.Count)
                    {
                        Vector128.Load(column + q).Store(packed + q);
                    }

                    packed += MR;
                }

                return;
            }

            if (acs == 1 && typeof(T) == typeof(float) && Sse.IsSupported)
            {
                // A stored by rows: 4 × 4 blocks transposed in registers; an edge sliver's last rows one by one, then zeros
                int whole = height & ~3;
                Transpose.Floats((float*)first, ars, (float*)packed, MR, whole, kc);
                for (int r = whole; r < MR; r++)
                {
                    T* row = first + (r * (long)ars);
                    for (int p = 0; p < kc; p++)
                    {
                        packed[(p * MR) + r] = r < height ? row[p] : T.Zero;
                    }
                }

                return;
            }

            for (int p = 0; p < kc; p++)
            {
                T* column = first + (p * (long)acs);
                for (int r = 0; r < MR; r++)
                {
                    packed[r] = r < height ? column[r * (long)ars] : T.Zero;
                }

                packed += MR;
            }
        }
    }
}
