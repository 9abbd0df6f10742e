using System.Numerics;
using System.Numerics.Tensors;
using NeuralSharp.Randomness;

namespace NeuralSharp.Data;

/// <summary>
/// A table of samples: features <c>[count, featureCount]</c> and targets, with the names of the features and, for a
/// classification set, of the classes. Class targets are stored as indices 0 … classes − 1, one per sample.
/// </summary>
public sealed class Dataset
{
    private readonly double[] _features;
    private readonly double[] _targets;

    /// <summary>Creates a data set, refusing NaN or ±∞ anywhere and class indices outside the class list.</summary>
    /// <param name="name">A short name, e.g. <c>iris</c>.</param>
    /// <param name="features">The features, row-major <c>[count, featureNames.Count]</c> (not copied).</param>
    /// <param name="featureNames">One name per feature column.</param>
    /// <param name="targets">The targets, row-major <c>[count, targetWidth]</c> (not copied); class indices for classification.</param>
    /// <param name="classNames">The class names (index order), or null for regression.</param>
    /// <param name="targetName">The target column's name.</param>
    public Dataset(string name, double[] features, IReadOnlyList<string> featureNames, double[] targets,
        IReadOnlyList<string>? classNames = null, string targetName = "target")
        : this(name, features, featureNames, targets, classNames, targetName, count: null)
    {
    }

    /// <summary>
    /// A data set over the first <paramref name="count"/> rows of arrays that may be longer (a reader that sized them
    /// by an upper bound of the rows, rather than copy them once more).
    /// </summary>
    internal Dataset(string name, double[] features, IReadOnlyList<string> featureNames, double[] targets,
        IReadOnlyList<string>? classNames, string targetName, int? count)
    {
        ArgumentNullException.ThrowIfNull(features);
        ArgumentNullException.ThrowIfNull(featureNames);
        ArgumentNullException.ThrowIfNull(targets);
        if (featureNames.Count == 0 || (count is null && features.Length % featureNames.Count != 0))
        {
            throw new ShapeMismatchException($"Data set '{name}': {features.Length} feature values do not fill rows of {featureNames.Count} features.");
        }

        Count = count ?? features.Length / featureNames.Count;
        if (Count == 0 || (long)Count * featureNames.Count > features.Length || (count is null ? targets.Length % Count != 0 : targets.Length < Count))
        {
            throw new ShapeMismatchException($"Data set '{name}' has {Count} samples but {targets.Length} target values.");
        }

        if (classNames is { Count: > MaxClasses })
        {
            throw new ArgumentException($"Data set '{name}' has {classNames.Count:N0} classes; at most {MaxClasses:N0} are taken.", nameof(classNames));
        }

        Name = name;
        _features = features;
        _targets = targets;
        FeatureNames = featureNames;
        ClassNames = classNames;
        TargetName = targetName;
        TargetWidth = count is null ? targets.Length / Count : 1;
        Validate();
    }

    /// <summary>The data set's name.</summary>
    public string Name { get; }

    /// <summary>The number of samples.</summary>
    public int Count { get; }

    /// <summary>The number of features per sample.</summary>
    public int FeatureCount => FeatureNames.Count;

    /// <summary>Target values per sample (1 for class indices).</summary>
    public int TargetWidth { get; }

    /// <summary>The feature columns' names.</summary>
    public IReadOnlyList<string> FeatureNames { get; }

    /// <summary>The class names in index order, or null for a regression set.</summary>
    public IReadOnlyList<string>? ClassNames { get; }

    /// <summary>The target column's name.</summary>
    public string TargetName { get; }

    /// <summary>
    /// For images (an IDX file's), the shape of one: its features are the pixels in [C, H, W] order, and a
    /// convolutional network can take them as images. Null for flat data such as a CSV file's.
    /// </summary>
    public Layers.ImageShape? Image
    {
        get => _image;
        init => _image = value is { } shape && shape.Size != FeatureCount
            ? throw new ShapeMismatchException($"Data set '{Name}': images of {shape} are {shape.Size} values, not its {FeatureCount} features.")
            : value;
    }

    private readonly Layers.ImageShape? _image;

    /// <summary>How the CSV's columns became these features (text columns one-hot, gaps filled), or null when they are its numbers as they were.</summary>
    public FeatureEncoding? Encoding { get; init; }

    /// <summary>Read by a model's encoding: the cells of its text columns that held a category the model was not trained on (each all zeros), and where the first lies.</summary>
    public (int Cells, string? First) UnknownCategories { get; init; }

