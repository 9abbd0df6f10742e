using NeuralSharp.Bench;
using NeuralSharp.Kernels;
using NeuralSharp.Tests.Kernels;

namespace NeuralSharp.Tests.Cli;

/// <summary><c>--threads</c> on train and bench, and what <see cref="Parallelism.Threads"/> honestly holds.</summary>
[Collection(GemmThreads.Name)]
public sealed class ThreadsOptionTests
{
    [Fact]
    public void Max_threads_says_what_the_library_uses()
    {
        int original = Parallelism.Threads;
        try
        {
            Parallelism.Threads = 8;
            Assert.Equal(2, Parallelism.Threads); // the caller and one helper
            Parallelism.Threads = 1;
            Assert.Equal(1, Parallelism.Threads);
            Assert.Throws<ArgumentOutOfRangeException>(() => Parallelism.Threads = 0);
        }
        finally
        {
            Parallelism.Threads = original;
        }
    }

    [Fact]
    public void Train_takes_threads_and_leaves_the_library_as_it_was()
    {
        int original = Parallelism.Threads;
        (int code, string output) = CliRunner.Run("train", "--data", "iris", "--epochs", "2", "--threads", "1", "--json");
        Assert.Equal(0, code);
        Assert.Contains("accuracy", output, StringComparison.Ordinal);
        Assert.Equal(original, Parallelism.Threads);
        (int bad, string message) = CliRunner.Run("train", "--threads", "0");
        Assert.NotEqual(0, bad);
        Assert.Contains("--threads must be 1", message, StringComparison.Ordinal);
        CliRunner.AssertNoStackTrace(message);
    }

    [Fact]
    public void Bench_names_the_workloads_it_cannot_run()
    {
        Assert.Null(Workloads.Unknown("W1,W6,W7,W8,W9"));
        Assert.Contains("'W10' is not a workload", Workloads.Unknown("W10"), StringComparison.Ordinal);
        (int code, string output) = CliRunner.Run("bench", "--only", "W10");
        Assert.Equal(2, code);
        Assert.Contains("W10", output, StringComparison.Ordinal);
        CliRunner.AssertNoStackTrace(output);
    }
}
