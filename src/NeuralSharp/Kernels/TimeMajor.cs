namespace NeuralSharp.Kernels;

/// <summary>
/// Sequences between the batch-major layout they travel in (<c>[batch, T, W]</c>) and the time-major one recurrent
/// layers compute in (<c>[T, batch, W]</c>: each step's rows together, so a step reads one contiguous block).
/// </summary>
public static class TimeMajor
{
    /// <summary><c>[batch, T, W]</c> → <c>[T, batch, W]</c>.</summary>
    public static void FromBatchMajor<T>(ReadOnlySpan<T> from, Span<T> to, int batch, int steps, int width)
        where T : unmanaged
    {
        for (int b = 0; b < batch; b++)
        {
            for (int t = 0; t < steps; t++)
            {
                from.Slice(((b * steps) + t) * width, width).CopyTo(to.Slice(((t * batch) + b) * width, width));
            }
        }
    }

    /// <summary><c>[T, batch, W]</c> → <c>[batch, T, W]</c>.</summary>
    public static void ToBatchMajor<T>(ReadOnlySpan<T> from, Span<T> to, int batch, int steps, int width)
        where T : unmanaged
    {
        for (int t = 0; t < steps; t++)
        {
            for (int b = 0; b < batch; b++)
            {
                from.Slice(((t * batch) + b) * width, width).CopyTo(to.Slice(((b * steps) + t) * width, width));
            }
        }
    }
}
