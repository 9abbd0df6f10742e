using System.Globalization;

namespace NeuralSharp.Data;

/// <summary>What a training file's missing cells (empty, <c>NA</c>, <c>?</c>, …) in its feature columns become.</summary>
public enum MissingValues
{
    /// <summary>The file is refused at the first one, naming its line and column.</summary>
    Refuse,

    /// <summary>Rows with one are left out.</summary>
    Drop,

    /// <summary>A number column's are filled with the mean of its other cells (kept in the model for predict).</summary>
    Mean,

    /// <summary>A number column's are filled with the median of its other cells (kept in the model for predict).</summary>
    Median,
}

/// <summary>One column of a CSV as the network sees it: a number column (a missing cell filled with <paramref name="Fill"/>, or refused without one), or a text column of <paramref name="Categories"/>.</summary>
/// <param name="Name">The column's name in the CSV header.</param>
/// <param name="Categories">A text column's categories, in the order of their features; null for a number column.</param>
/// <param name="Fill">What a missing cell of a number column becomes; null to refuse one.</param>
public sealed record EncodedColumn(string Name, IReadOnlyList<string>? Categories = null, double? Fill = null);

/// <summary>
/// How a CSV's feature columns become a network's inputs, learnt when a training file is read and kept in the model, so
/// that <c>predict</c> reads a new file the same way: a number column stays one feature (its missing cells filled by
/// <see cref="MissingValues.Mean"/> or <see cref="MissingValues.Median"/>); a text column becomes one 0/1 feature per
/// category, named <c>column=category</c> (one-hot, as pandas' <c>get_dummies</c>) — a missing cell, or a category the
/// training file did not have, is all zeros.
/// </summary>
/// <param name="Columns">The CSV's feature columns, in the order of their features.</param>
public sealed record FeatureEncoding(IReadOnlyList<EncodedColumn> Columns)
{
    /// <summary>The most categories a text column may have: more, and it is an identifier or free text, not a category.</summary>
    public const int MaxCategories = 100;

    /// <summary>The longest text taken for a category: a longer cell is free text (or a damaged file), not a category.</summary>
    public const int MaxCategoryLength = 200;

    /// <summary>The features, in order: a number column's name, a text column's <c>column=category</c> for each category.</summary>
    public IReadOnlyList<string> FeatureNames => [.. Columns.SelectMany(c => c.Categories is { } categories ? categories.Select(category => $"{c.Name}={category}") : [c.Name])];

    /// <summary>The features a row becomes.</summary>
    public int Width => Columns.Sum(c => c.Categories?.Count ?? 1);

    /// <summary>A text column's key for a cell: its text, or — for a number — the number written back (<c>1.0</c> and <c>1</c> are one category).</summary>
    internal static string Key(ReadOnlySpan<char> cell) =>
        double.TryParse(cell, NumberStyles.Float, CultureInfo.InvariantCulture, out double number) && double.IsFinite(number) ? number.ToString("R", CultureInfo.InvariantCulture) : cell.ToString();

    /// <summary>Rows of the source columns' values (a number, a category's index, or NaN for a missing cell) as rows of features.</summary>
    /// <exception cref="DataFormatException">The rows one-hot would not fit in one array; <paramref name="source"/> names the file.</exception>
    internal double[] Expand(double[] values, int rows, string source)
    {
        int sources = Columns.Count, width = Width;
        if ((long)rows * width > Array.MaxLength)
        {
            throw new DataFormatException($"{source}: {rows:N0} rows of {width:N0} features (its text columns one-hot) would not fit in memory.");
        }

        var features = new double[(long)rows * width];
        for (int row = 0; row < rows; row++)
        {
            int at = row * width;
            for (int column = 0; column < sources; column++)
            {
                double value = values[((long)row * sources) + column];
                if (Columns[column].Categories is { } categories)
                {
                    // one-hot; a missing cell (NaN) or an unknown category (−1) is all zeros
                    if (value >= 0)
                    {
                        features[at + (int)value] = 1;
                    }

                    at += categories.Count;
                }
                else
                {
                    features[at++] = double.IsNaN(value) ? Columns[column].Fill ?? double.NaN : value;
                }
            }
        }

        return features;
    }
}
