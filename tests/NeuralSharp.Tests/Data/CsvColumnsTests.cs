using NeuralSharp.Data;

namespace NeuralSharp.Tests.Data;

/// <summary>Text columns as categories, one-hot; missing values refused, dropped or filled; a model's encoding applied to a new file.</summary>
public sealed class CsvColumnsTests
{
    private const string Houses = "city,rooms,area,price\nParis,3,60,300\nLyon,2,,150\nNice,4,80,260\nParis,,50,240\nLyon,5,100,330\n";

    private static Dataset Read(string text, CsvOptions? options = null) => CsvReader.Read(new StringReader(text), "houses.csv", options);

    [Fact]
    public void A_column_whose_first_cell_is_text_becomes_one_feature_per_category_in_sorted_order()
    {
        Dataset data = Read("size,colour,target\nS,red,0\nL,blue,1\nM,red,0\nL,1,1\n");
        Assert.Equal(["size=L", "size=M", "size=S", "colour=1", "colour=blue", "colour=red"], data.FeatureNames);
        Assert.Equal([0.0, 0, 1, 0, 0, 1], data.FeatureRow(0).ToArray());
        Assert.Equal([1.0, 0, 0, 1, 0, 0], data.FeatureRow(3).ToArray());
        Assert.Equal(["L", "M", "S"], data.Encoding!.Columns[0].Categories!);
        Assert.Null(data.Encoding.Columns[0].Fill);
    }

    [Fact]
    public void A_plain_number_file_has_no_encoding_and_text_in_a_number_column_is_still_a_bad_number()
    {
        Assert.Null(Read("a,b,target\n1,2,0\n3,4,1\n").Encoding);
        var error = Assert.Throws<DataFormatException>(() => Read("a,b,target\n1,2,0\n3,heavy,1\n"));
        Assert.Equal("houses.csv, line 3, column 2 (b): 'heavy' is not a number.", error.Message);
    }

    [Fact]
    public void Missing_values_are_refused_with_the_way_out_named()
    {
        var error = Assert.Throws<DataFormatException>(() => Read(Houses, new CsvOptions { TargetColumn = "price" }));
        Assert.Equal("houses.csv, line 3, column 3 (area): a missing value (the cell is empty); every cell needs one: fill it in, drop the row, or train with --missing drop|mean|median.", error.Message);
    }

    [Fact]
    public void Drop_leaves_out_the_rows_with_a_gap_and_their_targets()
    {
        Dataset data = Read(Houses, new CsvOptions { TargetColumn = "price", Missing = MissingValues.Drop, Task = TaskKind.Regression });
        Assert.Equal(3, data.Count);
        Assert.Equal([300.0, 260, 330], data.Targets.ToArray());
        Assert.Equal(["city=Lyon", "city=Nice", "city=Paris", "rooms", "area"], data.FeatureNames);
        Assert.Equal([0.0, 1, 0, 4, 80], data.FeatureRow(1).ToArray());
        Assert.All(data.Encoding!.Columns, c => Assert.Null(c.Fill));
    }

    [Theory]
    [InlineData(MissingValues.Mean, 3.5, 72.5)]
    [InlineData(MissingValues.Median, 3.5, 70.0)]
    public void Mean_and_median_fill_a_number_column_from_its_other_cells(MissingValues missing, double rooms, double area)
    {
        Dataset data = Read(Houses, new CsvOptions { TargetColumn = "price", Missing = missing, Task = TaskKind.Regression });
        Assert.Equal(5, data.Count);
        Assert.Equal(area, data.FeatureRow(1)[4]);
        Assert.Equal(rooms, data.FeatureRow(3)[3]);
        Assert.Equal([null, rooms, area], data.Encoding!.Columns.Select(c => c.Fill));
    }

    [Fact]
    public void A_gap_in_a_text_column_is_all_zeros()
    {
        Dataset data = Read("city,target\nParis,1\nNA,2\nLyon,3\n", new CsvOptions { Missing = MissingValues.Mean, Task = TaskKind.Regression });
        Assert.Equal([0.0, 0], data.FeatureRow(1).ToArray());
    }

    [Fact]
    public void Too_many_categories_is_an_identifier_refused_by_line_and_column()
    {
        string rows = string.Concat(Enumerable.Range(0, FeatureEncoding.MaxCategories + 1).Select(i => $"id{i},{i % 2}\n"));
        var error = Assert.Throws<DataFormatException>(() => Read("name,target\n" + rows));
        Assert.StartsWith($"houses.csv, line {FeatureEncoding.MaxCategories + 2}, column 1 (name): 'id100' is the 101th different text", error.Message, StringComparison.Ordinal);
        Assert.Contains("leave it out of the file", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_models_encoding_reads_a_new_file_the_same_way()
    {
        FeatureEncoding encoding = Read(Houses, new CsvOptions { TargetColumn = "price", Missing = MissingValues.Mean, Task = TaskKind.Regression }).Encoding!;
        // other column order, an unknown city, a gap in a filled column, an id the model does not read
        Dataset data = Read("id,area,rooms,city\n7,55,,Paris\n8,,2,Marseille\n", new CsvOptions { WithoutTarget = true, Encoding = encoding });
        Assert.Equal(encoding.FeatureNames, data.FeatureNames);
        Assert.Equal([0.0, 0, 1, 3.5, 55], data.FeatureRow(0).ToArray());
        Assert.Equal([0.0, 0, 0, 2, 72.5], data.FeatureRow(1).ToArray());
        Assert.Equal((1, "line 3, column 4 (city): 'Marseille'"), data.UnknownCategories);

        // a model trained without filling refuses a gap; text where it takes a number is a bad number
        FeatureEncoding strict = encoding with { Columns = [.. encoding.Columns.Select(c => c with { Fill = null })] };
        var gap = Assert.Throws<DataFormatException>(() => Read("city,rooms,area\nParis,3,\n", new CsvOptions { WithoutTarget = true, Encoding = strict }));
        Assert.Contains("column 3 (area): a missing value (the cell is empty); the model was trained without filling missing values", gap.Message, StringComparison.Ordinal);
        var text = Assert.Throws<DataFormatException>(() => Read("city,rooms,area\nParis,three,50\n", new CsvOptions { WithoutTarget = true, Encoding = encoding }));
        Assert.Contains("column 2 (rooms): 'three' is not a number", text.Message, StringComparison.Ordinal);
    }
}
