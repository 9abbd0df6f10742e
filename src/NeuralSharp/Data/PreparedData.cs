using System.Numerics;
using System.Numerics.Tensors;
using NeuralSharp.Training;

namespace NeuralSharp.Data;

/// <summary>
/// A data set made ready for a run, once, the same way for every caller (the library, <c>train</c>, <c>tune</c>):
/// split into training, validation and test rows (<see cref="DataSplit"/>, stratified for classes); features
/// standardized by the training rows' μ and σ (or left as they are: images go in as their pixels); regression targets
/// standardized likewise; targets encoded for the task head's loss; everything converted to <typeparamref name="T"/>
/// once. The validation rows are what the epochs are watched on; the test rows are for the end.
/// </summary>
/// <typeparam name="T"><see cref="float"/> or <see cref="double"/>.</typeparam>
public sealed class PreparedData<T>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    private PreparedData(Dataset data, TaskHead head, DataSplit split, Standardizer features, Standardizer? targets)
    {
        Name = data.Name;
        Task = data.Task;
        FeatureNames = data.FeatureNames;
        ClassNames = data.ClassNames;
        TargetName = data.TargetName;
        Image = data.Image;
        Windows = data.Windows;
        Encoding = data.Encoding;
        Head = head;
        Split = split;
        Features = features;
        TargetScale = targets;
    }

    /// <summary>
    /// Splits, standardizes, encodes and converts <paramref name="data"/>. A run that goes on from a model passes the
    /// model's standardizers as <paramref name="fitted"/>: they are used as they are, and where one is null the values go
    /// in unscaled (the model's weights were trained on them so).
    /// </summary>
    /// <param name="data">The whole data set.</param>
    /// <param name="split">The fractions and seed of the split.</param>
    /// <param name="head">The task head the targets are encoded for.</param>
    /// <param name="standardizeFeatures">False to feed the features as they are (pixels in [0, 1] for a convolution).</param>
    /// <param name="fitted">The feature and target standardizers to use instead of fitting them (null: none).</param>
    /// <exception cref="OptionException">A fraction is out of range.</exception>
    /// <exception cref="DataFormatException">Too few rows to split as asked.</exception>
    public static PreparedData<T> Prepare(Dataset data, DataSplit split, TaskHead head, bool standardizeFeatures = true,
        (Standardizer? Features, Standardizer? Targets)? fitted = null)
    {
        ArgumentNullException.ThrowIfNull(data);
        ArgumentNullException.ThrowIfNull(split);
        ArgumentNullException.ThrowIfNull(head);
        split.Validate();
        // the parts as row indices into the source, so that no part is copied in float64 on its way to T
        // a series' windows split in time order: validation after training, the test last
        bool inOrder = data.Sequence is not null;
        int[] all = [.. Enumerable.Range(0, data.Count)];
        (int[] rest, int[] test) = inOrder ? data.SplitRowsInOrder(all, split.TestFraction) : data.SplitRows(all, split.TestFraction, split.Seed);
        (int[] train, int[]? validation) = split.ValidationFraction <= 0 ? (rest, null)
            : inOrder ? data.SplitRowsInOrder(rest, split.ValidationFraction) : data.SplitRows(rest, split.ValidationFraction, split.ValidationSeed);
        // images go in as their pixels in [0, 1], as Deep Learning from Scratch feeds its convnets: per-pixel statistics
        // would blow a rarely-inked border pixel up to tens of σ, and a filter must see one scale everywhere
        Standardizer scaler = fitted is { } given ? given.Features ?? Standardizer.Identity(data.FeatureCount)
            : standardizeFeatures ? Standardizer.Fit(data, train) : Standardizer.Identity(data.FeatureCount);
        double[] trainTargets = Gather(data, train), testTargets = Gather(data, test);
        Standardizer? targetScale = !head.ScalesTargets ? null : fitted is { } model ? model.Targets : Standardizer.Fit(trainTargets, data.TargetWidth);
        return new PreparedData<T>(data, head, split, scaler, targetScale)
        {
            TestTargets = testTargets,
            TrainX = scaler.TransformTo<T>(data, train),
            TrainD = head.EncodeTargets<T>(trainTargets, train.Length, targetScale),
            ValidationX = validation is null ? null : scaler.TransformTo<T>(data, validation),
            ValidationD = validation is null ? null : head.EncodeTargets<T>(Gather(data, validation), validation.Length, targetScale),
            TestX = scaler.TransformTo<T>(data, test),
            TestD = head.EncodeTargets<T>(testTargets, test.Length, targetScale),
        };
    }

    /// <summary>The targets of the given rows, as read.</summary>
    private static double[] Gather(Dataset data, int[] rows)
    {
        int width = data.TargetWidth;
        var targets = new double[rows.Length * width];
        for (int i = 0; i < rows.Length; i++)
        {
            data.Targets.Slice(rows[i] * width, width).CopyTo(targets.AsSpan(i * width));
        }

        return targets;
    }

    /// <summary>The data set's name.</summary>
    public string Name { get; }

    /// <summary>Regression, binary or multi-class.</summary>
    public TaskKind Task { get; }

    /// <summary>The feature columns' names.</summary>
    public IReadOnlyList<string> FeatureNames { get; }

    /// <summary>The class names, or null for regression.</summary>
    public IReadOnlyList<string>? ClassNames { get; }

    /// <summary>The target column's name.</summary>
    public string TargetName { get; }

    /// <summary>The shape of one image, for image data.</summary>
    public Layers.ImageShape? Image { get; }

    /// <summary>How a series was cut into windows, or null when the samples are rows.</summary>
    public SequenceWindows? Windows { get; }

    /// <summary>How the CSV's columns became the features (text one-hot, gaps filled), or null.</summary>
    public FeatureEncoding? Encoding { get; }

    /// <summary>The shape of one sequence, for a series' windows.</summary>
    public Layers.SequenceShape? Sequence => Windows is { } cut ? new Layers.SequenceShape(cut.Window, cut.Columns.Count) : null;

    /// <summary>The head the targets are encoded for.</summary>
    public TaskHead Head { get; }

    /// <summary>How the rows were split.</summary>
    public DataSplit Split { get; }

    /// <summary>The feature standardizer (fitted on the training rows; saved with the model).</summary>
    public Standardizer Features { get; }

    /// <summary>The regression targets' standardizer (fitted on the training rows), or null.</summary>
    public Standardizer? TargetScale { get; }

    /// <summary>The test rows' targets as read — class indices, or values in their own units — for the final report.</summary>
    public ReadOnlyMemory<double> TestTargets { get; private init; }

    /// <summary>Training inputs <c>[n, features]</c>.</summary>
    public NDArray<T> TrainX { get; private init; } = null!;

    /// <summary>Training targets, encoded for the head's loss.</summary>
    public NDArray<T> TrainD { get; private init; } = null!;

    /// <summary>Validation inputs, or null without a validation split.</summary>
    public NDArray<T>? ValidationX { get; private init; }

    /// <summary>Validation targets, or null.</summary>
    public NDArray<T>? ValidationD { get; private init; }

    /// <summary>Test inputs.</summary>
    public NDArray<T> TestX { get; private init; } = null!;

    /// <summary>Test targets, encoded for the head's loss.</summary>
    public NDArray<T> TestD { get; private init; } = null!;

    /// <summary>The first <paramref name="rows"/> training and validation rows (all when there are fewer), e.g. to compile a run's code on.</summary>
    public PreparedData<T> FirstRows(int rows)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(rows);
        return new PreparedData<T>(this)
        {
            TestTargets = TestTargets,
            TrainX = First(TrainX, rows),
            TrainD = First(TrainD, rows),
            ValidationX = ValidationX is null ? null : First(ValidationX, rows),
            ValidationD = ValidationD is null ? null : First(ValidationD, rows),
            TestX = TestX,
            TestD = TestD,
        };
    }

    private PreparedData(PreparedData<T> other)
    {
        (Name, Task, FeatureNames, ClassNames, TargetName, Image, Windows, Encoding) = (other.Name, other.Task, other.FeatureNames, other.ClassNames, other.TargetName, other.Image, other.Windows, other.Encoding);
        (Head, Split, Features, TargetScale) = (other.Head, other.Split, other.Features, other.TargetScale);
    }

    private static NDArray<T> First(NDArray<T> all, int rows)
    {
        int n = Math.Min(rows, all.Shape[0]);
        int width = all.Length / Math.Max(all.Shape[0], 1);
        Shape shape = all.Rank == 1 ? new Shape(n) : new Shape(n, width);
        return new NDArray<T>(shape, all.AsSpan()[..(n * width)].ToArray());
    }
}
