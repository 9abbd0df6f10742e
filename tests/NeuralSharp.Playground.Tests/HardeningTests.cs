using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;

namespace NeuralSharp.Playground.Tests;

/// <summary>What a client could break before (issue 23): a half-done reset, chunked and two-origin writes, unbounded event streams.</summary>
public sealed class HardeningTests(ServerFixture server) : IClassFixture<ServerFixture>
{
    [Fact]
    public async Task A_refused_reset_leaves_the_session_as_it_was()
    {
        JsonElement created = await server.CreateAsync(new { dataset = "xor", hidden = new[] { 3 }, output = "tf" });
        string id = created.GetProperty("id").GetString()!;
        // three classes with tf's one tanh unit: valid alone, refused once the data is made
        using HttpResponseMessage reset = await server.Http.PostAsJsonAsync($"/api/sessions/{id}/reset", new { config = new { dataset = "gauss3", hidden = new[] { 3 }, output = "tf" } });
        Assert.Equal(HttpStatusCode.BadRequest, reset.StatusCode);
        Assert.Contains("two classes", await reset.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        // every later request is served as before: the data, the network and the configuration are the old ones
        for (int i = 0; i < 3; i++)
        {
            using HttpResponseMessage step = await server.Http.PostAsync($"/api/sessions/{id}/step", null);
            Assert.Equal(HttpStatusCode.OK, step.StatusCode);
        }

        JsonElement after = await server.Http.GetFromJsonAsync<JsonElement>($"/api/sessions/{id}");
        Assert.Equal("xor", after.GetProperty("config").GetProperty("dataset").GetString());
        using HttpResponseMessage points = await server.Http.GetAsync($"/api/sessions/{id}/points");
        Assert.Equal(HttpStatusCode.OK, points.StatusCode);
    }

    [Fact]
    public async Task A_chunked_plain_text_write_is_refused_like_any_other()
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/sessions") { Content = new StringContent("""{"config":{"dataset":"xor"}}""", Encoding.UTF8, "text/plain") };
        request.Headers.TransferEncodingChunked = true;
        using HttpResponseMessage response = await server.Http.SendAsync(request);
        Assert.Equal(HttpStatusCode.UnsupportedMediaType, response.StatusCode);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task A_write_with_two_origins_is_refused_whichever_comes_first(bool evilFirst)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/sessions") { Content = new StringContent("""{"config":{"dataset":"xor"}}""", Encoding.UTF8, "application/json") };
        string[] origins = evilFirst ? ["http://evil.example", server.Address.TrimEnd('/')] : [server.Address.TrimEnd('/'), "http://evil.example"];
        request.Headers.TryAddWithoutValidation("Origin", origins);
        using HttpResponseMessage response = await server.Http.SendAsync(request);
        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
    }

    [Fact]
    public async Task Event_streams_are_bounded_per_session_and_in_all_and_counted_back_when_they_close()
    {
        (Microsoft.AspNetCore.Builder.WebApplication app, string address) = await PlaygroundServer.StartAsync("127.0.0.1", 0, new Limits { MaxStreams = 6 });
        var open = new List<(HttpResponseMessage Response, Stream Body)>();
        try
        {
            using var http = new HttpClient { BaseAddress = new Uri(address), Timeout = TimeSpan.FromSeconds(30) };
            async Task<string> Session()
            {
                using HttpResponseMessage created = await http.PostAsJsonAsync("/api/sessions", new { config = new { dataset = "xor", hidden = new[] { 2 } } });
                return (await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString()!;
            }

            async Task<HttpStatusCode> Stream(string id)
            {
                HttpResponseMessage response = await http.GetAsync($"/api/sessions/{id}/stream", HttpCompletionOption.ResponseHeadersRead);
                if (response.StatusCode == HttpStatusCode.OK)
                {
                    open.Add((response, await response.Content.ReadAsStreamAsync()));
                }
                else
                {
                    response.Dispose();
                }

                return response.StatusCode;
            }

            string first = await Session(), second = await Session();
            for (int i = 0; i < Limits.MaxStreamsPerSession; i++)
            {
                Assert.Equal(HttpStatusCode.OK, await Stream(first));
            }

            Assert.Equal(HttpStatusCode.TooManyRequests, await Stream(first));
            Assert.Equal(HttpStatusCode.OK, await Stream(second));
            Assert.Equal(HttpStatusCode.OK, await Stream(second));
            Assert.Equal(HttpStatusCode.TooManyRequests, await Stream(second)); // six in all
            // a stream closed by its page is counted back, and its place is free again
            open[0].Body.Dispose();
            open[0].Response.Dispose();
            open.RemoveAt(0);
            HttpStatusCode again = HttpStatusCode.TooManyRequests;
            for (int attempt = 0; attempt < 50 && again != HttpStatusCode.OK; attempt++)
            {
                await Task.Delay(100);
                again = await Stream(first);
            }

            Assert.Equal(HttpStatusCode.OK, again);
        }
        finally
        {
            foreach ((HttpResponseMessage response, Stream body) in open)
            {
                body.Dispose();
                response.Dispose();
            }

            await app.StopAsync();
            await app.DisposeAsync();
        }
    }
}
