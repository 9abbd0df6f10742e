using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using CsCheck;

namespace NeuralSharp.Playground.Tests;

/// <summary>
/// Generated abuse against the real server (issue 23's campaign, as a test): sequences of resets with good, bad and
/// strange configurations, writes in the wrong encoding, chunked, from two origins or a foreign one, unknown fields,
/// malformed JSON, and event streams opened and dropped. Whatever comes, the server answers with a status it means
/// (never 5xx), a session refused a change is served as it was, and streams are counted back when they close.
/// </summary>
public sealed class AbuseFuzzTests
{
    private static readonly Gen<JsonNode?> Field = Gen.Int[0, 9].Select(kind => kind switch
    {
        0 => (JsonNode?)null,
        1 => JsonValue.Create("xor"),
        2 => JsonValue.Create(-1),
        3 => JsonValue.Create(1e9),
        4 => new JsonArray(JsonValue.Create(3), JsonValue.Create(0)),
        5 => new JsonArray(JsonValue.Create(100_000)),
        6 => new JsonObject { ["x"] = 1 },
        7 => JsonValue.Create(true),
        8 => JsonValue.Create("gauss3"),
        _ => JsonValue.Create(0.5),
    });

    private static readonly string[] Fields = ["dataset", "noise", "trainRatio", "features", "hidden", "activation", "output", "init", "learningRate", "batch", "optimizer", "regularization", "regularizationRate", "seed", "unknownField"];

    /// <summary>A configuration: a valid base with up to three fields replaced by anything.</summary>
    private static readonly Gen<string> Configs = Gen.Select(Gen.Int[0, Fields.Length - 1], Field).Array[0, 3].Select(edits =>
    {
        var config = new JsonObject { ["dataset"] = "xor", ["hidden"] = new JsonArray(JsonValue.Create(3)) };
        foreach ((int field, JsonNode? value) in edits)
        {
            config[Fields[field]] = value?.DeepClone();
        }

        return new JsonObject { ["config"] = config }.ToJsonString();
    });

    /// <summary>How a write is sent: JSON, text/plain, chunked text, two origins, a foreign origin, a forged host, broken JSON.</summary>
    private static readonly Gen<int> Sending = Gen.Int[0, 6];

    [Fact]
    public async Task Generated_resets_writes_and_streams_never_break_a_session_or_the_server()
    {
        (Microsoft.AspNetCore.Builder.WebApplication app, string address) = await PlaygroundServer.StartAsync("127.0.0.1", 0, new Limits { MaxStreams = 8, MaxSessions = 20 });
        using var http = new HttpClient { BaseAddress = new Uri(address), Timeout = TimeSpan.FromSeconds(60) };
        try
        {
            int runs = 0;
            var seen = new HashSet<HttpStatusCode>();
            await Gen.Select(Configs, Sending, Gen.Int[0, 5]).Array[40].SampleAsync(
                async plan =>
                {
                    runs++;
                    using HttpResponseMessage created = await http.PostAsJsonAsync("/api/sessions", new { config = new { dataset = "xor", hidden = new[] { 3 } } });
                    string id = (await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString()!;
                    var open = new List<HttpResponseMessage>();
                    try
                    {
                        foreach ((string config, int sending, int action) in plan)
                        {
                            HttpStatusCode status = action switch
                            {
                                0 or 1 or 2 => await Send(http, address, $"/api/sessions/{id}/reset", config, sending),
                                3 => await Send(http, address, "/api/sessions", config, sending),
                                4 => await OpenStream(http, id, open),
                                _ => Close(open),
                            };
                            Assert.True((int)status < 500, $"{status} for action {action}, sending {sending}: {config}");
                            seen.Add(status);

                            // the session is whole after every request: its state is served and it steps
                            using HttpResponseMessage state = await http.GetAsync($"/api/sessions/{id}");
                            Assert.Equal(HttpStatusCode.OK, state.StatusCode);
                            using HttpResponseMessage step = await http.PostAsync($"/api/sessions/{id}/step", null);
                            Assert.Equal(HttpStatusCode.OK, step.StatusCode);
                        }

                        // every stream it opened is counted back once closed: a new one opens (the server notices a
                        // closed stream when it next writes to it)
                        Close(open);
                        HttpStatusCode again = HttpStatusCode.TooManyRequests;
                        for (int attempt = 0; attempt < 50 && again != HttpStatusCode.OK; attempt++)
                        {
                            await Task.Delay(100);
                            again = await OpenStream(http, id, open);
                        }

                        Assert.Equal(HttpStatusCode.OK, again);
                    }
                    finally
                    {
                        Close(open);
                        (await http.DeleteAsync($"/api/sessions/{id}")).Dispose();
                    }
                },
                iter: 6,
                threads: 1);
            Assert.Equal(6, runs);
            // changes were taken and refused, for their content and for how they were sent
            Assert.Contains(HttpStatusCode.OK, seen);
            Assert.Contains(HttpStatusCode.BadRequest, seen);
            Assert.Contains(HttpStatusCode.Forbidden, seen);
            Assert.Contains(HttpStatusCode.UnsupportedMediaType, seen);
        }
        finally
        {
            await app.StopAsync();
            await app.DisposeAsync();
        }
    }

    private static async Task<HttpStatusCode> Send(HttpClient http, string address, string path, string json, int sending)
    {
        string body = sending == 6 ? json[..(json.Length / 2)] : json;
        using var request = new HttpRequestMessage(HttpMethod.Post, path)
        {
            Content = new StringContent(body, Encoding.UTF8, sending is 1 or 2 ? "text/plain" : "application/json"),
        };
        switch (sending)
        {
            case 2:
                request.Headers.TransferEncodingChunked = true;
                break;
            case 3:
                request.Headers.TryAddWithoutValidation("Origin", ["http://evil.example", address.TrimEnd('/')]);
                break;
            case 4:
                request.Headers.TryAddWithoutValidation("Origin", "http://evil.example");
                break;
            case 5:
                request.Headers.Host = "evil.example";
                break;
        }

        using HttpResponseMessage response = await http.SendAsync(request);
        if (response.StatusCode == HttpStatusCode.Created && path == "/api/sessions")
        {
            // a session made by the plan is removed again: the store's bound is another test's
            string id = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString()!;
            (await http.DeleteAsync($"/api/sessions/{id}")).Dispose();
        }

        return response.StatusCode;
    }

    private static async Task<HttpStatusCode> OpenStream(HttpClient http, string id, List<HttpResponseMessage> open)
    {
        HttpResponseMessage response = await http.GetAsync($"/api/sessions/{id}/stream", HttpCompletionOption.ResponseHeadersRead);
        if (response.StatusCode == HttpStatusCode.OK)
        {
            open.Add(response);
        }
        else
        {
            response.Dispose();
        }

        return response.StatusCode;
    }

    private static HttpStatusCode Close(List<HttpResponseMessage> open)
    {
        foreach (HttpResponseMessage response in open)
        {
            response.Dispose();
        }

        open.Clear();
        return HttpStatusCode.OK;
    }
}
