using System.Numerics;
using NeuralSharp.Randomness;

namespace NeuralSharp.Init;

/// <summary>
/// Fills a weight matrix <c>W [fanIn, fanOut]</c> (or a bias) with its starting values, row-major, drawing from
/// the seeded stream in order so that the same seed gives bit-identical weights.
/// </summary>
public interface IInitializer
{
    /// <summary>A short name, e.g. <c>he</c>.</summary>
    string Name { get; }

    /// <summary>Writes the starting values.</summary>
    /// <param name="values">The tensor's elements, row-major.</param>
    /// <param name="fanIn">Inputs to the layer (<c>n_in</c>, the rows of W).</param>
    /// <param name="fanOut">Outputs of the layer (the columns of W).</param>
    /// <param name="random">The seeded stream to draw from.</param>
    void Fill<T>(Span<T> values, int fanIn, int fanOut, SeededRandom random)
        where T : unmanaged, IFloatingPointIeee754<T>;
}
