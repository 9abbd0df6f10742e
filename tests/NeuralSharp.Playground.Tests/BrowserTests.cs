using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Playwright;

namespace NeuralSharp.Playground.Tests;

/// <summary>Headless Chromium (the system's, never a downloaded one) driving the real page against a real server.</summary>
public sealed class BrowserFixture : IAsyncLifetime
{
    public ServerFixture Server { get; } = new();

    public IBrowser Browser { get; private set; } = null!;

    private IPlaywright? _playwright;

    public async Task InitializeAsync()
    {
        await Server.InitializeAsync();
        _playwright = await Playwright.CreateAsync();
        Browser = await _playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = "/usr/bin/chromium",
            Headless = true,
            Args = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update"],
        });
    }

    public async Task DisposeAsync()
    {
        await Browser.DisposeAsync();
        _playwright?.Dispose();
        await Server.DisposeAsync();
    }
}

public sealed class BrowserTests(BrowserFixture fixture, Xunit.Abstractions.ITestOutputHelper output) : IClassFixture<BrowserFixture>
{
    private const string Spiral = "?dataset=spiral&noise=0&trainRatio=50&features=x1,x2&hidden=8,8&activation=tanh&output=course&init=xavier&learningRate=0.03&batch=10&optimizer=sgd&regularization=none&regularizationRate=0&seed=1";

    private async Task<(IPage Page, List<string> Errors)> OpenAsync(string query)
    {
        IPage page = await fixture.Browser.NewPageAsync(new BrowserNewPageOptions { ViewportSize = new ViewportSize { Width = 1500, Height = 950 } });
        var errors = new List<string>();
        page.Console += (_, message) =>
        {
            if (message.Type == "error")
            {
                errors.Add($"{message.Text} ({message.Location})");
            }
        };
        page.PageError += (_, error) => errors.Add(error);
        await page.GotoAsync(fixture.Server.Address + "/" + query);
        await page.WaitForFunctionAsync("() => window.playground && window.playground.snapshot && window.playground.points");
        return (page, errors);
    }

    [Fact]
    public async Task Page_loads_without_console_errors_and_draws_everything()
    {
        (IPage page, List<string> errors) = await OpenAsync("");
        Assert.Empty(errors);
        Assert.Equal(2 + 4 + 2 + 2, await page.Locator(".neuron").CountAsync());
        Assert.True(await page.Locator("#links line").CountAsync() >= (2 * 4) + (4 * 2) + (2 * 2));
        Assert.Equal("0", await page.TextContentAsync("#epoch"));
        await page.CloseAsync();
    }

