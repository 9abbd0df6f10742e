using NeuralSharp.Cli.Experiments;
using NeuralSharp.Data;
using NeuralSharp.Optimizers;
using NeuralSharp.Training;

namespace NeuralSharp.Tests.Cli;

/// <summary>Every list a help text gives is the list the program takes: experiments, data sets, generators, optimizers, workloads, schedules.</summary>
public sealed class HelpListsTests
{
    private static string Help(params string[] command)
    {
        (int code, string output) = CliRunner.Run([.. command, "--help"]);
        Assert.Equal(0, code);
        return output;
    }

    [Theory]
    [InlineData("train")]
    [InlineData("predict")]
    [InlineData("export")]
    [InlineData("import")]
    [InlineData("summary")]
    [InlineData("trace")]
    [InlineData("gradcheck")]
    [InlineData("bench")]
    [InlineData("playground")]
    [InlineData("tune")]
    [InlineData("worker")]
    [InlineData("experiment")]
    public void Every_commands_help_renders(string command) =>
        // a bracket in a description is markup to the console: one unescaped and the help is an internal error
        Assert.Contains("OPTIONS:", Help(command), StringComparison.Ordinal);

    [Fact]
    public void Experiment_help_names_every_experiment()
    {
        string help = Help("experiment");
        Assert.All(ExperimentCatalog.All, e => Assert.Contains(e.Name, help, StringComparison.Ordinal));
    }

    [Fact]
    public void Train_help_names_every_data_set_generator_optimizer_and_schedule()
    {
        string help = Help("train");
        Assert.All(BuiltInDatasets.Names.Concat(Generators.Names), name => Assert.Contains(name, help, StringComparison.Ordinal));
        Assert.All(OptimizerFactory.Names, name => Assert.Contains(name, help, StringComparison.Ordinal));
        Assert.All(ScheduleGrammar.Names, name => Assert.Contains(name + ":", help.Replace("cosine[", "cosine:", StringComparison.Ordinal).Replace("plateau[", "plateau:", StringComparison.Ordinal), StringComparison.Ordinal));
    }

    [Fact]
    public void Bench_help_names_every_workload()
    {
        string help = Help("bench");
        Assert.All(NeuralSharp.Bench.Workloads.Known, w => Assert.Contains(w, help, StringComparison.Ordinal));
    }
}
