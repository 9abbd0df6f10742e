using System.Globalization;

namespace NeuralSharp.Data;

/// <summary>
/// The feature cells of a CSV as <see cref="CsvReader"/> reads them, column by column: a number; a text cell — a column
/// whose first cell is text holds categories (learnt from a training file, or looked up in a model's
/// <see cref="FeatureEncoding"/>), while text in a column that began with numbers is refused as a bad number; a missing cell, refused by line and column unless <see cref="CsvOptions.Missing"/> or
/// the model's encoding says what it becomes. Plain number files never come here with anything but numbers and read as before.
/// </summary>
internal sealed class CsvColumns
{
    private readonly CsvOptions _options;
    private readonly string _source;
    private readonly string[] _names;
    private readonly Dictionary<string, int>?[] _categories;

    // columns whose first cell was a number: text in them is refused, not taken for a category
    private readonly bool[] _numbers;

    // a cell was missing: the file needs an encoding (its gaps filled or its rows dropped)
    private bool _missing;

    /// <summary>Read by a model's encoding: cells of its text columns holding a category it was not trained on (all zeros).</summary>
    public int UnknownCategories { get; private set; }

    /// <summary>Where the first of <see cref="UnknownCategories"/> lies: line, column and text.</summary>
    public string? FirstUnknownCategory { get; private set; }

    public CsvColumns(CsvOptions options, string source, string[] names)
    {
        (_options, _source, _names) = (options, source, names);
        _categories = new Dictionary<string, int>?[names.Length];
        _numbers = new bool[names.Length];
        if (options.Encoding is { } given)
        {
            for (int i = 0; i < names.Length; i++)
            {
                _categories[i] = given.Columns[i].Categories is { } known ? known.Select((name, index) => (name, index)).ToDictionary(p => p.name, p => p.index, StringComparer.Ordinal) : null;
            }
        }
    }

    /// <summary>Feature <paramref name="feature"/>'s cell: a number, a category's index (−1 for one a model does not know), or NaN for a missing cell.</summary>
    /// <param name="cell">The cell's text.</param>
    /// <param name="feature">The feature column's place among the columns read.</param>
    /// <param name="line">The cell's line, for messages.</param>
    /// <param name="column">The cell's column in the file, for messages.</param>
    public double Read(ReadOnlySpan<char> cell, int feature, int line, int column)
    {
        Dictionary<string, int>? categories = _categories[feature];
        if (IsMissing(cell))
        {
            // a text column's gap is all zeros; a number column's is filled, dropped, or refused here
            bool taken = _options.Encoding is { } model ? categories is not null || model.Columns[feature].Fill is not null : _options.Missing != MissingValues.Refuse;
            if (!taken)
            {
                throw Missing(_source, line, column, _names[feature], cell.ToString(), _options.Encoding is null
                    ? "; every cell needs one: fill it in, drop the row, or train with --missing drop|mean|median"
                    : "; the model was trained without filling missing values (--missing mean|median fills them)");
            }

            _missing = true;
            return double.NaN;
        }

        if (categories is null)
        {
            bool parsed = double.TryParse(cell, NumberStyles.Float, CultureInfo.InvariantCulture, out double number);
            if (parsed && double.IsFinite(number))
            {
                _numbers[feature] = true;
                return number;
            }

            if (parsed || _numbers[feature] || _options.Encoding is not null || cell.Length > FeatureEncoding.MaxCategoryLength)
            {
                // ∞ or NaN written out, text in a column whose cells so far are numbers, or where a model takes a number
                return CsvReader.ParseNumber(cell, _source, line, column, _names[feature]);
            }

            // the column's first cell is text: a column of categories (a number in it later is one too)
            categories = _categories[feature] = new Dictionary<string, int>(StringComparer.Ordinal);
        }

        string key = FeatureEncoding.Key(cell);
        if (_options.Encoding is null)
        {
            return Category(categories, key, line, column, feature);
        }

        if (categories.TryGetValue(key, out int known))
        {
            return known;
        }

        UnknownCategories++;
        FirstUnknownCategory ??= $"line {line}, column {column + 1} ({_names[feature]}): {CsvReader.Quote(key)}";
        return -1;
    }

    private int Category(Dictionary<string, int> categories, string key, int line, int column, int feature)
    {
        if (!categories.TryGetValue(key, out int index))
        {
            if (categories.Count == FeatureEncoding.MaxCategories)
            {
                throw new DataFormatException($"{_source}, line {line}, column {column + 1} ({_names[feature]}): {CsvReader.Quote(key)} is the {FeatureEncoding.MaxCategories + 1}th different text in a column of text; a column of categories has at most {FeatureEncoding.MaxCategories} (an id or a name is not a feature: leave it out of the file).");
            }

            categories[key] = index = categories.Count;
        }

        return index;
    }

