using System.Globalization;
using NeuralSharp.Data;

namespace NeuralSharp.Training;

/// <summary>A run's options about its data's rows and classes: missing values and class weights.</summary>
public sealed partial record RunConfig
{
    /// <summary>The <see cref="MissingValues"/> a name gives (null: refuse).</summary>
    /// <exception cref="OptionException">Not drop, mean or median.</exception>
    public static MissingValues ParseMissing(string? name) => name?.Trim().ToLowerInvariant() switch
    {
        null => MissingValues.Refuse,
        "drop" => MissingValues.Drop,
        "mean" => MissingValues.Mean,
        "median" => MissingValues.Median,
        _ => throw new OptionException("missing", $"'{name}' is not a way to treat missing values; give drop, mean or median."),
    };

    /// <summary>The class weights <see cref="ClassWeights"/> gives for <paramref name="data"/>'s classes, or null.</summary>
    /// <exception cref="OptionException">Not balanced nor a list of positive numbers, or not one per class.</exception>
    public IReadOnlyList<double>? ClassWeightsFor(Dataset data)
    {
        ArgumentNullException.ThrowIfNull(data);
        if (ClassWeights is not { } text)
        {
            return null;
        }

        if (data.Task == TaskKind.Regression)
        {
            throw new OptionException("class-weights", "weighs classes, and the data is a regression task.");
        }

        if (text.Trim().Equals("balanced", StringComparison.OrdinalIgnoreCase))
        {
            var counts = new int[data.ClassCount];
            for (int i = 0; i < data.Count; i++)
            {
                counts[data.Label(i)]++;
            }

            // a class absent from the data gets the weight of one sample's worth
            return [.. counts.Select(count => (double)data.Count / (data.ClassCount * Math.Max(count, 1)))];
        }

        double[] weights = ParseClassWeights(text);
        return weights.Length == data.ClassCount ? weights
            : throw new OptionException("class-weights", $"{weights.Length} weights for {data.ClassCount} classes ({string.Join(", ", data.ClassNames!.Take(8))}): give one per class, in that order, or balanced.");
    }

    private static double[] ParseClassWeights(string text) =>
        text.Trim().Equals("balanced", StringComparison.OrdinalIgnoreCase) ? []
        : [.. text.Split(',').Select(part => double.TryParse(part, NumberStyles.Float, CultureInfo.InvariantCulture, out double w) && double.IsFinite(w) && w > 0 ? w
            : throw new OptionException("class-weights", $"'{part.Trim()}' is not a weight; give balanced, or positive numbers one per class (e.g. 1,5)."))];
}
