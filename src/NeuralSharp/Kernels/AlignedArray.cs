using System.Runtime.CompilerServices;

namespace NeuralSharp.Kernels;

/// <summary>
/// A pinned array (it never moves) of zeros, of which <see cref="Length"/> elements from <see cref="Offset"/> start on
/// a 64-byte boundary: a vector load that straddles two cache lines costs two. Large tensors and the kernels' reused
/// per-thread buffers are made of these.
/// </summary>
/// <typeparam name="T">The element type.</typeparam>
internal sealed unsafe class AlignedArray<T>
    where T : unmanaged
{
    private const int Alignment = 64;

    /// <summary>Allocates room for <paramref name="length"/> elements past the boundary.</summary>
    public AlignedArray(int length)
    {
        Array = GC.AllocateArray<T>(length + (Alignment / sizeof(T)), pinned: true);
        var address = (nint)Unsafe.AsPointer(ref Array[0]);
        Offset = (int)((Alignment - (address % Alignment)) % Alignment) / sizeof(T);
        Length = length;
        Start = (T*)Unsafe.AsPointer(ref Array[Offset]);
    }

    /// <summary>The whole array, padding included.</summary>
    public T[] Array { get; }

    /// <summary>The index of the first element on the boundary.</summary>
    public int Offset { get; }

    /// <summary>The elements usable from <see cref="Offset"/>.</summary>
    public int Length { get; }

    /// <summary>The first element on the boundary.</summary>
    public T* Start { get; }

    /// <summary>The usable elements as a span.</summary>
    public Span<T> AsSpan() => new(Start, Length);

    /// <summary>
    /// The start of the array in <paramref name="slot"/> (a per-thread buffer, typically), first replaced by a new one
    /// when it holds fewer than <paramref name="length"/> elements: a warm call allocates nothing.
    /// </summary>
    public static T* Reuse(ref AlignedArray<T>? slot, int length)
    {
        if (slot is null || slot.Length < length)
        {
            slot = new AlignedArray<T>(length);
        }

        return slot.Start;
    }
}
