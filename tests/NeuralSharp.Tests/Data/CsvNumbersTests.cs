using System.Globalization;
using System.Text;
using NeuralSharp.Data;

namespace NeuralSharp.Tests.Data;

/// <summary>
/// The fast path for files of plain numbers gives exactly what the careful reader gives (it reads the same file as text),
/// and every file it does not take — blank lines, quotes, spaces, text, ragged rows — still reads, or fails, as before.
/// </summary>
public sealed class CsvNumbersTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("ns-csvnumbers-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    private string Write(string text)
    {
        string path = Path.Combine(_folder, $"f{Guid.NewGuid():N}.csv");
        File.WriteAllText(path, text);
        return path;
    }

    private static string Numbers(int rows, int features, Func<int, string> target, bool lastNewline = true)
    {
        var random = new Random(3);
        var text = new StringBuilder(string.Join(',', Enumerable.Range(0, features).Select(j => $"f{j}")) + ",target\n");
        for (int i = 0; i < rows; i++)
        {
            text.AppendJoin(',', Enumerable.Range(0, features).Select(_ => (random.NextDouble() * 200 - 100).ToString("R", CultureInfo.InvariantCulture)));
            text.Append(',').Append(target(i)).Append(i < rows - 1 || lastNewline ? "\n" : "");
        }

        return text.ToString();
    }

    public static TheoryData<int, bool, string> Files() => new()
    {
        { 50_000, true, "classes" }, { 50_001, false, "classes" }, { 3, true, "classes" }, { 40_000, true, "regression" }, { 7, false, "regression" },
    };

    [Theory]
    [MemberData(nameof(Files))]
    public void A_file_of_numbers_reads_as_the_careful_reader_reads_it(int rows, bool lastNewline, string kind)
    {
        string text = Numbers(rows, 7, i => kind == "classes" ? (i % 3).ToString(CultureInfo.InvariantCulture) : (i * 0.37).ToString("R", CultureInfo.InvariantCulture), lastNewline);
        string path = Write(text);
        Assert.NotNull(CsvNumbers.TryRead(path, ',', new CsvOptions()));
        Dataset fast = CsvReader.Read(path);
        Dataset careful = CsvReader.Read(new StringReader(text), Path.GetFileName("x.csv"));
        Assert.Equal(careful.Count, fast.Count);
        Assert.Equal(careful.FeatureNames, fast.FeatureNames);
        Assert.Equal(careful.ClassNames, fast.ClassNames);
        Assert.Equal(careful.TargetName, fast.TargetName);
        Assert.True(careful.Features.SequenceEqual(fast.Features), "the features differ");
        Assert.True(careful.Targets.SequenceEqual(fast.Targets), "the targets differ");
    }

    [Theory]
    [InlineData("a,b,target\n1,2,0\n\n3,4,1\n5,6,0\n")]
    [InlineData("a,b,target\n1,\"2\",0\n3,4,1\n5,6,0\n")]
    [InlineData("a,b,target\n1,2,cat\n3,4,dog\n5,6,cat\n")]
    [InlineData("\"a\",b,target\n1,2,0\n3,4,1\n5,6,0\n")]
    [InlineData("\na,b,target\n1,2,0\n3,4,1\n5,6,0\n")]
    public void A_file_that_is_not_plain_numbers_reads_as_before(string text)
    {
        string path = Write(text);
        Assert.Null(CsvNumbers.TryRead(path, ',', new CsvOptions()));
        Dataset read = CsvReader.Read(path);
        Dataset careful = CsvReader.Read(new StringReader(text), "x.csv");
        Assert.Equal(careful.Features.ToArray(), read.Features.ToArray());
        Assert.Equal(careful.Targets.ToArray(), read.Targets.ToArray());
        Assert.Equal(careful.ClassNames, read.ClassNames);
    }

    [Fact]
    public void A_number_after_a_space_reads_as_the_careful_reader_trims_it()
    {
        string text = "a,b,target\n1, 2,0\n3,4 ,1\n5,6,0\n";
        Assert.Equal(CsvReader.Read(new StringReader(text), "x.csv").Features.ToArray(), CsvReader.Read(Write(text)).Features.ToArray());
    }

    [Theory]
    [InlineData("a,b,target\n1,2,0\n3,4\n5,6,0\n", "line 3")]
    [InlineData("a,b,target\n1,2,0\n3,x,1\n5,6,0\n", "line 3, column 2 (b)")]
    [InlineData("a,b,target\n1,2,0\n3,NaN,1\n5,6,0\n", "not a finite number")]
    public void A_bad_row_gets_the_careful_readers_message(string text, string expected)
    {
        string message = Assert.Throws<DataFormatException>(() => CsvReader.Read(Write(text))).Message;
        Assert.Contains(expected, message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_wide_header_over_empty_lines_claims_no_memory_for_rows_it_cannot_hold()
    {
        // 20,000 lines but each far too short for 500 numbers: nothing is sized by the line count
        string text = string.Join(',', Enumerable.Range(0, 500).Select(j => $"c{j}")) + "\n" + string.Concat(Enumerable.Repeat("1\n", 20_000));
        string path = Write(text);
        long before = GC.GetAllocatedBytesForCurrentThread();
        Assert.Throws<DataFormatException>(() => CsvReader.Read(path));
        Assert.True(GC.GetAllocatedBytesForCurrentThread() - before < 50_000_000, "a short file made the reader allocate for rows it cannot hold");
    }
}
