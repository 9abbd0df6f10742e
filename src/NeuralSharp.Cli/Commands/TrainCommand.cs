using System.Diagnostics;
using System.Text.Json;
using NeuralSharp.Cli.Infrastructure;
using NeuralSharp.Cli.Rendering;
using NeuralSharp.Data;
using NeuralSharp.Serialization;
using NeuralSharp.Training;
using Spectre.Console;
using Spectre.Console.Cli;

namespace NeuralSharp.Cli.Commands;

/// <summary><c>neuralsharp train</c>: train, evaluate on held-out data, plot the loss, optionally save.</summary>
public sealed class TrainCommand(IAnsiConsole console) : Command<TrainSettings>
{
    /// <inheritdoc />
    public override int Execute(CommandContext context, TrainSettings settings, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(settings);
        int before = NeuralSharp.Parallelism.Threads;
        try
        {
            // only a given --threads touches the library's setting (run in-process, nothing else changes it)
            if (settings.Threads is { } threads)
            {
                NeuralSharp.Parallelism.Threads = threads;
            }

            using var stop = new StopSignal(cancellationToken);
            return Run(settings, stop.Token);
        }
        finally
        {
            if (settings.Threads is not null)
            {
                NeuralSharp.Parallelism.Threads = before;
            }
        }
    }