    /// <summary>
    /// For windows of a series, how they were cut (<see cref="SequenceWindows"/>): its features are N steps of F values,
    /// time-major, and a recurrent network takes them as a sequence. Such a set splits in time order, not shuffled.
    /// </summary>
    public SequenceWindows? Windows
    {
        get => _windows;
        init => _windows = value is { } cut && (long)cut.Window * cut.Columns.Count != FeatureCount
            ? throw new ShapeMismatchException($"Data set '{Name}': windows of {cut.Window} rows × {cut.Columns.Count} columns are not its {FeatureCount} features.")
            : value;
    }

    private readonly SequenceWindows? _windows;

    /// <summary>The shape of one sequence, for windows of a series; else null.</summary>
    public Layers.SequenceShape? Sequence => Windows is { } cut ? new Layers.SequenceShape(cut.Window, cut.Columns.Count) : null;

    /// <summary>Regression, binary or multi-class classification.</summary>
    public TaskKind Task => ClassNames is null ? TaskKind.Regression : ClassNames.Count == 2 ? TaskKind.BinaryClassification : TaskKind.MultiClassClassification;

    /// <summary>The number of classes (0 for regression).</summary>
    public int ClassCount => ClassNames?.Count ?? 0;

    /// <summary>The most classes a data set may have (the readers refuse more, before anything is sized by them).</summary>
    public const int MaxClasses = 1000;

    /// <summary>All features, row-major.</summary>
    public ReadOnlySpan<double> Features => _features.AsSpan(0, Count * FeatureCount);

    /// <summary>All targets, row-major.</summary>
    public ReadOnlySpan<double> Targets => _targets.AsSpan(0, Count * TargetWidth);

    /// <summary>One sample's features.</summary>
    public ReadOnlySpan<double> FeatureRow(int index) => _features.AsSpan(index * FeatureCount, FeatureCount);

    /// <summary>One sample's class index (classification sets).</summary>
    public int Label(int index) => (int)_targets[index * TargetWidth];

    /// <summary>The features as a tensor <c>[count, features]</c>.</summary>
    public NDArray<T> FeatureTensor<T>()
        where T : unmanaged, IFloatingPointIeee754<T> => ToTensor<T>(Features, new Shape(Count, FeatureCount));

    /// <summary>
    /// The targets in the form the task's loss wants: class indices <c>[count]</c> for multi-class, 0/1 in
    /// <c>[count, 1]</c> for binary, the values <c>[count, width]</c> for regression.
    /// </summary>
    public NDArray<T> TargetTensor<T>()
        where T : unmanaged, IFloatingPointIeee754<T> =>
        ToTensor<T>(Targets, Task == TaskKind.MultiClassClassification ? new Shape(Count) : new Shape(Count, TargetWidth));

    /// <summary>The samples at the given indices, in that order.</summary>
    public Dataset Subset(IReadOnlyList<int> indices, string? name = null)
    {
        ArgumentNullException.ThrowIfNull(indices);
        var features = new double[indices.Count * FeatureCount];
        var targets = new double[indices.Count * TargetWidth];
        for (int i = 0; i < indices.Count; i++)
        {
            FeatureRow(indices[i]).CopyTo(features.AsSpan(i * FeatureCount));
            _targets.AsSpan(indices[i] * TargetWidth, TargetWidth).CopyTo(targets.AsSpan(i * TargetWidth));
        }

        return new Dataset(name ?? Name, features, FeatureNames, targets, ClassNames, TargetName) { Image = Image, Windows = Windows, Encoding = Encoding };
    }

    /// <summary>A copy with the features replaced (same samples and targets), e.g. standardized.</summary>
    public Dataset WithFeatures(double[] features) => new(Name, features, FeatureNames, Targets.ToArray(), ClassNames, TargetName) { Image = Image, Windows = Windows, Encoding = Encoding };

    /// <summary>
    /// Splits into a training and a test set after a seeded shuffle. For classification the split is stratified:
    /// each class contributes the same fraction to the test set (rounded), so rare classes are not lost.
    /// </summary>
    public (Dataset Train, Dataset Test) Split(double testFraction, ulong seed, bool stratify = true)
    {
        (int[] train, int[] test) = SplitRows([.. Enumerable.Range(0, Count)], testFraction, seed, stratify);
        return (Subset(train, Name + "-train"), Subset(test, Name + "-test"));
    }

