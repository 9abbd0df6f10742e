using NeuralSharp.Data;

namespace NeuralSharp.Tests.Data;

public sealed class GeneratorsTests
{
    [Fact]
    public void Course_regression_is_exactly_3x1_plus_2x2_in_the_requested_range()
    {
        Dataset data = Generators.CourseRegression(500, seed: 1, min: -5, max: 5);
        for (int i = 0; i < data.Count; i++)
        {
            ReadOnlySpan<double> x = data.FeatureRow(i);
            Assert.InRange(x[0], -5, 5);
            Assert.Equal((3 * x[0]) + (2 * x[1]), data.Targets[i]);
        }

        Assert.True(data.Features.ToArray().Min() < -4.5 && data.Features.ToArray().Max() > 4.5);
    }

    [Fact]
    public void Circle_without_noise_is_a_disc_inside_a_ring()
    {
        Dataset data = Generators.Circle(400, noise: 0, seed: 2);
        for (int i = 0; i < data.Count; i++)
        {
            double r = Math.Sqrt((data.FeatureRow(i)[0] * data.FeatureRow(i)[0]) + (data.FeatureRow(i)[1] * data.FeatureRow(i)[1]));
            Assert.Equal(r < 2.5 ? 1 : 0, data.Label(i));
            Assert.False(r is > 2.5 and < 3.5);
        }
    }

    [Fact]
    public void Xor_labels_follow_the_quadrants_and_noise_flips_some()
    {
        Dataset clean = Generators.Xor(400, 0, seed: 3), noisy = Generators.Xor(400, 0.5, seed: 3);
        int flipped = 0;
        for (int i = 0; i < clean.Count; i++)
        {
            Assert.Equal(clean.FeatureRow(i)[0] * clean.FeatureRow(i)[1] >= 0 ? 1 : 0, clean.Label(i));
            flipped += noisy.Label(i) != (noisy.FeatureRow(i)[0] * noisy.FeatureRow(i)[1] >= 0 ? 1 : 0) ? 1 : 0;
        }

        Assert.InRange(flipped, 20, 200);
    }

    [Fact]
    public void Gauss_and_spiral_have_two_balanced_classes()
    {
        foreach (Dataset data in new[] { Generators.Gauss(300, 0.1, 4), Generators.Spiral(300, 0.1, 4) })
        {
            Assert.Equal(150, Enumerable.Range(0, data.Count).Count(i => data.Label(i) == 1));
            Assert.Equal(["-1", "1"], data.ClassNames!);
        }

        Dataset gauss = Generators.Gauss(1000, 0, 5);
        Assert.InRange(Enumerable.Range(0, 500).Average(i => gauss.FeatureRow(i)[0]), 1.9, 2.1);
    }

    [Fact]
    public void Animals_are_realistic_and_overlapping()
    {
        Dataset animals = AnimalsGenerator.Create(3000, seed: 6);
        Assert.Equal(["dog", "cat", "mouse"], animals.ClassNames!);
        Assert.Equal(7, animals.FeatureCount);
        double Mean(int c, int f) => Enumerable.Range(0, animals.Count).Where(i => animals.Label(i) == c).Average(i => animals.FeatureRow(i)[f]);
        Assert.True(Mean(0, 1) > Mean(1, 1) && Mean(1, 1) > Mean(2, 1)); // dogs outweigh cats outweigh mice
        Assert.True(Mean(1, 2) > Mean(0, 2)); // cats have the longest whiskers
        // overlap: some dogs are lighter than the heaviest cats
        double heaviestCat = Enumerable.Range(0, animals.Count).Where(i => animals.Label(i) == 1).Max(i => animals.FeatureRow(i)[1]);
        Assert.Contains(Enumerable.Range(0, animals.Count), i => animals.Label(i) == 0 && animals.FeatureRow(i)[1] < heaviestCat);
        Assert.All(animals.Features.ToArray(), v => Assert.True(v > 0));
    }

    [Fact]
    public void Same_seed_same_data()
    {
        Assert.Equal(Generators.Spiral(100, 0.3, 9).Features.ToArray(), Generators.Spiral(100, 0.3, 9).Features.ToArray());
        Assert.NotEqual(Generators.Spiral(100, 0.3, 9).Features.ToArray(), Generators.Spiral(100, 0.3, 10).Features.ToArray());
    }

    [Fact]
    public void Gauss3_has_three_balanced_blobs_each_nearest_its_own_centre()
    {
        Dataset data = Generators.Gauss3(300, noise: 0, seed: 5);
        Assert.Equal(3, data.ClassCount);
        Assert.All(Enumerable.Range(0, 3), c => Assert.Equal(100, Enumerable.Range(0, data.Count).Count(i => data.Label(i) == c)));
        int nearest = 0;
        for (int i = 0; i < data.Count; i++)
        {
            double[] distance = [.. Enumerable.Range(0, 3).Select(c =>
            {
                double angle = (Math.PI / 2) + (c * 2 * Math.PI / 3);
                return Math.Pow(data.FeatureRow(i)[0] - (3 * Math.Cos(angle)), 2) + Math.Pow(data.FeatureRow(i)[1] - (3 * Math.Sin(angle)), 2);
            })];
            nearest += Array.IndexOf(distance, distance.Min()) == data.Label(i) ? 1 : 0;
        }

        Assert.True(nearest > 270, $"{nearest} of 300 points nearest their own centre");
    }

    [Fact]
    public void Spiral4_has_four_arms_a_quarter_turn_apart()
    {
        Dataset data = Generators.Spiral4(400, noise: 0, seed: 6);
        Assert.Equal(4, data.ClassCount);
        for (int i = 0; i < data.Count; i++)
        {
            // the first point of each arm lies at r = 0.5, angle a·π/2 (measured from the y axis)
            int arm = data.Label(i);
            if (i % 100 == 0)
            {
                Assert.Equal(0.5 * Math.Sin(arm * Math.PI / 2), data.FeatureRow(i)[0], 12);
                Assert.Equal(0.5 * Math.Cos(arm * Math.PI / 2), data.FeatureRow(i)[1], 12);
            }

            double r = Math.Sqrt(Math.Pow(data.FeatureRow(i)[0], 2) + Math.Pow(data.FeatureRow(i)[1], 2));
            Assert.InRange(r, 0.5, 5.0);
        }

        Assert.Equal("spiral4", Generators.Create("spiral4", 40, 0, 1).Name);
        Assert.Equal(3, Generators.Create("gauss3", 30, 0, 1).ClassCount);
    }
}
