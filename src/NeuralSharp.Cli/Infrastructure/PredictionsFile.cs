using System.Globalization;
using System.Text;
using NeuralSharp.Data;
using NeuralSharp.Serialization;

namespace NeuralSharp.Cli.Infrastructure;

/// <summary>
/// <c>predict --out FILE.csv</c>: the input file as it was, each row with its prediction (and each class's probability)
/// appended, in the input's separator; written atomically.
/// </summary>
internal static class PredictionsFile
{
    /// <summary>Writes <paramref name="input"/>'s rows with the extra <paramref name="columns"/>, one list of values per data row.</summary>
    /// <exception cref="DataFormatException">The file's data rows are not the predictions' rows.</exception>
    public static void Write(string path, string input, char? delimiter, IReadOnlyList<string> columns, IReadOnlyList<IReadOnlyList<object>> values)
    {
        char separator = delimiter ?? CsvReader.DelimiterOf(input);
        string[] lines = [.. File.ReadLines(input).Where(line => line.Trim().Length > 0)];
        if (lines.Length - 1 != values.Count)
        {
            throw new DataFormatException($"{Path.GetFileName(input)} has {lines.Length - 1:N0} data rows but {values.Count:N0} predictions were made.");
        }

        var text = new StringBuilder();
        text.Append(lines[0]).Append(separator).AppendJoin(separator, columns.Select(c => Cell(c, separator))).Append('\n');
        for (int i = 0; i < values.Count; i++)
        {
            text.Append(lines[i + 1]).Append(separator).AppendJoin(separator, values[i].Select(v => Cell(v, separator))).Append('\n');
        }

        AtomicFile.WriteText(path, text.ToString());
    }

    /// <summary>A value as a CSV cell: numbers round-trip, text is quoted when it holds the separator, a quote or a line break.</summary>
    private static string Cell(object value, char separator)
    {
        string text = value is double number ? number.ToString("R", CultureInfo.InvariantCulture) : Convert.ToString(value, CultureInfo.InvariantCulture) ?? "";
        return text.IndexOfAny([separator, '"', '\n', '\r']) >= 0 ? $"\"{text.Replace("\"", "\"\"", StringComparison.Ordinal)}\"" : text;
    }
}
