using System.Globalization;
using System.Text.Json;
using NeuralSharp.Data;
using NeuralSharp.Training;
using NeuralSharp.Tests.Cli;

namespace NeuralSharp.Tests.Data;

/// <summary>A series cut into windows: the values each sample holds, its target, the split in time order, the bounds, and the command line.</summary>
public sealed class SequenceWindowsTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("ns-series-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    /// <summary>Rows t = 0 … n − 1 with a feature 100 + t and a target 10·t.</summary>
    private static Dataset Ramp(int n) => new("ramp", [.. Enumerable.Range(0, n).Select(t => 100.0 + t)], ["f"], [.. Enumerable.Range(0, n).Select(t => 10.0 * t)], targetName: "y");

    [Fact]
    public void A_window_holds_its_rows_time_major_with_the_targets_past_and_the_target_h_rows_on()
    {
        Dataset windows = SequenceWindows.Of(Ramp(10), window: 3, horizon: 2);
        // samples k = 0 … 10 − 3 − 2: rows k … k + 2, target at row k + 4
        Assert.Equal(6, windows.Count);
        Assert.Equal(["f@t-2", "y@t-2", "f@t-1", "y@t-1", "f@t", "y@t"], windows.FeatureNames);
        Assert.Equal([101.0, 10, 102, 20, 103, 30], windows.FeatureRow(1).ToArray());
        Assert.Equal(50.0, windows.Targets[1]);
        Assert.Equal(new NeuralSharp.Layers.SequenceShape(3, 2), windows.Sequence);
    }

    [Fact]
    public void Windows_split_in_time_order_with_the_test_last_and_the_scaling_from_the_training_rows()
    {
        Dataset windows = SequenceWindows.Of(Ramp(60), window: 4, horizon: 1);
        var config = new RunConfig { Data = "ramp", Window = 4, Layers = "lstm:4" };
        PreparedData<double> prepared = config.Prepare<double>(windows);
        // 56 windows in order: training 0 … 35, validation 36 … 44, test 45 … 55 (raw targets 10·(k + 4))
        Assert.Equal([.. Enumerable.Range(45, 11).Select(k => 10.0 * (k + 4))], prepared.TestTargets.ToArray());
        Assert.Equal(36, prepared.TrainX.Rows);
        Assert.Equal(9, prepared.ValidationX!.Rows);
        // μ of the first feature (f@t-3 = 100 + k) over the training windows k = 0 … 35 only
        Assert.Equal(117.5, prepared.Features.Mean[0], 12);
        Assert.True(prepared.TrainX[0, 0] < prepared.TrainX[35, 0]);
    }

    [Fact]
    public void An_onnx_file_of_a_series_model_carries_how_its_windows_are_cut()
    {
        Dataset windows = SequenceWindows.Of(Ramp(60), window: 4, horizon: 2);
        TrainingRun<float> run = TrainingRun<float>.Start(new RunConfig { Data = "ramp", Window = 4, Horizon = 2, Layers = "lstm:4", Epochs = 1 }, windows);
        run.Fit();
        NeuralSharp.Serialization.Model<float> model = run.ToModel();
        var imported = NeuralSharp.Serialization.Onnx.OnnxFile.Deserialize<float>(NeuralSharp.Serialization.Onnx.OnnxFile.Serialize(model), "series.onnx");
        Assert.NotNull(model.Windows);
        Assert.Equal((model.Windows!.Window, model.Windows.Horizon), (imported.Windows!.Window, imported.Windows.Horizon));
        Assert.Equal(model.Windows.Columns, imported.Windows.Columns);
        // and predicts as the model does, on the same windows
        Assert.Equal(model.Predict(windows).ToArray(), imported.Predict(windows).ToArray());
    }

    [Fact]
    public void Sizes_out_of_range_and_layers_without_sequences_are_refused_by_option()
    {
        Assert.Equal("window", Assert.Throws<OptionException>(() => SequenceWindows.Of(Ramp(10), 0, 1)).Option);
        Assert.Equal("horizon", Assert.Throws<OptionException>(() => SequenceWindows.Of(Ramp(10), 2, 20_000)).Option);
        Assert.Contains("too few", Assert.Throws<OptionException>(() => SequenceWindows.Of(Ramp(10), 8, 2)).Detail, StringComparison.Ordinal);
        Assert.Equal("horizon", Assert.Throws<OptionException>(() => new RunConfig { Horizon = 2 }.Validate()).Option);
        Assert.Equal("layers", Assert.Throws<OptionException>(() => new RunConfig { Layers = "lstm:8" }.Validate()).Option);
        Assert.Equal("layers", Assert.Throws<OptionException>(() => new RunConfig { Layers = "gru:8:relu", Window = 4 }.Validate()).Option);
        Assert.Equal("clip-norm", Assert.Throws<OptionException>(() => new RunConfig { ClipNorm = 0 }.Validate()).Option);
    }

    /// <summary>The Lorenz system's x, sampled every 0.05 time units (RK4 at 0.01) after a transient: a chaotic series.</summary>
    private string Lorenz(int rows)
    {
        (double x, double y, double z) s = (1, 1, 1);
        static (double, double, double) F((double x, double y, double z) s) => (10 * (s.y - s.x), (s.x * (28 - s.z)) - s.y, (s.x * s.y) - (8.0 / 3 * s.z));
        static (double, double, double) Add((double x, double y, double z) s, (double x, double y, double z) d, double h) => (s.x + (h * d.x), s.y + (h * d.y), s.z + (h * d.z));
        var lines = new List<string> { "x" };
        const double dt = 0.01;
        for (int i = 0; lines.Count <= rows; i++)
        {
            var k1 = F(s);
            var k2 = F(Add(s, k1, dt / 2));
            var k3 = F(Add(s, k2, dt / 2));
            var k4 = F(Add(s, k3, dt));
            s = (s.x + (dt / 6 * (k1.Item1 + (2 * k2.Item1) + (2 * k3.Item1) + k4.Item1)), s.y + (dt / 6 * (k1.Item2 + (2 * k2.Item2) + (2 * k3.Item2) + k4.Item2)),
                s.z + (dt / 6 * (k1.Item3 + (2 * k2.Item3) + (2 * k3.Item3) + k4.Item3)));
            if (i >= 1000 && i % 5 == 0)
            {
                lines.Add(s.x.ToString("F6", CultureInfo.InvariantCulture));
            }
        }

        string path = Path.Combine(_folder, "lorenz.csv");
        File.WriteAllLines(path, lines);
        return path;
    }

    [Fact]
    public void An_lstm_on_windows_of_a_chaotic_series_forecasts_far_better_than_a_linear_model_and_predict_makes_the_same_windows()
    {
        string series = Lorenz(1500), model = Path.Combine(_folder, "lstm.nsmodel");
        double Mse(params string[] extra)
        {
            (int code, string output) = CliRunner.Run(["train", "--data", series, "--target", "x", "--window", "8", "--horizon", "4", "--epochs", "30", "--json", .. extra]);
            Assert.True(code == 0, output);
            return JsonDocument.Parse(output).RootElement.GetProperty("test_mse").GetDouble();
        }

        double linear = Mse("--layers", "none"), lstm = Mse("--layers", "lstm:32", "--save", model);
        Assert.True(lstm * 20 < linear, $"LSTM test MSE {lstm:G4} vs linear {linear:G4}");
        // the saved model carries its windows: predict cuts a CSV's rows the same way and forecasts beyond its end
        string recent = Path.Combine(_folder, "recent.csv");
        File.WriteAllLines(recent, File.ReadAllLines(series).Take(1).Concat(File.ReadAllLines(series).TakeLast(30)));
        (int exit, string json) = CliRunner.Run("predict", "--model", model, "--data", recent, "--json");
        Assert.True(exit == 0, json);
        JsonElement result = JsonDocument.Parse(json).RootElement;
        Assert.Equal(23, result.GetProperty("predictions").GetArrayLength());
        Assert.Equal(34, result.GetProperty("predictions")[22].GetProperty("row").GetInt32());
        Assert.True(result.GetProperty("r2").GetDouble() > 0.9, json[..Math.Min(json.Length, 300)]);
        (exit, json) = CliRunner.Run("summary", "--model", model);
        Assert.Contains("[batch, 8, 1]", json, StringComparison.Ordinal);
    }
}