    private int Run(TrainSettings settings, CancellationToken cancellationToken)
    {
        var clock = Stopwatch.StartNew();
        // where the work goes is checked before the work
        Destination.Check(settings.Save, "--save");
        // --plot none: no picture; a picture is PNG or SVG, named so
        bool noPlot = settings.Plot is { } asked && asked.Equals("none", StringComparison.OrdinalIgnoreCase);
        if (!noPlot && settings.Plot is { } plotFile && !(plotFile.EndsWith(".png", StringComparison.OrdinalIgnoreCase) || plotFile.EndsWith(".svg", StringComparison.OrdinalIgnoreCase)))
        {
            throw new UsageException($"--plot: the loss curve is written as .png or .svg, not '{Path.GetExtension(plotFile)}' (e.g. --plot loss.png, or --plot none).");
        }

        Destination.Check(noPlot ? null : settings.Plot, "--plot");
        if (settings.History is { } historyFile && !(historyFile.EndsWith(".csv", StringComparison.OrdinalIgnoreCase) || historyFile.EndsWith(".json", StringComparison.OrdinalIgnoreCase)))
        {
            throw new UsageException($"--history: every epoch's numbers are written as .csv or .json, not '{Path.GetExtension(historyFile)}' (e.g. --history epochs.csv).");
        }

        Destination.Check(settings.History, "--history");
        Model<float>? start = settings.Model is null ? null : ModelFile.Load<float>(settings.Model);
        TrainingCheckpoint<float>? resume = settings.Resume is null ? null : TrainingCheckpoint<float>.Load(settings.Resume);
        // a resumed run is the checkpoint's own, to the epochs asked for
        RunConfig config = settings.ToRunConfig();
        if (resume is not null)
        {
            RunConfig original = RunConfig.FromJson(resume.Model.Configuration ?? throw new DataFormatException($"{settings.Resume} carries no configuration to resume."), settings.Resume!);
            config = original with { Epochs = settings.Epochs ?? original.Epochs };
        }

        // the run reads its data (a model's or a checkpoint's text columns and gaps as it was trained on them)
        TrainingRun<float> run = resume is null ? TrainingRun<float>.Start(config, from: start) : TrainingRun<float>.Resume(resume, config);
        Dataset data = run.Source;
        string? checkpointPath = settings.CheckpointEvery is null ? null : settings.Save is { } model ? Path.ChangeExtension(model, ".nsckpt") : "neuralsharp.nsckpt";
        Destination.Check(checkpointPath, "--checkpoint-every");
        if (!settings.Json)
        {
            string validation = run.Data.ValidationX is { } vx ? $"{run.Data.TrainX.Rows} for training, {vx.Rows} for validation" : $"{run.Data.TrainX.Rows} for training";
            string samples = data.Windows is { } cut
                ? $"{data.Count} windows of {cut.Window} rows × {cut.Columns.Count} column{(cut.Columns.Count == 1 ? "" : "s")} ({string.Join(", ", cut.Columns.Take(6))}{(cut.Columns.Count > 6 ? ", …" : "")}), each forecasting the row {cut.Horizon} after it"
                : $"{data.Count} samples, {data.FeatureCount} features";
            console.MarkupLine($"[bold]{Markup.Escape(data.Name)}[/]: {Markup.Escape(samples)}, {Describe(data)}; " +
                $"{validation}, {run.Data.TestX.Rows} held out for the test{(data.Windows is null ? "" : ", in time order")}.");
            if (config.Source.IsCsv)
            {
                console.MarkupLine(Markup.Escape(WhyTask(data, settings.Task)));
            }

            if (data.Encoding is { } encoding)
            {
                console.MarkupLine(Markup.Escape(Encoded(encoding)));
            }

            console.Write(Tables.Network(run.Network));
            foreach (string warning in run.Warnings)
            {
                console.MarkupLine($"[yellow]Warning:[/] {Markup.Escape(warning)}");
            }
        }

        // Ctrl+C ends training at the end of the epoch under way; what was learnt is measured and, with --save, kept
        // (and checkpointed, with --checkpoint-every, so that --resume goes on from it)
        var stop = new EpochCallback(record =>
        {
            bool going = !cancellationToken.IsCancellationRequested;
            if (checkpointPath is not null && (record.Epoch % settings.CheckpointEvery!.Value == 0 || !going))
            {
                run.Checkpoint().Save(checkpointPath);
            }

            return going;
        });
        History history = settings.Json ? run.Fit([stop], cancellationToken: CancellationToken.None) : Progress(run, run.Epochs, stop);
        bool stopped = cancellationToken.IsCancellationRequested && history.Epochs.Count < run.Epochs;
        if (settings.History is { } historyPath)
        {
            history.Save(historyPath);
        }

        TestReport result = run.Evaluate();
        // what the epochs were watched on, at the epoch whose weights the network holds (a tune trial's metric)
        EpochRecord? watched = run.Data.ValidationX is null ? null : history.BestRecord;
        // a machine reading --json asked for numbers: a picture only when it says where
        string? plotPath = noPlot ? null : settings.Plot ?? (settings.Json ? null : "neuralsharp-loss.png");
        string? plot = plotPath is null ? null : PlotFile.Write(plotPath, $"Training loss — {run.Data.Name}", "epoch", "loss",
            // one epoch is one point: drawn as a dot, not as a line of no length
            [new PlotFile.Series("train", [.. history.Epochs.Select(e => (double)e.Epoch)], [.. history.Epochs.Select(e => e.TrainLoss)], Dots: history.Epochs.Count < 2),
             new PlotFile.Series("validation", [.. history.Epochs.Select(e => (double)e.Epoch)], [.. history.Epochs.Select(e => e.ValidationLoss)], Dots: history.Epochs.Count < 2)]);
        string? saved = settings.Save is null ? null : Save(run, settings.Save);
        string? configPath = saved is null ? null : ConfigFile.Write(saved, config);
        if (settings.Json)
        {
            console.Profile.Out.Writer.WriteLine(JsonSerializer.Serialize(new Dictionary<string, object?>
            {
                ["task"] = run.Data.Task.Name(),
                ["data"] = run.Data.Name,
                ["val_accuracy"] = run.Data.Task == TaskKind.Regression ? null : watched?.ValidationMetric,
                ["val_loss"] = watched?.ValidationLoss,
                ["test_accuracy"] = result.Confusion?.Accuracy,
                ["test_log_loss"] = result.LogLoss,
                ["test_auc"] = result.RocAuc,
                ["test_r2"] = result.RSquared,
                ["test_mse"] = result.MeanSquaredError,
                ["test_mae"] = result.MeanAbsoluteError,
                // the last update's batch loss, and the mean of the last epoch's batch losses
                ["last_step_loss"] = history.FinalLoss,
                ["last_epoch_loss"] = history.Epochs.Count > 0 ? history.Epochs[^1].TrainLoss : null,
                ["epochs"] = history.Epochs.Count,
                ["stopped_early"] = history.StoppedEarly,
                ["stopped_by_user"] = stopped,
                ["best_epoch"] = settings.EarlyStopping is null ? null : history.BestEpoch,
                ["warnings"] = run.Warnings,
                ["seconds"] = Math.Round(clock.Elapsed.TotalSeconds, 3),
                ["model"] = saved,
                ["config"] = configPath,
                ["plot"] = plot,
                ["history"] = settings.History,
                ["checkpoint"] = checkpointPath,
                ["resumed_from_epoch"] = resume?.Epoch,
            }));
            return stopped ? CliApp.Stopped : CliApp.Success;
        }

        if (history.StoppedEarly)
        {
            console.MarkupLine($"Stopped early after epoch {history.Epochs.Count}: the validation loss had not improved for {settings.EarlyStopping} epochs; the weights are those of epoch {history.BestEpoch}.");
        }

        Render(result);
        if (plot is not null)
        {
            console.MarkupLine($"Loss curve written to [link]{Markup.Escape(plot)}[/].");
        }
        if (settings.History is { } historyWritten)
        {
            console.MarkupLine($"Every epoch's losses and {Markup.Escape(run.Head.MetricName)} written to [link]{Markup.Escape(historyWritten)}[/].");
        }

        if (saved is not null)
        {
            console.MarkupLine($"Model saved to [link]{Markup.Escape(saved)}[/]; its options to [link]{Markup.Escape(configPath!)}[/] (train --config repeats the run).");
        }

        if (stopped)
        {
            console.MarkupLine($"[yellow]Stopped (Ctrl+C or a termination signal) after epoch {history.Epochs.Count} of {run.Epochs}[/]{(saved is null ? "; nothing saved (--save keeps what was learnt)." : $"; the model as it stood is saved to {Markup.Escape(saved)}.")}");
            return CliApp.Stopped;
        }

        console.MarkupLine($"Done in {clock.Elapsed.TotalSeconds:F1} s.");
        return CliApp.Success;
    }

