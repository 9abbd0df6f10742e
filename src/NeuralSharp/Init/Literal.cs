using System.Numerics;
using NeuralSharp.Randomness;

namespace NeuralSharp.Init;

/// <summary>
/// Explicit values, as the course writes <c>np.array([[0.1, 0.3], [0.2, 0.4]])</c>: a weight matrix W is
/// <c>[in, out]</c> (<c>u = xW + b</c>), a bias a row of <c>out</c> numbers.
/// <code>
/// new Literal(new double[,] { { 0.1, 0.3, 0.5 }, { 0.2, 0.4, 0.6 } })   // W [2, 3]: 2 inputs, 3 outputs
/// Literal.FromPyTorch(linear_weight)                                 // nn.Linear's weight, [out, in], transposed
/// new Literal(0.1, 0.3, 0.5, 0.2, 0.4, 0.6)                           // the same W, flat and row-major
/// </code>
/// </summary>
/// <remarks>
/// A matrix is checked against the layer's <c>[in, out]</c>; PyTorch's <c>[out, in]</c> is refused by name rather than
/// read wrongly. Flat values are checked for their count only, so a square matrix's layout is the caller's to get right.
/// </remarks>
public sealed class Literal : IInitializer
{
    private readonly double[] _values;
    private readonly (int Rows, int Columns)? _shape;

    /// <summary>Creates the initializer from the values, row-major (their count is checked, not their shape).</summary>
    public Literal(params double[] values)
    {
        ArgumentNullException.ThrowIfNull(values);
        _values = (double[])values.Clone();
    }

    /// <summary>Creates the initializer from a matrix <c>[in, out]</c> (a bias as <c>[1, out]</c>), checked against the layer's shape.</summary>
    public Literal(double[,] values)
    {
        ArgumentNullException.ThrowIfNull(values);
        _shape = (values.GetLength(0), values.GetLength(1));
        _values = [.. values.Cast<double>()];
    }

    /// <summary>
    /// The initializer for a weight given in PyTorch's layout, <c>[out, in]</c> (<c>nn.Linear.weight</c>, and
    /// <c>weight_ih_l0</c> of a recurrent layer): transposed into this library's <c>[in, out]</c>.
    /// </summary>
    public static Literal FromPyTorch(double[,] weight)
    {
        ArgumentNullException.ThrowIfNull(weight);
        int outputs = weight.GetLength(0), inputs = weight.GetLength(1);
        var transposed = new double[inputs, outputs];
        for (int o = 0; o < outputs; o++)
        {
            for (int i = 0; i < inputs; i++)
            {
                transposed[i, o] = weight[o, i];
            }
        }

        return new Literal(transposed);
    }

    /// <inheritdoc />
    public string Name => "literal";

    /// <inheritdoc />
    public void Fill<T>(Span<T> values, int fanIn, int fanOut, SeededRandom random)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        bool bias = values.Length == fanOut && values.Length != fanIn * fanOut;
        if (_shape is var (rows, columns))
        {
            (int Rows, int Columns) expected = bias ? (1, fanOut) : (fanIn, fanOut);
            if ((rows, columns) != expected)
            {
                throw new ShapeMismatchException(!bias && (rows, columns) == (fanOut, fanIn) && fanIn != fanOut
                    ? $"The weights given are [{rows}, {columns}], PyTorch's [out, in] layout; this layer's W is [in, out] = [{fanIn}, {fanOut}] (u = xW + b). Transpose them, or give them through Literal.FromPyTorch."
                    : $"The values given are [{rows}, {columns}], but this layer's {(bias ? "bias is [1, " + fanOut + "]" : $"W is [in, out] = [{fanIn}, {fanOut}]")}.");
            }
        }

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
