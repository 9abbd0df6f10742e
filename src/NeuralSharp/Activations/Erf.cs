namespace NeuralSharp.Activations;

/// <summary>The error function, which .NET's Math lacks; GELU is <c>½u(1 + erf(u/√2))</c>.</summary>
internal static class Erf
{
    private const double TwoOverSqrtPi = 1.1283791670955126;

    /// <summary>
    /// <c>erf(x) = (2/√π) e^(−x²) Σₙ (2x²)ⁿ x / (1·3·5···(2n+1))</c>: every term positive, so nothing cancels and the
    /// sum keeps double precision at every x (|x| ≥ 6 gives ±1: erfc(6) ≈ 2e-17 is below it).
    /// </summary>
    public static double Of(double x)
    {
        if (double.IsNaN(x))
        {
            return x;
        }

        if (Math.Abs(x) >= 6)
        {
            return Math.Sign(x);
        }

        double twoXSquared = 2 * x * x, term = x, sum = x;
        for (int n = 1; n < 500 && Math.Abs(term) > Math.Abs(sum) * 1e-17; n++)
        {
            term *= twoXSquared / ((2 * n) + 1);
            sum += term;
        }

        return TwoOverSqrtPi * Math.Exp(-x * x) * sum;
    }
}
