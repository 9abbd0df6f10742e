using System.Globalization;
using System.Runtime.CompilerServices;
using nietras.SeparatedValues;

namespace NeuralSharp.Data;

/// <summary>
/// The fast path of <see cref="CsvReader"/> for the common large file — a header, then rows of plain numbers only: one
/// scan counts the lines and cuts the rows into a range per core at line ends, the arrays are sized once by those
/// counts, and each core parses its range straight into its rows' places. Anything else (a blank line, a text cell,
/// a number in quotes or spaces, a ragged row) sends the file to the careful reader, which gives the same data or the
/// message that says where the file is wrong.
/// </summary>
internal static class CsvNumbers
{
    /// <summary>The data set, or null when the file is not numbers only (the careful reader then reads it).</summary>
    public static Dataset? TryRead(string path, char delimiter, CsvOptions options)
    {
        SepReaderOptions reader = Sep.Reader(o => o with { Sep = new Sep(delimiter), HasHeader = false, DisableColCountCheck = true, CultureInfo = CultureInfo.InvariantCulture });
        string[] header;
        using (SepReader first = reader.FromFile(path))
        {
            if (!first.MoveNext() || (first.Current.ColCount == 1 && first.Current[0].Span.IsWhiteSpace()))
            {
                return null;
            }

            header = CsvReader.Cells(first.Current);
        }

        // a quoted or padded name is the careful reader's (it unquotes and trims)
        if (Array.Exists(header, name => name.Contains('"', StringComparison.Ordinal) || name.Trim().Length != name.Length))
        {
            return null;
        }

        string source = Path.GetFileName(path);
        int target = CsvReader.TargetColumn(header, options.TargetColumn, source);
        CsvReader.RequireHeader(header, string.Join(delimiter, header), source, withoutTarget: false);
        Range[]? ranges = Ranges(path, Math.Clamp(Environment.ProcessorCount, 1, 8));
        int width = header.Length - 1;
        // the rows are counted before anything is sized by them, and must fit the file: a row of n numbers takes at
        // least 2n bytes (a digit and a separator or line end each)
        if (ranges is null || ranges[^1].FirstRow + ranges[^1].Rows is var rows && (rows == 0 || (long)rows * width > Array.MaxLength
            || 2L * rows * header.Length > new FileInfo(path).Length))
        {
            return null;
        }

        var features = new double[(long)rows * width];
        var targets = new double[rows];
        bool[] parsed = new bool[ranges.Length];
        Parallel.For(0, ranges.Length, new ParallelOptions { MaxDegreeOfParallelism = ranges.Length },
            r => parsed[r] = Parse(path, reader, ranges[r], header.Length, target, features, targets));
        if (!Array.TrueForAll(parsed, ok => ok))
        {
            return null;
        }

        (double[] values, string[]? classNames) = CsvTargets.FromNumbers(targets, rows, options, source, header[target]);
        string name = options.Name ?? Path.GetFileNameWithoutExtension(source);
        return new Dataset(name, features, [.. header.Where((_, column) => column != target)], values, options.ClassNames ?? classNames, header[target]);
    }

    /// <summary>A part of the file after the header: its bytes, and the rows it holds (one per line end, and a last line without one).</summary>
    private readonly record struct Range(long Start, long Length, int FirstRow, int Rows);

    /// <summary>Each range's rows, parsed into their places; false when one is not a row of finite numbers as wide as the header.</summary>
    /// <remarks>Optimized at once: it runs once per file, a million rows long, and would otherwise start in unoptimized code.</remarks>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static bool Parse(string path, SepReaderOptions reader, Range range, int columns, int target, double[] features, double[] targets)
    {
        using var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, FileOptions.SequentialScan);
        file.Position = range.Start;
        using SepReader sep = reader.From(new BoundedStream(file, range.Length));
        int row = range.FirstRow, end = range.FirstRow + range.Rows, width = columns - 1;
        while (sep.MoveNext())
        {
            SepReader.Row cells = sep.Current;
            if (row >= end || cells.ColCount != columns)
            {
                return false;
            }

            long at = (long)row * width;
            for (int column = 0; column < columns; column++)
            {
                // Sep's own parser: invariant, no spaces or quotes around the number (such files take the careful path)
                if (cells[column].TryParse<double>() is not { } value || !double.IsFinite(value))
                {
                    return false;
                }

                if (column == target)
                {
                    targets[row] = value;
                }
                else
                {
                    features[at++] = value;
                }
            }

            row++;
        }

        return row == end;
    }

    /// <summary>The data after the header cut into about equal ranges at line ends, with their rows; null for a file of one line.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static Range[]? Ranges(string path, int parts)
    {
        using var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, FileOptions.SequentialScan);
        long length = file.Length;
        var buffer = new byte[1 << 20];
        long position = 0, dataStart = -1, lastEnd = -1;
        long target = 0;
        int lines = 0;
        var cuts = new List<(long At, int Lines)>();
        for (int read; (read = file.Read(buffer)) > 0; position += read)
        {
            ReadOnlySpan<byte> chunk = buffer.AsSpan(0, read);
            for (int at = chunk.IndexOf((byte)'\n'); at >= 0;)
            {
                long end = position + at + 1;
                if (dataStart < 0)
                {
                    dataStart = end;
                    target = dataStart + ((length - dataStart) / parts);
                }
                else
                {
                    lines++;
                    if (end >= target && cuts.Count < parts - 1)
                    {
                        cuts.Add((end, lines));
                        target = dataStart + ((length - dataStart) * (cuts.Count + 1) / parts);
                    }
                }

                lastEnd = end;
                int next = chunk[(at + 1)..].IndexOf((byte)'\n');
                at = next < 0 ? -1 : at + 1 + next;
            }
        }

        if (dataStart < 0 || dataStart >= length)
        {
            return null;
        }

        // a last line without a line end is a row too
        int total = lines + (lastEnd < length ? 1 : 0);
        var ranges = new Range[cuts.Count + 1];
        (long start, int firstRow) = (dataStart, 0);
        for (int i = 0; i <= cuts.Count; i++)
        {
            (long stop, int rowsBefore) = i < cuts.Count ? cuts[i] : (length, total);
            ranges[i] = new Range(start, stop - start, firstRow, rowsBefore - firstRow);
            (start, firstRow) = (stop, rowsBefore);
        }

        return ranges;
    }

    /// <summary>A read-only view of the next <c>length</c> bytes of a stream.</summary>
    private sealed class BoundedStream(Stream inner, long length) : Stream
    {
        private long _left = length;

        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => throw new NotSupportedException();

        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

        public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

        public override int Read(Span<byte> buffer)
        {
            int read = _left <= 0 ? 0 : inner.Read(buffer[..(int)Math.Min(buffer.Length, _left)]);
            _left -= read;
            return read;
        }

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
