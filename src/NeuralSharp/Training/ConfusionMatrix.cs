using System.Globalization;
using System.Text;

namespace NeuralSharp.Training;

/// <summary>
/// Counts of (actual class, predicted class) pairs, with accuracy and per-class precision, recall and F1:
/// precision = TP / (TP + FP), recall = TP / (TP + FN), F1 = 2PR / (P + R).
/// </summary>
public sealed class ConfusionMatrix
{
    private readonly int[,] _counts;

    /// <summary>Builds the matrix from actual and predicted class indices.</summary>
    public ConfusionMatrix(IReadOnlyList<int> actual, IReadOnlyList<int> predicted, IReadOnlyList<string> classNames)
    {
        ArgumentNullException.ThrowIfNull(actual);
        ArgumentNullException.ThrowIfNull(predicted);
        ArgumentNullException.ThrowIfNull(classNames);
        if (actual.Count != predicted.Count)
        {
            throw new ShapeMismatchException($"Confusion matrix: {actual.Count} actual classes but {predicted.Count} predictions.");
        }

        ClassNames = classNames;
        _counts = new int[classNames.Count, classNames.Count];
        for (int i = 0; i < actual.Count; i++)
        {
            _counts[actual[i], predicted[i]]++;
        }

        Total = actual.Count;
    }

    /// <summary>The class names, in index order.</summary>
    public IReadOnlyList<string> ClassNames { get; }

    /// <summary>The number of samples counted.</summary>
    public int Total { get; }

    /// <summary>How many samples of class <paramref name="actual"/> were predicted as <paramref name="predicted"/>.</summary>
    public int this[int actual, int predicted] => _counts[actual, predicted];

    /// <summary>The fraction predicted correctly.</summary>
    public double Accuracy => Total == 0 ? 0 : Enumerable.Range(0, ClassNames.Count).Sum(c => _counts[c, c]) / (double)Total;

    /// <summary>TP / (TP + FP) for one class (0 when nothing was predicted as it).</summary>
    public double Precision(int c)
    {
        int predicted = Enumerable.Range(0, ClassNames.Count).Sum(a => _counts[a, c]);
        return predicted == 0 ? 0 : _counts[c, c] / (double)predicted;
    }

    /// <summary>TP / (TP + FN) for one class (0 when the class does not occur).</summary>
    public double Recall(int c)
    {
        int actual = Enumerable.Range(0, ClassNames.Count).Sum(p => _counts[c, p]);
        return actual == 0 ? 0 : _counts[c, c] / (double)actual;
    }

    /// <summary>The harmonic mean of precision and recall for one class.</summary>
    public double F1(int c)
    {
        double p = Precision(c), r = Recall(c);
        return p + r == 0 ? 0 : 2 * p * r / (p + r);
    }

    /// <summary>A plain-text table: rows are actual classes, columns predicted ones.</summary>
    public override string ToString()
    {
        int width = Math.Max(6, ClassNames.Max(name => name.Length) + 1);
        var text = new StringBuilder().Append("actual \\ predicted".PadRight(width + 12));
        foreach (string name in ClassNames)
        {
            text.Append(name.PadLeft(width));
        }

        text.AppendLine();
        for (int a = 0; a < ClassNames.Count; a++)
        {
            text.Append(ClassNames[a].PadRight(width + 12));
            for (int p = 0; p < ClassNames.Count; p++)
            {
                text.Append(_counts[a, p].ToString(CultureInfo.InvariantCulture).PadLeft(width));
            }

            text.AppendLine();
        }

        return text.ToString();
    }
}
