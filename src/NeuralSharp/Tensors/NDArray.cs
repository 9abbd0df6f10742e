using System.Globalization;
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Text;
using NeuralSharp.Kernels;

namespace NeuralSharp;

/// <summary>
/// A dense, row-major block of numbers with a <see cref="Shape"/>; the first dimension is the batch.
/// <c>x [batch, in]</c>, <c>W [in, out]</c>, <c>b [out]</c> in the course's notation.
/// </summary>
/// <remarks>
/// Layers read and write tensors through <see cref="AsSpan"/>; a tensor never resizes, so a layer keeps one
/// per batch size and reuses it across steps. Works for <see cref="float"/> (speed) and <see cref="double"/>
/// (gradient checks).
/// </remarks>
/// <typeparam name="T">The element type, <see cref="float"/> or <see cref="double"/>.</typeparam>
public sealed class NDArray<T>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    /// <summary>Tensors of at least this many bytes start on a cache-line boundary (see the constructor from a shape).</summary>
    private const int AlignedFromBytes = 4096;

    private readonly T[] _data;

    /// <summary>Where the elements begin in <see cref="_data"/> (0 unless the tensor was aligned).</summary>
    private readonly int _start;

    /// <summary>The number of elements (the shape's product, kept rather than recomputed on every access).</summary>
    private readonly int _length;

    /// <summary>Creates a tensor of zeros.</summary>
    /// <remarks>
    /// A tensor of 4 KB or more is placed on a 64-byte boundary, in an array pinned so that it never moves: a vector
    /// load that straddles two cache lines costs two, and a matrix product reads its weights one vector at a time
    /// (a matrix-vector product over weights off the boundaries measured over half as slow again; bench/NOTES.md).
    /// </remarks>
    public NDArray(Shape shape)
    {
        Shape = shape;
        _length = shape.Length;
        int bytes = _length * Unsafe.SizeOf<T>();
        if (bytes < AlignedFromBytes)
        {
            _data = new T[_length];
            return;
        }

        var aligned = new AlignedArray<T>(_length);
        _data = aligned.Array;
        _start = aligned.Offset;
    }

    /// <summary>Creates a matrix of zeros, <c>[rows, columns]</c>.</summary>
    public NDArray(int rows, int columns)
        : this(new Shape(rows, columns))
    {
    }

    /// <summary>Wraps an array (no copy) as a tensor of the given shape.</summary>
    /// <exception cref="ShapeMismatchException">The array's length is not the shape's.</exception>
    public NDArray(Shape shape, T[] data)
    {
        ArgumentNullException.ThrowIfNull(data);
        if (data.Length != shape.Length)
        {
            throw new ShapeMismatchException(
                $"A tensor of shape {shape} holds {shape.Length} values, but the array has {data.Length}.");
        }

        Shape = shape;
        _length = data.Length;
        _data = data;
    }

    /// <summary>The elements, row-major.</summary>
    private Span<T> Elements => _data.AsSpan(_start, _length);

    /// <summary>The dimensions, outermost (batch) first.</summary>
    public Shape Shape { get; }

    /// <summary>The number of dimensions.</summary>
    public int Rank => Shape.Rank;

    /// <summary>The number of elements.</summary>
    public int Length => _length;

    /// <summary>The first dimension: the number of samples in a batch, or of rows in a matrix.</summary>
    public int Rows => Shape[0];

    /// <summary>The elements per row: <see cref="Length"/> / <see cref="Rows"/> (1 for a vector).</summary>
    public int Columns
    {
        get
        {
            int columns = 1;
            for (int axis = 1; axis < Rank; axis++)
            {
                columns *= Shape[axis];
            }

            return columns;
        }
    }

    /// <summary>The element at a flat, row-major index.</summary>
    public T this[int index]
    {
        get => Elements[index];
        set => Elements[index] = value;
    }

    /// <summary>The element at <c>[row, column]</c> of a matrix.</summary>
    public T this[int row, int column]
    {
        get => Elements[Offset(row, column)];
        set => Elements[Offset(row, column)] = value;
    }

    /// <summary>All elements, row-major, for kernels to read and write.</summary>
    public Span<T> AsSpan() => Elements;

    /// <summary>All elements as memory (over the tensor's own array), for code that must keep a reference.</summary>
    public Memory<T> AsMemory() => _data.AsMemory(_start, Length);

    /// <summary>One row (one sample) of a matrix.</summary>
    public Span<T> Row(int row) => Elements.Slice(row * Columns, Columns);

    /// <summary>A copy of the elements, row-major.</summary>
    public T[] ToArray() => Elements.ToArray();

    /// <summary>A copy of a matrix as a two-dimensional array.</summary>
    public T[,] ToArray2D()
    {
        var result = new T[Rows, Columns];
        for (int r = 0; r < Rows; r++)
        {
            for (int c = 0; c < Columns; c++)
            {
                result[r, c] = Elements[(r * Columns) + c];
            }
        }

        return result;
    }

    /// <summary>A deep copy with the same shape.</summary>
    public NDArray<T> Clone()
    {
        var copy = new NDArray<T>(Shape);
        Elements.CopyTo(copy.Elements);
        return copy;
    }

    /// <summary>Copies another tensor's values into this one (same shape).</summary>
    /// <exception cref="ShapeMismatchException">The shapes differ.</exception>
    public void CopyFrom(NDArray<T> source)
    {
        ArgumentNullException.ThrowIfNull(source);
        if (source.Shape != Shape)
        {
            throw new ShapeMismatchException($"CopyFrom needs the same shape: this is {Shape} but the source is {source.Shape}.");
        }

        source.Elements.CopyTo(Elements);
    }

    /// <summary>Sets every element to <paramref name="value"/>.</summary>
    public void Fill(T value) => Elements.Fill(value);

    /// <summary>Writes the tensor as NumPy prints it, e.g. <c>[[0.1, 0.2], [0.3, 0.4]]</c>.</summary>
    public override string ToString() => Format(8);

    /// <summary>Writes the tensor as NumPy prints it, with the given number of significant digits.</summary>
    public string Format(int significantDigits)
    {
        string formatString = "G" + significantDigits.ToString(CultureInfo.InvariantCulture);
        var text = new StringBuilder();
        if (Rank == 1)
        {
            AppendRow(text, Elements, formatString);
            return text.ToString();
        }

        text.Append('[');
        for (int r = 0; r < Rows; r++)
        {
            if (r > 0)
            {
                text.Append(", ");
            }

            AppendRow(text, Elements.Slice(r * Columns, Columns), formatString);
        }

        return text.Append(']').ToString();
    }

    private static void AppendRow(StringBuilder text, ReadOnlySpan<T> row, string formatString)
    {
        text.Append('[');
        for (int i = 0; i < row.Length; i++)
        {
            if (i > 0)
            {
                text.Append(", ");
            }

            text.Append(row[i].ToString(formatString, CultureInfo.InvariantCulture));
        }

        text.Append(']');
    }

    private int Offset(int row, int column)
    {
        if ((uint)row >= (uint)Rows || (uint)column >= (uint)Columns)
        {
            throw new ArgumentOutOfRangeException(nameof(row), $"[{row}, {column}] is outside a tensor of shape {Shape}.");
        }

        return (row * Columns) + column;
    }
}
