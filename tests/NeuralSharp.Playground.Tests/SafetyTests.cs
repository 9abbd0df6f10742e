using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;

namespace NeuralSharp.Playground.Tests;

/// <summary>The playground as a public server: host names, origins, content types, unknown fields, security headers, and numbers that are not finite.</summary>
public sealed class SafetyTests(ServerFixture server) : IClassFixture<ServerFixture>
{
    private const string Config = """{"config":{"dataset":"xor","hidden":[2]}}""";

    [Fact]
    public async Task A_request_for_another_host_name_is_refused()
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/api/limits");
        request.Headers.Host = "attacker.example";
        using HttpResponseMessage response = await server.Http.SendAsync(request);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("does not answer for the host 'attacker.example'", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_write_from_another_origin_is_refused()
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/sessions") { Content = new StringContent(Config, Encoding.UTF8, "application/json") };
        request.Headers.Add("Origin", "http://evil.example");
        using HttpResponseMessage response = await server.Http.SendAsync(request);
        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
    }

    [Fact]
    public async Task A_write_from_this_origin_is_served()
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/sessions") { Content = new StringContent(Config, Encoding.UTF8, "application/json") };
        request.Headers.Add("Origin", server.Address.TrimEnd('/'));
        using HttpResponseMessage response = await server.Http.SendAsync(request);
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
    }

    [Fact]
    public async Task A_cross_site_plain_text_post_cannot_create_a_session()
    {
        using HttpResponseMessage response = await server.Http.PostAsync("/api/sessions", new StringContent(Config, Encoding.UTF8, "text/plain"));
        Assert.Equal(HttpStatusCode.UnsupportedMediaType, response.StatusCode);
    }

    [Fact]
    public async Task An_unknown_field_is_refused_by_name()
    {
        using HttpResponseMessage response = await server.Http.PostAsync("/api/sessions", new StringContent("""{"hidden":[100000]}""", Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("hidden", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Every_response_carries_the_security_headers()
    {
        using HttpResponseMessage response = await server.Http.GetAsync("/");
        Assert.Equal("nosniff", response.Headers.GetValues("X-Content-Type-Options").Single());
        Assert.Equal("DENY", response.Headers.GetValues("X-Frame-Options").Single());
        Assert.Contains("default-src 'self'", response.Headers.GetValues("Content-Security-Policy").Single(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_huge_weight_edit_is_refused_by_name_and_the_session_keeps_answering()
    {
        JsonElement created = await server.CreateAsync(new { dataset = "plane", hidden = new[] { 2 } });
        string id = created.GetProperty("id").GetString()!;
        using HttpResponseMessage huge = await server.Http.PostAsJsonAsync($"/api/sessions/{id}/weights", new { layer = 2, from = 0, to = 0, value = 1e308 });
        Assert.Equal(HttpStatusCode.BadRequest, huge.StatusCode); // an edit is bounded like every other field, and named
        Assert.Equal("value", (await huge.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("field").GetString());
        // the largest edit allowed, on the output of a regression: the squared error overflows all the same
        using HttpResponseMessage weight = await server.Http.PostAsJsonAsync($"/api/sessions/{id}/weights", new { layer = 2, from = 0, to = 0, value = 1000 });
        string body = await weight.Content.ReadAsStringAsync();
        Assert.True(weight.IsSuccessStatusCode, body);
        for (int i = 0; i < 3; i++)
        {
            using HttpResponseMessage read = await server.Http.GetAsync($"/api/sessions/{id}");
            Assert.Equal(HttpStatusCode.OK, read.StatusCode);
        }
    }

    [Theory]
    [InlineData("?layer=abc&unit=0", "layer")]
    [InlineData("?layer=1&unit=x", "unit")]
    [InlineData("?layer=1&unit=0&sample=1.5", "sample")]
    [InlineData("?unit=0", "layer")]
    public async Task A_bad_query_value_gets_a_400_that_names_its_field(string query, string field)
    {
        JsonElement created = await server.CreateAsync(new { dataset = "xor", hidden = new[] { 2 } });
        using HttpResponseMessage response = await server.Http.GetAsync($"/api/sessions/{created.GetProperty("id").GetString()}/neuron{query}");
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        JsonElement body = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(field, body.GetProperty("field").GetString());
    }
}

/// <summary>Expiry with a short idle timeout, on a server of its own.</summary>
public sealed class ExpiryTests
{
    [Fact]
    public async Task An_open_event_stream_does_not_keep_an_idle_session_alive()
    {
        (Microsoft.AspNetCore.Builder.WebApplication app, string address) = await PlaygroundServer.StartAsync("127.0.0.1", 0, new Limits { SessionIdleTimeout = TimeSpan.FromSeconds(1) });
        try
        {
            using var http = new HttpClient { BaseAddress = new Uri(address), Timeout = TimeSpan.FromSeconds(30) };
            using HttpResponseMessage created = await http.PostAsJsonAsync("/api/sessions", new { config = new { dataset = "xor", hidden = new[] { 2 } } });
            string id = (await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString()!;
            using HttpResponseMessage stream = await http.GetAsync($"/api/sessions/{id}/stream", HttpCompletionOption.ResponseHeadersRead);
            using var reader = new StreamReader(await stream.Content.ReadAsStreamAsync());
            Task<string> rest = reader.ReadToEndAsync();
            Task finished = await Task.WhenAny(rest, Task.Delay(TimeSpan.FromSeconds(20)));
            Assert.Same(rest, finished); // the stream ended with its session
            using HttpResponseMessage read = await http.GetAsync($"/api/sessions/{id}");
            Assert.Equal(HttpStatusCode.NotFound, read.StatusCode);
        }
        finally
        {
            await app.StopAsync();
            await app.DisposeAsync();
        }
    }
}
