namespace NeuralSharp.Layers;

/// <summary>
/// The shape of one sequence, <c>[steps, features]</c>: T time steps of F features each. A batch of sequences travels
/// as rows of T·F numbers, time-major within each row (<c>t0_f0, t0_f1, …, t1_f0, …</c>, row-major <c>[batch, T, F]</c>,
/// PyTorch's <c>batch_first</c> layout), so recurrent layers and the dense layers after them share one tensor type.
/// </summary>
public readonly record struct SequenceShape(int Steps, int Features)
{
    /// <summary>The numbers per sequence: T·F.</summary>
    public int Size => Steps * Features;

    /// <summary>Throws unless both sides are positive and the size is of reasonable size.</summary>
    /// <exception cref="ArgumentOutOfRangeException">A side is not positive, or the sequence is too large.</exception>
    public SequenceShape Validated(string what)
    {
        if (Steps <= 0 || Features <= 0 || (long)Steps * Features > int.MaxValue / 8)
        {
            throw new ArgumentOutOfRangeException(what, $"{what}: a sequence of {Steps} steps × {Features} features is not possible (both must be positive, the whole of reasonable size).");
        }

        return this;
    }

    /// <inheritdoc />
    public override string ToString() => $"{Steps}×{Features}";
}
