using System.Numerics;
using NeuralSharp.Randomness;

namespace NeuralSharp.Init;

/// <summary>
/// Normal with mean 0 and a standard deviation that may depend on the fan-in: <c>W = σ · randn(in, out)</c>.
/// The course's <c>0.01 · np.random.randn</c> is <c>new Normal(0.01)</c>; Xavier and He are the same draw with
/// <c>σ = 1/√n_in</c> and <c>σ = √(2/n_in)</c>.
/// </summary>
public class Normal : IInitializer
{
    /// <summary>Creates the initializer with a fixed standard deviation (1 gives <c>np.random.randn</c>).</summary>
    public Normal(double standardDeviation = 1.0)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(standardDeviation);
        StandardDeviation = standardDeviation;
    }

    /// <summary>σ when it does not depend on the fan-in.</summary>
    public double StandardDeviation { get; }

    /// <inheritdoc />
    public virtual string Name => "normal";

    /// <summary>σ for a layer with <paramref name="fanIn"/> inputs.</summary>
    public virtual double Sigma(int fanIn) => StandardDeviation;

    /// <inheritdoc />
    public void Fill<T>(Span<T> values, int fanIn, int fanOut, SeededRandom random)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(random);
        double sigma = Sigma(fanIn);
        for (int i = 0; i < values.Length; i++)
        {
            values[i] = T.CreateChecked(sigma * random.NextNormal());
        }
    }
}