    [Fact]
    public async Task Spiral_with_two_layers_of_8_and_tanh_learns_within_60_seconds_and_a_screenshot_is_saved()
    {
        (IPage page, List<string> errors) = await OpenAsync(Spiral);
        var clock = System.Diagnostics.Stopwatch.StartNew();
        await page.ClickAsync("#play");
        await page.WaitForFunctionAsync(
            "() => { const s = window.playground.snapshot; return s.testLoss < 0.1 || s.testAccuracy >= 0.95; }",
            null, new PageWaitForFunctionOptions { Timeout = 60_000, PollingInterval = 250 });
        double accuracy = await page.EvaluateAsync<double>("() => window.playground.snapshot.testAccuracy");
        output.WriteLine($"spiral 2-8-8-2 tanh: test accuracy {accuracy:F3} after {clock.Elapsed.TotalSeconds:F1} s");
        Assert.True(accuracy >= 0.9, $"test accuracy {accuracy}");
        await page.CheckAsync("#showTest");
        string path = Path.Combine(AppContext.BaseDirectory, "playground.png");
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = path, FullPage = true });
        Assert.True(new FileInfo(path).Length > 20_000);
        await page.ClickAsync("#play");
        Assert.True(errors.Count == 0, string.Join("\n", errors));
        await page.CloseAsync();
    }

    [Fact]
    public async Task The_url_round_trips_the_configuration()
    {
        const string query = "?dataset=xor&noise=20&trainRatio=70&features=x1,x2,x1x2&hidden=5,3,2&activation=relu&output=tf&init=he&learningRate=0.1&batch=-1&optimizer=momentum&regularization=l2&regularizationRate=0.001&seed=7";
        (IPage page, _) = await OpenAsync(query);
        Assert.Equal(query, new Uri(page.Url).Query);
        Assert.Equal("relu", await page.InputValueAsync("#activation"));
        Assert.True(await page.IsCheckedAsync("#online"));
        JsonElement config = await page.EvaluateAsync<JsonElement>("() => window.playground.snapshot.config");
        Assert.Equal("xor", config.GetProperty("dataset").GetString());
        Assert.Equal(3, config.GetProperty("hidden").GetArrayLength());

        await page.SelectOptionAsync("#activation", "sigmoid");
        await page.WaitForFunctionAsync("() => location.search.includes('activation=sigmoid') && window.playground.snapshot.config.activation === 'sigmoid'");
        string changed = page.Url;
        await page.CloseAsync();
        (IPage again, _) = await OpenAsync(new Uri(changed).Query);
        Assert.Equal(new Uri(changed).Query, new Uri(again.Url).Query);
        Assert.Equal("sigmoid", await again.InputValueAsync("#activation"));
        await again.CloseAsync();
    }

    [Fact]
    public async Task Editing_a_weight_changes_the_heat_map()
    {
        (IPage page, _) = await OpenAsync("?dataset=circle&hidden=3&activation=tanh");
        string before = await page.EvaluateAsync<string>("() => document.getElementById('heatmap').toDataURL()");
        long version = await page.EvaluateAsync<long>("() => window.playground.snapshot.version");
        // lines cross, so the middle of one may lie under another: enter this one directly
        await page.DispatchEventAsync("#links line[data-layer='2'][data-from='0'][data-to='1']", "mouseenter");
        await page.WaitForSelectorAsync("#weight-editor:not([hidden])");
        await page.FillAsync("#weight-input", "6");
        await page.DispatchEventAsync("#weight-input", "change");
        await page.WaitForFunctionAsync($"() => window.playground.snapshot.version > {version}");
        string after = await page.EvaluateAsync<string>("() => document.getElementById('heatmap').toDataURL()");
        Assert.NotEqual(before, after);
        double weight = await page.EvaluateAsync<double>("() => window.playground.snapshot.weights[1][0][1]");
        Assert.Equal(6, weight);
        await page.CloseAsync();
    }

    [Fact]
    public async Task The_formula_panel_shows_the_engines_numbers()
    {
        (IPage page, _) = await OpenAsync("?dataset=gauss&hidden=4&activation=sigmoid");
        await page.ClickAsync("#step");
        await page.ClickAsync(".neuron[data-layer='1'][data-unit='2']");
        await page.WaitForFunctionAsync("() => document.getElementById('formula').dataset.u !== undefined");
        string text = await page.TextContentAsync("#formula") ?? "";
        double shown = double.Parse(await page.GetAttributeAsync("#formula", "data-u") ?? "", CultureInfo.InvariantCulture);
        string id = await page.EvaluateAsync<string>("() => window.playground.id");
        JsonElement engine = await fixture.Server.Http.GetFromJsonAsync<JsonElement>($"/api/sessions/{id}/neuron?layer=1&unit=2&sample=0");
        Assert.Equal(engine.GetProperty("u").GetDouble(), shown, 12);
        Assert.Contains("u = Σ w·x + b", text, StringComparison.Ordinal);
        // the page shows four significant digits (or scientific notation): parse what it shows and compare
        Assert.Equal(engine.GetProperty("u").GetDouble(), Shown(text, "\n  = "), Tolerance(engine.GetProperty("u").GetDouble()));
        Assert.Equal(engine.GetProperty("z").GetDouble(), Shown(text, "z = sigmoid(u) = "), Tolerance(engine.GetProperty("z").GetDouble()));
        Assert.Equal(engine.GetProperty("delta").GetDouble(), Shown(text, "δ = ∂E/∂u = "), Tolerance(engine.GetProperty("delta").GetDouble()));
        Assert.DoesNotContain("0.0000", text, StringComparison.Ordinal);
        // small numbers keep their digits, and −0 reads 0
        Assert.Equal("1.500e-6", await page.EvaluateAsync<string>("() => fmt(0.0000015)"));
        Assert.Equal("-0.01234", await page.EvaluateAsync<string>("() => fmt(-0.012341)"));
        Assert.Equal("0", await page.EvaluateAsync<string>("() => fmt(-0)"));
        await page.CloseAsync();
    }

    /// <summary>The number the formula text shows after <paramref name="prefix"/>.</summary>
    private static double Shown(string text, string prefix)
    {
        int start = text.LastIndexOf(prefix, StringComparison.Ordinal) + prefix.Length;
        string number = new([.. text[start..].TakeWhile(c => char.IsDigit(c) || c is '-' or '.' or 'e' or '+')]);
        return double.Parse(number, CultureInfo.InvariantCulture);
    }

    private static double Tolerance(double value) => Math.Max(Math.Abs(value) * 5e-4, 1e-12);

    [Fact]
    public async Task Three_classes_colour_the_map_by_the_winning_class_with_a_legend_and_autoplay_trains_unasked()
    {
        (IPage page, List<string> errors) = await OpenAsync("?dataset=gauss3&hidden=4&activation=tanh&learningRate=0.1&autoplay=1");
        // nothing clicked: autoplay trains
        await page.WaitForFunctionAsync("() => window.playground.snapshot.epoch >= 20 && window.playground.snapshot.testAccuracy >= 0.9",
            null, new PageWaitForFunctionOptions { Timeout = 60_000, PollingInterval = 250 });
        Assert.Contains("autoplay=1", page.Url, StringComparison.Ordinal);
        Assert.Equal(3, await page.Locator("#legend .swatch").CountAsync());
        // the map holds orange, blue and green cells (classes 0, 1, 2)
        int[] hues = await page.EvaluateAsync<int[]>(@"() => {
            const c = document.getElementById('heatmap'), d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data, seen = [0, 0, 0];
            for (let i = 0; i < d.length; i += 4 * 7) {
              const [r, g, b] = [d[i], d[i + 1], d[i + 2]];
              if (r > g + 40 && r > b + 60) seen[0]++; else if (b > r + 60 && b > g) seen[1]++; else if (g > r + 40 && g > b + 30) seen[2]++;
            }
            return seen; }");
        Assert.All(hues, count => Assert.True(count > 50, string.Join(", ", hues)));
        Assert.Empty(errors);
        await page.CloseAsync();
    }

    [Fact]
    public async Task Thumbnails_choose_the_data_set_and_the_download_links_point_at_this_session()
    {
        (IPage page, List<string> errors) = await OpenAsync("?dataset=circle");
        await page.WaitForFunctionAsync("() => document.querySelectorAll('.thumbnail').length === 8");
        Assert.Equal("circle", await page.GetAttributeAsync(".thumbnail.chosen", "data-dataset"));
        await page.ClickAsync(".thumbnail[data-dataset='spiral4']");
        await page.WaitForFunctionAsync("() => window.playground.snapshot.config.dataset === 'spiral4' && window.playground.points.classes === 4");
        Assert.Equal("spiral4", await page.GetAttributeAsync(".thumbnail.chosen", "data-dataset"));
        string id = await page.EvaluateAsync<string>("() => window.playground.id");
        Assert.Equal($"/api/sessions/{id}/model.onnx", await page.GetAttributeAsync("#download-onnx", "href"));
        string csv = await fixture.Server.Http.GetStringAsync(await page.GetAttributeAsync("#download-csv", "href"));
        Assert.StartsWith("x1,x2,label\n", csv, StringComparison.Ordinal);
        Assert.Empty(errors);
        await page.CloseAsync();
    }

    [Fact]
    public async Task Labels_clear_the_neurons_points_are_ringed_and_the_loss_chart_has_axes()
    {
        (IPage page, List<string> errors) = await OpenAsync("?dataset=circle&features=x1,x2,x1^2,x2^2,x1x2,sin_x1,sin_x2&hidden=8,8");
        await page.ClickAsync("#step");
        await page.WaitForFunctionAsync("() => window.playground.snapshot.epoch >= 1");
        // no feature label overlaps a neuron or another label, and the toggles sit above the drawing
        string overlaps = await page.EvaluateAsync<string>(@"() => {
            const boxes = s => [...document.querySelectorAll(s)].map(e => e.getBoundingClientRect());
            const meet = (a, b) => a.left < b.right && b.left < a.right && a.top < b.bottom && b.top < a.bottom;
            const labels = boxes('.neuron-label'), neurons = boxes('.neuron'), toggles = document.getElementById('feature-toggles').getBoundingClientRect();
            const found = [];
            labels.forEach((l, i) => { neurons.forEach((n, j) => { if (meet(l, n)) found.push('label ' + i + ' on neuron ' + j); });
                                       labels.forEach((m, j) => { if (j > i && meet(l, m)) found.push('label ' + i + ' on label ' + j); }); });
            neurons.forEach((n, j) => { if (meet(toggles, n)) found.push('toggles on neuron ' + j); });
            return found.join(', '); }");
        Assert.Equal("", overlaps);
        Assert.Equal(7, await page.Locator(".neuron-label").CountAsync());
        // a training point: its class colour inside, a dark ring around it, over whatever the map shows there
        double[] ring = await page.EvaluateAsync<double[]>(@"() => {
            const p = window.playground.points, s = window.playground.snapshot, c = document.getElementById('heatmap'), ctx = c.getContext('2d');
            const [x0, x1, y0, y1] = s.bounds;
            const px = i => Math.round((p.points[2 * i] - x0) / (x1 - x0) * c.width), py = i => Math.round((y1 - p.points[2 * i + 1]) / (y1 - y0) * c.height);
            // the training point farthest from every other: nothing drawn over it
            let best = 0, room = -1;
            for (let i = 0; i < p.trainCount; i++) {
              let near = Infinity;
              for (let j = 0; j < p.trainCount; j++) if (j !== i) near = Math.min(near, Math.hypot(px(i) - px(j), py(i) - py(j)));
              if (near > room && px(i) > 6 && py(i) > 6 && px(i) < c.width - 6 && py(i) < c.height - 6) { room = near; best = i; }
            }
            const x = px(best), y = py(best);
            const at = (dx, dy) => [...ctx.getImageData(x + dx, y + dy, 1, 1).data].slice(0, 3);
            const dark = [[3, 0], [-3, 0], [0, 3], [0, -3]].map(([dx, dy]) => Math.max(...at(dx, dy))).reduce((a, b) => Math.min(a, b));
            return [dark, ...at(0, 0), p.targets[best]]; }");
        Assert.True(ring[0] < 120, $"the ring around a training point is not dark: {string.Join(", ", ring)}");
        double[] expected = ring[4] == 0 ? [245, 147, 34] : [8, 119, 189];
        Assert.Equal(expected, ring[1..4]);
        // the loss chart draws its axes: a dark vertical line at x = 44 and a horizontal one along the bottom
        int axisPixels = await page.EvaluateAsync<int>(@"() => {
            const c = document.getElementById('loss-curve'), d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
            let n = 0;
            for (let y = 10; y < c.height - 20; y++) { const i = (y * c.width + 44) * 4; if (d[i + 3] > 0 && d[i] < 200) n++; }
            return n; }");
        Assert.True(axisPixels > 40, $"{axisPixels} axis pixels");
        Assert.Empty(errors);
        await page.CloseAsync();
    }

    [Fact]
    public async Task Frames_arrive_at_10_per_second_or_more_while_training()
    {
        (IPage page, _) = await OpenAsync(Spiral);
        await page.ClickAsync("#play");
        await page.WaitForTimeoutAsync(1500);
        int first = await page.EvaluateAsync<int>("() => window.playground.received");
        await page.WaitForTimeoutAsync(4000);
        int frames = await page.EvaluateAsync<int>("() => window.playground.received") - first;
        long epoch = await page.EvaluateAsync<long>("() => window.playground.snapshot.epoch");
        await page.ClickAsync("#play");
        output.WriteLine($"{frames / 4.0:F1} frames/s received, {epoch} epochs trained");
        Assert.True(frames >= 40, $"{frames} frames in 4 s");
        Assert.True(epoch > 100, $"only {epoch} epochs");
        await page.CloseAsync();
    }
}
