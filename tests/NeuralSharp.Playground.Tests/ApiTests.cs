using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using NeuralSharp.Playground;

namespace NeuralSharp.Playground.Tests;

public sealed class ApiTests(ServerFixture server) : IClassFixture<ServerFixture>
{
    public static TheoryData<string, string> BadFields() => new()
    {
        { """{"dataset":"moons"}""", "dataset" },
        { """{"noise":51}""", "noise" },
        { """{"noise":"loud"}""", "noise" },
        { """{"trainRatio":5}""", "trainRatio" },
        { """{"trainRatio":95}""", "trainRatio" },
        { """{"features":[]}""", "features" },
        { """{"features":["x3"]}""", "features" },
        { """{"features":"x1"}""", "features" },
        { """{"hidden":[1,2,3,4,5,6,7,8,9]}""", "hidden" },
        { """{"hidden":[17]}""", "hidden" },
        { """{"hidden":[0]}""", "hidden" },
        { """{"activation":"swish"}""", "activation" },
        { """{"output":"sigmoid"}""", "output" },
        { """{"init":"orthogonal"}""", "init" },
        { """{"learningRate":0}""", "learningRate" },
        { """{"learningRate":11}""", "learningRate" },
        { """{"learningRate":"fast"}""", "learningRate" },
        { """{"batch":-2}""", "batch" },
        { """{"batch":1.5}""", "batch" },
        { """{"optimizer":"lbfgs"}""", "optimizer" },
        { """{"regularization":"dropout"}""", "regularization" },
        { """{"regularizationRate":2}""", "regularizationRate" },
        { """{"seed":"abc"}""", "seed" },
    };

