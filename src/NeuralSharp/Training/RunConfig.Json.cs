using System.Globalization;
using System.Text.Json;
using NeuralSharp.Data;
using NeuralSharp.Init;
using NeuralSharp.Layers;
using NeuralSharp.Serialization;

namespace NeuralSharp.Training;

/// <summary>A run's configuration as JSON, and the checks every value passes before anything is read or built.</summary>
public sealed partial record RunConfig
{
    /// <summary>The largest configuration file read.</summary>
    public const long MaxFileBytes = 1 << 20;

    private enum Kind
    {
        Text,
        Number,
        Flag,
    }

    // the JSON names are the command line's option names without their dashes
    private static readonly (string Name, Kind Kind, Func<RunConfig, object?> Get, Func<RunConfig, JsonElement, RunConfig> Set)[] Fields =
    [
        ("data", Kind.Text, c => c.Data, (c, v) => c with { Data = v.GetString()! }),
        ("target", Kind.Text, c => c.Target, (c, v) => c with { Target = v.GetString() }),
        ("labels", Kind.Text, c => c.Labels, (c, v) => c with { Labels = v.GetString() }),
        ("delimiter", Kind.Text, c => c.Delimiter, (c, v) => c with { Delimiter = v.GetString() }),
        ("task", Kind.Text, c => c.Task, (c, v) => c with { Task = v.GetString()! }),
        ("missing", Kind.Text, c => c.Missing, (c, v) => c with { Missing = v.GetString() }),
        ("class-weights", Kind.Text, c => c.ClassWeights, (c, v) => c with { ClassWeights = v.ValueKind == JsonValueKind.Number ? v.GetRawText() : v.GetString() }),
        ("layers", Kind.Text, c => c.HiddenLayers, (c, v) => c with { Layers = v.ValueKind == JsonValueKind.Number ? v.GetRawText() : v.GetString()! }),
        ("activation", Kind.Text, c => c.Activation, (c, v) => c with { Activation = v.GetString()! }),
        ("dropout", Kind.Number, c => c.Dropout, (c, v) => c with { Dropout = v.GetDouble() }),
        ("batch-norm", Kind.Flag, c => c.BatchNorm, (c, v) => c with { BatchNorm = v.GetBoolean() }),
        ("output", Kind.Text, c => c.Output, (c, v) => c with { Output = v.GetString()! }),
        ("loss", Kind.Text, c => c.Loss, (c, v) => c with { Loss = v.GetString()! }),
        ("optimizer", Kind.Text, c => c.Optimizer, (c, v) => c with { Optimizer = v.GetString()! }),
        ("lr", Kind.Number, c => c.StartingRate, (c, v) => c with { LearningRate = v.GetDouble() }),
        ("l2", Kind.Number, c => c.L2, (c, v) => c with { L2 = v.GetDouble() }),
        ("l1", Kind.Number, c => c.L1, (c, v) => c with { L1 = v.GetDouble() }),
        ("weight-decay", Kind.Number, c => c.WeightDecay, (c, v) => c with { WeightDecay = v.GetDouble() }),
        ("early-stopping", Kind.Number, c => c.EarlyStopping, (c, v) => c with { EarlyStopping = Whole(v, "early-stopping") }),
        ("epochs", Kind.Number, c => c.Epochs, (c, v) => c with { Epochs = Whole(v, "epochs") }),
        ("batch", Kind.Text, c => c.Batch, (c, v) => c with { Batch = v.ValueKind == JsonValueKind.Number ? v.GetRawText() : v.GetString()! }),
        ("init", Kind.Text, c => c.Init, (c, v) => c with { Init = v.GetString() }),
        ("seed", Kind.Number, c => c.Seed, (c, v) => c with { Seed = Seed64(v, "seed") }),
        ("split-seed", Kind.Number, c => c.SplitSeed, (c, v) => c with { SplitSeed = Seed64(v, "split-seed") }),
        ("test-split", Kind.Number, c => c.TestSplit, (c, v) => c with { TestSplit = v.GetDouble() }),
        ("val-split", Kind.Number, c => c.ValidationSplit, (c, v) => c with { ValidationSplit = v.GetDouble() }),
        ("window", Kind.Number, c => c.Window, (c, v) => c with { Window = Whole(v, "window") }),
        ("horizon", Kind.Number, c => c.Horizon, (c, v) => c with { Horizon = Whole(v, "horizon") }),
        ("schedule", Kind.Text, c => c.Schedule, (c, v) => c with { Schedule = v.GetString() }),
        ("clip-norm", Kind.Number, c => c.ClipNorm, (c, v) => c with { ClipNorm = v.GetDouble() }),
    ];

