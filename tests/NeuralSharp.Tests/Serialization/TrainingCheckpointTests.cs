using NeuralSharp.Data;
using NeuralSharp.Serialization;
using NeuralSharp.Tests.Cli;
using NeuralSharp.Training;

namespace NeuralSharp.Tests.Serialization;

/// <summary>A run checkpointed and resumed ends as the uninterrupted run does, bit for bit; a damaged checkpoint is refused.</summary>
public sealed class TrainingCheckpointTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("ns-checkpoint-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    private string File(string name) => Path.Combine(_folder, name);

    [Theory]
    [InlineData("adam", null)]
    [InlineData("momentum-pytorch", "warmup:20")]
    [InlineData("rmsprop", "step:2:0.5")]
    public void A_resumed_run_ends_as_the_uninterrupted_one(string optimizer, string? schedule)
    {
        var config = new RunConfig { Data = "iris", Layers = "16,8", Optimizer = optimizer, Schedule = schedule, Epochs = 6, Seed = 5 };
        TrainingRun<double> straight = TrainingRun<double>.Start(config);
        History whole = straight.Fit();

        TrainingRun<double> first = TrainingRun<double>.Start(config with { Epochs = 4 });
        first.Fit();
        first.Checkpoint().Save(File("run.nsckpt"));
        TrainingRun<double> resumed = TrainingRun<double>.Resume(TrainingCheckpoint<double>.Load(File("run.nsckpt")), config);
        Assert.Equal(4, resumed.EpochsDone);
        History rest = resumed.Fit();

        Assert.Equal([5, 6], rest.Epochs.Select(e => e.Epoch));
        Assert.Equal(whole.StepLosses.Skip(whole.StepLosses.Count - rest.StepLosses.Count), rest.StepLosses);
        Assert.Equal(ModelFile.Serialize(straight.ToModel()), ModelFile.Serialize(resumed.ToModel()));
    }

    [Fact]
    public void The_command_line_checkpoints_and_resumes_bit_for_bit()
    {
        Assert.Equal(0, CliRunner.Run("train", "--data", "iris", "--epochs", "6", "--plot", "none", "--save", File("straight.nsmodel")).ExitCode);
        (int code, string output) = CliRunner.Run("train", "--data", "iris", "--epochs", "3", "--plot", "none", "--save", File("half.nsmodel"), "--checkpoint-every", "3");
        Assert.True(code == 0, output);
        Assert.True(System.IO.File.Exists(File("half.nsckpt")));
        (int resumedCode, string resumed) = CliRunner.Run("train", "--resume", File("half.nsckpt"), "--epochs", "6", "--plot", "none", "--save", File("resumed.nsmodel"), "--json");
        Assert.True(resumedCode == 0, resumed);
        Assert.Contains("\"resumed_from_epoch\":3", resumed, StringComparison.Ordinal);
        Assert.Equal(System.IO.File.ReadAllBytes(File("straight.nsmodel")), System.IO.File.ReadAllBytes(File("resumed.nsmodel")));
        Assert.Equal(2, CliRunner.Run("train", "--resume", File("half.nsckpt"), "--data", "digits2").ExitCode);
    }

    [Fact]
    public void A_damaged_or_foreign_checkpoint_is_refused_by_name()
    {
        TrainingRun<float> run = TrainingRun<float>.Start(new RunConfig { Data = "iris", Epochs = 1 });
        run.Fit();
        run.Checkpoint().Save(File("good.nsckpt"));
        byte[] bytes = System.IO.File.ReadAllBytes(File("good.nsckpt"));
        bytes[bytes.Length / 2] ^= 0x40;
        System.IO.File.WriteAllBytes(File("flipped.nsckpt"), bytes);
        Assert.Contains("checksum", Assert.Throws<DataFormatException>(() => TrainingCheckpoint<float>.Load(File("flipped.nsckpt"))).Message, StringComparison.Ordinal);
        System.IO.File.WriteAllText(File("text.nsckpt"), "not a checkpoint at all, just some text");
        Assert.Contains("not a NeuralSharp checkpoint", Assert.Throws<DataFormatException>(() => TrainingCheckpoint<float>.Load(File("text.nsckpt"))).Message, StringComparison.Ordinal);
        // another optimizer's memory does not fit
        TrainingCheckpoint<float> good = TrainingCheckpoint<float>.Load(File("good.nsckpt"));
        Assert.Contains("trained with adam", Assert.Throws<DataFormatException>(() => TrainingRun<float>.Resume(good, new RunConfig { Data = "iris", Optimizer = "sgd" })).Message, StringComparison.Ordinal);
    }
}
