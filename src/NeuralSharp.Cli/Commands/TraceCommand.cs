using System.ComponentModel;
using NeuralSharp.Activations;
using NeuralSharp.Cli.Infrastructure;
using NeuralSharp.Cli.Rendering;
using NeuralSharp.Data;
using NeuralSharp.Diagnostics;
using NeuralSharp.Layers;
using NeuralSharp.Losses;
using NeuralSharp.Randomness;
using NeuralSharp.Serialization;
using NeuralSharp.Training;
using Spectre.Console;
using Spectre.Console.Cli;

namespace NeuralSharp.Cli.Commands;

/// <summary>
/// <c>neuralsharp trace</c>: one forward and backward pass of a small network, printing every x, W, b, u, z, y, E,
/// δ, ∂E/∂W and ∂E/∂b with its shape, like the course's <c>print_vec</c>.
/// </summary>
public sealed class TraceCommand(IAnsiConsole console) : Command<TraceCommand.Settings>
{
    /// <summary>Options of <c>trace</c>.</summary>
    public sealed class Settings : CommandSettings
    {
        /// <summary>Hidden widths for a seeded network instead of the literal 2-3-3-1.</summary>
        [CommandOption("--layers <WIDTHS>")]
        [Description("Hidden widths of a seeded 2-…-1 network instead of the course's 2-3-3-1 with literal weights; or recurrent layers (rnn:3, lstm:2, gru:2, then widths) over a sequence of 4 steps × 2 features: each step's state, gates and δ.")]
        public string? Layers { get; init; }

        /// <summary>Hidden activation.</summary>
        [CommandOption("--activation <NAME>")]
        [Description("The hidden activation of the course's 2-3-3-1 network (default relu).")]
        [DefaultValue("relu")]
        public string Activation { get; init; } = "relu";

        /// <summary>A saved model to trace instead.</summary>
        [CommandOption("--model <FILE>")]
        [Description("Trace a saved or imported model instead of the course's network.")]
        public string? Model { get; init; }

        /// <summary>Language of the labels.</summary>
        [CommandOption("--lang <en|ja>")]
        [Description("Labels in English or in the course's Japanese (総入力, 中間層出力, …).")]
        [DefaultValue("en")]
        public string Language { get; init; } = "en";

        /// <summary>Seed for --layers.</summary>
        [CommandOption("--json")]
        [Description("Print one JSON object: {\"network\", \"loss\", \"entries\": [[{\"phase\", \"layer\", \"label\", \"shape\", \"values\"}]]}, the values row-major.")]
        public bool Json { get; init; }

        /// <summary>A CSV to take the traced sample from.</summary>
        [CommandOption("--data <FILE.csv>")]
        [Description("With --model: trace a row of this CSV (the model's feature columns, scaled as in training; its target column, when there, as the target) instead of random inputs.")]
        public string? Data { get; init; }

        /// <summary>Which row.</summary>
        [CommandOption("--row <N>")]
        [Description("The data row of --data to trace, 1 for the first below the header (default 1).")]
        public int? Row { get; init; }

        /// <inheritdoc />
        public override ValidationResult Validate() =>
            Data is not null && Model is null ? ValidationResult.Error("--data takes a model's sample: give --model too.")
            : Row is not null && Data is null ? ValidationResult.Error("--row picks a row of --data: give --data too.")
            : Row is < 1 ? ValidationResult.Error($"--row counts from 1, not {Row}.")
            : ValidationResult.Success();

        /// <summary>Seed.</summary>
        [CommandOption("--seed <N>")]
        [Description("The seed of the initial weights when --layers builds a network.")]
        [DefaultValue(1UL)]
        public ulong Seed { get; init; } = 1;
    }

    /// <summary>The literal 2-3-3-1 network: W1, b1 of the course's notebooks, then W2, b2, W3, b3 in the same style.</summary>
    internal static Sequential<double> Literal2331(ActivationKind hidden) => new(
        new Dense<double>(NDArray.FromArray(new[,] { { 0.1, 0.3, 0.5 }, { 0.2, 0.4, 0.6 } }), NDArray.Vector(0.1, 0.2, 0.3)),
        new ActivationLayer<double>(hidden),
        new Dense<double>(NDArray.FromArray(new[,] { { 0.1, 0.4, 0.7 }, { 0.2, 0.5, 0.8 }, { 0.3, 0.6, 0.9 } }), NDArray.Vector(0.1, 0.2, 0.3)),
        new ActivationLayer<double>(hidden),
        new Dense<double>(NDArray.FromArray(new[,] { { 0.1 }, { 0.2 }, { 0.3 } }), NDArray.Vector(0.1)),
        new ActivationLayer<double>(ActivationKind.Identity));

