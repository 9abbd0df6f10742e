using System.ComponentModel;
using System.Globalization;
using System.Text.Json;
using NeuralSharp.Cli.Infrastructure;
using NeuralSharp.Data;
using NeuralSharp.Serialization;
using Spectre.Console;
using Spectre.Console.Cli;

namespace NeuralSharp.Cli.Commands;

/// <summary><c>neuralsharp predict --model FILE --data FILE.csv</c>: a prediction (and class probabilities) per row.</summary>
public sealed class PredictCommand(IAnsiConsole console) : Command<PredictCommand.Settings>
{
    /// <summary>Options of <c>predict</c>.</summary>
    public sealed class Settings : CommandSettings
    {
        /// <summary>The model file.</summary>
        [CommandOption("--model <FILE>")]
        [Description("A model saved by 'train --save'.")]
        public string Model { get; init; } = "";

        /// <summary>The CSV with the model's feature columns.</summary>
        [CommandOption("--data <FILE.csv>")]
        [Description("A CSV file with the model's feature columns; when it has the model's target column too, the predictions are scored against it.")]
        public string Data { get; init; } = "";

        /// <summary>The CSV separator.</summary>
        [CommandOption("--delimiter <CHAR>")]
        [Description("The separator of the CSV file: one character (';', '|'), tab, or auto (default: detected from the header).")]
        public string? Delimiter { get; init; }

        /// <summary>Where to write the rows with their predictions.</summary>
        [CommandOption("--out <FILE.csv>")]
        [Description("Also write the input's rows with each prediction (and each class's probability) appended, as a CSV file in the input's separator.")]
        public string? Out { get; init; }

        /// <summary>JSON output.</summary>
        [CommandOption("--json")]
        [Description("Print one JSON object: {\"predictions\": [[{\"prediction\": …, \"probabilities\": {…}}]], and accuracy or r2 when the file has the target column}.")]
        public bool Json { get; init; }

        /// <inheritdoc />
        public override ValidationResult Validate() =>
            Model.Length == 0 ? ValidationResult.Error("--model is required: the file written by 'train --save'.")
            : Data.Length == 0 ? ValidationResult.Error("--data is required: a CSV file with the model's features.")
            : ValidationResult.Success();
    }

    /// <inheritdoc />
    public override int Execute(CommandContext context, Settings settings, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(settings);
        Destination.Check(settings.Out, "--out");
        Model<float> model = ModelFile.Load<float>(settings.Model);
        if (model.Windows is { } windows)
        {
            return PredictWindows(settings, model, windows);
        }

        (Dataset data, Dataset? labelled) = ReadFeatures(settings.Data, model, Options.Delimiter(settings.Delimiter), out bool byPosition);
        string[] ignored = byPosition ? [] : Ignored(settings.Data, model, Options.Delimiter(settings.Delimiter));
        NDArray<double> y = model.Predict(data);
        var rows = new List<Dictionary<string, object>>();
        for (int i = 0; i < y.Rows; i++)
        {
            rows.Add(Row(model, y.Row(i)));
        }

        if (settings.Out is { } target)
        {
            string[] columns = model.ClassNames is { } names ? ["prediction", .. names.Select(n => $"P({n})")] : ["prediction"];
            PredictionsFile.Write(target, settings.Data, Options.Delimiter(settings.Delimiter), columns,
                [.. rows.Select(r => (IReadOnlyList<object>)[r["prediction"], .. r.TryGetValue("probabilities", out object? p) ? ((Dictionary<string, double>)p).Values.Cast<object>() : []])]);
        }

        // a CSV that still has the model's target column is scored against it too
        (string Metric, double Value)? score = labelled is null ? null : Score(labelled, Path.GetFileName(settings.Data), model, rows, y);
        if (settings.Json)
        {
            var result = new Dictionary<string, object> { ["predictions"] = rows };
            if (byPosition)
            {
                result["columns_by_position"] = true;
            }

            if (ignored.Length > 0)
            {
                result["ignored_columns"] = ignored;
            }

            if (data.UnknownCategories.Cells > 0)
            {
                result["unknown_categories"] = data.UnknownCategories.Cells;
            }

            if (settings.Out is { } written)
            {
                result["out"] = written;
            }

            if (score is { } s)
            {
                result[s.Metric] = s.Value;
            }

            console.Profile.Out.Writer.WriteLine(JsonSerializer.Serialize(result));
            return CliApp.Success;
        }

        if (byPosition)
        {
            console.MarkupLine(Markup.Escape($"{Path.GetFileName(settings.Model)} names no features (its file had none): the columns of {Path.GetFileName(settings.Data)} are taken by position, as {string.Join(", ", model.FeatureNames.Take(8))}{(model.FeatureNames.Count > 8 ? ", …" : "")} (import --features names them)."));
        }

        if (ignored.Length > 0)
        {
            console.MarkupLine(Markup.Escape($"Left aside (not the model's): {string.Join(", ", ignored)}."));
        }

        if (data.UnknownCategories is (> 0 and int cells, string first))
        {
            console.MarkupLine(Markup.Escape($"{cells:N0} cell{(cells == 1 ? "" : "s")} of text columns held a category the model was not trained on, read as none of its categories (the first: {first})."));
        }

        var table = new Table().AddColumn("row").AddColumn(model.ClassNames is null ? model.TargetName : "class");
        if (model.ClassNames is { } classes)
        {
            foreach (string name in classes)
            {
                table.AddColumn(new TableColumn($"P({Markup.Escape(name)})").RightAligned());
            }
        }

        for (int i = 0; i < rows.Count; i++)
        {
            var probabilities = rows[i].TryGetValue("probabilities", out object? p) ? (Dictionary<string, double>)p : [];
            table.AddRow([(i + 1).ToString(CultureInfo.InvariantCulture), Markup.Escape(Convert.ToString(rows[i]["prediction"], CultureInfo.InvariantCulture)!),
                .. probabilities.Values.Select(v => v.ToString("F4", CultureInfo.InvariantCulture))]);
        }

        console.Write(table);
        if (score is { } scored)
        {
            console.MarkupLine($"Against its '{Markup.Escape(model.TargetName)}' column: {(scored.Metric == "accuracy" ? $"accuracy {scored.Value:P2}" : $"R² {scored.Value:F4}")} ({rows.Count} rows).");
        }

        if (settings.Out is { } file)
        {
            console.MarkupLine($"Rows with their predictions written to [link]{Markup.Escape(file)}[/].");
        }

        return CliApp.Success;
    }

