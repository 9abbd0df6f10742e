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
    /// with the address it listens on.
    /// </summary>
    public static async Task<(WebApplication App, string Address)> StartAsync(string host = "127.0.0.1", int port = 5117, Limits? limits = null)
    {
        WebApplicationBuilder builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls($"http://{host}:{port}");
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.Limits.MaxRequestBodySize = 4 * Limits.MaxUploadBytes);
        builder.Services.AddSingleton(limits ?? new Limits());
        builder.Services.AddSingleton<SessionStore>();
        builder.Services.AddHostedService<TrainingScheduler>();
        WebApplication app = builder.Build();
        app.MapPage();
        app.MapSessions();
        await app.StartAsync().ConfigureAwait(false);
        string address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return (app, address);
    }
}
