using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using NeuralSharp.Data;
using NeuralSharp.Playground.Sessions;

namespace NeuralSharp.Playground.Tests;

/// <summary>The playground's memory: bounded per session and in total, refused uploads hold nothing, removed sessions give it back.</summary>
public sealed class MemoryTests
{
    private static readonly object LargestNetwork = new { dataset = "upload", hidden = Enumerable.Repeat(Limits.MaxWidth, Limits.MaxHiddenLayers).ToArray(), features = PlaygroundConfig.FeatureNames, batch = 0 };

    /// <summary>An upload of the most rows the playground takes, two features and two classes.</summary>
    private static string LargestCsv()
    {
        var random = new Random(5);
        var csv = new StringBuilder("x1,x2,label\n");
        for (int row = 0; row < Limits.MaxUploadRows; row++)
        {
            csv.Append(CultureInfo.InvariantCulture, $"{random.NextDouble():F5},{random.NextDouble():F5},{random.Next(2)}\n");
        }

        return csv.ToString();
    }

    [Fact]
    public void The_largest_session_the_limits_allow_fits_the_per_session_bound()
    {
        Dataset largest = PlaygroundData.ReadUpload(LargestCsv());
        Assert.Equal(Limits.MaxUploadRows, largest.Count);
        long bytes = Session.EstimateBytes(largest);
        Assert.InRange(bytes, 1L << 20, Limits.MaxSessionBytes);
        Assert.True(Session.EstimateBytes(null) < bytes); // a generated set is smaller than the largest upload
    }

    [Fact]
    public async Task A_session_holds_no_more_than_its_estimate_and_gives_it_back_when_deleted()
    {
        await using Server server = await Server.StartAsync(new Limits());
        string csv = LargestCsv();
        long before = Settled();
        var ids = new List<string>();
        for (int i = 0; i < 6; i++)
        {
            string id = await server.CreateAsync(LargestNetwork, csv);
            ids.Add(id);
            // one full-batch epoch and a snapshot: every workspace the session ever needs is allocated now
            using HttpResponseMessage step = await server.Http.PostAsync($"/api/sessions/{id}/step", null);
            Assert.Equal(HttpStatusCode.OK, step.StatusCode);
        }

        long held = Settled() - before;
        long estimate = server.Store.ReservedBytes;
        Assert.Equal(6 * Session.EstimateBytes(PlaygroundData.ReadUpload(csv)), estimate);
        Assert.True(held > estimate / 20, $"6 sessions hold only {held:N0} bytes: the test did not measure them");
        Assert.True(held <= estimate, $"6 sessions hold {held:N0} bytes, more than their estimate of {estimate:N0}");

        foreach (string id in ids)
        {
            using HttpResponseMessage deleted = await server.Http.DeleteAsync($"/api/sessions/{id}");
            Assert.Equal(HttpStatusCode.NoContent, deleted.StatusCode);
        }

        Assert.Equal(0, server.Store.ReservedBytes);
        long after = Settled() - before;
        Assert.True(after < held / 4, $"{after:N0} of {held:N0} bytes are still held after every session was deleted");
    }

    [Fact]
    public async Task A_session_that_would_pass_the_total_memory_is_refused_until_another_leaves()
    {
        string csv = LargestCsv();
        long one = Session.EstimateBytes(PlaygroundData.ReadUpload(csv));
        await using Server server = await Server.StartAsync(new Limits { MaxTotalBytes = (2 * one) + (one / 2) });
        string first = await server.CreateAsync(LargestNetwork, csv);
        await server.CreateAsync(LargestNetwork, csv);
        using (HttpResponseMessage third = await server.PostAsync(LargestNetwork, csv))
        {
            Assert.Equal(HttpStatusCode.TooManyRequests, third.StatusCode);
            Assert.Contains("memory", await third.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }

        // a small session still fits beside them
        await server.CreateAsync(new { dataset = "xor", hidden = new[] { 2 } });
        (await server.Http.DeleteAsync($"/api/sessions/{first}")).Dispose();
        await server.CreateAsync(LargestNetwork, csv);
    }

    [Fact]
    public async Task Refused_uploads_take_no_session_slot()
    {
        await using Server server = await Server.StartAsync(new Limits { MaxSessions = 1 });
        string[] bad = ["x1,x2,label\n1,2\n", "x1,x2,label\n1,2,100000\n3,4,0\n", "not,a\ncsv"];
        foreach (string csv in bad)
        {
            using HttpResponseMessage refused = await server.PostAsync(new { dataset = "upload" }, csv);
            Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        }

        Assert.Equal(0, server.Store.Count);
        Assert.Equal(0, server.Store.ReservedBytes);
        await server.CreateAsync(new { dataset = "xor", hidden = new[] { 2 } });
    }

    /// <summary>The managed heap after full, compacting collections.</summary>
    private static long Settled()
    {
        GC.Collect(GC.MaxGeneration, GCCollectionMode.Aggressive, blocking: true, compacting: true);
        GC.WaitForPendingFinalizers();
        return GC.GetTotalMemory(forceFullCollection: true);
    }

    private sealed class Server : IAsyncDisposable
    {
        private readonly WebApplication _app;

        private Server(WebApplication app, string address)
        {
            _app = app;
            Http = new HttpClient { BaseAddress = new Uri(address), Timeout = TimeSpan.FromSeconds(60) };
        }

        public HttpClient Http { get; }

        public SessionStore Store => _app.Services.GetRequiredService<SessionStore>();

        public static async Task<Server> StartAsync(Limits limits)
        {
            (WebApplication app, string address) = await PlaygroundServer.StartAsync("127.0.0.1", 0, limits);
            return new Server(app, address);
        }

        public Task<HttpResponseMessage> PostAsync(object config, string? csv = null) =>
            Http.PostAsJsonAsync("/api/sessions", new { config, csv });

        public async Task<string> CreateAsync(object config, string? csv = null)
        {
            using HttpResponseMessage response = await PostAsync(config, csv);
            Assert.True(response.StatusCode == HttpStatusCode.Created, await response.Content.ReadAsStringAsync());
            return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString()!;
        }

        public async ValueTask DisposeAsync()
        {
            Http.Dispose();
            await _app.StopAsync();
            await _app.DisposeAsync();
        }
    }
}
