namespace NeuralSharp.Data;

/// <summary>
/// The data sets shipped inside the library (embedded; nothing is downloaded): iris, breast-cancer, digits (8×8),
/// diabetes and the MNIST 10k test set. Sources and licences: <c>Data/BuiltIn/SOURCES-AND-LICENCES.md</c>.
/// </summary>
public static class BuiltInDatasets
{
    /// <summary>The names <see cref="Load"/> accepts.</summary>
    public static IReadOnlyList<string> Names { get; } = ["iris", "breast-cancer", "digits", "diabetes", "mnist"];

    /// <summary>True when <paramref name="name"/> is a built-in data set.</summary>
    public static bool Contains(string name) => Names.Contains(Normalize(name));

    /// <summary>Loads a built-in data set by name.</summary>
    /// <exception cref="ArgumentException">Not a built-in name; the message lists them.</exception>
    public static Dataset Load(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        return Normalize(name) switch
        {
            "iris" => Csv("iris.csv", "iris", ["setosa", "versicolor", "virginica"]),
            "breast-cancer" => Csv("breast_cancer.csv", "breast-cancer", ["malignant", "benign"]),
            "digits" => Digits(),
            "diabetes" => Csv("diabetes.csv", "diabetes", null, TaskKind.Regression),
            "mnist" => Mnist(),
            _ => throw new ArgumentException($"There is no built-in data set '{name}'. Built in: {string.Join(", ", Names)}.", nameof(name)),
        };
    }

    private static string Normalize(string name) => name.Trim().ToLowerInvariant().Replace('_', '-');

    private static Dataset Csv(string file, string name, IReadOnlyList<string>? classNames, TaskKind? task = null)
    {
        using Stream stream = Open(file);
        using var reader = new StreamReader(stream);
        return CsvReader.Read(reader, file, new CsvOptions { Name = name, ClassNames = classNames, Task = task });
    }

    /// <summary>8×8 images of 17 grey levels, row by row: a convolutional network takes them as images.</summary>
    private static Dataset Digits()
    {
        Dataset rows = Csv("digits.csv", "digits", null);
        return new Dataset(rows.Name, rows.Features.ToArray(), rows.FeatureNames, rows.Targets.ToArray(), rows.ClassNames, rows.TargetName) { Image = new Layers.ImageShape(1, 8, 8) };
    }

    private static Dataset Mnist()
    {
        using Stream images = Open("t10k-images-idx3-ubyte.gz");
        using Stream labels = Open("t10k-labels-idx1-ubyte.gz");
        return IdxReader.ReadDataset(images, "t10k-images-idx3-ubyte.gz", labels, "t10k-labels-idx1-ubyte.gz", "mnist");
    }

    private static Stream Open(string file) =>
        typeof(BuiltInDatasets).Assembly.GetManifestResourceStream("NeuralSharp.Data.BuiltIn." + file)
        ?? throw new InvalidOperationException($"The built-in file {file} is missing from the library.");
}