    /// <summary>The option names a configuration holds, as JSON and the command line spell them.</summary>
    public static IReadOnlyList<string> OptionNames { get; } = [.. Fields.Select(f => f.Name)];

    /// <summary>The configuration as one indented JSON object, every option named (null ones left out).</summary>
    public string ToJson()
    {
        var values = new SortedDictionary<string, object?>(StringComparer.Ordinal);
        foreach ((string name, _, Func<RunConfig, object?> get, _) in Fields)
        {
            if (get(this) is { } value)
            {
                values[name] = value;
            }
        }

        return JsonSerializer.Serialize(values, Indented) + "\n";
    }

    /// <summary>Writes the configuration to <paramref name="path"/> atomically.</summary>
    public void Save(string path) => AtomicFile.WriteText(path, ToJson());

    /// <summary>Reads a configuration file: every key must be an option, every value of its option's type, and valid.</summary>
    /// <exception cref="OptionException">The file is missing, too large, not JSON, or holds an unknown key or a bad value; the message names the file and key.</exception>
    public static RunConfig Load(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        var file = new FileInfo(path);
        if (!file.Exists)
        {
            throw new OptionException("config", $"there is no file '{path}'.");
        }

        if (file.Length > MaxFileBytes)
        {
            throw new OptionException("config", $"'{path}' is {file.Length:N0} bytes; a configuration is at most {MaxFileBytes:N0}.");
        }

        return FromJson(File.ReadAllText(path), path);
    }

    /// <summary>A configuration from JSON text (<paramref name="source"/> names it in messages).</summary>
    /// <exception cref="OptionException">Not a JSON object of options, or a bad value; the message names the key.</exception>
    public static RunConfig FromJson(string json, string source = "configuration")
    {
        ArgumentNullException.ThrowIfNull(json);
        var config = new RunConfig();
        try
        {
            using JsonDocument document = JsonDocument.Parse(json);
            if (document.RootElement.ValueKind != JsonValueKind.Object)
            {
                throw new OptionException("config", $"'{source}' is not a JSON object of options.");
            }

            foreach (JsonProperty option in document.RootElement.EnumerateObject())
            {
                int at = Array.FindIndex(Fields, f => f.Name == option.Name);
                if (at < 0)
                {
                    string hint = Diagnostics.NameSuggestion.Nearest(option.Name, OptionNames) is { } near ? $" Did you mean '{near}'?" : "";
                    throw new OptionException("config", $"'{source}' sets '{option.Name}', which is not an option of a run.{hint}");
                }

                (string name, Kind kind, _, Func<RunConfig, JsonElement, RunConfig> set) = Fields[at];
                JsonValueKind value = option.Value.ValueKind;
                bool fits = value == JsonValueKind.Null
                    || kind switch
                    {
                        Kind.Flag => value is JsonValueKind.True or JsonValueKind.False,
                        Kind.Number => value == JsonValueKind.Number,
                        _ => value == JsonValueKind.String || (name is "layers" or "batch" && value == JsonValueKind.Number),
                    };
                if (!fits)
                {
                    string expected = kind switch { Kind.Flag => "true or false", Kind.Number => "a number", _ => "a string" };
                    throw new OptionException(name, $"in '{source}' must be {expected}, not {option.Value.GetRawText()}.");
                }

                if (value != JsonValueKind.Null)
                {
                    config = set(config, option.Value);
                }
            }
        }
        catch (JsonException error)
        {
            throw new OptionException("config", $"'{source}' is not valid JSON (line {error.LineNumber + 1}).");
        }

        config.Validate();
        return config;
    }

