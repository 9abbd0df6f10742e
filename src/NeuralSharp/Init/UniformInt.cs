using System.Numerics;
using NeuralSharp.Randomness;

namespace NeuralSharp.Init;

/// <summary>Uniform integers on [0, n), NumPy's <c>np.random.randint(n, size=(in, out))</c>.</summary>
public sealed class UniformInt : IInitializer
{
    /// <summary>Creates the initializer drawing from 0 to <paramref name="exclusiveMax"/> − 1.</summary>
    public UniformInt(int exclusiveMax)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(exclusiveMax);
        ExclusiveMax = exclusiveMax;
    }

    /// <summary>n: draws are 0 … n − 1.</summary>
    public int ExclusiveMax { get; }

    /// <inheritdoc />
    public string Name => "randint";

    /// <inheritdoc />
    public void Fill<T>(Span<T> values, int fanIn, int fanOut, SeededRandom random)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(random);
        for (int i = 0; i < values.Length; i++)
        {
            values[i] = T.CreateChecked(random.NextInt(ExclusiveMax));
        }
    }
}