    /// <inheritdoc />
    public override int Execute(CommandContext context, Settings settings, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(settings);
        var labels = new Labels(settings.Language);
        ActivationKind hidden = Options.Activation(settings.Activation, "--activation");
        Model<double>? model = settings.Model is { } path ? ModelFile.Load<double>(path) : null;
        Sequential<double> network = model?.Network
            ?? (LayerGrammar.NeedsSequences(settings.Layers) ? Recurrent(settings.Layers!, hidden, settings.Seed)
            : settings.Layers is { } layers ? NetworkBuilder<double>.FromSizes([2, .. Options.Layers(layers), 1], hidden, ActivationKind.Identity, settings.Seed)
            : Literal2331(hidden));
        var x = new NDArray<double>(1, network.InputWidth);
        var random = new SeededRandom(settings.Seed);
        for (int i = 0; i < x.Length; i++)
        {
            x[i] = settings.Model is null && settings.Layers is null ? i + 1 : Math.Round(random.NextDouble(), 2);
        }

        // the loss the model was trained with; a network of the course's is a regression
        ILoss<double> loss = (model?.Head ?? TaskHead.Of(network)).CreateLoss<double>();
        var d = new NDArray<double>(1, network.OutputWidth);
        d[0] = 1;
        if (settings.Data is { } file && model is not null)
        {
            (x, d) = Sample(file, model, settings.Row ?? 1, d);
        }
        Trace<double> trace = Trace<double>.Record(network, x, d, loss);
        if (settings.Json)
        {
            console.Profile.Out.Writer.WriteLine(System.Text.Json.JsonSerializer.Serialize(new Dictionary<string, object>
            {
                ["network"] = string.Join("-", Sizes(network)),
                ["loss"] = loss.Name,
                ["entries"] = trace.Select(e => new Dictionary<string, object>
                {
                    ["phase"] = e.Phase.ToString().ToLowerInvariant(), ["layer"] = e.Layer, ["label"] = e.Label,
                    ["shape"] = Enumerable.Range(0, e.Shape.Rank).Select(i => e.Shape[i]).ToArray(), ["values"] = e.Value.ToArray(),
                }).ToArray(),
            }));
            return CliApp.Success;
        }

        console.MarkupLine($"[grey]{Markup.Escape(labels.T($"network {string.Join("-", Sizes(network))}, loss {loss.Name}", $"ネットワーク {string.Join("-", Sizes(network))}、誤差関数 {JapaneseLoss(loss.Name)}"))}[/]");
        TracePrinter.Print(new ConsoleReport(console), trace, labels);
        return CliApp.Success;
    }

    /// <summary>A seeded recurrent network over sequences of 4 steps × 2 features, the layers given, then one output.</summary>
    private static Sequential<double> Recurrent(string layers, ActivationKind hidden, ulong seed)
    {
        var builder = new NetworkBuilder<double>(new SequenceShape(4, 2));
        try
        {
            LayerGrammar.Apply(builder, layers, hidden, batchNorm: false, dropout: null);
            return builder.Dense(1, ActivationKind.Identity).Build(seed);
        }
        catch (OptionException error)
        {
            throw new UsageException($"--layers: {error.Detail}");
        }
        catch (ArgumentException error)
        {
            throw new UsageException($"--layers: {error.Message}");
        }
    }

    private static IEnumerable<int> Sizes(Sequential<double> network) =>
        [network.InputWidth, .. network.Layers.Select(layer => layer switch { Dense<double> d => d.Outputs, RecurrentLayer<double> r => r.Hidden, _ => 0 }).Where(width => width > 0)];

    /// <summary>Row <paramref name="row"/> of a CSV as the model sees it: its features scaled as in training, and its target as the model's head encodes it, where the file has one.</summary>
    private static (NDArray<double> X, NDArray<double> D) Sample(string path, Model<double> model, int row, NDArray<double> d)
    {
        (Dataset features, Dataset? labelled) = PredictCommand.ReadFeatures(path, model, null, out _);
        if (row > features.Count)
        {
            throw new UsageException($"--row {row}: {Path.GetFileName(path)} has {features.Count:N0} data rows.");
        }

        double[] values = features.FeatureRow(row - 1).ToArray();
        model.Standardizer?.Transform(values);
        var x = new NDArray<double>(new Shape(1, values.Length), values);
        if (labelled is null)
        {
            return (x, d);
        }

        // the target as the model's head encodes it for its loss (a class index, 0/1, −1/+1, one-hot, a scaled value)
        double[] truth;
        if (model.ClassNames is { } classes)
        {
            // the file's label by name: its index there need not be the model's
            int index = classes.ToList().IndexOf(labelled.ClassNames![labelled.Label(row - 1)]);
            truth = index >= 0 ? [index] : throw new DataFormatException($"{Path.GetFileName(path)} row {row} has a label that is not one of the model's classes.");
        }
        else
        {
            truth = labelled.Targets.Slice((row - 1) * labelled.TargetWidth, labelled.TargetWidth).ToArray();
        }

        return (x, model.Head.EncodeTargets<double>(truth, 1, model.TargetStandardizer));
    }

    /// <summary>The course's Japanese name of a loss (二乗誤差, 交差エントロピー誤差), or its own name.</summary>
    private static string JapaneseLoss(string name) => name switch
    {
        "squared-error" => "二乗誤差",
        "cross-entropy" => "交差エントロピー誤差",
        "binary-cross-entropy" => "二値交差エントロピー誤差",
        _ => name,
    };
}
