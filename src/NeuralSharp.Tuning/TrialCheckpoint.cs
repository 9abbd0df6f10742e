using System.Runtime.InteropServices;

namespace NeuralSharp.Tuning;

/// <summary>
/// A trial after its last finished epoch, as the grain persists it: the weights, the optimizer's memory and the
/// reports so far. A trial whose silo dies resumes from here on another, and takes the steps it would have taken.
/// </summary>
[GenerateSerializer]
public sealed class TrialCheckpoint
{
    /// <summary>Epochs finished.</summary>
    [Id(0)] public int Epoch { get; set; }

    /// <summary>
    /// Every parameter's values in the network's order, then the optimizer's state arrays (see
    /// <c>Optimizer.ExportState</c>), as one block of float32 bytes: storage serializers (JSON for Redis) write one
    /// base64 string, not a number per weight (which cost more than the epoch itself on MNIST).
    /// </summary>
    [Id(1)] public byte[] Arrays { get; set; } = [];

    /// <summary>The optimizer's step count.</summary>
    [Id(3)] public int OptimizerSteps { get; set; }

    /// <summary>One report per finished epoch.</summary>
    [Id(4)] public List<EpochReport> Reports { get; set; } = [];

    /// <summary>Why the trial stopped by itself (a diverging loss), or null.</summary>
    [Id(5)] public string? Failure { get; set; }

    /// <summary>Packs the parameters' values and then the optimizer's state arrays into <see cref="Arrays"/>.</summary>
    public void Pack(IReadOnlyList<ReadOnlyMemory<float>> arrays)
    {
        ArgumentNullException.ThrowIfNull(arrays);
        var bytes = new byte[arrays.Sum(a => a.Length) * sizeof(float)];
        int at = 0;
        foreach (ReadOnlyMemory<float> array in arrays)
        {
            MemoryMarshal.AsBytes(array.Span).CopyTo(bytes.AsSpan(at));
            at += array.Length * sizeof(float);
        }

        Arrays = bytes;
    }

    /// <summary>The inverse of <see cref="Pack"/>: fills <paramref name="arrays"/>, in the same order and of the same lengths.</summary>
    public void Unpack(IReadOnlyList<Memory<float>> arrays)
    {
        ArgumentNullException.ThrowIfNull(arrays);
        ReadOnlySpan<float> floats = MemoryMarshal.Cast<byte, float>(Arrays);
        int at = 0;
        foreach (Memory<float> array in arrays)
        {
            floats.Slice(at, array.Length).CopyTo(array.Span);
            at += array.Length;
        }
    }
}
