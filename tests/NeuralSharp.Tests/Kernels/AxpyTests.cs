using NeuralSharp.Kernels;

namespace NeuralSharp.Tests.Kernels;

[Collection(GemmThreads.Name)]
public sealed class AxpyTests
{
    [Theory]
    [InlineData(0, 1)]
    [InlineData(7, 1)]
    [InlineData(70_001, 1)] // long enough to be split, odd so the halves differ
    [InlineData(70_001, 2)]
    public void Adds_a_times_x_to_y(int length, int threads)
    {
        int original = Parallelism.Threads;
        Parallelism.Threads = threads;
        try
        {
            float[] x = [.. Enumerable.Range(0, length).Select(i => (float)(i % 13))];
            float[] y = [.. Enumerable.Range(0, length).Select(i => (float)(i % 7))];
            Axpy.Run(-0.5f, x, y);
            for (int i = 0; i < length; i++)
            {
                Assert.Equal((i % 7) - (0.5f * (i % 13)), y[i]);
            }
        }
        finally
        {
            Parallelism.Threads = original;
        }
    }

    [Fact]
    public void Refuses_an_x_shorter_than_y() =>
        Assert.Throws<ArgumentException>(() => Axpy.Run(1f, new float[3], new float[4]));
}
