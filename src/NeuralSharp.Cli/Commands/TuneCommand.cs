using System.ComponentModel;
using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using NeuralSharp.Cli.Infrastructure;
using NeuralSharp.Data;
using NeuralSharp.Serialization;
using NeuralSharp.Tuning;
using Spectre.Console;
using Spectre.Console.Cli;

namespace NeuralSharp.Cli.Commands;

/// <summary>
/// <c>neuralsharp tune --data D --space "…" --trials N</c>: a hyperparameter sweep on Orleans — an in-process silo by
/// default, or every silo of a Redis-kept cluster with <c>--cluster</c>; writes the leaderboard (table, JSON, HTML)
/// and the best model.
/// </summary>
public sealed class TuneCommand(IAnsiConsole console) : Command<TuneCommand.Settings>
{
    /// <summary>Options of <c>tune</c>.</summary>
    public sealed class Settings : CommandSettings
    {
        /// <summary>The data.</summary>
        [CommandOption("--data <NAME|FILE.csv>")]
        [Description("A built-in data set (iris, breast-cancer, digits, diabetes), a generator, or a CSV file every silo can read.")]
        [DefaultValue("iris")]
        public string Data { get; init; } = "iris";

        /// <summary>The CSV target column.</summary>
        [CommandOption("--target <COLUMN>")]
        [Description("The target column of a CSV file (default: 'target', else the last column).")]
        public string? Target { get; init; }

        /// <summary>What missing feature cells of a CSV become.</summary>
        [CommandOption("--missing <drop|mean|median>")]
        [Description("What a CSV's missing feature cells become, as for train: drop (their rows), mean or median (of the column); without it one is refused by line and column.")]
        public string? Missing { get; init; }

        /// <summary>Each class's weight in the loss.</summary>
        [CommandOption("--class-weights <balanced|W1,W2,...>")]
        [Description("Each class's weight in the cross entropy's mean, as for train: balanced, or one positive number per class in class order.")]
        public string? ClassWeights { get; init; }

        /// <summary>The search space.</summary>
        [CommandOption("--space <SPACE>")]
        [Description("The hyperparameters to try, e.g. \"lr=log(1e-4,1e-1); layers=64|128|64,32; optimizer=sgd|adam; batch=16|64\" (also activation, init, l2; ranges: log(lo,hi), uniform(lo,hi)).")]
        public string Space { get; init; } = "";

        /// <summary>The number of trials.</summary>
        [CommandOption("--trials <N>")]
        [Description("How many settings to try (1 … 1000; a grid tries each of its points once, at most this many).")]
        [DefaultValue(20)]
        public int Trials { get; init; } = 20;

        /// <summary>Random or grid search.</summary>
        [CommandOption("--search <random|grid>")]
        [Description("random: each trial draws its settings from its own seed; grid: every combination of the choices.")]
        [DefaultValue("random")]
        public string Search { get; init; } = "random";

        /// <summary>The scheduler.</summary>
        [CommandOption("--scheduler <asha|none>")]
        [Description("asha: successive halving, only the best third of the trials at each rung (1, 3, 9 … epochs) go on; none: every trial trains all --epochs.")]
        [DefaultValue("asha")]
        public string Scheduler { get; init; } = "asha";

        /// <summary>The metric.</summary>
        [CommandOption("--metric <val_accuracy|val_loss>")]
        [Description("What trials are ranked by, on the validation rows — a fifth of what the test fifth leaves, as train --val-split holds them out (default: val_accuracy for classes, val_loss for regression).")]
        public string? Metric { get; init; }

        /// <summary>The largest global norm of each update's gradients.</summary>
        [CommandOption("--clip-norm <MAX>")]
        [Description("Every trial's gradients scaled down to this global norm when larger, as train --clip-norm does.")]
        public double? ClipNorm { get; init; }

        /// <summary>The longest training.</summary>
        [CommandOption("--epochs <N>")]
        [Description("Epochs of a trial that is never stopped (1 … 1000).")]
        [DefaultValue(27)]
        public int Epochs { get; init; } = 27;

        /// <summary>The seed.</summary>
        [CommandOption("--seed <N>")]
        [Description("The seed of the settings drawn, the split and every trial's weights: the same seed gives the same leaderboard on any number of silos.")]
        [DefaultValue(42UL)]
        public ulong Seed { get; init; } = 42;

        /// <summary>The output folder.</summary>
        [CommandOption("--out <DIR>")]
        [Description("Where leaderboard.json (every trial with its configuration), leaderboard.html, best.nsmodel and best.config.json (train --config repeats the best trial) go.")]
        [DefaultValue("tune-out")]
        public string Out { get; init; } = "tune-out";