    /// <summary>Refuses every value that cannot be used, before any data is read.</summary>
    /// <exception cref="OptionException">The first bad value; the message names its option.</exception>
    public void Validate()
    {
        if (Epochs is < 1 or > 100_000)
        {
            throw new OptionException("epochs", $"must be between 1 and 100000, not {Epochs}.");
        }

        if (Schedule is { } schedule)
        {
            // its form and numbers, before any data is read (a warm-up longer than the run is known only then)
            ScheduleGrammar.Parse(schedule, new Optimizers.Sgd<double>(), Epochs ?? 30, 1_000_000);
        }

        if (Task is not ("auto" or "classification" or "regression"))
        {
            throw new OptionException("task", $"must be auto, classification or regression, not '{Task}'.");
        }

        ParseMissing(Missing);
        if (ClassWeights is { } weights)
        {
            ParseClassWeights(weights);
        }

        if (LearningRate is { } rate && !(rate > 0 && double.IsFinite(rate)))
        {
            throw new OptionException("lr", $"must be a positive number, not {rate}.");
        }

        if (LearningRate is { } huge && float.IsInfinity((float)huge))
        {
            throw new OptionException("lr", $"{huge:G3} is more than float32 holds (3.4e38): every weight would be ∞ after one update.");
        }

        if (LearningRate is { } tiny && !float.IsNormal((float)tiny))
        {
            throw new OptionException("lr", $"{tiny:G3} is 0 in the float32 arithmetic training uses (the smallest normal float32 is 1.2e-38).");
        }

        foreach ((string option, double? lambda) in new[] { ("l2", L2), ("l1", L1), ("weight-decay", WeightDecay) })
        {
            if (lambda is { } value && !(value >= 0 && double.IsFinite(value)))
            {
                throw new OptionException(option, $"must be a number ≥ 0, not {value.ToString(CultureInfo.InvariantCulture)}.");
            }
        }

        if (EarlyStopping is < 1 or > 100_000)
        {
            throw new OptionException("early-stopping", $"must be a number of epochs, 1 … 100000, not {EarlyStopping}.");
        }

        if (Dropout is { } ratio && !(ratio >= 0 && ratio < 1))
        {
            throw new OptionException("dropout", $"must lie in [0, 1), not {ratio}.");
        }

        if (EarlyStopping is not null && ValidationSplit == 0)
        {
            throw new OptionException("early-stopping", "watches the validation rows, and val-split is 0: give val-split a share (e.g. 0.2).");
        }

        Split.Validate();
        LayerGrammar.Check(HiddenLayers);
        if (ClipNorm is { } clip && !(clip > 0 && double.IsFinite(clip)))
        {
            throw new OptionException("clip-norm", $"must be a positive number (the largest norm the gradients may have), not {clip}.");
        }

        if (Window is null && (Horizon is not null || NeedsSequences))
        {
            throw Horizon is not null ? new OptionException("horizon", "needs --window: the horizon counts rows after a window.")
                : new OptionException("layers", $"{HiddenLayers}: recurrent layers need sequences; give --window N to cut a series into samples of N rows.");
        }

        if (Window is not null && NeedsImages)
        {
            throw new OptionException("window", "cuts a series into sequences, and convolutions take images: use one or the other.");
        }

        new SequenceWindows(Window ?? 1, Horizon ?? 1, []).Check(int.MaxValue / 2, Data);
        _ = (BatchSize, HiddenActivation, Source);
        CreateOptimizer<float>();
        if (Init is not null)
        {
            OptionException.Parse("init", Init, () => Initializers.Parse(Init));
        }

        // the head's own parsers decide which names are taken (aliases such as swish included); the message lists auto too
        (string, string, Action, IReadOnlyList<string>)[] choices =
            [("output", Output, () => Activations.Activation.Parse(Output), Activations.Activation.Names), ("loss", Loss, () => Losses.Loss.Parse(Loss), Losses.Loss.Names)];
        foreach ((string option, string value, Action parse, IReadOnlyList<string> known) in choices.Where(choice => !TaskHead.IsAuto(choice.Item2)))
        {
            try
            {
                parse();
            }
            catch (ArgumentException)
            {
                string hint = Diagnostics.NameSuggestion.Nearest(value, known) is { } near ? $" Did you mean '{near}'?" : "";
                throw new OptionException(option, $"unknown {option} '{value}'. Known: auto, {string.Join(", ", known)}.{hint}");
            }
        }
    }

    /// <summary>A CSV separator: one character, or <c>tab</c>, <c>\t</c>, <c>semicolon</c>, <c>comma</c>, <c>pipe</c>, <c>space</c>; null for <c>auto</c>.</summary>
    /// <exception cref="OptionException">The text cannot separate numbers.</exception>
    public static char? ParseDelimiter(string? text) => text?.Trim().ToLowerInvariant() switch
    {
        null or "" or "auto" => null,
        "tab" or "\\t" => '\t',
        "semicolon" => ';',
        "comma" => ',',
        "pipe" => '|',
        "space" => ' ',
        _ when text.Length == 1 && text[0] != '"' && !char.IsLetterOrDigit(text[0]) && text[0] is not ('.' or '-' or '+' or '\r' or '\n') => text[0],
        _ => throw new OptionException("delimiter",
            $"'{text}' cannot separate numbers; give one character such as ';' or '|', or tab, semicolon, comma, pipe, space or auto."),
    };

    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true };

    private static int Whole(JsonElement value, string option) =>
        value.TryGetInt32(out int whole) ? whole : throw new OptionException(option, $"must be a whole number, not {value.GetRawText()}.");

    private static ulong Seed64(JsonElement value, string option) =>
        value.TryGetUInt64(out ulong seed) ? seed : throw new OptionException(option, $"must be a whole number 0 … {ulong.MaxValue}, not {value.GetRawText()}.");
}
