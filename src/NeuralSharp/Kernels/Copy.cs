namespace NeuralSharp.Kernels;

/// <summary>
/// Copies that run beside every training step — the divergence guard's copy of the weights before an update, the
/// gathering of a shuffled batch's rows — in two halves on two threads when they are long: a copy is a serial pass of
/// a memory-bound megabyte that would otherwise run on one core while the other waits for the next product.
/// </summary>
public static unsafe class Copy
{
    /// <summary>Copies <paramref name="from"/> into the start of <paramref name="to"/>.</summary>
    public static void Run<T>(ReadOnlySpan<T> from, Span<T> to)
        where T : unmanaged
    {
        if (from.Length < Halves.ParallelThreshold || to.Length < from.Length)
        {
            from.CopyTo(to);
            return;
        }

        fixed (T* pf = from, pt = to)
        {
            (Pass<T>.Instance ??= new Pass<T>()).Execute(pf, pt, from.Length, 1, null);
        }
    }

    /// <summary>Row i of <paramref name="target"/> (rows of <paramref name="columns"/>) becomes row <c>rows[i]</c> of <paramref name="source"/>.</summary>
    public static void Rows<T>(ReadOnlySpan<T> source, int columns, ReadOnlySpan<int> rows, Span<T> target)
        where T : unmanaged
    {
        if (target.Length < (long)rows.Length * columns)
        {
            throw new ArgumentException($"The target holds {target.Length} values, not {rows.Length} rows of {columns}.", nameof(target));
        }

        foreach (int row in rows)
        {
            ArgumentOutOfRangeException.ThrowIfGreaterThan((long)(row + 1) * columns, source.Length, nameof(rows));
            ArgumentOutOfRangeException.ThrowIfNegative(row, nameof(rows));
        }

        fixed (T* ps = source, pt = target)
        fixed (int* pr = rows)
        {
            (Pass<T>.Instance ??= new Pass<T>()).Execute(ps, pt, rows.Length, columns, pr);
        }
    }

    /// <summary>Items [start, end): whole values of a plain copy, or rows of a gathered one.</summary>
    private sealed class Pass<T> : Halves
        where T : unmanaged
    {
        [ThreadStatic]
        public static Pass<T>? Instance;

        private T* _from, _to;
        private int* _rows;
        private int _columns;

        public void Execute(T* from, T* to, int count, int columns, int* rows)
        {
            _from = from;
            _to = to;
            _rows = rows;
            _columns = columns;
            // a multiple of 16 values, so that each half starts on a cache line where the whole does
            Execute(count, rows == null ? 16 : 1, (long)count * columns);
        }

        protected override void Run(int start, int end)
        {
            if (_rows == null)
            {
                new ReadOnlySpan<T>(_from + start, end - start).CopyTo(new Span<T>(_to + start, end - start));
                return;
            }

            for (int i = start; i < end; i++)
            {
                new ReadOnlySpan<T>(_from + ((long)_rows[i] * _columns), _columns).CopyTo(new Span<T>(_to + ((long)i * _columns), _columns));
            }
        }
    }
}