    /// <summary>A series model: a prediction for every whole window of the file, for the row H after the window's last.</summary>
    private int PredictWindows(Settings settings, Model<float> model, SequenceWindows windows)
    {
        Dataset data = windows.Read(settings.Data, Options.Delimiter(settings.Delimiter), model.TargetName, out double[]? truth);
        NDArray<double> y = model.Predict(data);
        var rows = new List<Dictionary<string, object>>();
        var (predicted, actual) = (new List<double>(), new List<double>());
        for (int k = 0; k < y.Rows; k++)
        {
            // the data row (1-based, as a spreadsheet counts them below the header) whose target the window forecasts
            Dictionary<string, object> entry = Row(model, y.Row(k));
            entry["row"] = windows.TargetRow(k) + 1;
            rows.Add(entry);
            if (truth is not null && double.IsFinite(truth[k]) && model.ClassNames is null)
            {
                predicted.Add(y[k, 0]);
                actual.Add(truth[k]);
            }
        }

        double? r2 = actual.Count >= 2 ? Training.Metrics.RSquared([.. predicted], actual.ToArray()) : null;
        if (settings.Out is { } target)
        {
            // a forecast belongs to a row the file may not have yet: a table of the rows forecast
            var text = new System.Text.StringBuilder("row,prediction\n");
            foreach (Dictionary<string, object> entry in rows)
            {
                text.Append(CultureInfo.InvariantCulture, $"{entry["row"]},{Convert.ToString(entry["prediction"], CultureInfo.InvariantCulture)}\n");
            }

            AtomicFile.WriteText(target, text.ToString());
        }

        if (settings.Json)
        {
            var result = new Dictionary<string, object> { ["predictions"] = rows, ["window"] = windows.Window, ["horizon"] = windows.Horizon };
            if (r2 is { } value)
            {
                result["r2"] = value;
            }

            console.Profile.Out.Writer.WriteLine(JsonSerializer.Serialize(result));
            return CliApp.Success;
        }

        var table = new Table().AddColumn("row").AddColumn(model.ClassNames is null ? model.TargetName : "class");
        foreach (Dictionary<string, object> entry in rows)
        {
            table.AddRow(Convert.ToString(entry["row"], CultureInfo.InvariantCulture)!, Markup.Escape(Convert.ToString(entry["prediction"], CultureInfo.InvariantCulture)!));
        }

        console.Write(table);
        console.MarkupLine(Markup.Escape($"Windows of {windows.Window} rows ({string.Join(", ", windows.Columns)}), each forecasting the row {windows.Horizon} after its last; rows past the file's end are forecasts."));
        if (r2 is { } score)
        {
            console.MarkupLine($"Against its '{Markup.Escape(model.TargetName)}' column: R² {score:F4} ({actual.Count} rows).");
        }

        return CliApp.Success;
    }

