namespace NeuralSharp.Diagnostics;

/// <summary>One parameter's comparison of analytic and numerical gradients.</summary>
/// <param name="Name">The parameter, e.g. <c>dense1.W</c>.</param>
/// <param name="Count">How many elements were compared.</param>
/// <param name="MaxRelativeError">The largest <see cref="GradientCheck.RelativeError"/>.</param>
/// <param name="MaxAbsoluteError">The largest <c>|a − n|</c>.</param>
/// <param name="WorstIndex">The flat index of the element with the largest relative error.</param>
/// <param name="Analytic">Backpropagation's value there.</param>
/// <param name="Numerical">The central difference there.</param>
public sealed record ParameterCheck(
    string Name, int Count, double MaxRelativeError, double MaxAbsoluteError, int WorstIndex, double Analytic, double Numerical)
{
    /// <summary>Entries left out of the comparison: their nudges crossed a kink (a ReLU's 0, a pooling window's tie), where no derivative exists.</summary>
    public int Skipped { get; init; }
}

/// <summary>The result of <see cref="GradientCheck.Run"/>: one row per parameter.</summary>
/// <param name="Parameters">The rows, in the network's parameter order.</param>
/// <param name="KinkDistance">
/// The smallest |u| at a ReLU, leaky ReLU or step (∞ without one); below about 2h the check straddles a kink and
/// its numbers mean nothing.
/// </param>
public sealed record GradientCheckReport(IReadOnlyList<ParameterCheck> Parameters, double KinkDistance)
{
    /// <summary>The largest relative error over all parameters.</summary>
    public double MaxRelativeError => Parameters.Count == 0 ? 0 : Parameters.Max(row => row.MaxRelativeError);

    /// <summary>Entries left out over all parameters: their nudges crossed a kink.</summary>
    public int Skipped => Parameters.Sum(row => row.Skipped);

    /// <summary>The largest absolute error over all parameters.</summary>
    public double MaxAbsoluteError => Parameters.Count == 0 ? 0 : Parameters.Max(row => row.MaxAbsoluteError);

    /// <summary>True when every relative error is below <paramref name="tolerance"/>.</summary>
    public bool Passed(double tolerance = 1e-7) => MaxRelativeError < tolerance;
}
