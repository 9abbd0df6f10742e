namespace NeuralSharp.Init;

/// <summary>
/// Xavier (Glorot) initialisation as the course writes it: <c>W = randn(in, out) / √n_in</c>, keeping the variance of
/// u about that of x; suited to sigmoid and tanh.
/// </summary>
public sealed class Xavier : Normal
{
    /// <inheritdoc />
    public override string Name => "xavier";

    /// <summary><c>σ = 1 / √n_in</c>.</summary>
    public override double Sigma(int fanIn) => 1.0 / Math.Sqrt(Math.Max(fanIn, 1));
}
