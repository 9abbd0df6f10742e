namespace NeuralSharp;

/// <summary>
/// The dimensions of a <see cref="NDArray{T}"/>, outermost first: a batch of samples is <c>[batch, features]</c>,
/// a weight matrix <c>[in, out]</c>, a bias vector <c>[out]</c>. Rank 1 to 4, held inline so a shape never allocates.
/// </summary>
public readonly struct Shape : IEquatable<Shape>
{
    /// <summary>The largest rank a shape can hold.</summary>
    public const int MaxRank = 4;

    private readonly int _d0, _d1, _d2, _d3;

    /// <summary>Creates a shape from its dimensions, outermost first.</summary>
    /// <exception cref="ArgumentException">No dimension, more than <see cref="MaxRank"/>, or a negative one.</exception>
    public Shape(params ReadOnlySpan<int> dimensions)
    {
        if (dimensions.Length is < 1 or > MaxRank)
        {
            throw new ArgumentException($"A shape has 1 to {MaxRank} dimensions, not {dimensions.Length}.", nameof(dimensions));
        }

        foreach (int size in dimensions)
        {
            if (size < 0)
            {
                throw new ArgumentException($"A dimension cannot be negative (got {size}).", nameof(dimensions));
            }
        }

        Rank = dimensions.Length;
        _d0 = dimensions[0];
        _d1 = Rank > 1 ? dimensions[1] : 0;
        _d2 = Rank > 2 ? dimensions[2] : 0;
        _d3 = Rank > 3 ? dimensions[3] : 0;
    }

    /// <summary>The number of dimensions.</summary>
    public int Rank { get; }

    /// <summary>The size of one dimension.</summary>
    public int this[int axis] => (uint)axis < (uint)Rank
        ? axis switch { 0 => _d0, 1 => _d1, 2 => _d2, _ => _d3 }
        : throw new ArgumentOutOfRangeException(nameof(axis), $"Axis {axis} is outside a rank-{Rank} shape.");

    /// <summary>The number of elements: the product of the dimensions.</summary>
    public int Length
    {
        get
        {
            long length = 1;
            for (int axis = 0; axis < Rank; axis++)
            {
                length *= this[axis];
            }

            return checked((int)length);
        }
    }

    /// <summary>The dimensions as a new array.</summary>
    public int[] ToArray()
    {
        var dims = new int[Rank];
        for (int axis = 0; axis < Rank; axis++)
        {
            dims[axis] = this[axis];
        }

        return dims;
    }

    /// <summary>Writes the shape as NumPy prints it, e.g. <c>[2, 3]</c>.</summary>
    public override string ToString() => "[" + string.Join(", ", ToArray()) + "]";

    /// <inheritdoc />
    public bool Equals(Shape other) =>
        Rank == other.Rank && _d0 == other._d0 && _d1 == other._d1 && _d2 == other._d2 && _d3 == other._d3;

    /// <inheritdoc />
    public override bool Equals(object? obj) => obj is Shape other && Equals(other);

    /// <inheritdoc />
    public override int GetHashCode() => HashCode.Combine(Rank, _d0, _d1, _d2, _d3);

    /// <summary>True when both shapes have the same rank and dimensions.</summary>
    public static bool operator ==(Shape left, Shape right) => left.Equals(right);

    /// <summary>True when the shapes differ in rank or in any dimension.</summary>
    public static bool operator !=(Shape left, Shape right) => !left.Equals(right);
}
