using Orleans.Hosting;
using Orleans.TestingHost;

namespace NeuralSharp.Tuning.Tests;

/// <summary>Sweeps on Orleans' in-process test cluster: the same leaderboard on 1 and 3 silos, and with a silo stopped mid-sweep.</summary>
public sealed class ClusterTests
{
    private sealed class SiloConfigurator : ISiloConfigurator
    {
        public void Configure(ISiloBuilder siloBuilder)
        {
            TuningHost.ConfigureSilo(siloBuilder, slots: 1);
            siloBuilder.AddMemoryGrainStorage(TrialGrain.Storage);
        }
    }

    private sealed class ClientConfigurator : IClientBuilderConfigurator
    {
        public void Configure(Microsoft.Extensions.Configuration.IConfiguration configuration, Orleans.Hosting.IClientBuilder clientBuilder) =>
            clientBuilder.Configure<Orleans.Configuration.ClientMessagingOptions>(o => o.ResponseTimeout = TimeSpan.FromMinutes(5));
    }

    private static async Task<TestCluster> StartAsync(short silos)
    {
        var builder = new TestClusterBuilder(silos);
        builder.AddSiloBuilderConfigurator<SiloConfigurator>();
        builder.AddClientBuilderConfigurator<ClientConfigurator>();
        TestCluster cluster = builder.Build();
        await cluster.DeployAsync();
        return cluster;
    }

    private static readonly SweepData Iris = new() { Source = "iris", Metric = "val_accuracy", SweepId = "iris" };

    private static IReadOnlyList<TrialConfig> Trials() =>
        SearchSpace.Parse("lr=log(1e-3,3e-1); layers=8|16|8,8; optimizer=sgd|adam; batch=8|32").Trials(9, seed: 5, grid: false);

    private static async Task<Leaderboard> SweepAsync(short silos, Func<TestCluster, Task>? duringFirstRung = null)
    {
        TestCluster cluster = await StartAsync(silos);
        try
        {
            var schedule = new SweepSchedule(MaxEpochs: 9, Halving: true, MinEpochs: 1, Reduction: 3);
            int rungs = 0;
            // the scheduler reports each decided rung before it starts the next: the disturbance happens right there,
            // between rung 1 and rung 2, with the trials' checkpoints spread over the silos
            var progress = new SynchronousProgress(_ =>
            {
                if (Interlocked.Increment(ref rungs) == 1 && duringFirstRung is not null)
                {
                    duringFirstRung(cluster).GetAwaiter().GetResult();
                }
            });
            Task<Leaderboard> sweep = Sweep.RunAsync(cluster.Client, Iris with { SweepId = $"iris-{silos}-{Guid.NewGuid():N}" }, Trials(), schedule, progress);
            return await sweep;
        }
        finally
        {
            await cluster.StopAllSilosAsync();
            await cluster.DisposeAsync();
        }
    }

    [Fact]
    public async Task Three_silos_give_the_leaderboard_of_one_and_a_silo_stopped_mid_sweep_loses_nothing()
    {
        Leaderboard one = await SweepAsync(1);
        Leaderboard three = await SweepAsync(3);
        Assert.Equal(one.Fingerprint(), three.Fingerprint());
        // the work was spread: trials finished on more than one silo
        Assert.True(three.Entries.Select(e => e.Silo).Distinct().Count() > 1, string.Join(", ", three.Entries.Select(e => e.Silo)));

        int before = 0;
        string stopped = "";
        Leaderboard disturbed = await SweepAsync(3, async cluster =>
        {
            before = cluster.GetActiveSilos().Count();
            stopped = cluster.SecondarySilos[0].SiloAddress.ToString();
            await cluster.StopSiloAsync(cluster.SecondarySilos[0]);
        });
        Assert.Equal(3, before);
        Assert.Equal(one.Fingerprint(), disturbed.Fingerprint());
        // the trials that went on after rung 1 finished on the two silos left
        Assert.DoesNotContain(stopped, disturbed.Entries.Where(e => e.Epochs > 1).Select(e => e.Silo));
        Assert.All(disturbed.Entries, e => Assert.True(e.Epochs >= 1));
        Assert.True(one.Best.Metric > 0.9, $"best validation accuracy {one.Best.Metric}");
    }

    [Fact]
    public async Task Halving_stops_most_trials_of_a_poor_space_early_and_keeps_a_good_one()
    {
        // rates from 1e-6 to 1e-1, log-uniform: most learn almost nothing in a few epochs
        IReadOnlyList<TrialConfig> trials = SearchSpace.Parse("lr=log(1e-6,1e-1); layers=8; optimizer=sgd|adam; batch=16").Trials(9, seed: 2, grid: false);
        TestCluster cluster = await StartAsync(2);
        try
        {
            Leaderboard board = await Sweep.RunAsync(cluster.Client, Iris with { SweepId = $"poor-{Guid.NewGuid():N}" }, trials, new SweepSchedule(9, Halving: true));
            Assert.True(board.StoppedEarly >= trials.Count / 2, $"{board.StoppedEarly} of {trials.Count} stopped early");
            Assert.Null(board.Best.StoppedAtEpoch);
            Assert.Equal(9, board.Best.Epochs);
            Assert.True(board.Best.Trial.LearningRate > 1e-3, board.Best.Trial.Describe());
            Assert.All(board.Entries.Where(e => e.StoppedAtEpoch is { } at), e => Assert.Equal(e.StoppedAtEpoch, e.Epochs));
        }
        finally
        {
            await cluster.StopAllSilosAsync();
            await cluster.DisposeAsync();
        }
    }

    private sealed class SynchronousProgress(Action<string> report) : IProgress<string>
    {
        public void Report(string value) => report(value);
    }
}
