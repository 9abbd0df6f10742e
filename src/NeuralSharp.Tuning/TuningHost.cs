using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Orleans.Configuration;
using Orleans.Hosting;
using StackExchange.Redis;

namespace NeuralSharp.Tuning;

/// <summary>
/// Starts the silo a sweep runs on: in-process with nothing to set up (the default), or one that joins a cluster kept
/// in Redis (<c>redis://host:port</c>), as <c>neuralsharp worker</c> and <c>tune --cluster</c> do. Either way this
/// process trains trials too, one per slot.
/// </summary>
public static class TuningHost
{
    /// <summary>The most trials a silo may train at once.</summary>
    public const int MaxSlots = 64;

    /// <summary>Starts a silo; <paramref name="cluster"/> null for an in-process one.</summary>
    /// <exception cref="OptionException">The cluster address is not <c>redis://host:port</c>.</exception>
    /// <exception cref="IOException">No Redis answers at it.</exception>
    public static async Task<IHost> StartAsync(string? cluster, int slots, string advertise = "127.0.0.1", CancellationToken cancellationToken = default)
    {
        if (slots is < 1 or > MaxSlots)
        {
            throw new ArgumentException($"--concurrency must be 1 … {MaxSlots}, not {slots}.", nameof(slots));
        }

        string? redis = cluster is null ? null : RedisEndpoint(cluster);
        // Redis is asked on another core while the silo is put together: the clear message for an address that does
        // not answer comes before the silo tries it
        Task reachable = redis is null ? Task.CompletedTask : Task.Run(() => RequireReachableAsync(redis, cluster!), cancellationToken);
        if (!IPAddress.TryParse(advertise, out IPAddress? address))
        {
            throw new ArgumentException($"--advertise: '{advertise}' is not an IP address.", nameof(advertise));
        }

        HostApplicationBuilder builder = Host.CreateApplicationBuilder();
        builder.Logging.ClearProviders();
        builder.Services.Configure<HostOptions>(o => o.ShutdownTimeout = StopTimeout);
        builder.UseOrleans(silo =>
        {
            ConfigureSilo(silo, slots);
            if (redis is null)
            {
                silo.UseLocalhostClustering(FreePort(), FreePort());
                silo.AddMemoryGrainStorage(TrialGrain.Storage);
                return;
            }

            ConfigurationOptions options = ConfigurationOptions.Parse(redis);
            silo.UseRedisClustering(o => o.ConfigurationOptions = options);
            // checkpoints in Orleans' binary form, not the default JSON (a number per weight, slower than an epoch)
            silo.AddRedisGrainStorage(TrialGrain.Storage, (Microsoft.Extensions.Options.OptionsBuilder<Orleans.Persistence.RedisStorageOptions> b) =>
                b.Configure<Orleans.Serialization.Serializer>((o, serializer) =>
                {
                    o.ConfigurationOptions = options;
                    o.GrainStorageSerializer = new Orleans.Storage.OrleansGrainStorageSerializer(serializer);
                }));
            silo.Configure<ClusterOptions>(o => (o.ClusterId, o.ServiceId) = ("neuralsharp", "neuralsharp-tune"));
            silo.ConfigureEndpoints(address, FreePort(), FreePort(), listenOnAnyHostAddress: false);
        });
        IHost host = builder.Build();
        try
        {
            await reachable.ConfigureAwait(false);
        }
        catch
        {
            host.Dispose();
            throw;
        }

        await host.StartAsync(cancellationToken).ConfigureAwait(false);
        return host;
    }

    /// <summary>How long a silo tries to leave its cluster in order before it stops without (Redis gone, say).</summary>
    public static readonly TimeSpan StopTimeout = TimeSpan.FromSeconds(5);

    /// <summary>
    /// Stops the silo: in order (its cluster told, its activations handed over) when it can; false when that did not
    /// finish in twice <see cref="StopTimeout"/> — Orleans keeps retrying a membership table it cannot reach, so the
    /// wait is bounded here and the process may end anyway.
    /// </summary>
    public static bool Stop(IHost host)
    {
        ArgumentNullException.ThrowIfNull(host);
        return host.StopAsync(CancellationToken.None).Wait(StopTimeout * 2);
    }

    /// <summary>
    /// What every silo of a sweep needs, in this process or a test cluster: the trial slots, the placement that spreads
    /// a rung over the silos, one thread per trial, long calls, and a dead silo noticed in seconds.
    /// </summary>
    public static void ConfigureSilo(ISiloBuilder silo, int slots)
    {
        ArgumentNullException.ThrowIfNull(silo);
        // a trial is one core's work; the silo runs as many as it has slots
        Parallelism.Threads = 1;
        silo.Services.AddSingleton(new TrialSlots(slots));
        silo.Services.AddPlacementDirector<TrialPlacementStrategy, TrialPlacementDirector>();
        // a rung's call trains for as long as the rung takes; a silo that dies fails its calls through membership
        silo.Configure<SiloMessagingOptions>(o => o.ResponseTimeout = TimeSpan.FromMinutes(30));
        silo.Configure<ClusterMembershipOptions>(o =>
        {
            o.ProbeTimeout = TimeSpan.FromSeconds(2);
            o.NumMissedProbesLimit = 2;
            o.NumVotesForDeathDeclaration = 1;
            o.IAmAliveTablePublishTimeout = TimeSpan.FromSeconds(5);
        });
    }

    /// <summary><c>host:port</c> from <c>redis://host:port</c>.</summary>
    public static string RedisEndpoint(string cluster)
    {
        ArgumentNullException.ThrowIfNull(cluster);
        return Uri.TryCreate(cluster, UriKind.Absolute, out Uri? uri) && uri.Scheme == "redis" && uri.Port > 0 && uri.Host.Length > 0 && uri.AbsolutePath is "" or "/"
            ? $"{uri.Host}:{uri.Port}"
            : throw new OptionException("cluster", $"'{cluster}' is not redis://host:port (e.g. redis://127.0.0.1:6379).");
    }

    private static async Task RequireReachableAsync(string redis, string cluster)
    {
        try
        {
            ConfigurationOptions options = ConfigurationOptions.Parse(redis);
            options.ConnectTimeout = 3000;
            options.AbortOnConnectFail = true;
            using ConnectionMultiplexer connection = await ConnectionMultiplexer.ConnectAsync(options).ConfigureAwait(false);
            await connection.GetDatabase().PingAsync().ConfigureAwait(false);
        }
        catch (RedisConnectionException error)
        {
            // the client's own text advises settings of its connection string; what the user can act on is the address
            throw new IOException($"--cluster: no Redis answers at {cluster} within 3 s. Start one (redis-server --port {redis[(redis.LastIndexOf(':') + 1)..]}) or check the address.", error);
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
