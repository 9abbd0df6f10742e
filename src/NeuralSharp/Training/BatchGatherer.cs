using System.Numerics;
using NeuralSharp.Randomness;

namespace NeuralSharp.Training;

/// <summary>Copies chosen rows of (x, d) into reusable batch tensors, one pair per batch size.</summary>
internal sealed class BatchGatherer<T>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    private readonly NDArray<T> _x;
    private readonly NDArray<T> _d;
    private readonly Dictionary<int, (NDArray<T> X, NDArray<T> D, int[] Indices)> _buffers = [];

    public BatchGatherer(NDArray<T> x, NDArray<T> d)
    {
        _x = x;
        _d = d;
    }

    /// <summary>The rows at <paramref name="indices"/>.</summary>
    public (NDArray<T> X, NDArray<T> D) Gather(ReadOnlySpan<int> indices)
    {
        (NDArray<T> bx, NDArray<T> bd, _) = Buffers(indices.Length);
        Kernels.Copy.Rows<T>(_x.AsSpan(), _x.Columns, indices, bx.AsSpan());
        for (int i = 0; i < indices.Length; i++)
        {
            CopyTarget(indices[i], bd, i);
        }

        return (bx, bd);
    }

    /// <summary><paramref name="count"/> rows drawn uniformly with replacement (<c>np.random.choice</c>).</summary>
    public (NDArray<T> X, NDArray<T> D) GatherRandom(int count, SeededRandom random)
    {
        int[] indices = Buffers(count).Indices;
        for (int i = 0; i < count; i++)
        {
            indices[i] = random.NextInt(_x.Rows);
        }

        return Gather(indices);
    }

    private void CopyTarget(int from, NDArray<T> bd, int to)
    {
        if (_d.Rank == 1)
        {
            bd[to] = _d[from];
        }
        else
        {
            _d.Row(from).CopyTo(bd.Row(to));
        }
    }

    private (NDArray<T> X, NDArray<T> D, int[] Indices) Buffers(int size)
    {
        if (!_buffers.TryGetValue(size, out var buffers))
        {
            NDArray<T> d = _d.Rank == 1 ? new NDArray<T>(new Shape(size)) : new NDArray<T>(size, _d.Columns);
            buffers = (new NDArray<T>(size, _x.Columns), d, new int[size]);
            _buffers[size] = buffers;
        }

        return buffers;
    }
}
