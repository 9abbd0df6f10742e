using System.ComponentModel;
using NeuralSharp.Cli.Experiments;
using NeuralSharp.Cli.Rendering;
using Spectre.Console;
using Spectre.Console.Cli;

namespace NeuralSharp.Cli.Commands;

/// <summary><c>neuralsharp experiment NAME</c>: one of the course's exercises; <c>all --out DIR</c> writes one HTML report.</summary>
public sealed class ExperimentCommand(IAnsiConsole console) : Command<ExperimentCommand.Settings>
{
    /// <summary>Options of <c>experiment</c>.</summary>
    public sealed class Settings : CommandSettings
    {
        /// <summary>The experiment, or <c>all</c>.</summary>
        [CommandArgument(0, "<NAME>")]
        [Description("Day 1: forward, network-2-3-3-1, animals, backprop, sgd-regression, activation-compare, input-range, gradient-descent, learning-rate, mnist-sample, optimizers, init-compare; Day 2: optimizer-paths, vanishing-gradient, batch-norm, overfitting, simple-convnet; Day 3: simple-rnn, predict-sin, exploding-gradient; or all.")]
        public string Name { get; init; } = "";

        /// <summary>Language.</summary>
        [CommandOption("--lang <en|ja>")]
        [Description("The language of the printed lines, titles, axes and legends: en, or ja for the course's Japanese.")]
        [DefaultValue("en")]
        public string Language { get; init; } = "en";

        /// <summary>Output folder for plots and the report.</summary>
        [CommandOption("--out <DIR>")]
        [Description("The folder for plots and the HTML report (made if need be).")]
        [DefaultValue("experiments")]
        public string Out { get; init; } = "experiments";

        /// <summary>Hidden activation (sgd-regression, input-range).</summary>
        [CommandOption("--activation <NAME>")]
        [Description("The hidden activation of the experiments that take one (sgd-regression): relu, sigmoid, tanh, leaky-relu, step, identity.")]
        public string? Activation { get; init; }

        /// <summary>Range of x (sgd-regression).</summary>
        [CommandOption("--x-range <MIN,MAX>")]
        [Description("The input range of sgd-regression's data, e.g. -5,5.")]
        public string? XRange { get; init; }

        /// <summary>Steps (sgd-regression and the MNIST experiments).</summary>
        [CommandOption("--steps <N>")]
        [Description("Training steps of sgd-regression.")]
        public int? Steps { get; init; }

        /// <summary>JSON output.</summary>
        [CommandOption("--json")]
        [Description("Print one JSON object instead of the text: {\"experiments\": [[{\"name\", \"title\", \"question\", \"items\": [[{\"kind\": \"h\"|\"p\"|\"plot\", \"text\"}]]}]], \"report\"}.")]
        public bool Json { get; init; }

        /// <summary>Learning rate.</summary>
        [CommandOption("--lr <RATE>")]
        [Description("Learning rate, for the experiments that train with one (sgd-regression, mnist-sample, simple-convnet); e.g. the smaller rate a divergence message suggests.")]
        public double? LearningRate { get; init; }

        /// <summary>Optimizer.</summary>
        [CommandOption("--optimizer <NAME>")]
        [Description("Optimizer for mnist-sample (default sgd) and simple-convnet (default adam): sgd, momentum, nesterov, adagrad, rmsprop, adam, momentum-pytorch, nesterov-pytorch, rmsprop-pytorch, adam-pytorch, adamw (see train --help).")]
        public string? Optimizer { get; init; }

        /// <summary>Seed.</summary>
        [CommandOption("--seed <N>")]
        [Description("The seed of the data and the initial weights; the same seed repeats the run.")]
        [DefaultValue(1UL)]
        public ulong Seed { get; init; } = 1;

        /// <summary>Which notebook to follow (sgd-regression).</summary>
        [CommandOption("--preset <course-local|course-colab>")]
        [Description("sgd-regression with the course notebook's own settings: as run locally, or on Colab.")]
        [DefaultValue("course-local")]
        public string Preset { get; init; } = "course-local";

        /// <summary>Initialisation (mnist-sample).</summary>
        [CommandOption("--init <NAME>")]
        [Description("The initializer of mnist-sample and simple-rnn: xavier, he, normal:0.01, uniform, zeros (simple-rnn's default normal:1, the notebook's).")]
        public string? Init { get; init; }

        /// <summary>The recurrent layer's units (simple-rnn).</summary>
        [CommandOption("--hidden <N>")]
        [Description("simple-rnn: the units of the recurrent layer (default 16, the notebook's).")]
        public int? Hidden { get; init; }

