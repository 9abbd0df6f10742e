using NeuralSharp.Cli.Infrastructure;
using NeuralSharp.Tests.TestSupport;

namespace NeuralSharp.Tests.Cli;

public sealed class StartupProfileTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("ns-jit-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [Theory]
    [InlineData(new[] { "train", "--data", "iris" }, "train.jitprofile")]
    [InlineData(new[] { "tune", "--data", "iris", "--space", "lr=0.1" }, "tune.jitprofile")]
    [InlineData(new[] { "tune", "--cluster", "redis://127.0.0.1:6379", "--space", "lr=0.1" }, "tune-cluster.jitprofile")]
    [InlineData(new[] { "../../etc/passwd" }, "etcpasswd.jitprofile")]
    public void A_command_has_a_profile_of_its_own(string[] args, string expected) => Assert.Equal(expected, StartupProfile.Name(args));

    [Theory]
    [InlineData("")]
    [InlineData("--version")]
    [InlineData("train --help")]
    [InlineData("...")]
    [InlineData("bench --only W1")]
    public void Help_version_the_benchmark_and_nothing_record_no_profile(string args) => Assert.Null(StartupProfile.Name(args.Split(' ', StringSplitOptions.RemoveEmptyEntries)));

    private Task<(int Exit, string Output)> RunAsync(string profiles, params string[] args) =>
        RunAsync(new Dictionary<string, string> { [StartupProfile.Variable] = profiles }, args);

    private Task<(int Exit, string Output)> RunAsync(Dictionary<string, string> environment, params string[] args) =>
        ProcessRun.RunAsync("dotnet", [Path.Combine(AppContext.BaseDirectory, "NeuralSharp.Cli.dll"), .. args], _folder,
            new Dictionary<string, string>(environment) { [StartupProfile.Variable] = environment.GetValueOrDefault(StartupProfile.Variable, "") }, minutes: 2);

    [Fact]
    public async Task A_run_records_its_profile_and_the_next_run_reads_it()
    {
        string profiles = Path.Combine(_folder, "jit");
        (int exit, string output) = await RunAsync(profiles, "train", "--data", "iris", "--epochs", "5");
        Assert.True(exit == 0, output);
        string profile = Path.Combine(profiles, "train.jitprofile");
        Assert.True(File.Exists(profile), $"no profile in {profiles}: {string.Join(", ", Directory.Exists(profiles) ? Directory.GetFiles(profiles) : [])}");
        // the methods a run compiled: the training code among them, so thousands
        Assert.True(new FileInfo(profile).Length > 10_000, $"the profile holds {new FileInfo(profile).Length} bytes");

        // a profile that is not one (a disk error, another tool) costs the speed-up only
        await File.WriteAllTextAsync(profile, "not a profile");
        (exit, output) = await RunAsync(profiles, "train", "--data", "iris", "--epochs", "5");
        Assert.True(exit == 0, output);
        Assert.Contains("Test accuracy", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task By_default_the_profiles_go_to_the_users_cache()
    {
        string cache = Path.Combine(_folder, "cache");
        (int exit, string output) = await RunAsync(new Dictionary<string, string> { ["XDG_CACHE_HOME"] = cache }, "train", "--data", "iris", "--epochs", "5");
        Assert.True(exit == 0, output);
        Assert.True(File.Exists(Path.Combine(cache, "neuralsharp", "jit", "train.jitprofile")));
    }

    [Fact]
    public async Task Off_records_nothing_and_an_unwritable_folder_costs_nothing_but_the_profile()
    {
        string cache = Path.Combine(_folder, "cache");
        (int exit, string output) = await RunAsync(new Dictionary<string, string> { [StartupProfile.Variable] = "off", ["XDG_CACHE_HOME"] = cache }, "train", "--data", "iris", "--epochs", "5");
        Assert.True(exit == 0, output);
        Assert.False(Directory.Exists(cache), "a profile was written with the profiles off");
        Assert.False(Directory.Exists(Path.Combine(_folder, "off")), "'off' was taken for a folder");

        // a file where the folder should be: the command runs, without a profile
        string blocked = Path.Combine(_folder, "a-file");
        await File.WriteAllTextAsync(blocked, "");
        (exit, output) = await RunAsync(Path.Combine(blocked, "jit"), "train", "--data", "iris", "--epochs", "5");
        Assert.True(exit == 0, output);
        Assert.Contains("Test accuracy", output, StringComparison.Ordinal);
    }
}
