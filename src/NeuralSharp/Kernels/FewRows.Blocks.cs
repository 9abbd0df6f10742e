using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace NeuralSharp.Kernels;

/// <content>The register-blocked column blocks of <see cref="FewRows"/>: 16, 8, 4 and 1 vectors of a row of C.</content>
internal static unsafe partial class FewRows
{
    /// <content>The blocks, each summing down all k rows of B for its columns.</content>
    private readonly partial struct Job<T>
    {
        /// <summary>Σ_p A(i, p) · B[p, j:j+V], in eight independent sums (p mod 8) so the adds' latency overlaps.</summary>
        private Vector512<T> OneVector(T* aRow, int j)
        {
            Vector512<T> s0 = default, s1 = default, s2 = default, s3 = default, s4 = default, s5 = default, s6 = default, s7 = default;
            T* row = b + j;
            int p = 0;
            for (; p + 8 <= k; p += 8)
            {
                s0 = Fma(A(aRow, p), Vector512.Load(row), s0);
                s1 = Fma(A(aRow, p + 1), Vector512.Load(row + n), s1);
                s2 = Fma(A(aRow, p + 2), Vector512.Load(row + (2 * (long)n)), s2);
                s3 = Fma(A(aRow, p + 3), Vector512.Load(row + (3 * (long)n)), s3);
                s4 = Fma(A(aRow, p + 4), Vector512.Load(row + (4 * (long)n)), s4);
                s5 = Fma(A(aRow, p + 5), Vector512.Load(row + (5 * (long)n)), s5);
                s6 = Fma(A(aRow, p + 6), Vector512.Load(row + (6 * (long)n)), s6);
                s7 = Fma(A(aRow, p + 7), Vector512.Load(row + (7 * (long)n)), s7);
                row += 8 * (long)n;
            }

            for (; p < k; p++)
            {
                s0 = Fma(A(aRow, p), Vector512.Load(row), s0);
                row += n;
            }

            return ((s0 + s1) + (s2 + s3)) + ((s4 + s5) + (s6 + s7));
        }

        /// <summary>c[0:4V] += Σ_p A(i, p) · B[p, j:j+4V], even and odd p in separate sums (eight in all).</summary>
        private void FourVectors(T* aRow, int j, T* cChunk)
        {
            int v = Vector512<T>.Count;
            Vector512<T> e0 = default, e1 = default, e2 = default, e3 = default, o0 = default, o1 = default, o2 = default, o3 = default;
            T* row = b + j;
            int p = 0;
            for (; p + 2 <= k; p += 2)
            {
                Vector512<T> x = A(aRow, p), y = A(aRow, p + 1);
                T* next = row + n;
                e0 = Fma(x, Vector512.Load(row), e0);
                e1 = Fma(x, Vector512.Load(row + v), e1);
                e2 = Fma(x, Vector512.Load(row + (2 * v)), e2);
                e3 = Fma(x, Vector512.Load(row + (3 * v)), e3);
                o0 = Fma(y, Vector512.Load(next), o0);
                o1 = Fma(y, Vector512.Load(next + v), o1);
                o2 = Fma(y, Vector512.Load(next + (2 * v)), o2);
                o3 = Fma(y, Vector512.Load(next + (3 * v)), o3);
                row += 2 * (long)n;
            }

            if (p < k)
            {
                Vector512<T> x = A(aRow, p);
                e0 = Fma(x, Vector512.Load(row), e0);
                e1 = Fma(x, Vector512.Load(row + v), e1);
                e2 = Fma(x, Vector512.Load(row + (2 * v)), e2);
                e3 = Fma(x, Vector512.Load(row + (3 * v)), e3);
            }

            (Vector512.Load(cChunk) + e0 + o0).Store(cChunk);
            (Vector512.Load(cChunk + v) + e1 + o1).Store(cChunk + v);
            (Vector512.Load(cChunk + (2 * v)) + e2 + o2).Store(cChunk + (2 * v));
            (Vector512.Load(cChunk + (3 * v)) + e3 + o3).Store(cChunk + (3 * v));
        }

        /// <summary>
        /// c[0:16V] += Σ_p A(i, p) · B[p, j:j+16V]: a kilobyte of each row of B read in one go, which the hardware
        /// prefetcher follows better than two passes over the halves.
        /// </summary>
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        private void SixteenVectors(T* aRow, int j, T* cChunk)
        {
            int v = Vector512<T>.Count;
            Vector512<T> s0 = Vector512.Load(cChunk + (0 * v));
            Vector512<T> s1 = Vector512.Load(cChunk + (1 * v));
            Vector512<T> s2 = Vector512.Load(cChunk + (2 * v));
            Vector512<T> s3 = Vector512.Load(cChunk + (3 * v));
            Vector512<T> s4 = Vector512.Load(cChunk + (4 * v));
            Vector512<T> s5 = Vector512.Load(cChunk + (5 * v));
            Vector512<T> s6 = Vector512.Load(cChunk + (6 * v));
            Vector512<T> s7 = Vector512.Load(cChunk + (7 * v));
            Vector512<T> s8 = Vector512.Load(cChunk + (8 * v));
            Vector512<T> s9 = Vector512.Load(cChunk + (9 * v));
            Vector512<T> s10 = Vector512.Load(cChunk + (10 * v));
            Vector512<T> s11 = Vector512.Load(cChunk + (11 * v));
            Vector512<T> s12 = Vector512.Load(cChunk + (12 * v));
            Vector512<T> s13 = Vector512.Load(cChunk + (13 * v));
            Vector512<T> s14 = Vector512.Load(cChunk + (14 * v));
            Vector512<T> s15 = Vector512.Load(cChunk + (15 * v));
            T* row = b + j;
            for (int p = 0; p < k; p++)
            {
                Vector512<T> x = A(aRow, p);
                s0 = Fma(x, Vector512.Load(row + (0 * v)), s0);
                s1 = Fma(x, Vector512.Load(row + (1 * v)), s1);
                s2 = Fma(x, Vector512.Load(row + (2 * v)), s2);
                s3 = Fma(x, Vector512.Load(row + (3 * v)), s3);
                s4 = Fma(x, Vector512.Load(row + (4 * v)), s4);
                s5 = Fma(x, Vector512.Load(row + (5 * v)), s5);
                s6 = Fma(x, Vector512.Load(row + (6 * v)), s6);
                s7 = Fma(x, Vector512.Load(row + (7 * v)), s7);
                s8 = Fma(x, Vector512.Load(row + (8 * v)), s8);
                s9 = Fma(x, Vector512.Load(row + (9 * v)), s9);
                s10 = Fma(x, Vector512.Load(row + (10 * v)), s10);
                s11 = Fma(x, Vector512.Load(row + (11 * v)), s11);
                s12 = Fma(x, Vector512.Load(row + (12 * v)), s12);
                s13 = Fma(x, Vector512.Load(row + (13 * v)), s13);
                s14 = Fma(x, Vector512.Load(row + (14 * v)), s14);
                s15 = Fma(x, Vector512.Load(row + (15 * v)), s15);
                row += n;
            }

            s0.Store(cChunk + (0 * v));
            s1.Store(cChunk + (1 * v));
            s2.Store(cChunk + (2 * v));
            s3.Store(cChunk + (3 * v));
            s4.Store(cChunk + (4 * v));
            s5.Store(cChunk + (5 * v));
            s6.Store(cChunk + (6 * v));
            s7.Store(cChunk + (7 * v));
            s8.Store(cChunk + (8 * v));
            s9.Store(cChunk + (9 * v));
            s10.Store(cChunk + (10 * v));
            s11.Store(cChunk + (11 * v));
            s12.Store(cChunk + (12 * v));
            s13.Store(cChunk + (13 * v));
            s14.Store(cChunk + (14 * v));
            s15.Store(cChunk + (15 * v));
        }

        /// <summary>c[0:8V] += Σ_p A(i, p) · B[p, j:j+8V].</summary>
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        private void EightVectors(T* aRow, int j, T* cChunk)
        {
            int v = Vector512<T>.Count;
            Vector512<T> s0 = Vector512.Load(cChunk), s1 = Vector512.Load(cChunk + v);
            Vector512<T> s2 = Vector512.Load(cChunk + (2 * v)), s3 = Vector512.Load(cChunk + (3 * v));
            Vector512<T> s4 = Vector512.Load(cChunk + (4 * v)), s5 = Vector512.Load(cChunk + (5 * v));
            Vector512<T> s6 = Vector512.Load(cChunk + (6 * v)), s7 = Vector512.Load(cChunk + (7 * v));
            T* row = b + j;
            for (int p = 0; p < k; p++)
            {
                Vector512<T> x = A(aRow, p);
                s0 = Fma(x, Vector512.Load(row), s0);
                s1 = Fma(x, Vector512.Load(row + v), s1);
                s2 = Fma(x, Vector512.Load(row + (2 * v)), s2);
                s3 = Fma(x, Vector512.Load(row + (3 * v)), s3);
                s4 = Fma(x, Vector512.Load(row + (4 * v)), s4);
                s5 = Fma(x, Vector512.Load(row + (5 * v)), s5);
                s6 = Fma(x, Vector512.Load(row + (6 * v)), s6);
                s7 = Fma(x, Vector512.Load(row + (7 * v)), s7);
                row += n;
            }

            s0.Store(cChunk);
            s1.Store(cChunk + v);
            s2.Store(cChunk + (2 * v));
            s3.Store(cChunk + (3 * v));
            s4.Store(cChunk + (4 * v));
            s5.Store(cChunk + (5 * v));
            s6.Store(cChunk + (6 * v));
            s7.Store(cChunk + (7 * v));
        }
    }
}
