using System.Numerics;
using NeuralSharp.Randomness;

namespace NeuralSharp.Init;

/// <summary>Every value the same constant: <c>np.zeros</c>, <c>np.ones</c>, or any literal fill.</summary>
public sealed class Constant : IInitializer
{
    /// <summary>Creates the initializer.</summary>
    public Constant(double value) => Value = value;

    /// <summary>The value written everywhere.</summary>
    public double Value { get; }

    /// <inheritdoc />
    public string Name => Value switch { 0 => "zeros", 1 => "ones", _ => "constant" };

    /// <inheritdoc />
    public void Fill<T>(Span<T> values, int fanIn, int fanOut, SeededRandom random)
        where T : unmanaged, IFloatingPointIeee754<T> => values.Fill(T.CreateChecked(Value));
}
