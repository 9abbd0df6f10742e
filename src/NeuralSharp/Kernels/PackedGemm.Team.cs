using System.Diagnostics;
using System.Numerics;

namespace NeuralSharp.Kernels;

internal static unsafe partial class PackedGemm
{
    /// <summary>
    /// Two threads as a team over one product, block by block of B: each packs half of the block's slivers into one
    /// shared buffer; they meet; then each takes A's next 12-row sliver from a shared counter and runs it against the
    /// whole block, until none is left; they meet again before the buffer is packed anew.
    /// </summary>
    /// <remarks>
    /// Against fixed halves of C (each thread packing its own panels) this packs B once rather than twice, and a
    /// thread slowed by the host (this machine's cores are virtual and shared) takes fewer slivers instead of holding
    /// the product back. Two meetings per block cost well under a microsecond each when the threads arrive together.
    /// A caller that waits long at a meeting tells <see cref="GemmWorker"/>, which then leaves the helper alone a while.
    /// </remarks>
    private sealed class Team<T> : GemmWorker.IWork
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        /// <summary>Fewer row slivers than this, and the team would wait on each other more than it shares.</summary>
        public const int MinimumSlivers = 4;

        /// <summary>
        /// Multiply-adds below which fixed halves of the columns do better (~0.3 ms on two threads): the team meets
        /// twice per block and may wait up to a sliver at each meeting.
        /// </summary>
        public const long MinimumProduct = 64L << 20;

        [ThreadStatic]
        public static Team<T>? Instance;

        private AlignedArray<T>? _buffer;
        private T* _packedB;
        private Job<T> _job;

        // the next unclaimed row sliver of the current block
        private int _nextSliver;

        // the meeting point: arrivals, and a phase that flips each time both have arrived
        private int _arrived;
        private int _phase;

        /// <summary>Sets the product and grows the shared block of B to fit it (before the helper is handed the work).</summary>
        public void Prepare(Job<T> job)
        {
            _job = job;
            int columns = Math.Min(job.BlockColumns, RoundUp(job.N, job.NR));
            _packedB = AlignedArray<T>.Reuse(ref _buffer, job.KBlock * columns);
        }

        /// <inheritdoc />
        public bool NeedsBothThreads => true;

        public void Run(int share)
        {
            Job<T> job = _job;
            T* packedB = _packedB;
            int m = job.M, n = job.N, k = job.K, nr = job.NR;
            int blockColumns = job.BlockColumns, kBlock = job.KBlock, rowSlivers = Slivers(m, MR);
            // the phase only flips when both threads have arrived, so each reads the same value here
            int phase = Volatile.Read(ref _phase);
            for (int jc = 0; jc < n; jc += blockColumns)
            {
                int nc = Math.Min(blockColumns, n - jc), bSlivers = Slivers(nc, nr), half = (bSlivers + 1) / 2;
                for (int p0 = 0; p0 < k; p0 += kBlock)
                {
                    int kc = Math.Min(kBlock, k - p0);
                    if (share == 0)
                    {
                        // no one claims before the meeting below, and everyone has finished the last block's claims
                        _nextSliver = 0;
                    }

                    job.PackB(packedB, p0, kc, jc, nc, share == 0 ? 0 : half, share == 0 ? half : bSlivers);
                    Meet(ref phase, share);
                    for (int sliver; (sliver = Interlocked.Increment(ref _nextSliver) - 1) < rowSlivers;)
                    {
                        int i0 = sliver * MR;
                        job.RowSlivers(i0, Math.Min(i0 + MR, m), packedB, p0, kc, jc, nc, job.Stores(p0));
                    }

                    Meet(ref phase, share);
                }
            }
        }

        /// <summary>Waits until the other thread arrives too (a two-thread barrier; the last to arrive flips the phase).</summary>
        private void Meet(ref int phase, int share)
        {
            phase ^= 1;
            if (Interlocked.Increment(ref _arrived) == 2)
            {
                _arrived = 0;
                Volatile.Write(ref _phase, phase);
                return;
            }

            long start = Stopwatch.GetTimestamp();
            for (int look = 1; Volatile.Read(ref _phase) != phase; look++)
            {
                GemmWorker.Pause(look);
            }

            if (share == 0)
            {
                GemmWorker.CallerWaited(Stopwatch.GetTimestamp() - start);
            }
        }
    }
}
