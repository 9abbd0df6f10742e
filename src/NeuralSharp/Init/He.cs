namespace NeuralSharp.Init;

/// <summary>
/// He initialisation: <c>W = randn(in, out) · √(2 / n_in)</c>; the factor 2 makes up for ReLU zeroing half its inputs.
/// </summary>
public sealed class He : Normal
{
    /// <inheritdoc />
    public override string Name => "he";

    /// <summary><c>σ = √(2 / n_in)</c>.</summary>
    public override double Sigma(int fanIn) => Math.Sqrt(2.0 / Math.Max(fanIn, 1));
}
