using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using NeuralSharp.Optimizers;

namespace NeuralSharp.Kernels;

/// <summary>
/// The one loop every update rule runs in: a vector at a time with a scalar tail, regularisation added to the
/// gradient in registers (<c>g + λ₂·W + λ₁·sign(W)</c>; the stored gradient is left as the backward pass wrote it),
/// and a long parameter (a weight matrix of a quarter million numbers) split in halves with the GEMM helper thread
/// when <see cref="Parallelism.Threads"/> allows two. Allocates nothing after a thread's first long update.
/// </summary>
internal static unsafe class UpdateDriver
{
    /// <summary>Parameters shorter than this update on one thread (the hand-off would cost more than half the work).</summary>
    private const int ParallelThreshold = 32 * 1024;

    /// <summary>Runs <paramref name="rule"/> over every weight of <paramref name="w"/>.</summary>
    public static void Run<T, TRule>(TRule rule, Span<T> w, ReadOnlySpan<T> g, Span<T> first, Span<T> second, T decay, T l1)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TRule : struct, IUpdateRule<T>
    {
        if (w.Length < ParallelThreshold || Parallelism.Threads < 2)
        {
            Range(rule, w, g, first, second, decay, l1);
            return;
        }

        fixed (T* pw = w, pg = g, p1 = first, p2 = second)
        {
            (Pass<T, TRule>.Instance ??= new Pass<T, TRule>()).Execute(rule, pw, pg, p1, p2, w.Length, decay, l1);
        }
    }

    private static void Range<T, TRule>(TRule rule, Span<T> w, ReadOnlySpan<T> g, Span<T> first, Span<T> second, T decay, T l1)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TRule : struct, IUpdateRule<T>
    {
        int length = w.Length, count = Vector<T>.Count, i = 0;
        bool regularised = decay != T.Zero || l1 != T.Zero;
        ref T wStart = ref MemoryMarshal.GetReference(w);
        ref T gStart = ref MemoryMarshal.GetReference(g[..length]);
        ref T firstStart = ref TRule.StateSlots >= 1 ? ref MemoryMarshal.GetReference(first[..length]) : ref wStart;
        ref T secondStart = ref TRule.StateSlots >= 2 ? ref MemoryMarshal.GetReference(second[..length]) : ref wStart;
        if (Vector.IsHardwareAccelerated)
        {
            var decays = new Vector<T>(decay);
            var l1s = new Vector<T>(l1);
            for (; i + count <= length; i += count)
            {
                Vector<T> wv = Vector.LoadUnsafe(ref wStart, (nuint)i), gv = Vector.LoadUnsafe(ref gStart, (nuint)i);
                Vector<T> s1 = TRule.StateSlots >= 1 ? Vector.LoadUnsafe(ref firstStart, (nuint)i) : default;
                Vector<T> s2 = TRule.StateSlots >= 2 ? Vector.LoadUnsafe(ref secondStart, (nuint)i) : default;
                if (regularised)
                {
                    // g ← g + λ₂·W + λ₁·sign(W)
                    Vector<T> sign = Vector.ConditionalSelect(Vector.GreaterThan(wv, Vector<T>.Zero), Vector<T>.One, Vector<T>.Zero)
                        - Vector.ConditionalSelect(Vector.LessThan(wv, Vector<T>.Zero), Vector<T>.One, Vector<T>.Zero);
                    gv += (decays * wv) + (l1s * sign);
                }

                rule.Apply(ref wv, gv, ref s1, ref s2);
                wv.StoreUnsafe(ref wStart, (nuint)i);
                if (TRule.StateSlots >= 1)
                {
                    s1.StoreUnsafe(ref firstStart, (nuint)i);
                }

                if (TRule.StateSlots >= 2)
                {
                    s2.StoreUnsafe(ref secondStart, (nuint)i);
                }
            }
        }

        T unused = T.Zero;
        for (; i < length; i++)
        {
            // the same sum, in the same order, as the vector body: g + (λ₂·W + λ₁·sign(W))
            T gi = regularised ? g[i] + ((decay * w[i]) + (l1 * T.CreateTruncating(T.Sign(w[i])))) : g[i];
            rule.Apply(ref w[i], gi, ref TRule.StateSlots >= 1 ? ref first[i] : ref unused, ref TRule.StateSlots >= 2 ? ref second[i] : ref unused);
        }
    }

    /// <summary>Halves of the parameter, the first a whole number of cache lines.</summary>
    private sealed class Pass<T, TRule> : Halves
        where T : unmanaged, IFloatingPointIeee754<T>
        where TRule : struct, IUpdateRule<T>
    {
        [ThreadStatic]
        public static Pass<T, TRule>? Instance;

        private TRule _rule;
        private T* _w;
        private T* _g;
        private T* _first;
        private T* _second;
        private T _decay;
        private T _l1;

        public void Execute(TRule rule, T* w, T* g, T* first, T* second, int length, T decay, T l1)
        {
            (_rule, _decay, _l1) = (rule, decay, l1);
            _w = w;
            _g = g;
            _first = first;
            _second = second;
            Execute(length, 16, length, ParallelThreshold);
        }

        protected override void Run(int start, int end)
        {
            int count = end - start;
            Range(
                _rule,
                new Span<T>(_w + start, count),
                new ReadOnlySpan<T>(_g + start, count),
                TRule.StateSlots >= 1 ? new Span<T>(_first + start, count) : default,
                TRule.StateSlots >= 2 ? new Span<T>(_second + start, count) : default,
                _decay,
                _l1);
        }
    }
}
