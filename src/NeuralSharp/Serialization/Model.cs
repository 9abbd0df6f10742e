using System.Numerics;
using NeuralSharp.Data;
using NeuralSharp.Layers;

namespace NeuralSharp.Serialization;

/// <summary>
/// A trained network with everything needed to use it on new raw data: the standardizer fitted on its training
/// data, the feature names it expects, and the class names (or target name) of its outputs.
/// </summary>
/// <typeparam name="T"><see cref="float"/> or <see cref="double"/>.</typeparam>
public sealed class Model<T>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    /// <summary>Creates a model.</summary>
    public Model(Sequential<T> network, TaskKind task, IReadOnlyList<string> featureNames, IReadOnlyList<string>? classNames,
        string targetName = "target", Standardizer? standardizer = null, Standardizer? targetStandardizer = null)
    {
        Network = network ?? throw new ArgumentNullException(nameof(network));
        ArgumentNullException.ThrowIfNull(featureNames);
        if (featureNames.Count != network.InputWidth)
        {
            throw new ShapeMismatchException($"Model: the network takes {network.InputWidth} inputs but {featureNames.Count} feature names were given.");
        }

        Task = task;
        FeatureNames = featureNames;
        ClassNames = classNames;
        TargetName = targetName;
        Standardizer = standardizer;
        TargetStandardizer = targetStandardizer;
        _head = Training.TaskHead.Of(network, task);
    }

    private readonly Training.TaskHead _head;

    /// <summary>
    /// The configuration that trained the model, as a JSON object (a <see cref="Training.RunConfig"/>'s, which
    /// <c>train --config</c> repeats; the playground's session settings), or null. The model file and ONNX metadata carry it.
    /// </summary>
    /// <exception cref="ArgumentException">Not a JSON object.</exception>
    public string? Configuration
    {
        get => _configuration;
        init => _configuration = value is null || ModelFile.IsJsonObject(value) ? value : throw new ArgumentException("A model's configuration is a JSON object.", nameof(value));
    }

    private readonly string? _configuration;

    /// <summary>
    /// For a model of a series: how its inputs are cut from rows (the window, the horizon and the columns of each step),
    /// so that <c>predict</c> makes the same windows of a CSV; null for a model whose samples are rows.
    /// </summary>
    /// <exception cref="ArgumentException">The windows' values are not the network's inputs.</exception>
    public Data.SequenceWindows? Windows
    {
        get => _windows;
        init => _windows = value is null || (long)value.Window * value.Columns.Count == Network.InputWidth ? value
            : throw new ArgumentException($"Windows of {value.Window} rows × {value.Columns.Count} columns are not the network's {Network.InputWidth} inputs.", nameof(value));
    }

    private readonly Data.SequenceWindows? _windows;

    /// <summary>
    /// How a CSV's columns become the network's inputs (a text column one-hot, a number column's gaps filled), so that
    /// <c>predict</c> reads a new file the same way; null for a model that takes the columns' numbers as they are.
    /// </summary>
    /// <exception cref="ArgumentException">The encoding's features are not the model's.</exception>
    public Data.FeatureEncoding? Encoding
    {
        get => _encoding;
        init => _encoding = value is null || value.FeatureNames.SequenceEqual(FeatureNames) ? value
            : throw new ArgumentException("The encoding's features are not the model's feature names.", nameof(value));
    }

    private readonly Data.FeatureEncoding? _encoding;

    /// <summary>The CSV columns the model reads: its encoding's (a text column stands for its one-hot features), else its features.</summary>
    public IReadOnlyList<string> InputColumns => Encoding is { } encoding ? [.. encoding.Columns.Select(c => c.Name)] : FeatureNames;

    /// <summary>
    /// What the output answers and how it was trained: the loss, the targets' encoding, the metric. By default the head
    /// the network's output layer implies for <see cref="Task"/>; a run sets the one it trained with.
    /// </summary>
    /// <exception cref="ArgumentException">The head's output does not match the network's.</exception>
    public Training.TaskHead Head
    {
        get => _head;
        init => _head = value is null ? throw new ArgumentNullException(nameof(value))
            : value.OutputWidth != Network.OutputWidth || value.Task != Task
                ? throw new ShapeMismatchException($"Model: the task head answers {value.Task} with {value.OutputWidth} outputs, but the network is a {Task} with {Network.OutputWidth}.")
                : value;
    }

    /// <summary>The network.</summary>
    public Sequential<T> Network { get; }

    /// <summary>Regression, binary or multi-class.</summary>
    public TaskKind Task { get; }

    /// <summary>The raw feature columns the model expects, in order.</summary>
    public IReadOnlyList<string> FeatureNames { get; }

    /// <summary>The class names for a classifier, else null.</summary>
    public IReadOnlyList<string>? ClassNames { get; }

    /// <summary>The name of the predicted column.</summary>
    public string TargetName { get; }

    /// <summary>Applied to raw features before the network, if the model was trained on standardized data.</summary>
    public Standardizer? Standardizer { get; }

    /// <summary>For regression trained on standardized targets: undone on the network's outputs by <see cref="Predict"/>.</summary>
    public Standardizer? TargetStandardizer { get; }

    /// <summary>
    /// The names a model gets when its file names no features (a PyTorch export): <c>x1</c>, <c>x2</c>, … A CSV whose
    /// header has other names is then read by position when its column count matches (see <see cref="NamesFeaturesItself"/>).
    /// </summary>
    public static IReadOnlyList<string> GeneratedFeatureNames(int count) => [.. Enumerable.Range(1, count).Select(i => $"x{i}")];

    /// <summary>True when the feature names are <see cref="GeneratedFeatureNames"/>: the file the model came from named none.</summary>
    public bool NamesFeaturesItself => FeatureNames.SequenceEqual(GeneratedFeatureNames(FeatureNames.Count));

    /// <summary>The same model with its features named (an imported model whose file named none).</summary>
    /// <exception cref="ShapeMismatchException">Not one name per input.</exception>
    public Model<T> WithFeatureNames(IReadOnlyList<string> names)
    {
        ArgumentNullException.ThrowIfNull(names);
        return new Model<T>(Network, Task, names, ClassNames, TargetName, Standardizer, TargetStandardizer) { Head = Head, Configuration = Configuration, Windows = Windows, Encoding = Encoding?.FeatureNames.SequenceEqual(names) == true ? Encoding : null };
    }

    /// <summary>
    /// <paramref name="count"/> raw feature rows drawn from N(μ, σ²) of each feature the model was standardized with
    /// (N(0, 1) without a standardizer), by a seeded stream: rows like its training data, to check an export against.
    /// </summary>
    public Dataset DrawRows(int count, ulong seed = 7)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(count);
        var random = new Randomness.SeededRandom(seed);
        int features = FeatureNames.Count;
        double[] values = new double[count * features];
        for (int i = 0; i < values.Length; i++)
        {
            int j = i % features;
            values[i] = (Standardizer?.Mean[j] ?? 0) + ((Standardizer?.Deviation[j] ?? 1) * random.NextNormal());
        }

        return new Dataset("drawn", values, FeatureNames, new double[count]);
    }

    /// <summary>Writes the model file (atomically; see <see cref="ModelFile.Save{T}"/>).</summary>
    public void Save(string path) => ModelFile.Save(path, this);

    /// <summary>Reads a model file (see <see cref="ModelFile.Load{T}"/>).</summary>
    public static Model<T> Load(string path) => ModelFile.Load<T>(path);

    /// <summary>
    /// The network's outputs for raw feature rows (standardized first): class probabilities for a classifier
    /// (one column, P(class 1), for a binary one), predicted values in the target's own units for regression.
    /// </summary>
    public NDArray<double> Predict(Dataset data)
    {
        ArgumentNullException.ThrowIfNull(data);
        if (data.FeatureCount != FeatureNames.Count)
        {
            throw new ShapeMismatchException(
                $"The model expects {FeatureNames.Count} features ({string.Join(", ", FeatureNames)}) but the data has {data.FeatureCount}.");
        }

        Dataset input = Standardizer?.Transform(data) ?? data;
        NDArray<double> y = NDArray.Convert<T, double>(Network.Predict(input.FeatureTensor<T>()));
        TargetStandardizer?.InverseTransform(y.AsSpan());
        return y;
    }
}
