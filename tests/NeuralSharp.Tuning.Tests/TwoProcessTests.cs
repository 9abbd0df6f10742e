using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace NeuralSharp.Tuning.Tests;

/// <summary>
/// The cluster as users run it: a Redis (Debian's redis-server, started here on 127.0.0.1), <c>neuralsharp worker</c>
/// and <c>neuralsharp tune --cluster</c> as separate processes.
/// </summary>
public sealed class TwoProcessTests : IDisposable
{
    private const string Space = "lr=log(1e-3,1e-1); layers=32|64; optimizer=sgd|adam";

    private readonly string _folder = Directory.CreateTempSubdirectory("ns-cluster-").FullName;
    private readonly List<Process> _processes = [];
    private readonly int _port = FreePort();

    public void Dispose()
    {
        foreach (Process process in _processes)
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
            }

            process.Dispose();
        }

        Directory.Delete(_folder, recursive: true);
    }

    private static string Cli => Path.Combine(AppContext.BaseDirectory, "NeuralSharp.Cli.dll");

    private string Cluster => $"redis://127.0.0.1:{_port}";

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    /// <summary>Starts a process whose output lines are collected as they come.</summary>
    private (Process Process, List<string> Lines) Start(string file, params string[] args)
    {
        var start = new ProcessStartInfo(file, args) { RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = _folder };
        Process process = Process.Start(start)!;
        var lines = new List<string>();
        process.OutputDataReceived += (_, e) => { if (e.Data is not null) { lock (lines) { lines.Add(e.Data); } } };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) { lock (lines) { lines.Add(e.Data); } } };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        _processes.Add(process);
        return (process, lines);
    }

    private static async Task WaitForAsync(List<string> lines, string text, Process process, TimeSpan timeout)
    {
        var clock = Stopwatch.StartNew();
        while (!Seen(lines, text))
        {
            Assert.False(process.HasExited && !Seen(lines, text), $"the process ended before '{text}':\n{string.Join('\n', Snapshot(lines))}");
            Assert.True(clock.Elapsed < timeout, $"no '{text}' within {timeout}:\n{string.Join('\n', Snapshot(lines))}");
            await Task.Delay(50);
        }
    }

    private static bool Seen(List<string> lines, string text) => Snapshot(lines).Any(l => l.Contains(text, StringComparison.Ordinal));

    private static string[] Snapshot(List<string> lines)
    {
        lock (lines)
        {
            return [.. lines];
        }
    }

    private async Task StartRedisAsync()
    {
        Assert.True(File.Exists("/usr/bin/redis-server"), "redis-server is missing: scripts/install-test-deps.sh installs it.");
        (Process redis, List<string> lines) = Start("/usr/bin/redis-server", "--port", _port.ToString(CultureInfo.InvariantCulture), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no");
        await WaitForAsync(lines, "Ready to accept connections", redis, TimeSpan.FromSeconds(20));
    }

    // 27 epochs: a sweep long enough (~10 s on one silo) for a worker to join, or be killed, while trials remain
    private (Process Process, List<string> Lines) Tune(string output, bool cluster, string scheduler, int epochs = 27) =>
        Start("dotnet", [Cli, "tune", "--data", "mnist", "--space", Space, "--trials", "8", "--epochs", epochs.ToString(CultureInfo.InvariantCulture), "--scheduler", scheduler, "--concurrency", "1", "--out", Path.Combine(_folder, output),
            .. cluster ? new[] { "--cluster", Cluster } : []]);

    private static long CpuTicks(Process process) =>
        long.Parse(File.ReadAllText($"/proc/{process.Id}/stat").Split(')')[1].Split(' ', StringSplitOptions.RemoveEmptyEntries)[11], CultureInfo.InvariantCulture);

    private async Task<string> UndisturbedAsync(string scheduler)
    {
        (Process alone, List<string> lines) = Tune("alone", cluster: false, scheduler);
        await alone.WaitForExitAsync();
        Assert.True(alone.ExitCode == 0, string.Join('\n', Snapshot(lines)));
        return await File.ReadAllTextAsync(Path.Combine(_folder, "alone", "leaderboard.json"));
    }

    [Fact]
    public async Task A_worker_killed_with_kill_9_mid_sweep_loses_nothing()
    {
        await StartRedisAsync();
        (Process worker, List<string> workerLines) = Start("dotnet", Cli, "worker", "--cluster", Cluster, "--concurrency", "1");
        await WaitForAsync(workerLines, "Worker joined", worker, TimeSpan.FromSeconds(60));
        long joined = CpuTicks(worker);
        (Process tune, List<string> tuneLines) = Tune("cluster", cluster: true, "asha");
        // killed while it trains: half a second of CPU since it joined is trials, not its start-up
        var clock = Stopwatch.StartNew();
        while (CpuTicks(worker) - joined < 50)
        {
            Assert.False(tune.HasExited, $"the sweep ended before the worker trained:\n{string.Join('\n', Snapshot(tuneLines))}");
            Assert.True(clock.Elapsed < TimeSpan.FromMinutes(3), "the worker took no trials");
            await Task.Delay(20);
        }

        worker.Kill(); // SIGKILL: no goodbye to the cluster, trials cut off mid-epoch
        Assert.False(tune.HasExited, "the sweep had ended when the worker was killed");
        await tune.WaitForExitAsync();
        Assert.True(tune.ExitCode == 0, string.Join('\n', Snapshot(tuneLines)));
        // every trial finished, and the leaderboard is the one a single undisturbed silo gives
        Assert.Equal(await UndisturbedAsync("asha"), await File.ReadAllTextAsync(Path.Combine(_folder, "cluster", "leaderboard.json")));
    }

    [Fact]
    public async Task A_worker_that_joins_mid_sweep_takes_work()
    {
        await StartRedisAsync();
        // every trial trains all 9 epochs: work enough left for a silo that joins a few seconds in
        (Process tune, List<string> tuneLines) = Tune("cluster", cluster: true, "none");
        await WaitForAsync(tuneLines, "trials on mnist", tune, TimeSpan.FromMinutes(2));
        (Process worker, List<string> workerLines) = Start("dotnet", Cli, "worker", "--cluster", Cluster, "--concurrency", "1");
        await WaitForAsync(workerLines, "Worker joined", worker, TimeSpan.FromSeconds(60));
        long joined = CpuTicks(worker);
        await tune.WaitForExitAsync();
        Assert.True(tune.ExitCode == 0, string.Join('\n', Snapshot(tuneLines)));
        long worked = CpuTicks(worker) - joined;
        Assert.True(worked > 50, $"the worker that joined spent {worked} ticks after joining: it took no trials");
        Assert.Equal(await UndisturbedAsync("none"), await File.ReadAllTextAsync(Path.Combine(_folder, "cluster", "leaderboard.json")));
    }

    private static async Task TerminateAsync(Process process)
    {
        // SIGTERM, as kill, systemd and docker stop send it (Process.Kill sends SIGKILL)
        using Process kill = Process.Start("kill", ["-TERM", process.Id.ToString(CultureInfo.InvariantCulture)])!;
        await kill.WaitForExitAsync();
    }

    private static async Task<bool> ExitsWithinAsync(Process process, TimeSpan timeout)
    {
        using var limit = new CancellationTokenSource(timeout);
        try
        {
            await process.WaitForExitAsync(limit.Token);
            return true;
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }

    [Fact]
    public async Task A_worker_sent_sigterm_leaves_the_cluster_and_ends_even_with_redis_gone()
    {
        await StartRedisAsync();
        (Process first, List<string> firstLines) = Start("dotnet", Cli, "worker", "--cluster", Cluster, "--concurrency", "1");
        (Process second, List<string> secondLines) = Start("dotnet", Cli, "worker", "--cluster", Cluster, "--concurrency", "1");
        await WaitForAsync(firstLines, "Worker joined", first, TimeSpan.FromSeconds(60));
        await WaitForAsync(secondLines, "Worker joined", second, TimeSpan.FromSeconds(60));

        await TerminateAsync(first);
        Assert.True(await ExitsWithinAsync(first, TimeSpan.FromSeconds(30)), $"the worker sent SIGTERM still runs:\n{string.Join('\n', Snapshot(firstLines))}");
        Assert.Equal(0, first.ExitCode);
        Assert.True(Seen(firstLines, "Worker left the cluster."), string.Join('\n', Snapshot(firstLines)));

        // the cluster's Redis stops first: the worker cannot tell it goodbye, and ends anyway
        Process redis = _processes[0];
        redis.Kill();
        await redis.WaitForExitAsync();
        await TerminateAsync(second);
        Assert.True(await ExitsWithinAsync(second, TimeSpan.FromSeconds(40)), $"the worker whose Redis is gone still runs after SIGTERM:\n{string.Join('\n', Snapshot(secondLines))}");
        Assert.Equal(0, second.ExitCode);
        Assert.True(Seen(secondLines, "without leaving the cluster in order"), string.Join('\n', Snapshot(secondLines)));
    }

    [Fact]
    public async Task Tune_sent_sigterm_mid_sweep_stops_with_one_message()
    {
        (Process tune, List<string> lines) = Tune("stopped", cluster: false, "none");
        await WaitForAsync(lines, "trials on mnist", tune, TimeSpan.FromMinutes(2));
        await TerminateAsync(tune);
        Assert.True(await ExitsWithinAsync(tune, TimeSpan.FromSeconds(30)), $"tune sent SIGTERM still runs:\n{string.Join('\n', Snapshot(lines))}");
        Assert.Equal(130, tune.ExitCode);
        string[] output = Snapshot(lines);
        Assert.Contains(output, l => l.Contains("Stopped (Ctrl+C or a termination signal) before the sweep finished", StringComparison.Ordinal));
        Assert.DoesNotContain(output, l => l.Contains("   at ", StringComparison.Ordinal));
        Assert.False(File.Exists(Path.Combine(_folder, "stopped", "leaderboard.json")), "a stopped sweep wrote a leaderboard");
    }
}
