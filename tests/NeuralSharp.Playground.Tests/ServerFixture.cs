using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using NeuralSharp.Playground;

namespace NeuralSharp.Playground.Tests;

/// <summary>A playground server on a free loopback port, shared by a test class.</summary>
public sealed class ServerFixture : IAsyncLifetime
{
    private WebApplication? _app;

    public string Address { get; private set; } = "";

    public HttpClient Http { get; private set; } = null!;

    public Limits Limits { get; } = new() { MaxSessions = 60, SessionIdleTimeout = TimeSpan.FromMinutes(5) };

    public async Task InitializeAsync()
    {
        (_app, Address) = await PlaygroundServer.StartAsync("127.0.0.1", 0, Limits);
        Http = new HttpClient { BaseAddress = new Uri(Address), Timeout = TimeSpan.FromSeconds(60) };
    }

    public async Task DisposeAsync()
    {
        Http.Dispose();
        if (_app is not null)
        {
            await _app.StopAsync();
            await _app.DisposeAsync();
        }
    }

    public async Task<JsonElement> CreateAsync(object config, string? csv = null)
    {
        using HttpResponseMessage response = await Http.PostAsJsonAsync("/api/sessions", new { config, csv });
        Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());
        return await response.Content.ReadFromJsonAsync<JsonElement>();
    }
}