    /// <summary>Which task a CSV was taken for, and why (the guess can be wrong, and --task can say otherwise).</summary>
    /// <summary>What the reader made of the file's text columns and gaps, in one line.</summary>
    private static string Encoded(FeatureEncoding encoding)
    {
        var parts = new List<string>();
        EncodedColumn[] text = [.. encoding.Columns.Where(c => c.Categories is not null)], filled = [.. encoding.Columns.Where(c => c.Fill is not null)];
        if (text.Length > 0)
        {
            parts.Add($"text columns one-hot: {string.Join(", ", text.Select(c => $"{c.Name} ({c.Categories!.Count} categories)"))}");
        }

        if (filled.Length > 0)
        {
            parts.Add($"a missing number becomes its column's {string.Join(", ", filled.Select(c => $"{c.Name} {c.Fill!.Value.ToString("G4", System.Globalization.CultureInfo.InvariantCulture)}"))}");
        }

        return $"{(parts.Count == 0 ? "rows with a missing value left out" : string.Join("; ", parts))} (kept in the model: predict reads a new file the same way).";
    }

    private static string WhyTask(Dataset data, string task)
    {
        if (task != "auto")
        {
            return $"Task: {task}, as --task says.";
        }

        bool indices = data.ClassNames is { } names && names.Select((name, i) => name == i.ToString(System.Globalization.CultureInfo.InvariantCulture)).All(same => same);
        return data.Task == TaskKind.Regression
            ? $"Task: regression — '{data.TargetName}' holds numbers that are not the class indices 0…k−1 (--task classification says otherwise)."
            : indices
                ? $"Task: classification — '{data.TargetName}' holds the class indices 0…{data.ClassCount - 1} (--task regression says otherwise)."
                : $"Task: classification — '{data.TargetName}' holds text labels.";
    }

    private static string Describe(Dataset data) => data.Task switch
    {
        TaskKind.Regression => $"regression of '{data.TargetName}'",
        _ => $"{data.ClassCount} classes ({string.Join(", ", data.ClassNames!.Take(10))})",
    };

    private static string Save(TrainingRun<float> run, string path)
    {
        ModelFile.Save(path, run.ToModel());
        return path;
    }

    private History Progress(TrainingRun<float> run, int epochs, ITrainingCallback stop)
    {
        if (!console.Profile.Capabilities.Interactive)
        {
            // a log or a pipe gets lines, not a bar redrawn in place: about fifty of them at most, and the last epoch
            int every = Math.Max(1, (epochs + 49) / 50);
            return run.Fit([new EpochCallback(epoch =>
            {
                if (epoch.Epoch % every == 0 || epoch.Epoch == epochs)
                {
                    string held = double.IsNaN(epoch.ValidationLoss) ? "" : $", validation loss {epoch.ValidationLoss:G4}";
                    console.WriteLine(FormattableString.Invariant($"epoch {epoch.Epoch}/{epochs}: loss {epoch.TrainLoss:G4}{held}"));
                }
            }), stop], cancellationToken: CancellationToken.None);
        }

        History? history = null;
        console.Progress().AutoClear(false).Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new RemainingTimeColumn())
            .Start(context =>
            {
                ProgressTask task = context.AddTask("training", maxValue: epochs);
                history = run.Fit([new EpochCallback(epoch =>
                {
                    task.Value = epoch.Epoch;
                    task.Description = $"epoch {epoch.Epoch}/{epochs}  loss {epoch.TrainLoss:G4}";
                }), stop], cancellationToken: CancellationToken.None);
                task.Value = epochs;
            });
        return history!;
    }

    private void Render(TestReport result)
    {
        if (result.Confusion is { } matrix)
        {
            string more = (result.LogLoss is { } logLoss ? $"; log-loss {logLoss:F4}" : "") + (result.RocAuc is { } auc ? $", ROC AUC {auc:F4}" : "");
            console.MarkupLine($"Test accuracy: [bold green]{matrix.Accuracy:P2}[/] ({matrix.Total} samples){more}");
            console.Write(Tables.Confusion(matrix));
            console.Write(Tables.Scores(matrix));
            return;
        }

        console.Write(new Table().Title("Test metrics").AddColumns("R²", "MSE", "MAE")
            .AddRow(Tables.F(result.RSquared!.Value), Tables.F(result.MeanSquaredError!.Value), Tables.F(result.MeanAbsoluteError!.Value)));
    }
}
