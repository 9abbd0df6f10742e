using System.Numerics;
using NeuralSharp.Randomness;

namespace NeuralSharp.Init;

/// <summary>Uniform on [0, 1), NumPy's <c>np.random.rand(in, out)</c>.</summary>
public sealed class Uniform01 : IInitializer
{
    /// <inheritdoc />
    public string Name => "uniform";

    /// <inheritdoc />
    public void Fill<T>(Span<T> values, int fanIn, int fanOut, SeededRandom random)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(random);
        for (int i = 0; i < values.Length; i++)
        {
            values[i] = T.CreateChecked(random.NextDouble());
        }
    }
}