    /// <summary>Accuracy or R² against the CSV's target column (read with the features).</summary>
    private static (string Metric, double Value) Score(Dataset truth, string source, Model<float> model, List<Dictionary<string, object>> rows, NDArray<double> y)
    {
        if (model.ClassNames is not { } classes)
        {
            return ("r2", Training.Metrics.RSquared([.. Enumerable.Range(0, y.Rows).Select(i => y[i, 0])], truth.Targets));
        }

        // the file's labels by name: their indices there need not be the model's
        int correct = 0;
        for (int i = 0; i < truth.Count; i++)
        {
            string label = truth.ClassNames![truth.Label(i)];
            if (!classes.Contains(label))
            {
                throw new DataFormatException($"{source} row {i + 1} has the label '{label}', which is not one of the model's classes ({string.Join(", ", classes.Take(10))}).");
            }

            correct += (string)rows[i]["prediction"] == label ? 1 : 0;
        }

        return ("accuracy", correct / (double)truth.Count);
    }

    /// <summary>
    /// The model's feature columns of a CSV, in the model's order; and the file as read, when it has the model's target
    /// column too (its labels, for scoring), else null.
    /// </summary>
    internal static (Dataset Features, Dataset? Labelled) ReadFeatures(string path, Model<float> model, char? delimiter = null) =>
        ReadFeatures(path, model, delimiter, out _);

    /// <summary>
    /// <see cref="ReadFeatures(string, Model{float}, char?)"/>; <paramref name="byPosition"/> says when the columns were
    /// taken by position: a model whose file named no features, and a CSV with as many columns (or one more, the target).
    /// </summary>
    internal static (Dataset Features, Dataset? Labelled) ReadFeatures<T>(string path, Model<T> model, char? delimiter, out bool byPosition)
        where T : unmanaged, System.Numerics.IFloatingPointIeee754<T>
    {
        IReadOnlyList<string> columns = CsvReader.ReadHeader(path, delimiter);
        IReadOnlyList<string> needed = model.InputColumns;
        string[] missing = [.. needed.Where(f => !columns.Contains(f))];
        int featureColumns = columns.Count - (columns.Contains(model.TargetName) ? 1 : 0);
        byPosition = missing.Length > 0 && model.Encoding is null && model.NamesFeaturesItself && featureColumns == model.FeatureNames.Count;
        if (byPosition)
        {
            // the model's own names stand for the file's columns, first to last (the target column, if any, aside)
            string[] named = [.. columns.Where(c => c != model.TargetName)];
            (Dataset read, Dataset? labelled) = ReadFeatures(path, model.WithFeatureNames(named), delimiter, out _);
            return (new Dataset(read.Name, read.Features.ToArray(), model.FeatureNames, new double[read.Count]), labelled);
        }

        if (missing.Length > 0)
        {
            throw new DataFormatException($"{Path.GetFileName(path)} lacks the model's feature columns: {string.Join(", ", missing)}.");
        }

        // only the model's columns are read (and its target, to score against): an id, a name or a label under another
        // name is left aside unread
        string? target = columns.Contains(model.TargetName) && !needed.Contains(model.TargetName) ? model.TargetName : null;
        // the target column is read as labels (text or numbers) when the model has classes; a model with an encoding
        // reads its own columns by it (text as its categories, gaps filled as it was trained)
        TaskKind task = model.ClassNames is not null ? TaskKind.MultiClassClassification : TaskKind.Regression;
        IReadOnlyList<string>? byName = model.Encoding is null ? model.FeatureNames : null;
        Dataset data = CsvReader.Read(path, target is not null
            ? new CsvOptions { TargetColumn = target, Task = task, Delimiter = delimiter, Columns = byName, Encoding = model.Encoding }
            : new CsvOptions { WithoutTarget = true, Delimiter = delimiter, Columns = byName, Encoding = model.Encoding });
        // read in the model's order
        return (new Dataset(data.Name, data.Features.ToArray(), model.FeatureNames, new double[data.Count])
        {
            UnknownCategories = data.UnknownCategories,
        }, target is not null ? data : null);
    }

    /// <summary>The file's columns a prediction leaves aside: neither the model's features nor its target.</summary>
    internal static string[] Ignored(string path, Model<float> model, char? delimiter)
    {
        IReadOnlyList<string> reads = model.InputColumns;
        return [.. CsvReader.ReadHeader(path, delimiter).Where(c => !reads.Contains(c) && c != model.TargetName)];
    }

    private static Dictionary<string, object> Row(Model<float> model, ReadOnlySpan<double> y)
    {
        if (model.ClassNames is not { } classes)
        {
            return new() { ["prediction"] = y[0] };
        }

        double[] probabilities = y.Length == 1 ? [1 - y[0], y[0]] : y.ToArray();
        int best = Array.IndexOf(probabilities, probabilities.Max());
        return new()
        {
            ["prediction"] = classes[best],
            ["probabilities"] = classes.Select((name, c) => (name, probabilities[c])).ToDictionary(p => p.name, p => p.Item2),
        };
    }
}
