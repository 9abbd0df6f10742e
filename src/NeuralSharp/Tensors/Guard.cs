using System.Numerics;

namespace NeuralSharp;

/// <summary>Checks for data coming in from outside: shapes and finite values, with messages a learner can act on.</summary>
public static class Guard
{
    /// <summary>Refuses a tensor holding NaN or ±∞, naming the first such value's row and column.</summary>
    /// <param name="tensor">The data to check.</param>
    /// <param name="what">What the data is, for the message, e.g. <c>"Input x"</c>.</param>
    /// <exception cref="NonFiniteValueException">A value is NaN or infinite.</exception>
    public static void AllFinite<T>(NDArray<T> tensor, string what)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(tensor);
        AllFinite(tensor.AsSpan(), tensor.Columns, what);
    }

    /// <summary>Refuses rows of <paramref name="columns"/> numbers holding NaN or ±∞, naming the first such value's row and column.</summary>
    /// <param name="values">The data to check, row-major.</param>
    /// <param name="columns">The width of a row.</param>
    /// <param name="what">What the data is, for the message, e.g. <c>"Input x"</c>.</param>
    /// <exception cref="NonFiniteValueException">A value is NaN or infinite.</exception>
    public static void AllFinite<T>(ReadOnlySpan<T> values, int columns, string what)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        // the common case a vector at a time (a sample of a few numbers by a plain loop, cheaper than the call); the
        // element-by-element search only to name the culprit
        if (values.Length >= 16 ? System.Numerics.Tensors.TensorPrimitives.IsFiniteAll(values) : AllFiniteSmall(values))
        {
            return;
        }

        for (int i = 0; i < values.Length; i++)
        {
            if (!T.IsFinite(values[i]))
            {
                string kind = T.IsNaN(values[i]) ? "NaN" : T.IsPositiveInfinity(values[i]) ? "+Infinity" : "-Infinity";
                columns = Math.Max(columns, 1);
                throw new NonFiniteValueException(
                    $"{what} has {kind} at row {i / columns}, column {i % columns}; only finite numbers can be used.");
            }
        }
    }

    private static bool AllFiniteSmall<T>(ReadOnlySpan<T> values)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        bool finite = true;
        foreach (T value in values)
        {
            finite &= T.IsFinite(value);
        }

        return finite;
    }

    /// <summary>Refuses a tensor that is not a matrix <c>[batch, columns]</c> with the given number of columns.</summary>
    /// <exception cref="ShapeMismatchException">The rank or the width differs.</exception>
    /// <param name="tensor">The data coming in.</param>
    /// <param name="columns">The width the operation needs.</param>
    /// <param name="operation">What receives the data, e.g. <c>Dense layer</c>.</param>
    /// <param name="name">Its name, e.g. <c>dense1</c> (the message is built only on failure).</param>
    public static void IsBatch<T>(NDArray<T> tensor, int columns, string operation, string name)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(tensor);
        if (tensor.Rank != 2 || tensor.Shape[1] != columns)
        {
            throw new ShapeMismatchException($"{operation} '{name}' expects input [batch, {columns}] but got {tensor.Shape}.");
        }
    }
}