    [Theory]
    [MemberData(nameof(BadFields))]
    public async Task Every_field_is_validated_with_a_400_naming_it(string config, string field)
    {
        using var content = new StringContent($$"""{"config":{{config}}}""", Encoding.UTF8, "application/json");
        using HttpResponseMessage response = await server.Http.PostAsync("/api/sessions", content);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        JsonElement body = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(field, body.GetProperty("field").GetString());
        Assert.Contains(field, body.GetProperty("error").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Malformed_json_is_a_400()
    {
        using var content = new StringContent("{not json", Encoding.UTF8, "application/json");
        using HttpResponseMessage response = await server.Http.PostAsync("/api/sessions", content);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }

    [Fact]
    public async Task Upload_is_validated_and_a_good_file_trains()
    {
        var upload = new { dataset = "upload" };
        await AssertCsvRefused(upload, "x1,x2,target\n1,2,0\n3,oops,1\n", "line 3, column 2 (x2)");
        await AssertCsvRefused(upload, "a,b,c,target\n1,2,3,0\n1,2,3,1\n1,2,3,0\n1,2,3,1\n", "exactly two feature columns");
        await AssertCsvRefused(upload, "x1,x2,target\n" + string.Concat(Enumerable.Repeat("1.000000,2.000000,0\n", 60_000)), "larger than");
        await AssertCsvRefused(upload, "x1,x2,kind\n" + string.Concat(Enumerable.Range(0, 12).Select(i => $"{i},{i},c{i}\n")), "at most 10");
        await AssertCsvRefused(upload, "x1,x2,target\n" + string.Concat(Enumerable.Range(0, 10_001).Select(i => $"{i % 7},{i % 5},{i % 2}\n")), "limit is 10,000");
        await AssertCsvRefused(upload, null, "needs the CSV text");

        var rows = Enumerable.Range(0, 200).Select(i => $"{(i % 20) - 10},{(i / 20) - 5},{(i % 20 >= 10 ? 1 : 0)}");
        JsonElement snapshot = await server.CreateAsync(new { dataset = "upload", hidden = new[] { 4 } }, "x1,x2,target\n" + string.Join("\n", rows));
        string id = snapshot.GetProperty("id").GetString()!;
        for (int i = 0; i < 30; i++)
        {
            await server.Http.PostAsync($"/api/sessions/{id}/step", null);
        }

        JsonElement after = await server.Http.GetFromJsonAsync<JsonElement>($"/api/sessions/{id}");
        Assert.True(after.GetProperty("testAccuracy").GetDouble() > 0.9);
        Assert.Equal(-11.9, after.GetProperty("bounds")[0].GetDouble(), 6);
    }

    [Fact]
    public async Task Session_life_cycle()
    {
        JsonElement created = await server.CreateAsync(new { dataset = "xor", hidden = new[] { 4 } });
        string id = created.GetProperty("id").GetString()!;
        Assert.Equal(0, created.GetProperty("epoch").GetInt32());

        JsonElement stepped = await Post($"/api/sessions/{id}/step");
        Assert.Equal(1, stepped.GetProperty("epoch").GetInt32());

        await Post($"/api/sessions/{id}/play");
        await WaitUntil(async () => (await Get(id)).GetProperty("epoch").GetInt32() > 20);
        JsonElement paused = await Post($"/api/sessions/{id}/pause");
        Assert.False(paused.GetProperty("playing").GetBoolean());
        int epoch = (await Get(id)).GetProperty("epoch").GetInt32();
        await Task.Delay(200);
        Assert.Equal(epoch, (await Get(id)).GetProperty("epoch").GetInt32());

        using var reset = JsonContent.Create(new { config = new { dataset = "gauss", hidden = new[] { 3, 3 } } });
        using HttpResponseMessage resetResponse = await server.Http.PostAsync($"/api/sessions/{id}/reset", reset);
        JsonElement fresh = await resetResponse.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(0, fresh.GetProperty("epoch").GetInt32());
        Assert.Equal(3, fresh.GetProperty("weights").GetArrayLength());

        Assert.Equal(HttpStatusCode.NoContent, (await server.Http.DeleteAsync($"/api/sessions/{id}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await server.Http.GetAsync($"/api/sessions/{id}")).StatusCode);
    }

    [Fact]
    public async Task The_loss_history_covers_the_whole_run_evenly()
    {
        // thousands of epochs, far more than the history keeps: its points stay evenly spread from epoch 0 to the last
        JsonElement created = await server.CreateAsync(new { dataset = "xor", hidden = new[] { 2 } });
        string id = created.GetProperty("id").GetString()!;
        await Post($"/api/sessions/{id}/play");
        await WaitUntil(async () => (await Get(id)).GetProperty("epoch").GetInt32() > 3000);
        await Post($"/api/sessions/{id}/pause");
        JsonElement state = await Get(id);
        int last = state.GetProperty("epoch").GetInt32();
        int[] epochs = [.. state.GetProperty("history").GetProperty("epoch").EnumerateArray().Select(e => e.GetInt32())];
        Assert.InRange(epochs.Length, 100, Limits.MaxHistory);
        Assert.Equal(0, epochs[0]);
        Assert.Equal(last, epochs[^1]);
        // one stride between every two points but the newest (which stands in for the next of the grid)
        int[] gaps = [.. epochs.Zip(epochs.Skip(1), (a, b) => b - a)];
        Assert.Single(gaps[..^1].Distinct());
        Assert.InRange(gaps[^1], 1, gaps[0]);
        // the first half of the run holds about half of the points, not just epoch 0
        Assert.InRange(epochs.Count(e => e <= last / 2), epochs.Length / 3, (2 * epochs.Length / 3) + 1);
    }

    [Fact]
    public async Task A_session_trains_at_the_speed_asked_for_without_starting_over()
    {
        JsonElement created = await server.CreateAsync(new { dataset = "xor", hidden = new[] { 2 } });
        string id = created.GetProperty("id").GetString()!;
        await Post($"/api/sessions/{id}/step");
        using (var speed = JsonContent.Create(new { epochsPerSecond = 20 }))
        {
            using HttpResponseMessage set = await server.Http.PostAsync($"/api/sessions/{id}/speed", speed);
            JsonElement slowed = await set.Content.ReadFromJsonAsync<JsonElement>();
            Assert.Equal(20, slowed.GetProperty("epochsPerSecond").GetInt32());
            Assert.Equal(1, slowed.GetProperty("epoch").GetInt32()); // not a reset
        }

        var played = System.Diagnostics.Stopwatch.StartNew();
        await Post($"/api/sessions/{id}/play");
        await Task.Delay(1500);
        await Post($"/api/sessions/{id}/pause");
        double seconds = played.Elapsed.TotalSeconds;
        int epochs = (await Get(id)).GetProperty("epoch").GetInt32();
        // about 30 in 1.5 s: the machine may be slower, never faster than 20 a second over the time it played (which a
        // loaded machine stretches past 1.5 s: the pause comes late), plus the epoch before and one due at the start
        Assert.InRange(epochs, 5, 2 + (int)(20 * seconds));
        foreach (object bad in new object[] { new { epochsPerSecond = -1 }, new { epochsPerSecond = 1_000_000 }, new { speed = 5 } })
        {
            using var body = JsonContent.Create(bad);
            using HttpResponseMessage refused = await server.Http.PostAsync($"/api/sessions/{id}/speed", body);
            Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        }
    }

    public static TheoryData<string> Activations() => [.. NeuralSharp.Activations.Activation.Registry.Where(a => a.Elementwise).Select(a => a.Name)];

    [Theory]
    [MemberData(nameof(Activations))]
    public async Task Every_registered_activation_trains_in_the_playground(string activation)
    {
        JsonElement created = await server.CreateAsync(new { dataset = "circle", hidden = new[] { 4 }, activation });
        string id = created.GetProperty("id").GetString()!;
        JsonElement stepped = await Post($"/api/sessions/{id}/step");
        Assert.Equal(1, stepped.GetProperty("epoch").GetInt32());
        JsonElement f = await server.Http.GetFromJsonAsync<JsonElement>($"/api/sessions/{id}/neuron?layer=1&unit=0&sample=0");
        Assert.Equal(activation, f.GetProperty("activation").GetString());
        Assert.Equal(HttpStatusCode.NoContent, (await server.Http.DeleteAsync($"/api/sessions/{id}")).StatusCode);
    }

    [Fact]
    public async Task Editing_a_weight_changes_the_output_and_is_validated()
    {
        JsonElement created = await server.CreateAsync(new { dataset = "circle", hidden = new[] { 2 } });
        string id = created.GetProperty("id").GetString()!;
        using HttpResponseMessage edit = await server.Http.PostAsJsonAsync($"/api/sessions/{id}/weights", new { layer = 1, from = 0, to = 1, value = 4.5 });
        JsonElement after = await edit.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(4.5, after.GetProperty("weights")[0][0][1].GetDouble());
        Assert.NotEqual(created.GetProperty("grid").GetString(), after.GetProperty("grid").GetString());

        using HttpResponseMessage bad = await server.Http.PostAsJsonAsync($"/api/sessions/{id}/weights", new { layer = 7, from = 0, to = 0, value = 1 });
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
    }

    [Fact]
    public async Task Neuron_formula_agrees_with_its_own_numbers()
    {
        JsonElement created = await server.CreateAsync(new { dataset = "spiral", hidden = new[] { 3 }, activation = "tanh", features = new[] { "x1", "x2", "sin_x1" } });
        string id = created.GetProperty("id").GetString()!;
        JsonElement f = await server.Http.GetFromJsonAsync<JsonElement>($"/api/sessions/{id}/neuron?layer=1&unit=2&sample=3");
        double[] w = [.. f.GetProperty("weights").EnumerateArray().Select(e => e.GetDouble())];
        double[] x = [.. f.GetProperty("inputs").EnumerateArray().Select(e => e.GetDouble())];
        double u = w.Zip(x, (a, b) => a * b).Sum() + f.GetProperty("bias").GetDouble();
        Assert.Equal(u, f.GetProperty("u").GetDouble(), 12);
        Assert.Equal(Math.Tanh(u), f.GetProperty("z").GetDouble(), 12);
        Assert.Equal(Math.Sin(x[0]), x[2], 12);
        double delta = f.GetProperty("delta").GetDouble();
        Assert.Equal(x.Select(v => v * delta), f.GetProperty("weightGradients").EnumerateArray().Select(e => e.GetDouble()), new Tolerance());
        Assert.Equal(HttpStatusCode.BadRequest, (await server.Http.GetAsync($"/api/sessions/{id}/neuron?layer=9&unit=0")).StatusCode);
    }

    [Fact]
    public async Task Fifty_sessions_train_at_once_within_bounded_memory()
    {
        string[] ids = new string[50];
        for (int i = 0; i < ids.Length; i++)
        {
            ids[i] = (await server.CreateAsync(new { dataset = "spiral", hidden = new[] { 8, 8 }, seed = i })).GetProperty("id").GetString()!;
        }

        await Task.WhenAll(ids.Select(id => server.Http.PostAsync($"/api/sessions/{id}/play", null)));
        await Task.Delay(4000);
        int[] epochs = await Task.WhenAll(ids.Select(async id => (await Get(id)).GetProperty("epoch").GetInt32()));
        await Task.WhenAll(ids.Select(id => server.Http.DeleteAsync($"/api/sessions/{id}")));
        Assert.All(epochs, e => Assert.True(e > 0, "a session did not train"));
        GC.Collect();
        long megabytes = GC.GetTotalMemory(forceFullCollection: true) / 1_000_000;
        Assert.True(megabytes < 400, $"{megabytes} MB in use");
    }

    [Fact]
    public async Task A_full_playground_refuses_more_sessions_and_idle_ones_expire()
    {
        var (app, address) = await PlaygroundServer.StartAsync("127.0.0.1", 0, new Limits { MaxSessions = 3, SessionIdleTimeout = TimeSpan.FromSeconds(1) });
        await using var _ = app;
        using var http = new HttpClient { BaseAddress = new Uri(address) };
        var ids = new List<string>();
        for (int i = 0; i < 3; i++)
        {
            using HttpResponseMessage ok = await http.PostAsJsonAsync("/api/sessions", new { config = new { dataset = "xor" } });
            ids.Add((await ok.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString()!);
        }

        using HttpResponseMessage full = await http.PostAsJsonAsync("/api/sessions", new { config = new { dataset = "xor" } });
        Assert.Equal((HttpStatusCode)429, full.StatusCode);
        await Task.Delay(2500);
        Assert.Equal(HttpStatusCode.NotFound, (await http.GetAsync($"/api/sessions/{ids[0]}")).StatusCode);
        using HttpResponseMessage again = await http.PostAsJsonAsync("/api/sessions", new { config = new { dataset = "xor" } });
        Assert.Equal(HttpStatusCode.Created, again.StatusCode);
        await app.StopAsync();
    }

    [Fact]
    public async Task The_stream_sends_snapshots_as_server_sent_events()
    {
        string id = (await server.CreateAsync(new { dataset = "spiral", hidden = new[] { 8, 8 } })).GetProperty("id").GetString()!;
        await server.Http.PostAsync($"/api/sessions/{id}/play", null);
        using var request = new HttpRequestMessage(HttpMethod.Get, $"/api/sessions/{id}/stream");
        await Task.Delay(1000); // let training run (and the code warm up) before counting
        using HttpResponseMessage response = await server.Http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
        Assert.Equal("text/event-stream", response.Content.Headers.ContentType!.MediaType);
        using var reader = new StreamReader(await response.Content.ReadAsStreamAsync());
        // 30 frames keep coming (about 1.5 s at the playground's 20 a second; a loaded machine may take longer, not forever)
        var clock = System.Diagnostics.Stopwatch.StartNew();
        int frames = 0;
        while (frames < 30 && clock.Elapsed < TimeSpan.FromSeconds(15))
        {
            string? line = await reader.ReadLineAsync();
            if (line is not null && line.StartsWith("data: ", StringComparison.Ordinal))
            {
                frames++;
            }
        }

        await server.Http.DeleteAsync($"/api/sessions/{id}");
        Assert.True(frames >= 30, $"{frames} frames in {clock.Elapsed.TotalSeconds:F1} s");
    }

    private async Task AssertCsvRefused(object config, string? csv, string message)
    {
        using HttpResponseMessage response = await server.Http.PostAsJsonAsync("/api/sessions", new { config, csv });
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        JsonElement body = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("csv", body.GetProperty("field").GetString());
        Assert.Contains(message, body.GetProperty("error").GetString(), StringComparison.Ordinal);
    }

    private async Task<JsonElement> Post(string path)
    {
        using HttpResponseMessage response = await server.Http.PostAsync(path, null);
        return await response.Content.ReadFromJsonAsync<JsonElement>();
    }

    private Task<JsonElement> Get(string id) => server.Http.GetFromJsonAsync<JsonElement>($"/api/sessions/{id}");

    private static async Task WaitUntil(Func<Task<bool>> condition)
    {
        for (int i = 0; i < 200 && !await condition(); i++)
        {
            await Task.Delay(50);
        }

        Assert.True(await condition());
    }

    private sealed class Tolerance : IEqualityComparer<double>
    {
        public bool Equals(double x, double y) => Math.Abs(x - y) < 1e-12;

        public int GetHashCode(double obj) => 0;
    }
}
