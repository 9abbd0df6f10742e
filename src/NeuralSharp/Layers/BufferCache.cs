using System.Numerics;

namespace NeuralSharp.Layers;

/// <summary>
/// A layer's output buffers, one per batch size seen recently (a few slots, so an epoch's last, smaller mini-batch
/// does not evict the full-size buffer). A hit allocates nothing.
/// </summary>
internal sealed class BufferCache<T>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    private const int Slots = 4;
    private readonly NDArray<T>?[] _buffers = new NDArray<T>?[Slots];
    private int _next;

    /// <summary>A <c>[rows, columns]</c> buffer: the cached one if there is one, else a new one in the next slot.</summary>
    public NDArray<T> Get(int rows, int columns)
    {
        foreach (NDArray<T>? buffer in _buffers)
        {
            if (buffer is not null && buffer.Rows == rows && buffer.Shape[1] == columns)
            {
                return buffer;
            }
        }

        var created = new NDArray<T>(rows, columns);
        _buffers[_next] = created;
        _next = (_next + 1) % Slots;
        return created;
    }
}
