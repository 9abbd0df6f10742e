using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using NeuralSharp.Data;
using NeuralSharp.Serialization;
using NeuralSharp.Serialization.Onnx;

namespace NeuralSharp.Playground.Tests;

/// <summary>What a learner takes home: the trained model (.nsmodel, ONNX) and the data as CSV, and the data set thumbnails.</summary>
public sealed class DownloadTests(ServerFixture server) : IClassFixture<ServerFixture>
{
    private async Task<string> TrainedAsync(object config, int epochs)
    {
        string id = (await server.CreateAsync(config)).GetProperty("id").GetString()!;
        for (int i = 0; i < epochs; i++)
        {
            using HttpResponseMessage step = await server.Http.PostAsync($"/api/sessions/{id}/step", null);
            Assert.True(step.IsSuccessStatusCode);
        }

        return id;
    }

    [Theory]
    [InlineData("gauss3")]
    [InlineData("circle")]
    public async Task The_model_and_the_csv_predict_the_sessions_own_test_accuracy(string dataset)
    {
        string id = await TrainedAsync(new { dataset, hidden = new[] { 6 }, activation = "tanh", learningRate = 0.1, features = new[] { "x1", "x2", "x1^2", "x2^2" } }, 30);
        JsonElement snapshot = await server.Http.GetFromJsonAsync<JsonElement>($"/api/sessions/{id}");
        string csv = await server.Http.GetStringAsync($"/api/sessions/{id}/data.csv");
        Assert.StartsWith("x1,x2,x1^2,x2^2,label\n", csv, StringComparison.Ordinal);
        Dataset all = CsvReader.Read(new StringReader(csv), "data.csv", new CsvOptions { Task = TaskKind.MultiClassClassification });
        int trainCount = (int)Math.Round(all.Count * 0.5);
        Dataset test = all.Subset([.. Enumerable.Range(trainCount, all.Count - trainCount)]);

        foreach (string file in new[] { "model.nsmodel", "model.onnx" })
        {
            using HttpResponseMessage response = await server.Http.GetAsync($"/api/sessions/{id}/{file}");
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.Contains($"playground-{dataset}", response.Content.Headers.ContentDisposition?.FileName ?? "", StringComparison.Ordinal);
            byte[] bytes = await response.Content.ReadAsByteArrayAsync();
            Model<double> model = file.EndsWith(".onnx", StringComparison.Ordinal) ? OnnxFile.Deserialize<double>(bytes, file) : ModelFile.Deserialize<double>(bytes, file);
            Assert.Equal(["x1", "x2", "x1^2", "x2^2"], model.FeatureNames);
            NDArray<double> y = model.Predict(test);
            int correct = Enumerable.Range(0, test.Count).Count(i =>
            {
                double[] p = y.Row(i).ToArray();
                return model.ClassNames![Array.IndexOf(p, p.Max())] == test.ClassNames![test.Label(i)];
            });
            Assert.Equal(snapshot.GetProperty("testAccuracy").GetDouble(), correct / (double)test.Count, 12);
        }
    }

    [Fact]
    public async Task A_regression_model_answers_in_the_targets_own_units()
    {
        string id = await TrainedAsync(new { dataset = "course-regression", hidden = Array.Empty<int>(), activation = "identity", learningRate = 0.01 }, 40);
        byte[] bytes = await server.Http.GetByteArrayAsync($"/api/sessions/{id}/model.nsmodel");
        Model<double> model = ModelFile.Deserialize<double>(bytes, "m.nsmodel");
        Dataset data = CsvReader.Read(new StringReader(await server.Http.GetStringAsync($"/api/sessions/{id}/data.csv")), "data.csv", new CsvOptions { Task = TaskKind.Regression });
        NDArray<double> y = model.Predict(data);
        // d = 3·x1 + 2·x2 over [−6, 6]²: a linear model learns it, in d's units (not the page's tenth)
        double worst = Enumerable.Range(0, data.Count).Max(i => Math.Abs(y[i, 0] - data.Targets[i]));
        Assert.True(worst < 1.0, $"worst error {worst}");
        Assert.InRange(data.Targets.ToArray().Max(), 20, 30.01);
        // the session's settings travel with the model, and ONNX carries them too
        using (var configuration = System.Text.Json.JsonDocument.Parse(model.Configuration!))
        {
            Assert.Equal("course-regression", configuration.RootElement.GetProperty("dataset").GetString());
            Assert.Equal(0.01, configuration.RootElement.GetProperty("learningRate").GetDouble());
            Assert.Equal("identity", configuration.RootElement.GetProperty("activation").GetString());
        }

        byte[] onnx = await server.Http.GetByteArrayAsync($"/api/sessions/{id}/model.onnx");
        Assert.Equal(model.Configuration, NeuralSharp.Serialization.Onnx.OnnxFile.Deserialize<double>(onnx, "m.onnx").Configuration);
    }

    [Fact]
    public async Task The_tf_output_has_no_model_file_and_says_why()
    {
        string id = (await server.CreateAsync(new { dataset = "xor", output = "tf" })).GetProperty("id").GetString()!;
        using HttpResponseMessage response = await server.Http.GetAsync($"/api/sessions/{id}/model.nsmodel");
        Assert.Equal(HttpStatusCode.Conflict, response.StatusCode);
        Assert.Contains("softmax output", (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("error").GetString(), StringComparison.Ordinal);
        using HttpResponseMessage missing = await server.Http.GetAsync("/api/sessions/nope/data.csv");
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
    }

    [Fact]
    public async Task Thumbnails_cover_every_generated_set_with_its_classes()
    {
        JsonElement sets = await server.Http.GetFromJsonAsync<JsonElement>("/api/datasets");
        string[] names = [.. sets.EnumerateArray().Select(s => s.GetProperty("name").GetString()!)];
        Assert.Equal(["circle", "xor", "gauss", "spiral", "gauss3", "spiral4", "plane", "course-regression"], names);
        JsonElement spiral4 = sets.EnumerateArray().Single(s => s.GetProperty("name").GetString() == "spiral4");
        Assert.Equal(4, spiral4.GetProperty("classes").GetInt32());
        Assert.Equal(240, spiral4.GetProperty("points").GetArrayLength());
        Assert.Equal(4, spiral4.GetProperty("targets").EnumerateArray().Select(t => t.GetDouble()).Distinct().Count());
    }

    [Fact]
    public async Task Three_classes_train_with_softmax_and_the_snapshot_carries_each_cells_winner()
    {
        string id = await TrainedAsync(new { dataset = "gauss3", hidden = new[] { 4 }, activation = "tanh", learningRate = 0.1 }, 20);
        JsonElement snapshot = await server.Http.GetFromJsonAsync<JsonElement>($"/api/sessions/{id}");
        Assert.True(snapshot.GetProperty("testAccuracy").GetDouble() > 0.9, snapshot.GetProperty("testAccuracy").ToString());
        Assert.Equal(3, snapshot.GetProperty("classes").GetArrayLength());
        byte[] winners = Convert.FromBase64String(snapshot.GetProperty("classGrid").GetString()!);
        Assert.Equal(48 * 48, winners.Length);
        Assert.Equal([0, 1, 2], winners.Distinct().Order().Select(w => (int)w));
        // the top centre of the picture is nearest the blob at (0, 3): class 0
        Assert.Equal(0, winners[(4 * 48) + 24]);
    }
}
