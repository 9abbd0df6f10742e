using System.Numerics;
using System.Runtime.CompilerServices;

namespace NeuralSharp.Layers;

/// <summary>
/// The memory a batch implies — every layer's outputs and gradients (im2col's columns for a convolution, every step's
/// gates and states for a recurrent layer), the weights with their gradients and optimizer state — counted from the
/// shapes before anything is allocated, against a budget: three quarters of the memory the runtime may use (the
/// machine's, or a container's or <c>DOTNET_GCHeapHardLimit</c>'s limit).
/// </summary>
public static class MemoryBudget
{
    /// <summary>The budget in bytes (settable, e.g. to leave room for another process; null: three quarters of what the runtime may use).</summary>
    public static long? Bytes { get; set; }

    /// <summary>The matrix kernels' own buffers (packed blocks of a product's operands), for both threads.</summary>
    internal const long KernelScratchBytes = 4L << 20;

    /// <summary>The budget in force.</summary>
    public static long Limit => Bytes ?? s_default.Value;

    // what the runtime may use is fixed for the process: asked once, not on every Fit and Predict
    private static readonly Lazy<long> s_default = new(() => GC.GetGCMemoryInfo().TotalAvailableMemoryBytes / 4 * 3);

    /// <summary>The bytes a pass of <paramref name="batch"/> rows implies, and the layer that needs most.</summary>
    public static (long Bytes, ILayer<T> Largest, long LargestBytes) Estimate<T>(Sequential<T> network, int batch)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(network);
        long size = Unsafe.SizeOf<T>(), total = 0, most = -1;
        ILayer<T> largest = network.Layers[0];
        int width = network.InputWidth;
        foreach (ILayer<T> layer in network.Layers)
        {
            int next = layer.OutputWidth(width);
            // an output buffer and a gradient buffer for the input, as most layers keep (saturating: the shapes may be absurd)
            long values = layer is IWorkingMemory working ? working.WorkingValues(batch) : Math.Min(2L * batch * ((long)width + next), long.MaxValue / 16);
            long bytes = Math.Min(values, long.MaxValue / 16 / size) * size;
            (total, width) = (Math.Min(total + bytes, long.MaxValue / 4), next);
            if (bytes > most)
            {
                (largest, most) = (layer, bytes);
            }
        }

        // the batch gathered from the data (its rows and targets), the weights with their gradients and up to two
        // optimizer slots each, and the kernels' packing buffers (a block of the L2 per thread)
        long batchRows = Math.Min((long)batch * (network.InputWidth + network.OutputWidth), long.MaxValue / 16 / size) * size;
        return (Math.Min(total + batchRows + (4L * network.ParameterCount * size) + KernelScratchBytes, long.MaxValue / 2), largest, most);
    }

    /// <summary>Refuses a pass of <paramref name="batch"/> rows that would need more than <see cref="Limit"/>.</summary>
    /// <param name="network">The network.</param>
    /// <param name="batch">The rows of one pass.</param>
    /// <param name="what">What the pass is for, for the message ("training in batches of 100").</param>
    /// <exception cref="MemoryBudgetException">It would not fit; the message gives the figures and what to change.</exception>
    public static void EnsureFits<T>(Sequential<T> network, int batch, string what)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        (long bytes, ILayer<T> largest, long largestBytes) = Estimate(network, batch);
        long limit = Limit;
        if (bytes > limit)
        {
            throw new MemoryBudgetException(
                $"{what} would need about {bytes / 1e9:N1} GB for the network's activations, gradients and weights ('{largest.Name}' alone {largestBytes / 1e9:N1} GB); " +
                $"the budget is {limit / 1e9:N1} GB. Use a smaller batch, pooling or a stride before the wide layers, fewer filters or units, or shorter sequences.");
        }
    }
}
