using NeuralSharp.Randomness;

namespace NeuralSharp.Data;

/// <summary>
/// The course report's "animals" exercise: seven measurements of an animal → dog, cat or mouse. Each class draws
/// every feature from a normal distribution (clipped to stay positive) with these means and deviations, chosen to be
/// realistic and to overlap (small dogs and large cats meet in the middle):
/// <list type="table">
/// <listheader><term>feature</term><description>dog · cat · mouse (mean ± σ)</description></listheader>
/// <item><term>body_length_cm</term><description>70 ± 22 · 46 ± 6 · 8.5 ± 1.5</description></item>
/// <item><term>weight_kg</term><description>18 ± 11 · 4.5 ± 1.3 · 0.025 ± 0.007</description></item>
/// <item><term>whisker_length_cm</term><description>5 ± 1.5 · 7 ± 1.2 · 3 ± 0.6</description></item>
/// <item><term>fur_length_cm</term><description>3 ± 1.8 · 3 ± 1.5 · 0.6 ± 0.2</description></item>
/// <item><term>ear_size_cm</term><description>8 ± 3 · 5.5 ± 0.9 · 1.3 ± 0.3</description></item>
/// <item><term>eye_distance_ratio</term><description>0.45 ± 0.05 · 0.52 ± 0.04 · 0.60 ± 0.05 (eye distance / head width)</description></item>
/// <item><term>leg_length_cm</term><description>35 ± 11 · 24 ± 3.5 · 2.5 ± 0.6</description></item>
/// </list>
/// Classes are drawn in equal numbers, then shuffled.
/// </summary>
public static class AnimalsGenerator
{
    /// <summary>The class names in index order.</summary>
    public static IReadOnlyList<string> ClassNames { get; } = ["dog", "cat", "mouse"];

    /// <summary>The feature names in column order.</summary>
    public static IReadOnlyList<string> FeatureNames { get; } =
        ["body_length_cm", "weight_kg", "whisker_length_cm", "fur_length_cm", "ear_size_cm", "eye_distance_ratio", "leg_length_cm"];

    private static readonly (double Mean, double Sigma)[][] Distributions =
    [
        [(70, 22), (18, 11), (5, 1.5), (3, 1.8), (8, 3), (0.45, 0.05), (35, 11)],
        [(46, 6), (4.5, 1.3), (7, 1.2), (3, 1.5), (5.5, 0.9), (0.52, 0.04), (24, 3.5)],
        [(8.5, 1.5), (0.025, 0.007), (3, 0.6), (0.6, 0.2), (1.3, 0.3), (0.60, 0.05), (2.5, 0.6)],
    ];

    /// <summary>Draws <paramref name="count"/> animals.</summary>
    public static Dataset Create(int count, ulong seed)
    {
        var random = new SeededRandom(seed);
        int[] order = [.. Enumerable.Range(0, count)];
        random.Shuffle<int>(order);
        var features = new double[count * FeatureNames.Count];
        var labels = new double[count];
        for (int i = 0; i < count; i++)
        {
            int label = order[i] % 3;
            labels[i] = label;
            for (int j = 0; j < FeatureNames.Count; j++)
            {
                (double mean, double sigma) = Distributions[label][j];
                // clip at a tenth of the mean: no animal has a negative size
                features[(i * FeatureNames.Count) + j] = Math.Max(mean + (sigma * random.NextNormal()), mean / 10);
            }
        }

        return new Dataset("animals", features, FeatureNames, labels, ClassNames, "animal");
    }

    /// <summary>Sample measurements of one typical animal of each class, for demonstrations.</summary>
    public static double[] Typical(int classIndex) => [.. Distributions[classIndex].Select(d => d.Mean)];
}
