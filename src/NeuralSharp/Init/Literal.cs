using System.Numerics;
using NeuralSharp.Randomness;

namespace NeuralSharp.Init;

/// <summary>Explicit values, row-major, as the course writes <c>np.array([[0.1, 0.3], [0.2, 0.4]])</c>.</summary>
public sealed class Literal : IInitializer
{
    private readonly double[] _values;

    /// <summary>Creates the initializer from the values, row-major.</summary>
    public Literal(params double[] values) => _values = (double[])values.Clone();

    /// <inheritdoc />
    public string Name => "literal";

    /// <inheritdoc />
    public void Fill<T>(Span<T> values, int fanIn, int fanOut, SeededRandom random)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (values.Length != _values.Length)
        {
            throw new ShapeMismatchException(
                $"Literal initializer has {_values.Length} values but the tensor [{fanIn}, {fanOut}] needs {values.Length}.");
        }

        for (int i = 0; i < values.Length; i++)
        {
            values[i] = T.CreateChecked(_values[i]);
        }
    }
}
