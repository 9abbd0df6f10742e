namespace NeuralSharp.Data;

/// <summary>
/// How prepared data is split: <see cref="TestFraction"/> of the rows held out for the end, then
/// <see cref="ValidationFraction"/> of the rest held out for watching the epochs (early stopping, schedules, a search's
/// metric); both stratified for classes and shuffled by <see cref="Seed"/>.
/// </summary>
/// <param name="TestFraction">The share of all rows kept for the test, in (0, 1).</param>
/// <param name="ValidationFraction">The share of the remaining rows kept for validation, in [0, 1); 0 for none.</param>
/// <param name="Seed">The seed of both shuffles.</param>
public sealed record DataSplit(double TestFraction = 0.2, double ValidationFraction = 0.2, ulong Seed = 42)
{
    /// <summary>The seed of the validation split, apart from the test split's so the two never take the same rows by rank.</summary>
    internal ulong ValidationSeed => (Seed * 0x9E3779B97F4A7C15UL) + 1;

    /// <summary>Refuses fractions outside their ranges.</summary>
    /// <exception cref="OptionException">A fraction is out of range; the message names it.</exception>
    public void Validate()
    {
        if (!(TestFraction is > 0 and < 1))
        {
            throw new OptionException("test-split", $"must lie between 0 and 1, not {TestFraction}.");
        }

        if (!(ValidationFraction is >= 0 and < 1))
        {
            throw new OptionException("val-split", $"must lie in [0, 1) (0: no validation split), not {ValidationFraction}.");
        }
    }
}
