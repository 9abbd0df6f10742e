using System.Globalization;
using NeuralSharp.Activations;
using NeuralSharp.Optimizers;
using NeuralSharp.Randomness;

namespace NeuralSharp.Tuning;

/// <summary>
/// The hyperparameters to try, from <c>"lr=log(1e-4,1e-1); layers=64|128|64,32; optimizer=sgd|adam; batch=16|64"</c>:
/// each dimension either a list of choices (<c>a|b|c</c>; a layer list's widths are separated by commas) or a range,
/// <c>log(lo,hi)</c> (uniform in log space) or <c>uniform(lo,hi)</c>. Dimensions: <c>lr</c>, <c>layers</c>,
/// <c>optimizer</c>, <c>batch</c>, <c>activation</c>, <c>init</c>, <c>l2</c>; one not named keeps its default.
/// </summary>
public sealed class SearchSpace
{
    /// <summary>The dimensions a space may name.</summary>
    public static IReadOnlyList<string> Dimensions { get; } = ["lr", "layers", "optimizer", "batch", "activation", "init", "l2"];

    /// <summary>The most trials a sweep may ask for.</summary>
    public const int MaxTrials = 1000;

    private readonly Dictionary<string, Dimension> _dimensions;

    private SearchSpace(Dictionary<string, Dimension> dimensions) => _dimensions = dimensions;

    /// <summary>One dimension: its choices (as written), or a range and whether it is sampled in log space.</summary>
    private sealed record Dimension(string[]? Choices, double Low, double High, bool Log);

    /// <summary>True when every dimension is a list of choices, so the space has a grid.</summary>
    public bool IsGrid => _dimensions.Values.All(d => d.Choices is not null);

    /// <summary>The number of points of the grid (when <see cref="IsGrid"/>).</summary>
    public long GridSize => _dimensions.Values.Aggregate(1L, (product, d) => product * (d.Choices?.Length ?? 1));

    /// <summary>Reads a space; a bad one is a <see cref="FormatException"/> naming the part and what was expected.</summary>
    public static SearchSpace Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var dimensions = new Dictionary<string, Dimension>(StringComparer.Ordinal);
        foreach (string part in text.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            int equals = part.IndexOf('=', StringComparison.Ordinal);
            string name = equals > 0 ? part[..equals].Trim().ToLowerInvariant() : throw new FormatException($"--space: '{part}' is not name=values (e.g. lr=log(1e-4,1e-1) or batch=16|64).");
            if (!Dimensions.Contains(name))
            {
                throw new FormatException($"--space: there is no dimension '{name}'{Nearest(name)}. Known: {string.Join(", ", Dimensions)}.");
            }

            if (!dimensions.TryAdd(name, Read(name, part[(equals + 1)..].Trim())))
            {
                throw new FormatException($"--space: '{name}' is given twice.");
            }
        }

