using NeuralSharp.Kernels;

namespace NeuralSharp.Tests.Kernels;

public sealed class RowOpsTests
{
    [Theory]
    [InlineData(1)]
    [InlineData(10)] // narrow rows: plain loops and one exp over the batch
    [InlineData(40)] // wide rows: a row at a time
    public void Softmax_of_each_row_matches_the_definition_even_for_large_inputs(int columns)
    {
        const int rows = 7;
        var u = new double[rows * columns];
        for (int i = 0; i < u.Length; i++)
        {
            // row 3 is huge, where exp(u) alone would overflow
            u[i] = ((i * 37 % 11) - 5) * 0.7 + (i / columns == 3 ? 1000 : 0);
        }

        var z = new double[u.Length];
        RowOps.Softmax<double>(u, z, columns);
        for (int r = 0; r < rows; r++)
        {
            double max = u.Skip(r * columns).Take(columns).Max();
            double sum = u.Skip(r * columns).Take(columns).Sum(v => Math.Exp(v - max));
            for (int j = 0; j < columns; j++)
            {
                Assert.Equal(Math.Exp(u[(r * columns) + j] - max) / sum, z[(r * columns) + j], 1e-14);
            }
        }
    }
}
