using System.Numerics;
using NeuralSharp.Randomness;

namespace NeuralSharp.Training;

/// <summary>Copies chosen rows of (x, d) into reusable batch tensors, one pair per batch size.</summary>
internal sealed class BatchGatherer<T>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    private readonly Tensor<T> _x;
    private readonly Tensor<T> _d;
    private readonly Dictionary<int, (Tensor<T> X, Tensor<T> D, int[] Indices)> _buffers = [];

    public BatchGatherer(Tensor<T> x, Tensor<T> d)
    {
        _x = x;
        _d = d;
    }

    /// <summary>The rows at <paramref name="indices"/>.</summary>
    public (Tensor<T> X, Tensor<T> D) Gather(ReadOnlySpan<int> indices)
    {
        (Tensor<T> bx, Tensor<T> bd, _) = Buffers(indices.Length);
        for (int i = 0; i < indices.Length; i++)
        {
            _x.Row(indices[i]).CopyTo(bx.Row(i));
            CopyTarget(indices[i], bd, i);
        }

        return (bx, bd);
    }

    /// <summary><paramref name="count"/> rows drawn uniformly with replacement (<c>np.random.choice</c>).</summary>
    public (Tensor<T> X, Tensor<T> D) GatherRandom(int count, SeededRandom random)
    {
        int[] indices = Buffers(count).Indices;
        for (int i = 0; i < count; i++)
        {
            indices[i] = random.NextInt(_x.Rows);
        }

        return Gather(indices);
    }

    private void CopyTarget(int from, Tensor<T> bd, int to)
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

    private (Tensor<T> X, Tensor<T> D, int[] Indices) Buffers(int size)
    {
        if (!_buffers.TryGetValue(size, out var buffers))
        {
            Tensor<T> d = _d.Rank == 1 ? new Tensor<T>(new Shape(size)) : new Tensor<T>(size, _d.Columns);
            buffers = (new Tensor<T>(size, _x.Columns), d, new int[size]);
            _buffers[size] = buffers;
        }

        return buffers;
    }
}