        return dimensions.Count > 0 ? new SearchSpace(dimensions) : throw new FormatException("--space names no dimension: give e.g. \"lr=log(1e-4,1e-1); layers=64|128\".");
    }

    /// <summary>
    /// The trials of a sweep: every grid point in order when <paramref name="grid"/>, else <paramref name="count"/>
    /// random points, each drawn from its own seed (trial i's settings do not depend on how many trials are drawn).
    /// </summary>
    public IReadOnlyList<TrialConfig> Trials(int count, ulong seed, bool grid)
    {
        if (count is < 1 or > MaxTrials)
        {
            throw new FormatException($"--trials must be 1 … {MaxTrials}, not {count}.");
        }

        if (grid && !IsGrid)
        {
            throw new FormatException("--search grid needs every dimension as choices (a|b|c); a range (log(…), uniform(…)) has no grid.");
        }

        int total = grid ? (int)Math.Min(GridSize, count) : count;
        var trials = new TrialConfig[total];
        for (int i = 0; i < total; i++)
        {
            var random = new SeededRandom(seed + (ulong)(1_000_003 * (i + 1)));
            long index = i;
            string Pick(string name, string fallback)
            {
                if (!_dimensions.TryGetValue(name, out Dimension? d))
                {
                    return fallback;
                }

                if (d.Choices is null)
                {
                    double u = random.NextDouble();
                    double value = d.Log ? Math.Exp(Math.Log(d.Low) + (u * (Math.Log(d.High) - Math.Log(d.Low)))) : d.Low + (u * (d.High - d.Low));
                    return value.ToString("R", CultureInfo.InvariantCulture);
                }

                if (grid)
                {
                    string choice = d.Choices[(int)(index % d.Choices.Length)];
                    index /= d.Choices.Length;
                    return choice;
                }

                return d.Choices[random.NextInt(d.Choices.Length)];
            }

            trials[i] = new TrialConfig
            {
                Index = i,
                LearningRate = double.Parse(Pick("lr", "0.01"), CultureInfo.InvariantCulture),
                Layers = [.. Pick("layers", "64").Split(',', StringSplitOptions.RemoveEmptyEntries).Select(w => int.Parse(w, CultureInfo.InvariantCulture))],
                Optimizer = Pick("optimizer", "adam"),
                Batch = int.Parse(Pick("batch", "32"), CultureInfo.InvariantCulture),
                Activation = Pick("activation", "relu"),
                Init = Pick("init", "auto"),
                L2 = double.Parse(Pick("l2", "0"), CultureInfo.InvariantCulture),
                Seed = seed + (ulong)i,
            };
        }

        return trials;
    }

    private static Dimension Read(string name, string values)
    {
        foreach (string kind in new[] { "log", "uniform" })
        {
            if (values.StartsWith(kind + "(", StringComparison.OrdinalIgnoreCase) && values.EndsWith(')'))
            {
                string[] bounds = values[(kind.Length + 1)..^1].Split(',', StringSplitOptions.TrimEntries);
                if (bounds.Length != 2 || !double.TryParse(bounds[0], CultureInfo.InvariantCulture, out double low) || !double.TryParse(bounds[1], CultureInfo.InvariantCulture, out double high)
                    || !(low < high) || (kind == "log" && !(low > 0)) || !double.IsFinite(high))
                {
                    throw new FormatException($"--space: {name}={values} needs {kind}(low,high) with low < high{(kind == "log" ? " and low > 0" : "")}.");
                }

                if (name is not ("lr" or "l2"))
                {
                    throw new FormatException($"--space: {name} takes choices (a|b|c), not a range.");
                }

                // a range's ends are held to the bounds its choices are: what a trial may draw, it may be given
                foreach (string end in bounds)
                {
                    if (Problem(name, end) is { } problem)
                    {
                        throw new FormatException($"--space: {name}={values}: '{end}' {problem}.");
                    }
                }

                return new Dimension(null, low, high, kind == "log");
            }
        }

        string[] choices = values.Split('|', StringSplitOptions.TrimEntries);
        foreach (string choice in choices)
        {
            if (Problem(name, choice) is { } problem)
            {
                throw new FormatException($"--space: {name}: '{choice}' {problem}.");
            }
        }

        return new Dimension(choices, 0, 0, false);
    }

    private static string? Problem(string name, string choice) => name switch
    {
        "lr" => double.TryParse(choice, CultureInfo.InvariantCulture, out double lr) && lr > 0 && lr <= 10 ? null : "is not a learning rate in (0, 10]",
        "l2" => double.TryParse(choice, CultureInfo.InvariantCulture, out double l2) && l2 >= 0 && l2 <= 10 ? null : "is not a λ in [0, 10]",
        "batch" => int.TryParse(choice, CultureInfo.InvariantCulture, out int batch) && batch is >= 1 and <= 100_000 ? null : "is not a batch size 1 … 100000",
        "layers" => choice.Split(',').All(w => int.TryParse(w, CultureInfo.InvariantCulture, out int width) && width is >= 1 and <= 4096) && choice.Split(',').Length <= 8
            ? null : "is not 1 … 8 layer widths of 1 … 4096 (e.g. 64,32)",
        "optimizer" => OptimizerFactory.Names.Contains(choice) ? null : $"is not an optimizer{Nearest(choice, OptimizerFactory.Names)} ({string.Join(", ", OptimizerFactory.Names)})",
        "activation" => ActivationNames.Contains(choice) ? null : $"is not a hidden activation ({string.Join(", ", ActivationNames)})",
        _ => InitNames.Contains(choice) || choice.StartsWith("normal:", StringComparison.Ordinal) ? null : $"is not an initializer ({string.Join(", ", InitNames)}, normal:σ)",
    };

    private static readonly string[] ActivationNames = [.. Activation.Names.Where(n => n != "softmax")];

    private static readonly string[] InitNames = ["auto", "xavier", "he", "uniform", "zeros"];

    private static string Nearest(string typed, IEnumerable<string>? known = null) =>
        Diagnostics.NameSuggestion.Nearest(typed, known ?? Dimensions) is { } name ? $" (did you mean '{name}'?)" : "";
}
