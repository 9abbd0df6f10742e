using System.Text.Json;

namespace NeuralSharp.Tests.Cli;

/// <summary>Day 2 from the command line: the layer grammar, and the simple conv net's accuracy on the built-in MNIST.</summary>
public sealed class ConvNetCommandTests
{
    [Theory]
    [InlineData(42UL)]
    [InlineData(7UL)] // another split of the 10,000 images: the recipe is not tuned to one test set (see the bound below)
    public void The_simple_conv_net_reaches_97_5_percent_on_mnist_within_10_epochs_and_generalises(ulong seed)
    {
        (int code, string output) = CliRunner.Run("train", "--data", "mnist", "--layers", "conv:30x5x5,pool:2,dense:100", "--optimizer", "adam", "--lr", "0.001",
            "--batch", "100", "--epochs", "10", "--seed", seed.ToString(System.Globalization.CultureInfo.InvariantCulture), "--val-split", "0", "--json");
        Assert.True(code == 0, output);
        double accuracy = JsonDocument.Parse(output).RootElement.GetProperty("test_accuracy").GetDouble();
        // the book's recipe trains on all 8,000 training digits (no validation rows held out); 97.5 % on the default split; on another the same recipe must stay within the noise of 2,000 test digits
        // (±0.35 %: PyTorch's own run of this recipe scores 97.4–97.7 % on other splits)
        double bound = seed == 42 ? 0.975 : 0.970;
        Assert.True(accuracy >= bound, $"test accuracy {accuracy:P2} with seed {seed}");
    }

    [Fact]
    public void The_built_in_digits_are_8_by_8_images_a_convolution_takes()
    {
        (int code, string output) = CliRunner.Run("train", "--data", "digits", "--layers", "conv:8x3x3,pool:2,dense:32", "--plot", "none", "--json");
        Assert.True(code == 0, output);
        Assert.True(JsonDocument.Parse(output).RootElement.GetProperty("test_accuracy").GetDouble() >= 0.93, output);
    }

    [Theory]
    [InlineData("conv:8x3x3:p1,pool:2,dense:16", "Conv2D 8×3×3 p1", "[batch, 8, 14, 14]")]
    [InlineData("conv:4x5x5:s2,bn,pool:3:s2,dropout:0.5,10", "MaxPool2D 3×3 s2", "Dropout 0.5")]
    public void The_layer_grammar_builds_what_it_says(string layers, string kind, string shape)
    {
        (int code, string output) = CliRunner.Run("train", "--data", "mnist", "--layers", layers, "--epochs", "1", "--test-split", "0.9", "--plot", Path.Combine(Path.GetTempPath(), "ns-grammar.png"));
        Assert.True(code == 0, output);
        Assert.Contains(kind, output, StringComparison.Ordinal);
        Assert.Contains(shape, output, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("conv:8x3x3", "iris", "need images")]
    [InlineData("conv:8x3x5", "mnist", "square")]
    [InlineData("pool:0", "mnist", "sizes there are 1")]
    [InlineData("dense:abc", "mnist", "is not a layer")]
    [InlineData("dropout:1.5", "mnist", "[0, 1)")]
    public void A_bad_layer_is_a_usage_error_that_names_it(string layers, string data, string expected)
    {
        (int code, string output) = CliRunner.Run("train", "--data", data, "--layers", layers, "--epochs", "1");
        Assert.Equal(2, code);
        Assert.Contains(expected, output, StringComparison.Ordinal);
    }

    [Fact]
    public void A_saved_conv_net_is_gradient_checked_and_traced()
    {
        string model = Path.Combine(Path.GetTempPath(), $"ns-conv-{Environment.ProcessId}.nsmodel");
        Assert.Equal(0, CliRunner.Run("train", "--data", "mnist", "--layers", "conv:4x5x5,pool:2,dense:16", "--batch-norm", "--dropout", "0.2", "--epochs", "1", "--json", "--save", model).ExitCode);
        (int code, string output) = CliRunner.Run("gradcheck", "--model", model);
        Assert.True(code == 0, output);
        (int traced, string trace) = CliRunner.Run("trace", "--model", model);
        Assert.True(traced == 0, trace);
        Assert.Contains("pool1", trace, StringComparison.Ordinal);
        Assert.Contains("dW1", trace, StringComparison.Ordinal);
        File.Delete(model);
    }

    [Fact]
    public void The_gradient_check_of_a_trained_conv_net_is_the_same_every_run_and_passes()
    {
        // the README's recipe (shortened): thousands of ReLU inputs and pooling windows lie near a kink at any point, so the
        // check leaves out the entries whose nudges cross one, and says how many
        string model = Path.Combine(Path.GetTempPath(), $"ns-conv-check-{Environment.ProcessId}.nsmodel");
        Assert.Equal(0, CliRunner.Run("train", "--data", "mnist", "--layers", "conv:30x5x5,pool:2,dense:100", "--epochs", "1", "--test-split", "0.8", "--json", "--save", model).ExitCode);
        (int code, string first) = CliRunner.Run("gradcheck", "--model", model, "--json");
        (_, string second) = CliRunner.Run("gradcheck", "--model", model, "--json");
        File.Delete(model);
        Assert.True(code == 0, first);
        Assert.Equal(first, second);
        using var report = System.Text.Json.JsonDocument.Parse(first);
        Assert.True(report.RootElement.GetProperty("max_rel_error").GetDouble() < 1e-4, first);
        Assert.True(report.RootElement.GetProperty("skipped").GetInt32() < 60, first);
    }

    [Fact]
    public void Batch_norm_and_dropout_options_build_their_layers()
    {
        (int code, string output) = CliRunner.Run("train", "--data", "digits", "--layers", "32,16", "--batch-norm", "--dropout", "0.1", "--epochs", "2", "--json", "--save", Path.Combine(Path.GetTempPath(), "ns-bn.nsmodel"));
        Assert.True(code == 0, output);
        (int summaryCode, string summary) = CliRunner.Run("summary", "--model", Path.Combine(Path.GetTempPath(), "ns-bn.nsmodel"));
        Assert.Equal(0, summaryCode);
        Assert.Equal(2, summary.Split("BatchNorm").Length - 1);
        Assert.Equal(2, summary.Split("Dropout 0.1").Length - 1);
    }
}
