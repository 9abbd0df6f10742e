using NeuralSharp.Data;

namespace NeuralSharp.Tests.Data;

public sealed class CsvReaderTests
{
    private static Dataset Read(string text, CsvOptions? options = null) =>
        CsvReader.Read(new StringReader(text), "animals.csv", options);

    private static string ErrorOf(string text, CsvOptions? options = null) =>
        Assert.Throws<DataFormatException>(() => Read(text, options)).Message;

    [Fact]
    public void Reads_numeric_features_and_a_text_target_as_named_classes()
    {
        Dataset data = Read("length,weight,kind\n40,4.5,cat\n90,30,dog\n8,0.02,mouse\n45,5,cat\n");
        Assert.Equal(["length", "weight"], data.FeatureNames);
        Assert.Equal(["cat", "dog", "mouse"], data.ClassNames!);
        Assert.Equal(TaskKind.MultiClassClassification, data.Task);
        Assert.Equal([0.0, 1, 2, 0], data.Targets.ToArray());
        Assert.Equal([90.0, 30], data.FeatureRow(1).ToArray());
        Assert.Equal("kind", data.TargetName);
    }

    [Fact]
    public void Picks_the_target_column_by_name_anywhere_in_the_row()
    {
        Dataset data = Read("price,rooms,area\n100,2,50\n200,4,90\n", new CsvOptions { TargetColumn = "PRICE", Task = TaskKind.Regression });
        Assert.Equal(["rooms", "area"], data.FeatureNames);
        Assert.Equal(TaskKind.Regression, data.Task);
        Assert.Equal([100.0, 200], data.Targets.ToArray());
    }

    [Fact]
    public void Guesses_classes_from_few_whole_numbers_and_regression_otherwise()
    {
        Assert.Equal(TaskKind.BinaryClassification, Read("a,target\n1,0\n2,1\n3,1\n").Task);
        Assert.Equal(TaskKind.Regression, Read("a,target\n1,0.5\n2,1.5\n").Task);
        Assert.Equal(TaskKind.Regression, BuiltInDatasets.Load("diabetes").Task);
    }

    [Fact]
    public void Bad_number_names_line_column_and_header()
    {
        Assert.Equal("animals.csv, line 3, column 2 (weight): 'heavy' is not a number.",
            ErrorOf("length,weight,kind\n40,4.5,cat\n90,heavy,dog\n"));
    }

    [Fact]
    public void Empty_cell_and_nan_are_refused()
    {
        Assert.Equal("animals.csv, line 2, column 1 (length): a missing value (the cell is empty); every cell needs one: fill it in, drop the row, or train with --missing drop|mean|median.",
            ErrorOf("length,kind\n,cat\n"));
        Assert.Contains("line 2, column 1 (length): 'NaN' is not a finite number", ErrorOf("length,kind\nNaN,cat\n"), StringComparison.Ordinal);
    }

    [Fact]
    public void Ragged_row_names_the_line_and_both_counts()
    {
        Assert.Equal("animals.csv, line 3: 2 cells, but the header has 3 columns.",
            ErrorOf("length,weight,kind\n40,4.5,cat\n90,dog\n"));
        Assert.Equal("animals.csv, line 3: 1 cell, but the header has 2 columns.", ErrorOf("length,kind\n40,cat\n90\n"));
    }

    [Fact]
    public void Empty_file_and_header_only_say_so()
    {
        Assert.Contains("the file is empty", ErrorOf(""), StringComparison.Ordinal);
        Assert.Contains("no data rows", ErrorOf("a,b,target\n"), StringComparison.Ordinal);
    }

    [Fact]
    public void Unknown_target_column_lists_the_columns()
    {
        Assert.Equal("animals.csv: there is no column 'species' for the target. Columns: length, weight, kind.",
            ErrorOf("length,weight,kind\n40,4.5,cat\n", new CsvOptions { TargetColumn = "species" }));
    }

