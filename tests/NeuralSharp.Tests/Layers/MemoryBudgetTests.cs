using System.Buffers.Binary;
using System.Diagnostics;
using NeuralSharp.Activations;
using NeuralSharp.Layers;

namespace NeuralSharp.Tests.Layers;

/// <summary>The memory a batch implies, counted from the shapes and refused before it is allocated.</summary>
public sealed class MemoryBudgetTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("ns-memory-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [Fact]
    public void A_convolution_counts_its_im2col_columns_and_a_recurrent_layer_every_step()
    {
        // conv 16×3×3 on 1×100×100, pad 1: P = 10,000 positions; per row: columns 9·P, output 16·P, input gradient
        // 10,000; once: the second half's ∂W and ∂b 9·16 + 16, two images' ∂L/∂col 2·9·P, two threads' copy of δ_nᵀ 2·16·P
        var conv = new Conv2D<float>(new ImageShape(1, 100, 100), 16, 3, 3, padding: 1);
        Assert.Equal((32L * ((10_000L * (9 + 16)) + 10_000)) + (9 * 16) + 16 + (2 * 9 * 10_000) + (2 * 16 * 10_000), conv.WorkingValues(32));
        Sequential<float> network = new NetworkBuilder<float>(new ImageShape(1, 100, 100)).Conv2D(16, 3, padding: 1).Dense(2, ActivationKind.Softmax).Build(seed: 1);
        (long small, _, _) = MemoryBudget.Estimate(network, 10);
        (long large, _, _) = MemoryBudget.Estimate(network, 1000);
        Assert.InRange(large / (double)small, 50, 100.1);
        // an LSTM of 128 units over 1,000 steps of a batch of 64 holds every step's gates
        var lstm = new Lstm<float>(new SequenceShape(1000, 32), 128);
        Assert.True(lstm.WorkingValues(64) > 64L * 1000 * 4 * 128 * 2);
    }

    [Fact]
    public void A_pass_over_the_budget_is_refused_with_the_figure_and_what_to_change()
    {
        Sequential<float> network = new NetworkBuilder<float>(new ImageShape(1, 2000, 2000)).Conv2D(16, 3, padding: 1).MaxPool2D(50).Dense(2, ActivationKind.Softmax).Build(seed: 1);
        (long bytes, _, _) = MemoryBudget.Estimate(network, 32);
        Assert.True(bytes > 20L << 30, $"{bytes:N0} bytes");
        long before = GC.GetAllocatedBytesForCurrentThread();
        var error = Assert.Throws<MemoryBudgetException>(() => MemoryBudget.EnsureFits(network, 32, "Training in batches of 32"));
        Assert.True(GC.GetAllocatedBytesForCurrentThread() - before < (1 << 20));
        Assert.Contains("Training in batches of 32 would need about", error.Message, StringComparison.Ordinal);
        Assert.Contains("' alone", error.Message, StringComparison.Ordinal);
        Assert.Contains("smaller batch", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Wide_images_under_a_small_heap_are_refused_before_training_and_the_process_stays_small()
    {
        // twelve 1×1500×1500 images (27 MB): a 3×3 convolution of 16 filters on a batch of them is ≈ 6 GB of im2col and products
        string images = Path.Combine(_folder, "wide-images.idx"), labels = Path.Combine(_folder, "wide-labels.idx");
        byte[] header = new byte[16];
        BinaryPrimitives.WriteInt32BigEndian(header, 0x0803);
        BinaryPrimitives.WriteInt32BigEndian(header.AsSpan(4), 12);
        BinaryPrimitives.WriteInt32BigEndian(header.AsSpan(8), 1500);
        BinaryPrimitives.WriteInt32BigEndian(header.AsSpan(12), 1500);
        File.WriteAllBytes(images, [.. header, .. new byte[12 * 1500 * 1500]]);
        File.WriteAllBytes(labels, [0, 0, 8, 1, 0, 0, 0, 12, 0, 1, 0, 1, 0, 1, 0, 1, 0, 1, 0, 1]);
        var start = new ProcessStartInfo("dotnet", [Path.Combine(AppContext.BaseDirectory, "NeuralSharp.Cli.dll"), "train", "--data", images, "--labels", labels,
            "--layers", "conv:16x3x3:p1,pool:50", "--test-split", "0.25", "--val-split", "0", "--epochs", "1", "--plot", Path.Combine(_folder, "loss.png")])
        { RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = _folder };
        // a 1 GB heap: the budget is three quarters of it
        start.Environment["DOTNET_GCHeapHardLimit"] = "0x40000000";
        using Process process = Process.Start(start)!;
        string output = process.StandardOutput.ReadToEnd() + process.StandardError.ReadToEnd();
        process.WaitForExit();
        Assert.True(process.ExitCode == 1, output);
        Assert.Contains("would need about", output, StringComparison.Ordinal);
        Assert.Contains("the budget is 0.8 GB", output, StringComparison.Ordinal);
        Tests.Cli.CliRunner.AssertNoStackTrace(output);
    }
}
