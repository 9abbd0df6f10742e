using NeuralSharp.Cli.Rendering;

namespace NeuralSharp.Cli.Experiments;

/// <summary>One of the course's notebooks or report exercises, runnable and printable.</summary>
internal interface IExperiment
{
    /// <summary>The name after <c>neuralsharp experiment</c>.</summary>
    string Name { get; }

    /// <summary>A title for the report.</summary>
    string Title(Labels labels);

    /// <summary>The course's question this exercise answers, in a sentence or two.</summary>
    string Question(Labels labels);

    /// <summary>The options it reads besides <c>--seed</c>, <c>--lang</c> and <c>--out</c> (any other is refused, not ignored).</summary>
    IReadOnlyList<string> Options => [];

    /// <summary>Runs the exercise, printing what the course prints and writing its plots.</summary>
    void Run(ExperimentContext context);
}

/// <summary>What an experiment runs with: where to write, in which language, and the command's options.</summary>
internal sealed class ExperimentContext(IReportWriter output, Labels labels, string outputFolder, Commands.ExperimentCommand.Settings settings)
{
    public IReportWriter Output { get; } = output;

    public Labels Labels { get; } = labels;

    /// <summary>The numbers the experiment shows, by name (e.g. <c>exact_share</c>), for <c>--json</c>.</summary>
    public Dictionary<string, double> Values { get; } = [];

    public Commands.ExperimentCommand.Settings Settings { get; } = settings;

    /// <summary>
    /// Reports how far a long run has come (its label, the steps done, the steps in all): the command
    /// prints a line at each quarter, on the console only (not in the report).
    /// </summary>
    public Action<string, int, int> Progress { get; init; } = (_, _, _) => { };

    /// <summary>The path for a plot of this experiment, in the output folder.</summary>
    public string PlotPath(string name)
    {
        Directory.CreateDirectory(outputFolder);
        return Path.Combine(outputFolder, name + ".png");
    }

    /// <summary>Prints a value the course's way (<c>print_vec</c>).</summary>
    public void PrintVec(string label, NDArray<double> value) => TracePrinter.PrintVec(Output, label, value);

    /// <summary>Prints a scalar with a label.</summary>
    public void Print(string label, double value) =>
        Output.Line($"{label}: {value.ToString("G10", System.Globalization.CultureInfo.InvariantCulture)}");
}

/// <summary>All experiments, in the course's order.</summary>
internal static class ExperimentCatalog
{
    public static IReadOnlyList<IExperiment> All { get; } =
    [
        new ForwardExperiment(), new Network2331Experiment(), new AnimalsExperiment(), new BackpropExperiment(),
        new SgdRegressionExperiment(), new ActivationCompareExperiment(), new InputRangeExperiment(),
        new GradientDescentExperiment(), new LearningRateExperiment(), new MnistSampleExperiment(),
        new OptimizersExperiment(), new InitCompareExperiment(),
        // Day 2: Deep Learning from Scratch, chapters 6 and 7
        new OptimizerPathsExperiment(), new VanishingGradientExperiment(), new BatchNormExperiment(), new OverfittingExperiment(),
        new SimpleConvNetExperiment(),
        // Day 3: the course's notebooks 3_1 and 3_3, Deep Learning from Scratch vol. 2, chapters 5 and 6
        new SimpleRnnExperiment(), new PredictSinExperiment(), new ExplodingGradientExperiment(),
    ];

    public static IExperiment Find(string name) =>
        All.FirstOrDefault(e => string.Equals(e.Name, name.Trim(), StringComparison.OrdinalIgnoreCase))
        ?? throw new Infrastructure.UsageException(
            $"experiment: there is no experiment '{name}'. Known: {string.Join(", ", All.Select(e => e.Name))}, all.");
}