    [Fact]
    public void Reads_a_file_from_disk_and_names_it_in_errors()
    {
        string path = Path.Combine(Path.GetTempPath(), $"ns-{Guid.NewGuid():N}.csv");
        File.WriteAllText(path, "x,target\r\n1,0\r\n2,oops\r\n");
        try
        {
            var error = Assert.Throws<DataFormatException>(() => CsvReader.Read(path, new CsvOptions { Task = TaskKind.Regression }));
            Assert.StartsWith(Path.GetFileName(path) + ", line 3, column 2 (target)", error.Message, StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(path);
        }

        Assert.Throws<FileNotFoundException>(() => CsvReader.Read(path));
    }

    [Fact]
    public void Classes_are_counted_from_the_labels_present_not_from_the_largest()
    {
        // a 34-byte file once sized a confusion matrix by its largest label
        var classes = new CsvOptions { Task = TaskKind.MultiClassClassification };
        Dataset data = Read("a,target\n1,0\n2,1000000000\n3,0\n", classes);
        Assert.Equal(["0", "1000000000"], data.ClassNames!);
        Assert.Equal([0.0, 1, 0], data.Targets.ToArray());
        Assert.Equal(["1", "5", "7"], Read("a,target\n1,5\n2,7\n3,1\n", classes).ClassNames!);
    }

    [Fact]
    public void More_classes_than_the_limit_are_refused_with_the_figure()
    {
        string csv = "a,kind\n" + string.Concat(Enumerable.Range(0, Dataset.MaxClasses + 1).Select(i => $"{i},k{i}\n"));
        string error = ErrorOf(csv);
        Assert.Contains("1,001 different labels", error, StringComparison.Ordinal);
        Assert.Contains("at most 1,000", error, StringComparison.Ordinal);
    }

    [Fact]
    public void Errors_name_the_physical_line_after_blank_lines()
    {
        string error = ErrorOf("a,target\n1,2\n\n\n3,x\n", new CsvOptions { Task = TaskKind.Regression });
        Assert.Contains("line 5", error, StringComparison.Ordinal);
    }

    [Fact]
    public void A_huge_cell_is_quoted_by_an_excerpt()
    {
        string cell = new('x', 10_000_000);
        string error = ErrorOf($"a,target\n{cell},1\n");
        Assert.True(error.Length < 300, $"a {error.Length:N0}-character message");
        Assert.Contains("10,000,000 characters", error, StringComparison.Ordinal);
    }

    [Fact]
    public void Few_whole_numbers_are_classes_only_when_they_are_the_indices_0_to_k_minus_1()
    {
        // linnerud's weights: 20 rows of whole numbers, once trained as a 75-class classifier
        string weights = "a,weight\n" + string.Concat(Enumerable.Range(0, 20).Select(i => $"{i},{150 + (i % 9 * 7)}\n"));
        Assert.Equal(TaskKind.Regression, Read(weights).Task);
        Assert.Equal(TaskKind.MultiClassClassification, Read("a,target\n1,0\n2,2\n3,1\n4,2\n").Task);
        Assert.Equal(TaskKind.Regression, Read("a,target\n1,1\n2,2\n3,1\n4,2\n").Task); // no class 0
    }

    [Theory]
    [InlineData('\t')]
    [InlineData(';')]
    public void Tab_and_semicolon_separated_files_are_read(char separator)
    {
        Dataset data = Read($"a{separator}b{separator}kind\n1{separator}2{separator}cat\n3{separator}4{separator}dog\n");
        Assert.Equal(["a", "b"], data.FeatureNames);
        Assert.Equal(["cat", "dog"], data.ClassNames!);
    }

    [Fact]
    public void A_file_with_only_a_target_column_is_refused_as_a_format_error()
    {
        string error = ErrorOf("target\n1\n2\n");
        Assert.Contains("the header 'target' names no feature columns", error, StringComparison.Ordinal);
        // a long header is quoted by an excerpt, closed like a short one
        string wide = ErrorOf(new string('t', 100) + "\n1\n");
        Assert.Contains("…' (100 characters) names no feature columns", wide, StringComparison.Ordinal);
    }

    [Fact]
    public void Quoted_cells_may_hold_the_separator_and_doubled_quotes()
    {
        // RFC 4180: a header name with a comma, a quoted number, a label with a quote in it
        Dataset data = Read("\"size, cm\",\"weight\",kind\n\"40\",4.5,\"big \"\"cat\"\"\"\n90,30,dog\n");
        Assert.Equal(["size, cm", "weight"], data.FeatureNames);
        Assert.Equal(["big \"cat\"", "dog"], data.ClassNames!);
        Assert.Equal([40.0, 4.5], data.FeatureRow(0).ToArray());
    }

    [Fact]
    public void The_separator_is_detected_outside_quotes_or_given()
    {
        // the header's comma is inside quotes: the file is semicolon-separated
        Dataset data = Read("\"size, cm\";kind\n1;cat\n2;dog\n");
        Assert.Equal(["size, cm"], data.FeatureNames);
        Assert.Equal('\t', CsvReader.Detect("a\tb\tc,d"));
        // a pipe is not detected, but can be named
        Assert.Contains("names no feature columns", ErrorOf("a|kind\n1|cat\n"), StringComparison.Ordinal);
        Assert.Equal(["a"], Read("a|kind\n1|cat\n2|dog\n", new CsvOptions { Delimiter = '|' }).FeatureNames);
    }

    [Fact]
    public void Missing_value_markers_and_an_empty_label_are_named_as_missing()
    {
        Assert.Contains("line 3, column 2 (weight): a missing value ('NA')", ErrorOf("length,weight,kind\n40,4.5,cat\n90,NA,dog\n"), StringComparison.Ordinal);
        Assert.Contains("line 2, column 2 (kind): a missing value (the cell is empty)", ErrorOf("length,kind\n40,\n90,dog\n"), StringComparison.Ordinal);
    }

    [Fact]
    public void An_unclosed_quote_names_where_it_opened()
    {
        string error = ErrorOf("length,kind\n40,cat\n\"90,dog\n50,cat\n");
        Assert.Contains("line 3, column 1 (length): a quoted cell runs on to line", error, StringComparison.Ordinal);
        Assert.Contains("closing quote missing", error, StringComparison.Ordinal);
    }

    [Fact]
    public void A_column_named_twice_is_refused()
    {
        Assert.Equal("animals.csv: the header names the column 'a' twice (columns 1 and 3).", ErrorOf("a,b,a,kind\n1,2,3,cat\n"));
    }

    [Fact]
    public void Rows_without_a_target_are_read_as_features_only()
    {
        Dataset data = Read("a,b\n1,2\n3,4\n", new CsvOptions { WithoutTarget = true });
        Assert.Equal(["a", "b"], data.FeatureNames);
        Assert.Equal(2, data.Count);
        Assert.Equal([3.0, 4], data.FeatureRow(1).ToArray());
    }

    [Fact]
    public void Negative_whole_labels_are_classes_when_the_task_says_so()
    {
        Dataset data = Read("a,target\n1,-1\n2,1\n3,-1\n", new CsvOptions { Task = TaskKind.MultiClassClassification });
        Assert.Equal(["-1", "1"], data.ClassNames!);
        Assert.Equal([0.0, 1, 0], data.Targets.ToArray());
        Assert.Contains("fractions", ErrorOf("a,target\n1,0.5\n2,1\n", new CsvOptions { Task = TaskKind.MultiClassClassification }), StringComparison.Ordinal);
    }
}
