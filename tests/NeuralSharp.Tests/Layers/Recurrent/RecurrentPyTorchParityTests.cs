using System.Numerics;
using System.Text.Json;
using NeuralSharp.Bench;
using NeuralSharp.Layers;
using NeuralSharp.Losses;
using NeuralSharp.Optimizers;
using NeuralSharp.Training;

namespace NeuralSharp.Tests.Layers.Recurrent;

/// <summary>
/// SimpleRnn, Lstm and Gru against PyTorch's nn.RNN, nn.LSTM and nn.GRU, as data: Golden/recurrent-parity.json (recipe:
/// scripts/golden/recurrent_parity.py, torch 1.13, float64) holds one batch's output and gradients and 200 steps of
/// SGD, Adam and SGD under clip_grad_norm_ — every loss and the final weights. NeuralSharp's float64 run matches each
/// to 1e-10; its float32 run follows its own float64 run to 1e-4 (relative).
/// </summary>
public sealed class RecurrentPyTorchParityTests
{
    private static readonly JsonElement Golden = JsonDocument.Parse(File.ReadAllText(
        Path.Combine(LineBudgetTests.RepositoryRoot(), "tests", "NeuralSharp.Tests", "Golden", "recurrent-parity.json"))).RootElement;

    private static readonly string[] Names = ["Wx", "Wh", "bx", "bh", "head.W", "head.b"];

    public static TheoryData<string, string> Runs() => new()
    {
        { "rnn", "sgd" }, { "rnn", "adam" }, { "rnn", "sgd-clip" },
        { "lstm", "sgd" }, { "lstm", "adam" }, { "lstm", "sgd-clip" },
        { "gru", "sgd" }, { "gru", "adam" }, { "gru", "sgd-clip" },
    };

    [Theory]
    [InlineData("rnn")]
    [InlineData("lstm")]
    [InlineData("gru")]
    public void One_batch_gives_pytorchs_output_and_gradients(string kind)
    {
        JsonElement golden = Golden.GetProperty("kinds").GetProperty(kind).GetProperty("first_batch");
        Sequential<double> net = Network<double>(kind);
        (NDArray<double> x, NDArray<double> d) = Data<double>();
        int batch = Golden.GetProperty("batch").GetInt32();
        NDArray<double> first = Rows(x, 0, batch), targets = Rows(d, 0, batch);
        Close(Numbers(golden.GetProperty("output")), net.Forward(first).ToArray(), 1e-12, $"{kind} output");
        net.ComputeGradients(first, targets, new SquaredError<double>());
        for (int p = 0; p < Names.Length; p++)
        {
            Close(Numbers(golden.GetProperty("gradients").GetProperty(Names[p])), net.Parameters[p].Gradient.ToArray(), 1e-12, $"{kind} ∂L/∂{Names[p]}");
        }
    }

    [Theory]
    [MemberData(nameof(Runs))]
    public void Float64_training_matches_pytorch_step_by_step(string kind, string optimizer)
    {
        JsonElement run = Golden.GetProperty("kinds").GetProperty(kind).GetProperty("runs").GetProperty(optimizer);
        (History history, Sequential<double> net, IOptimizer<double> used) = Train<double>(kind, optimizer);
        Close(Numbers(run.GetProperty("losses")), [.. history.StepLosses], 1e-10, $"{kind} {optimizer} loss");
        for (int p = 0; p < Names.Length; p++)
        {
            Close(Numbers(run.GetProperty("weights").GetProperty(Names[p])), net.Parameters[p].Value.ToArray(), 1e-10, $"{kind} {optimizer} {Names[p]}");
        }

        if (used is GradientClipping<double> clipping)
        {
            Assert.Equal(run.GetProperty("clipped_steps").GetInt32(), clipping.ClippedSteps);
        }
    }

    [Theory]
    [InlineData("rnn", "adam")]
    [InlineData("lstm", "adam")]
    [InlineData("gru", "sgd-clip")]
    public void Float32_training_follows_its_float64_trajectory(string kind, string optimizer)
    {
        History single = Train<float>(kind, optimizer).History, reference = Train<double>(kind, optimizer).History;
        (double worst, int step) = reference.StepLosses
            .Select((loss, i) => (Math.Abs(single.StepLosses[i] - loss) / Math.Abs(loss), i + 1))
            .MaxBy(pair => pair.Item1);
        Assert.True(worst <= 1e-4, $"{kind} {optimizer}: float32 strays {worst:G3} (relative) from float64 at step {step}");
    }

