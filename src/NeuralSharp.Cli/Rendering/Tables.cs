using System.Globalization;
using NeuralSharp.Layers;
using NeuralSharp.Training;
using Spectre.Console;

namespace NeuralSharp.Cli.Rendering;

/// <summary>Spectre.Console tables for networks, confusion matrices and per-class scores.</summary>
internal static class Tables
{
    public static Table Network<T>(Sequential<T> network)
        where T : unmanaged, System.Numerics.IFloatingPointIeee754<T>
    {
        var table = new Table().Title("Network").AddColumns("Layer", "Type", "Output shape", "Params");
        foreach (NetworkSummary.Row row in network.Rows())
        {
            table.AddRow(Markup.Escape(row.Name), Markup.Escape(row.Kind), Markup.Escape(row.OutputShape), row.Parameters.ToString("N0", CultureInfo.InvariantCulture));
        }

        table.Caption(Markup.Escape($"{network.ParameterCount:N0} parameters, input {network.InputShape()}"));
        return table;
    }

    public static Table Confusion(ConfusionMatrix matrix)
    {
        var table = new Table().Title("Confusion matrix (rows: actual, columns: predicted)").AddColumn("actual \\ predicted");
        foreach (string name in matrix.ClassNames)
        {
            table.AddColumn(new TableColumn(Markup.Escape(name)).RightAligned());
        }

        for (int a = 0; a < matrix.ClassNames.Count; a++)
        {
            table.AddRow([Markup.Escape(matrix.ClassNames[a]), .. Enumerable.Range(0, matrix.ClassNames.Count)
                .Select(p => p == a ? $"[green]{matrix[a, p]}[/]" : matrix[a, p].ToString(CultureInfo.InvariantCulture))]);
        }

        return table;
    }

    public static Table Scores(ConfusionMatrix matrix)
    {
        var table = new Table().Title("Per class").AddColumns("class", "precision", "recall", "F1");
        for (int c = 0; c < matrix.ClassNames.Count; c++)
        {
            table.AddRow(Markup.Escape(matrix.ClassNames[c]), F(matrix.Precision(c)), F(matrix.Recall(c)), F(matrix.F1(c)));
        }

        return table;
    }

    public static string F(double value) => value.ToString("F4", CultureInfo.InvariantCulture);
}