        /// <summary>The cluster.</summary>
        [CommandOption("--cluster <redis://HOST:PORT>")]
        [Description("Join the cluster kept in this Redis and spread the trials over every silo in it ('neuralsharp worker --cluster …' adds one); default: one silo in this process.")]
        public string? Cluster { get; init; }

        /// <summary>Trials at once in this process.</summary>
        [CommandOption("--concurrency <N>")]
        [Description("Trials this process trains at once (default: one per core).")]
        public int? Concurrency { get; init; }

        /// <summary>The address other silos reach this one at.</summary>
        [CommandOption("--advertise <IP>")]
        [Description("With --cluster: the address the other silos reach this process at.")]
        [DefaultValue("127.0.0.1")]
        public string Advertise { get; init; } = "127.0.0.1";

        /// <summary>JSON output.</summary>
        [CommandOption("--json")]
        [Description("Print the leaderboard as one JSON object (as leaderboard.json).")]
        public bool Json { get; init; }

        /// <inheritdoc />
        public override ValidationResult Validate() =>
            Space.Trim().Length == 0 ? ValidationResult.Error("--space is required, e.g. --space \"lr=log(1e-4,1e-1); layers=64|128\".")
            : Trials is < 1 or > SearchSpace.MaxTrials ? ValidationResult.Error($"--trials must be 1 … {SearchSpace.MaxTrials}, not {Trials}.")
            : Epochs is < 1 or > 1000 ? ValidationResult.Error($"--epochs must be 1 … 1000, not {Epochs}.")
            : Search is not ("random" or "grid") ? ValidationResult.Error($"--search must be random or grid, not '{Search}'.")
            : Scheduler is not ("asha" or "none") ? ValidationResult.Error($"--scheduler must be asha or none, not '{Scheduler}'.")
            : Metric is not (null or "val_accuracy" or "val_loss") ? ValidationResult.Error($"--metric must be val_accuracy or val_loss, not '{Metric}'.")
            : Concurrency is < 1 or > TuningHost.MaxSlots ? ValidationResult.Error($"--concurrency must be 1 … {TuningHost.MaxSlots}, not {Concurrency}.")
            : ClipNorm is { } clip && !(clip > 0 && double.IsFinite(clip)) ? ValidationResult.Error($"--clip-norm must be a positive number (the largest norm the gradients may have), not {clip}.")
            : ValidationResult.Success();
    }

    /// <inheritdoc />
    public override int Execute(CommandContext context, Settings settings, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(settings);
        IReadOnlyList<TrialConfig> trials;
        try
        {
            trials = SearchSpace.Parse(settings.Space).Trials(settings.Trials, settings.Seed, settings.Search == "grid");
        }
        catch (FormatException error)
        {
            throw new UsageException(error.Message);
        }

        // the data is read, and the trials' code compiled on a few of its rows, on a second core while the silo starts
        // (which takes a second or two); a bad file is still one message, given once the silo has started and stopped
        var probe = new SweepData { Source = settings.Data, Target = settings.Target, SplitSeed = settings.Seed, Missing = settings.Missing, ClassWeights = settings.ClassWeights, ClipNorm = settings.ClipNorm };
        // the silo trains each trial on one thread; run in-process (tests, a host application), leave the library as it was
        int threads = NeuralSharp.Parallelism.Threads;
        NeuralSharp.Parallelism.Threads = 1;
        Task<Data.PreparedData<float>> reading = Task.Run(() => TrialData.For(probe), cancellationToken);
        Task warming = reading.ContinueWith(_ => TrialGrain.WarmUp(probe, trials), cancellationToken, TaskContinuationOptions.OnlyOnRanToCompletion, TaskScheduler.Default);
        IHost host;
        try
        {
            host = TuningHost.StartAsync(settings.Cluster, settings.Concurrency ?? Environment.ProcessorCount, settings.Advertise, cancellationToken).GetAwaiter().GetResult();
        }
        catch
        {
            NeuralSharp.Parallelism.Threads = threads;
            throw;
        }

        using (host)
        {
            // the silo leaves while the leaderboard is written: once the best model is fetched it has nothing left to do
            Task? leaving = null;
            void Leave() => leaving ??= Task.Run(() => TuningHost.Stop(host), CancellationToken.None);
            try
            {
                TaskKind task = reading.GetAwaiter().GetResult().Task;
                WaitForWarmUp(warming);
                return RunSweep(settings, trials, task, probe, host, Leave, cancellationToken);
            }
            finally
            {
                Leave();
                leaving!.GetAwaiter().GetResult();
                NeuralSharp.Parallelism.Threads = threads;
            }
        }
    }

    private static void WaitForWarmUp(Task warming)
    {
        try
        {
            warming.Wait();
        }
        catch (AggregateException)
        {
            // whatever stopped the warm-up stops its trial too, which reports it in the leaderboard
        }
    }

