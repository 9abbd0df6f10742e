using NeuralSharp.Randomness;

namespace NeuralSharp.Data;

/// <summary>
/// Synthetic data sets, seeded: the course's regression <c>d = 3·x1 + 2·x2</c>, and TensorFlow Playground's circle,
/// xor, gauss, spiral (classification) and plane (regression), each with a noise level ν in [0, 0.5].
/// Playground labels −1/+1 become classes 0 ("-1") and 1 ("1": the name a CSV of these labels reads back as). See also <see cref="AnimalsGenerator"/>.
/// </summary>
public static class Generators
{
    private static readonly string[] PlaygroundClasses = ["-1", "1"];
    private static readonly string[] ThreeClasses = ["0", "1", "2"];
    private static readonly string[] FourClasses = ["0", "1", "2", "3"];
    private static readonly string[] XY = ["x1", "x2"];

    /// <summary>The names <see cref="Create"/> accepts.</summary>
    public static IReadOnlyList<string> Names { get; } = ["course-regression", "circle", "xor", "gauss", "spiral", "plane", "gauss3", "spiral4", "animals"];

    /// <summary>Creates a generated set by name with <paramref name="count"/> samples.</summary>
    public static Dataset Create(string name, int count, double noise, ulong seed) => name.Trim().ToLowerInvariant() switch
    {
        "course-regression" or "regression" => CourseRegression(count, seed),
        "circle" => Circle(count, noise, seed),
        "xor" => Xor(count, noise, seed),
        "gauss" => Gauss(count, noise, seed),
        "spiral" => Spiral(count, noise, seed),
        "plane" => Plane(count, noise, seed),
        "gauss3" => Gauss3(count, noise, seed),
        "spiral4" => Spiral4(count, noise, seed),
        "animals" => AnimalsGenerator.Create(count, seed),
        _ => throw new ArgumentException($"There is no generator '{name}'. Known: {string.Join(", ", Names)}.", nameof(name)),
    };

    /// <summary>
    /// The course's regression (notebook 1_3): x1, x2 uniform on [<paramref name="min"/>, <paramref name="max"/>),
    /// <c>d = 3·x1 + 2·x2</c> exactly.
    /// </summary>
    public static Dataset CourseRegression(int count, ulong seed, double min = 0, double max = 1)
    {
        var random = new SeededRandom(seed);
        var x = new double[count * 2];
        var d = new double[count];
        for (int i = 0; i < count; i++)
        {
            x[2 * i] = min + ((max - min) * random.NextDouble());
            x[(2 * i) + 1] = min + ((max - min) * random.NextDouble());
            // d = 3·x1 + 2·x2
            d[i] = (3 * x[2 * i]) + (2 * x[(2 * i) + 1]);
        }

        return new Dataset("course-regression", x, XY, d, null, "d");
    }

    /// <summary>A disc of +1 (radius ≤ 2.5) inside a ring of −1 (3.5 … 5); noise flips labels near the edge.</summary>
    public static Dataset Circle(int count, double noise, ulong seed)
    {
        const double radius = 5;
        var random = new SeededRandom(seed);
        return Build("circle", count, i =>
        {
            double r = i < count / 2 ? Uniform(random, 0, radius / 2) : Uniform(random, 0.7 * radius, radius);
            double angle = Uniform(random, 0, 2 * Math.PI);
            double x = r * Math.Sin(angle), y = r * Math.Cos(angle);
            double nx = Uniform(random, -radius, radius) * noise, ny = Uniform(random, -radius, radius) * noise;
            bool inside = Math.Sqrt(((x + nx) * (x + nx)) + ((y + ny) * (y + ny))) < radius / 2;
            return (x, y, inside ? 1 : 0);
        });
    }

    /// <summary>Quadrants I and III are +1, II and IV −1, with a 0.3 gap along the axes; noise flips labels.</summary>
    public static Dataset Xor(int count, double noise, ulong seed)
    {
        var random = new SeededRandom(seed);
        return Build("xor", count, _ =>
        {
            double x = Uniform(random, -5, 5), y = Uniform(random, -5, 5);
            x += x > 0 ? 0.3 : -0.3;
            y += y > 0 ? 0.3 : -0.3;
            double nx = Uniform(random, -5, 5) * noise, ny = Uniform(random, -5, 5) * noise;
            return (x, y, (x + nx) * (y + ny) >= 0 ? 1 : 0);
        });
    }

