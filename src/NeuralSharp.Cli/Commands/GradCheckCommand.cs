using System.ComponentModel;
using System.Text.Json;
using NeuralSharp.Activations;
using NeuralSharp.Cli.Rendering;
using NeuralSharp.Diagnostics;
using NeuralSharp.Init;
using NeuralSharp.Layers;
using NeuralSharp.Losses;
using NeuralSharp.Randomness;
using Spectre.Console;
using Spectre.Console.Cli;

namespace NeuralSharp.Cli.Commands;

/// <summary>
/// <c>neuralsharp gradcheck</c>: for every hidden activation and every output/loss pair, backpropagation against
/// five-point central differences in float64 on a 2-3-3-2 network with a batch of 3, at a point away from kinks.
/// </summary>
public sealed class GradCheckCommand(IAnsiConsole console) : Command<GradCheckCommand.Settings>
{
    private static readonly (ActivationKind Output, LossKind Loss)[] Heads =
    [
        (ActivationKind.Identity, LossKind.SquaredError), (ActivationKind.Identity, LossKind.SquaredErrorSum), (ActivationKind.Sigmoid, LossKind.BinaryCrossEntropy),
        (ActivationKind.Softmax, LossKind.CrossEntropy), (ActivationKind.Tanh, LossKind.SquaredError),
    ];

    /// <summary>Options of <c>gradcheck</c>.</summary>
    public sealed class Settings : CommandSettings
    {
        /// <summary>JSON output.</summary>
        [CommandOption("--json")]
        [Description("Print one JSON object with max_rel_error and every case.")]
        public bool Json { get; init; }

        /// <summary>A model to check instead of the built-in cases.</summary>
        [CommandOption("--model <FILE>")]
        [Description("Check a saved or imported model's own network (in float64, on a batch of 3 random inputs) instead of the built-in cases.")]
        public string? Model { get; init; }

        /// <summary>Pass threshold (default 1e-7; 1e-4 for --model).</summary>
        [CommandOption("--tolerance <E>")]
        [Description("The largest relative error that passes: 1e-7 by default; 1e-4 with --model, whose 40 sampled entries of each parameter are differenced with h = 1e-4 (a trained network's gradients span many orders of magnitude; entries whose nudges cross a ReLU or pooling kink are left out and counted).")]
        public double? Tolerance { get; init; }
    }

    /// <inheritdoc />
    public override int Execute(CommandContext context, Settings settings, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(settings);
        var rows = new List<(string Hidden, string Output, string Loss, double Error, int Skipped)>();
        double tolerance = settings.Tolerance ?? (settings.Model is null ? 1e-7 : 1e-4);
        if (settings.Model is { } path)
        {
            Serialization.Model<double> model = Serialization.ModelFile.Load<double>(path);
            Sequential<double> network = model.Network;
            GradientCheck.TrainingWithoutDropout(network);

            ActivationKind output = network.OutputActivation?.Activation.Kind ?? ActivationKind.Identity;
            LossKind head = model.Head.Loss;
            string hiddenNames = string.Join(",", network.Layers.OfType<ActivationLayer<double>>().SkipLast(1).Select(a => Activation.NameOf(a.Activation.Kind)).Distinct());
            // a saved network may be large: 40 entries of each parameter; entries whose nudges cross a kink are left out
            GradientCheckReport report = Check(_ => network, head, network.InputWidth, network.OutputWidth, entries: 40, tries: 1, step: 1e-4);
            rows.Add((hiddenNames.Length == 0 ? "none" : hiddenNames, Activation.NameOf(output), Loss.NameOf(head), report.MaxRelativeError, report.Skipped));
        }

        foreach (ActivationKind hidden in settings.Model is null ? Enum.GetValues<ActivationKind>().Where(k => k != ActivationKind.Softmax) : [])
        {
            foreach ((ActivationKind output, LossKind loss) in Heads)
            {
                GradientCheckReport report = Check(seed => NetworkBuilder<double>.FromSizes([2, 3, 3, 2], hidden, output, seed, new Normal(0.8)), loss, 2, 2);
                rows.Add((Activation.NameOf(hidden), Activation.NameOf(output), Loss.NameOf(loss), report.MaxRelativeError, report.Skipped));
            }
        }

        double worst = rows.Max(r => r.Error);
        bool passed = worst < tolerance;
        if (settings.Json)
        {
            console.Profile.Out.Writer.WriteLine(JsonSerializer.Serialize(new
            {
                max_rel_error = worst,
                passed,
                skipped = rows.Sum(r => r.Skipped),
                cases = rows.Select(r => new { hidden = r.Hidden, output = r.Output, loss = r.Loss, max_rel_error = r.Error, skipped = r.Skipped }),
            }));
            return passed ? CliApp.Success : CliApp.Failure;
        }

        var table = new Table().Title(settings.Model is null ? "Analytic vs numerical gradients (float64, 2-3-3-2, batch 3)" : $"Analytic vs numerical gradients of {Markup.Escape(Path.GetFileName(settings.Model))} (float64, batch 3)")
            .AddColumns("hidden", "output", "loss", "max relative error", "");
        foreach (var row in rows)
        {
            table.AddRow(row.Hidden, row.Output, row.Loss, row.Error.ToString("E2", System.Globalization.CultureInfo.InvariantCulture),
                row.Error < tolerance ? "[green]ok[/]" : "[red]FAIL[/]");
        }

        console.Write(table);
        console.MarkupLine($"Largest relative error: [bold]{worst:E2}[/] ({(passed ? "[green]below[/]" : "[red]above[/]")} {tolerance:E0}).");
        if (rows.Sum(r => r.Skipped) is > 0 and int skipped)
        {
            console.MarkupLine($"{skipped:N0} sampled entries were left out: their nudges crossed a kink (a ReLU's 0, a pooling window's tie), where no derivative exists.");
        }
        return passed ? CliApp.Success : CliApp.Failure;
    }

    /// <summary>The check at the first seed whose point lies away from every kink (ReLU's 0, the step's jump).</summary>
    private static GradientCheckReport Check(Func<ulong, Sequential<double>> network, LossKind lossKind, int inputs, int outputs, int? entries = null, int tries = 100, double step = GradientCheck.DefaultStep)
    {
        for (ulong seed = 1; ; seed++)
        {
            var random = new SeededRandom(seed);
            Sequential<double> net = network(seed);
            var x = new NDArray<double>(3, inputs);
            new Normal(1).Fill(x.AsSpan(), inputs, 3, random);
            var d = new NDArray<double>(3, outputs);
            // no guard inside the logarithm: the check differences the loss itself
            ILoss<double> loss = Loss.Create<double>(lossKind, epsilon: 0);
            for (int i = 0; i < 3; i++)
            {
                d[i, random.NextInt(outputs)] = 1;
            }

            GradientCheckReport report = GradientCheck.Run(net, x, d, loss, step, entries);
            if (report.KinkDistance > 1e-2 || seed >= (ulong)tries)
            {
                return report;
            }
        }
    }
}