    /// <summary>
    /// The rows of features, their names and the encoding that made them — null when every column held numbers and no
    /// cell was missing (the file reads as it always did) — and the rows kept (null: all; <see cref="MissingValues.Drop"/> leaves out rows with a gap).
    /// </summary>
    public (double[] Features, IReadOnlyList<string> Names, FeatureEncoding? Encoding, bool[]? Kept) Finish(List<double> read)
    {
        int width = _names.Length, rows = read.Count / width;
        double[] values = [.. read];
        if (_options.Encoding is { } given)
        {
            return (given.Expand(values, rows, _source), given.FeatureNames, given, null);
        }

        if (!_missing && Array.TrueForAll(_categories, c => c is null))
        {
            return (values, _names, null, null);
        }

        bool[]? kept = null;
        if (_options.Missing == MissingValues.Drop)
        {
            kept = new bool[rows];
            var left = new List<double>(values.Length);
            for (int row = 0; row < rows; row++)
            {
                ReadOnlySpan<double> cells = values.AsSpan(row * width, width);
                if (kept[row] = !HasNaN(cells))
                {
                    left.AddRange(cells);
                }
            }

            if (left.Count == 0)
            {
                throw new DataFormatException($"{_source}: every row has a missing value, so --missing drop leaves none.");
            }

            (values, rows) = ([.. left], left.Count / width);
        }

        var columns = new EncodedColumn[width];
        for (int feature = 0; feature < width; feature++)
        {
            if (_categories[feature] is { } categories)
            {
                // sorted, so that the features do not depend on the order the rows came in
                string[] sorted = [.. categories.Keys.Order(StringComparer.Ordinal)];
                int[] place = new int[categories.Count];
                for (int i = 0; i < sorted.Length; i++)
                {
                    place[categories[sorted[i]]] = i;
                }

                for (int at = feature; at < values.Length; at += width)
                {
                    values[at] = double.IsNaN(values[at]) ? double.NaN : place[(int)values[at]];
                }

                columns[feature] = new EncodedColumn(_names[feature], sorted);
            }
            else
            {
                columns[feature] = new EncodedColumn(_names[feature], Fill: _options.Missing is MissingValues.Mean or MissingValues.Median ? Fill(values, feature, width) : null);
            }
        }

        var encoding = new FeatureEncoding(columns);
        return (encoding.Expand(values, rows, _source), encoding.FeatureNames, encoding, kept);
    }

    private static bool HasNaN(ReadOnlySpan<double> cells)
    {
        foreach (double cell in cells)
        {
            if (double.IsNaN(cell))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>The mean or median of a number column's cells that are there.</summary>
    private double Fill(double[] values, int feature, int width)
    {
        var present = new List<double>();
        for (int at = feature; at < values.Length; at += width)
        {
            if (!double.IsNaN(values[at]))
            {
                present.Add(values[at]);
            }
        }

        if (present.Count == 0)
        {
            throw new DataFormatException($"{_source}: the column '{_names[feature]}' has no values at all, so there is nothing to fill its gaps with.");
        }

        if (_options.Missing == MissingValues.Mean)
        {
            return present.Average();
        }

        present.Sort();
        int middle = present.Count / 2;
        return present.Count % 2 == 1 ? present[middle] : (present[middle - 1] + present[middle]) / 2;
    }

    /// <summary>What spreadsheets and R write for a value that is not there.</summary>
    private static readonly HashSet<string> MissingMarkers = new(["NA", "N/A", "n/a", "na", "?", "null", "NULL", "None", "-"], StringComparer.Ordinal);

    // looked up by the cell's characters: every cell of the careful reader is asked, none is copied to a string for it
    private static readonly HashSet<string>.AlternateLookup<ReadOnlySpan<char>> MissingLookup = MissingMarkers.GetAlternateLookup<ReadOnlySpan<char>>();

    /// <summary>True for an empty cell or one of <see cref="MissingMarkers"/>.</summary>
    internal static bool IsMissing(ReadOnlySpan<char> cell) => cell.Length == 0 || MissingLookup.Contains(cell);

    internal static DataFormatException Missing(string source, int line, int column, string name, string marker = "", string advice = "; every cell needs one: fill it in or drop the row") =>
        new($"{source}, line {line}, column {column + 1} ({name}): a missing value ({(marker.Length == 0 ? "the cell is empty" : $"'{marker}'")}){advice}.");
}
