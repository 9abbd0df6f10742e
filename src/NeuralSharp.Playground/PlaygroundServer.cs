using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using NeuralSharp.Playground.Endpoints;
using NeuralSharp.Playground.Sessions;

namespace NeuralSharp.Playground;

/// <summary>Builds and starts the playground web server.</summary>
public static class PlaygroundServer
{
    /// <summary>
    /// Starts the server on <paramref name="host"/>:<paramref name="port"/> (port 0 picks a free one) and returns it
    /// with the address it listens on. It answers only for the loopback names and <paramref name="host"/> itself, plus
    /// any of <paramref name="serverNames"/> (the names a public instance is reached by).
    /// </summary>
    /// <exception cref="ArgumentException"><paramref name="host"/> is not an IP address or <c>localhost</c>.</exception>
    public static async Task<(WebApplication App, string Address)> StartAsync(string host = "127.0.0.1", int port = 5117, Limits? limits = null, IReadOnlyCollection<string>? serverNames = null)
    {
        if (!IsValidHost(host))
        {
            throw new ArgumentException($"--host '{host}' is neither an IP address nor localhost.", nameof(host));
        }

        string[] hosts = ["localhost", "127.0.0.1", "::1", "[::1]", host.Trim('[', ']'), .. serverNames ?? []];
        WebApplicationBuilder builder = WebApplication.CreateSlimBuilder();
        // a diverged session's numbers (±∞, NaN) are written as such, never an exception that breaks the session
        builder.Services.ConfigureHttpJsonOptions(json => json.SerializerOptions.NumberHandling = System.Text.Json.Serialization.JsonNumberHandling.AllowNamedFloatingPointLiterals);
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls($"http://{host}:{port}");
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.Limits.MaxRequestBodySize = 4 * Limits.MaxUploadBytes);
        builder.Services.AddSingleton(limits ?? new Limits());
        builder.Services.AddSingleton<SessionStore>();
        builder.Services.AddHostedService<TrainingScheduler>();
        WebApplication app = builder.Build();
        app.UseRequestGuard(hosts);
        app.MapPage();
        app.MapSessions();
        app.MapDownloads();
        await app.StartAsync().ConfigureAwait(false);
        string address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return (app, address);
    }

    /// <summary>True for an IP address or <c>localhost</c>: what <c>--host</c> may name.</summary>
    public static bool IsValidHost(string host) =>
        host == "localhost" || System.Net.IPAddress.TryParse(host.Trim('[', ']'), out _);

    /// <summary>True when <paramref name="host"/> listens on this machine only.</summary>
    public static bool IsLoopback(string host) =>
        host == "localhost" || (System.Net.IPAddress.TryParse(host.Trim('[', ']'), out System.Net.IPAddress? address) && System.Net.IPAddress.IsLoopback(address));
}