    /// <summary>
    /// <see cref="Split"/> of some of the rows (<paramref name="rows"/>, indices into this set) without copying them:
    /// the indices of each part, in the order <see cref="Split"/> would put them.
    /// </summary>
    public (int[] Train, int[] Test) SplitRows(IReadOnlyList<int> rows, double testFraction, ulong seed, bool stratify = true)
    {
        ArgumentNullException.ThrowIfNull(rows);
        if (testFraction is <= 0 or >= 1)
        {
            throw new ArgumentOutOfRangeException(nameof(testFraction), testFraction, "The test fraction must lie between 0 and 1.");
        }

        var random = new SeededRandom(seed);
        List<int[]> groups = stratify && ClassNames is not null ? ByClass(rows) : [rows.ToArray()];
        int testTotal = 0;
        foreach (int[] group in groups)
        {
            testTotal += (int)Math.Round(group.Length * testFraction);
        }

        // each part sized once: a million rows are not grown into lists
        var trainOrder = new int[rows.Count - testTotal];
        var testOrder = new int[testTotal];
        int trainAt = 0, testAt = 0;
        foreach (int[] group in groups)
        {
            random.Shuffle<int>(group);
            int testCount = (int)Math.Round(group.Length * testFraction);
            group.AsSpan(0, testCount).CopyTo(testOrder.AsSpan(testAt));
            group.AsSpan(testCount).CopyTo(trainOrder.AsSpan(trainAt));
            (testAt, trainAt) = (testAt + testCount, trainAt + group.Length - testCount);
        }

        return (trainOrder.Length == 0 || testOrder.Length == 0) ? throw TooFew(rows.Count, testFraction, groups.Count > 1) : Shuffled(random, trainOrder, testOrder);
    }

    /// <summary>
    /// The rows in time order, the last <paramref name="testFraction"/> of them (rounded) apart: how a series' windows
    /// split, so that the model is tested on what comes after everything it learnt from.
    /// </summary>
    public (int[] Train, int[] Test) SplitRowsInOrder(IReadOnlyList<int> rows, double testFraction)
    {
        ArgumentNullException.ThrowIfNull(rows);
        int test = (int)Math.Round(rows.Count * testFraction);
        return test == 0 || test == rows.Count ? throw TooFew(rows.Count, testFraction, byClass: false) : ([.. rows.Take(rows.Count - test)], [.. rows.Skip(rows.Count - test)]);
    }

    private static (int[], int[]) Shuffled(SeededRandom random, int[] train, int[] test)
    {
        random.Shuffle<int>(train);
        random.Shuffle<int>(test);
        return (train, test);
    }

    private DataFormatException TooFew(int rows, double testFraction, bool byClass)
    {
            int needed = (int)Math.Ceiling(0.5 / Math.Min(testFraction, 1 - testFraction));
            return new DataFormatException(
                $"Data set '{Name}' has {rows} samples: too few to hold {testFraction:P0} out for testing and train on the rest " +
                (byClass ? $"(each class needs at least {needed})." : $"(at least {needed} are needed)."));
    }

    /// <summary>The rows of each class present, in class order, each in the order given.</summary>
    private List<int[]> ByClass(IReadOnlyList<int> rows)
    {
        var counts = new int[ClassCount];
        foreach (int row in rows)
        {
            counts[Label(row)]++;
        }

        int[][] groups = [.. counts.Select(count => new int[count])];
        Array.Clear(counts);
        foreach (int row in rows)
        {
            int label = Label(row);
            groups[label][counts[label]++] = row;
        }

        return [.. groups.Where(group => group.Length > 0)];
    }

    private static NDArray<T> ToTensor<T>(ReadOnlySpan<double> values, Shape shape)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var tensor = new NDArray<T>(shape);
        TensorPrimitives.ConvertTruncating<double, T>(values, tensor.AsSpan());
        return tensor;
    }

    private void Validate()
    {
        // vectorised over the whole set; element by element only to name the culprit
        if (!TensorPrimitives.IsFiniteAll(Features) && Array.FindIndex(_features, 0, Count * FeatureCount, v => !double.IsFinite(v)) is int bad)
        {
            throw new NonFiniteValueException(
                $"Data set '{Name}': feature '{FeatureNames[bad % FeatureCount]}' of sample {bad / FeatureCount} is {_features[bad]}; only finite numbers can be used.");
        }

        for (int i = 0; i < Count * TargetWidth; i++)
        {
            double target = _targets[i];
            if (!double.IsFinite(target))
            {
                throw new NonFiniteValueException($"Data set '{Name}': the target of sample {i / TargetWidth} is {target}.");
            }

            if (ClassNames is not null && (target < 0 || target >= ClassNames.Count || target != Math.Floor(target)))
            {
                throw new ArgumentException($"Data set '{Name}': the target of sample {i} is {target}, not a class index 0..{ClassNames.Count - 1}.");
            }
        }
    }
}