    private static (History History, Sequential<T> Network, IOptimizer<T> Optimizer) Train<T>(string kind, string name)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        Sequential<T> net = Network<T>(kind);
        (NDArray<T> x, NDArray<T> d) = Data<T>();
        IOptimizer<T> optimizer = name switch
        {
            "sgd" => new Sgd<T>(0.1),
            "adam" => new Adam<T>(0.01, 0.9, 0.999, OptimizerForm.PyTorch),
            _ => new GradientClipping<T>(new Sgd<T>(0.5), 0.05),
        };
        int samples = Golden.GetProperty("samples").GetInt32(), batch = Golden.GetProperty("batch").GetInt32(), steps = Golden.GetProperty("steps").GetInt32();
        var trainer = new Trainer<T>(net, new SquaredError<T>(), optimizer, new TrainingOptions
        {
            Mode = DescentMode.MiniBatch,
            BatchSize = batch,
            Shuffle = false,
            Epochs = steps / (samples / batch),
        });
        return (trainer.Fit(x, d), net, optimizer);
    }

    /// <summary>The recipe's network: the recurrent layer on [6, 3] sequences, H = 5, its last state into a 5→2 dense head.</summary>
    private static Sequential<T> Network<T>(string kind)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var shape = new SequenceShape(Golden.GetProperty("T").GetInt32(), Golden.GetProperty("F").GetInt32());
        int hidden = Golden.GetProperty("H").GetInt32();
        RecurrentLayer<T> recurrent = kind switch
        {
            "rnn" => new SimpleRnn<T>(shape, hidden),
            "lstm" => new Lstm<T>(shape, hidden),
            _ => new Gru<T>(shape, hidden),
        };
        double scale = 1 / Math.Sqrt(hidden);
        Draw(recurrent.InputWeights.Value, 61, scale);
        Draw(recurrent.StateWeights.Value, 62, scale);
        Draw(recurrent.InputBias.Value, 63, scale);
        Draw(recurrent.StateBias.Value, 64, scale);
        var head = new Dense<T>(hidden, 2);
        Draw(head.Weights.Value, 65, scale);
        Draw(head.Bias.Value, 66, 0.1);
        return new Sequential<T>(recurrent, head);
    }

    /// <summary>Values (2u − 1)·scale from the portable generator, row-major in NeuralSharp's layout.</summary>
    private static void Draw<T>(NDArray<T> tensor, ulong seed, double scale)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        float[] u = PortableData.U01(seed, tensor.Length);
        for (int i = 0; i < u.Length; i++)
        {
            tensor[i] = T.CreateChecked(((2.0 * u[i]) - 1) * scale);
        }
    }

    private static (NDArray<T> X, NDArray<T> D) Data<T>()
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        int samples = Golden.GetProperty("samples").GetInt32(), width = Golden.GetProperty("T").GetInt32() * Golden.GetProperty("F").GetInt32();
        var x = new NDArray<T>(samples, width);
        var d = new NDArray<T>(samples, 2);
        Draw(x, 51, 1);
        Draw(d, 52, 1);
        return (x, d);
    }

    private static NDArray<T> Rows<T>(NDArray<T> source, int start, int count)
        where T : unmanaged, IFloatingPointIeee754<T> =>
        new(new Shape(count, source.Columns), source.AsSpan().Slice(start * source.Columns, count * source.Columns).ToArray());

    private static double[] Numbers(JsonElement array) => [.. array.EnumerateArray().Select(v => v.GetDouble())];

    private static void Close(double[] expected, double[] actual, double tolerance, string what)
    {
        Assert.Equal(expected.Length, actual.Length);
        for (int i = 0; i < expected.Length; i++)
        {
            Assert.True(Math.Abs(expected[i] - actual[i]) <= tolerance, $"{what}[{i}]: PyTorch {expected[i]:R}, NeuralSharp {actual[i]:R}");
        }
    }
}