        /// <inheritdoc />
        public override ValidationResult Validate() =>
            Steps is < 100 or > 1_000_000 ? ValidationResult.Error($"--steps must be between 100 and 1000000, not {Steps}.")
            : Hidden is < 1 or > 1024 ? ValidationResult.Error($"--hidden must be between 1 and 1024, not {Hidden}.")
            : LearningRate is { } rate && !(rate > 0 && float.IsNormal((float)rate)) ? ValidationResult.Error($"--lr must be a positive number float32 can hold, not {rate}.")
            : ValidationResult.Success();
    }

    /// <summary>A progress line at each quarter of a run: "mnist-sample … 250/1000 steps".</summary>
    private static Action<string, int, int> QuarterLines(IAnsiConsole text, Labels labels)
    {
        var printed = new Dictionary<string, int>();
        return (label, done, total) =>
        {
            int quarter = total <= 0 ? 4 : Math.Min(4, 4 * done / total);
            if (quarter > printed.GetValueOrDefault(label))
            {
                printed[label] = quarter;
                text.MarkupLine($"[grey]  {Markup.Escape(label)}: {done:N0}/{total:N0} {labels.T("steps", "ステップ")}[/]");
            }
        };
    }

    /// <inheritdoc />
    public override int Execute(CommandContext context, Settings settings, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(settings);
        var labels = new Labels(settings.Language);
        IReadOnlyList<IExperiment> experiments = settings.Name.Trim().Equals("all", StringComparison.OrdinalIgnoreCase)
            ? ExperimentCatalog.All
            : [ExperimentCatalog.Find(settings.Name)];
        if (experiments.Count == 1)
        {
            // an option the experiment would not read is an error, not silently nothing
            string[] given = [.. new (string Option, bool Given)[]
            {
                ("--activation", settings.Activation is not null), ("--x-range", settings.XRange is not null), ("--steps", settings.Steps is not null),
                ("--preset", settings.Preset != "course-local"), ("--init", settings.Init is not null),
                ("--lr", settings.LearningRate is not null), ("--optimizer", settings.Optimizer is not null), ("--hidden", settings.Hidden is not null),
            }.Where(o => o.Given && !experiments[0].Options.Contains(o.Option)).Select(o => o.Option)];
            if (given.Length > 0)
            {
                IReadOnlyList<string> takes = experiments[0].Options;
                throw new Infrastructure.UsageException($"experiment {experiments[0].Name} does not use {string.Join(", ", given)} (it takes {(takes.Count == 0 ? "" : string.Join(", ", takes) + ", ")}--seed, --lang and --out).");
            }
        }

        var sections = new List<HtmlReport.Section>();
        var values = new List<Dictionary<string, double>>();
        // with --json the text goes nowhere and the records come out as one object at the end
        IAnsiConsole text = settings.Json
            ? AnsiConsole.Create(new AnsiConsoleSettings { Ansi = AnsiSupport.No, Interactive = InteractionSupport.No, Out = new AnsiConsoleOutput(TextWriter.Null) })
            : console;
        for (int k = 0; k < experiments.Count; k++)
        {
            IExperiment experiment = experiments[k];
            var clock = System.Diagnostics.Stopwatch.StartNew();
            var output = new ConsoleReport(text);
            output.Heading(experiment.Title(labels));
            text.MarkupLine($"[italic]{Markup.Escape(experiment.Question(labels))}[/]");
            var run = new ExperimentContext(output, labels, settings.Out, settings) { Progress = QuarterLines(text, labels) };
            experiment.Run(run);
            sections.Add(new HtmlReport.Section(experiment.Title(labels), experiment.Question(labels), output.Items));
            values.Add(run.Values);
            if (experiments.Count > 1)
            {
                text.MarkupLine($"[grey]({k + 1}/{experiments.Count} {labels.T("done", "完了")}, {clock.Elapsed.TotalSeconds:F1} s)[/]");
            }
        }

        string? written = experiments.Count > 1 ? HtmlReport.Write(Path.Combine(settings.Out, "report.html"), labels, sections) : null;
        if (settings.Json)
        {
            console.Profile.Out.Writer.WriteLine(System.Text.Json.JsonSerializer.Serialize(new Dictionary<string, object?>
            {
                ["experiments"] = experiments.Select((e, i) => (e, s: sections[i], v: values[i])).Select(r => new Dictionary<string, object>
                {
                    ["name"] = r.e.Name, ["title"] = r.s.Title, ["question"] = r.s.Question, ["values"] = r.v,
                    ["items"] = r.s.Items.Select(i => new Dictionary<string, string> { ["kind"] = i.Kind == "img" ? "plot" : i.Kind, ["text"] = i.Text }).ToArray(),
                }).ToArray(),
                ["report"] = written,
            }));
            return CliApp.Success;
        }

        if (written is { } report)
        {
            console.MarkupLine($"Report written to [link]{Markup.Escape(report)}[/].");
        }

        return CliApp.Success;
    }
}