    private int RunSweep(Settings settings, IReadOnlyList<TrialConfig> trials, TaskKind task, SweepData probe, IHost host, Action leave, CancellationToken cancellationToken)
    {
        string metric = settings.Metric ?? (task == TaskKind.Regression ? "val_loss" : "val_accuracy");
        if (metric == "val_accuracy" && task == TaskKind.Regression)
        {
            throw new UsageException($"--metric val_accuracy is for classes; {settings.Data} is a regression: use --metric val_loss.");
        }

        SweepData data = probe with { Metric = metric, SweepId = SweepId(settings) };
        var schedule = new SweepSchedule(settings.Epochs, settings.Scheduler == "asha");
        IGrainFactory grains = host.Services.GetRequiredService<IGrainFactory>();
        if (!settings.Json)
        {
            console.MarkupLine(Markup.Escape($"{trials.Count} trials on {settings.Data} by {metric}, {(schedule.Halving ? $"successive halving at epochs {string.Join(", ", schedule.Rungs())}" : $"{settings.Epochs} epochs each")}; {(settings.Cluster is null ? "one silo in this process" : $"cluster {settings.Cluster}")}."));
        }

        // Ctrl+C or SIGTERM stops the silo (the host's console lifetime): the sweep stops with it
        using var stopping = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, host.Services.GetRequiredService<IHostApplicationLifetime>().ApplicationStopping);
        // the start-up is over: the JIT replaying the last run's methods should not share a core with the trials
        StartupProfile.End();
        // told on the sweep's own thread, so the lines come in the order things happened (Progress<T> posts to the pool)
        var progress = new Lines(line => { if (!settings.Json) { console.MarkupLine($"[grey]{Markup.Escape(line)}[/]"); } });
        var clock = System.Diagnostics.Stopwatch.StartNew();
        Leaderboard board;
        try
        {
            board = Sweep.RunAsync(grains, data, trials, schedule, progress, stopping.Token).GetAwaiter().GetResult();
        }
        catch (OperationCanceledException error) when (stopping.IsCancellationRequested)
        {
            throw new StoppedException("Stopped (Ctrl+C or a termination signal) before the sweep finished; no leaderboard was written.", error);
        }

        TimeSpan swept = clock.Elapsed;
        byte[] best = Sweep.ModelAsync(grains, data, board.Best.Trial, stopping.Token).GetAwaiter().GetResult();
        leave();
        Directory.CreateDirectory(settings.Out);
        string json = board.ToJson();
        AtomicFile.WriteText(Path.Combine(settings.Out, "leaderboard.json"), json);
        AtomicFile.WriteText(Path.Combine(settings.Out, "leaderboard.html"), LeaderboardPage.Render(board));
        AtomicFile.Write(Path.Combine(settings.Out, "best.nsmodel"), best);
        AtomicFile.WriteText(Path.Combine(settings.Out, "best.config.json"), board.BestConfigJson());
        if (settings.Json)
        {
            console.Profile.Out.Writer.WriteLine(json);
            return CliApp.Success;
        }

        console.Write(Table(board));
        console.MarkupLine(Markup.Escape($"Best: trial {board.Best.Trial.Index}, {metric} {board.Best.Metric:F4}; {board.StoppedEarly} of {board.Entries.Count} stopped early. Written to {settings.Out}: leaderboard.json, leaderboard.html, best.nsmodel, best.config.json (train --config repeats it)."));
        console.MarkupLine(Markup.Escape($"Swept in {swept.TotalSeconds.ToString("F2", System.Globalization.CultureInfo.InvariantCulture)} s."));
        return CliApp.Success;
    }

    private sealed class Lines(Action<string> write) : IProgress<string>
    {
        public void Report(string value) => write(value);
    }

    private static Table Table(Leaderboard board)
    {
        var table = new Table().AddColumns("rank", "trial", "settings", board.Data.Metric, "epochs", "");
        for (int rank = 0; rank < board.Entries.Count; rank++)
        {
            LeaderboardEntry e = board.Entries[rank];
            string state = e.Failure is not null ? "diverged" : e.StoppedAtEpoch is { } at ? $"stopped at {at}" : "";
            table.AddRow($"{rank + 1}", $"{e.Trial.Index}", Markup.Escape(e.Trial.Describe()), double.IsFinite(e.Metric) ? $"{e.Metric:F4}" : "–", $"{e.Epochs}", state);
        }

        return table;
    }

    /// <summary>A sweep's name from everything its result depends on: run again, it finds its trials' checkpoints.</summary>
    private static string SweepId(Settings s) =>
        "sweep-" + Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(
            string.Join('\u001f', s.Data, s.Target ?? "", s.Space, s.Trials, s.Search, s.Scheduler, s.Metric ?? "", s.Epochs, s.Seed))))[..16].ToLowerInvariant();
}