    /// <summary>Two normal blobs, +1 at (2, 2) and −1 at (−2, −2), variance <c>0.5 + 7ν</c>.</summary>
    public static Dataset Gauss(int count, double noise, ulong seed)
    {
        var random = new SeededRandom(seed);
        double sigma = Math.Sqrt(0.5 + (7 * noise));
        return Build("gauss", count, i =>
        {
            double center = i < count / 2 ? 2 : -2;
            return (center + (sigma * random.NextNormal()), center + (sigma * random.NextNormal()), i < count / 2 ? 1 : 0);
        });
    }

    /// <summary>Two arms of 1.75 turns each, r = 5·i/n, the −1 arm turned by π; noise jitters points by ≤ ν.</summary>
    public static Dataset Spiral(int count, double noise, ulong seed)
    {
        var random = new SeededRandom(seed);
        int half = Math.Max(count / 2, 1);
        return Build("spiral", count, i =>
        {
            bool positive = i < half;
            int k = positive ? i : i - half;
            double r = 5.0 * k / half;
            double t = (1.75 * 2 * Math.PI * k / half) + (positive ? 0 : Math.PI);
            return ((r * Math.Sin(t)) + (Uniform(random, -1, 1) * noise), (r * Math.Cos(t)) + (Uniform(random, -1, 1) * noise), positive ? 1 : 0);
        });
    }

    /// <summary>
    /// Three classes: normal blobs around (0, 3), (−2.6, −1.5) and (2.6, −1.5) — 3 from the origin, 120° apart —
    /// with variance <c>0.5 + 7ν</c>, as <see cref="Gauss"/>; classes 0, 1, 2 in turn.
    /// </summary>
    public static Dataset Gauss3(int count, double noise, ulong seed)
    {
        var random = new SeededRandom(seed);
        double sigma = Math.Sqrt(0.5 + (7 * noise));
        return Build("gauss3", count, i =>
        {
            int label = i % 3;
            double angle = (Math.PI / 2) + (label * 2 * Math.PI / 3);
            return ((3 * Math.Cos(angle)) + (sigma * random.NextNormal()), (3 * Math.Sin(angle)) + (sigma * random.NextNormal()), label);
        }, ThreeClasses);
    }

    /// <summary>Four classes: four spiral arms of one turn each, r = 5·k/n, arm a turned by a·π/2; noise jitters by ≤ ν.</summary>
    public static Dataset Spiral4(int count, double noise, ulong seed)
    {
        var random = new SeededRandom(seed);
        int perArm = Math.Max(count / 4, 1);
        return Build("spiral4", count, i =>
        {
            int arm = Math.Min(i / perArm, 3), k = i - (arm * perArm);
            double r = 0.5 + (4.5 * k / perArm);
            double t = (2 * Math.PI * k / perArm) + (arm * Math.PI / 2);
            return ((r * Math.Sin(t)) + (Uniform(random, -1, 1) * noise), (r * Math.Cos(t)) + (Uniform(random, -1, 1) * noise), arm);
        }, FourClasses);
    }

    /// <summary>Regression on the square [−6, 6]²: target <c>(x + y) / 10</c>, noise added to the target's inputs.</summary>
    public static Dataset Plane(int count, double noise, ulong seed)
    {
        var random = new SeededRandom(seed);
        var features = new double[count * 2];
        var targets = new double[count];
        for (int i = 0; i < count; i++)
        {
            double x = Uniform(random, -6, 6), y = Uniform(random, -6, 6);
            features[2 * i] = x;
            features[(2 * i) + 1] = y;
            targets[i] = (x + (Uniform(random, -6, 6) * noise) + y + (Uniform(random, -6, 6) * noise)) / 10;
        }

        return new Dataset("plane", features, XY, targets, null, "d");
    }

    private static double Uniform(SeededRandom random, double min, double max) => min + ((max - min) * random.NextDouble());

    private static Dataset Build(string name, int count, Func<int, (double X, double Y, int Label)> point, string[]? classes = null)
    {
        var features = new double[count * 2];
        var labels = new double[count];
        for (int i = 0; i < count; i++)
        {
            (double x, double y, int label) = point(i);
            features[2 * i] = x;
            features[(2 * i) + 1] = y;
            labels[i] = label;
        }

        return new Dataset(name, features, XY, labels, classes ?? PlaygroundClasses, "label");
    }
}
