using NeuralSharp.Layers;
using NeuralSharp.Training;

namespace NeuralSharp.Playground.Sessions;

/// <summary>
/// What the page draws, taken under the session's lock: losses and curves, the output over a grid (the decision
/// boundary or regression surface), every neuron's output over a smaller grid, and every weight and bias.
/// Grids travel as base64 bytes, 0 … 255 for −1 … +1 (values beyond are clipped). Over three classes or more the
/// output grid holds the winning class's probability (as 2p − 1) and <c>classGrid</c> the winning class of each cell.
/// </summary>
public static class Snapshot
{
    /// <summary>Cells per side of the output heat map.</summary>
    public const int OutputGrid = 48;

    /// <summary>Cells per side of each neuron's heat map.</summary>
    public const int NeuronGrid = 16;

    /// <summary>Takes a snapshot of <paramref name="session"/>.</summary>
    public static Dictionary<string, object?> Of(Session session)
    {
        ArgumentNullException.ThrowIfNull(session);
        return session.Locked(() =>
        {
            PlaygroundData data = session.Data;
            Dense<double>[] dense = [.. session.Network.Layers.OfType<Dense<double>>()];
            (double xMin, double xMax, double yMin, double yMax) = data.Bounds;
            (byte[] output, byte[]? winners, byte[][][] neurons) = Grids(session, dense);
            return new Dictionary<string, object?>
            {
                ["id"] = session.Id,
                ["version"] = session.Version,
                ["epoch"] = session.Epoch,
                ["playing"] = session.Playing,
                ["epochsPerSecond"] = session.EpochsPerSecond,
                ["error"] = session.Error,
                ["trainLoss"] = session.Losses.Train,
                ["testLoss"] = session.Losses.Test,
                ["testAccuracy"] = data.Classes > 0 ? Accuracy(session) : null,
                ["problem"] = data.Classes > 0 ? "classification" : "regression",
                // everything is copied here, under the lock: the trainer thread changes these right after
                ["history"] = new { epoch = session.History.Select(h => h.Epoch).ToArray(), train = session.History.Select(h => h.Train).ToArray(), test = session.History.Select(h => h.Test).ToArray() },
                ["bounds"] = new[] { xMin, xMax, yMin, yMax },
                ["grid"] = Convert.ToBase64String(output),
                ["gridSize"] = OutputGrid,
                ["classGrid"] = winners is null ? null : Convert.ToBase64String(winners),
                ["classes"] = data.ClassNames,
                ["neuronGridSize"] = NeuronGrid,
                ["neurons"] = neurons.Select(layer => layer.Select(Convert.ToBase64String).ToArray()).ToArray(),
                ["features"] = data.Features,
                ["weights"] = dense.Select(d => Enumerable.Range(0, d.Inputs).Select(i => d.Weights.Value.Row(i).ToArray()).ToArray()).ToArray(),
                ["biases"] = dense.Select(d => d.Bias.Value.ToArray()).ToArray(),
                ["config"] = session.Config,
            };
        });
    }

    /// <summary>The points, for drawing: x, y, label or target, and whether each is a training point.</summary>
    public static object Points(Session session)
    {
        ArgumentNullException.ThrowIfNull(session);
        return session.Locked(() => new
        {
            points = session.Data.Points.ToArray(),
            targets = session.Data.Targets.ToArray(),
            trainCount = session.Data.TrainCount,
            classes = session.Data.Classes,
        });
    }

    /// <summary>The network's output at one raw point, on the −1 … +1 display scale.</summary>
    internal static double Display(Session session, NDArray<double> y, int row) =>
        session.Data.Classes == 0 ? y[row, 0] / 3
        : y.Columns == 1 ? y[row, 0]
        : y.Columns == 2 ? (2 * y[row, 1]) - 1
        : (2 * System.Numerics.Tensors.TensorPrimitives.Max<double>(y.Row(row))) - 1;

    private static (byte[] Output, byte[]? Winners, byte[][][] Neurons) Grids(Session session, Dense<double>[] dense)
    {
        NDArray<double> fine = GridInputs(session, OutputGrid);
        NDArray<double> y = session.Network.Forward(fine);
        var output = new byte[OutputGrid * OutputGrid];
        byte[]? winners = y.Columns > 2 ? new byte[output.Length] : null;
        int[]? predicted = winners is null ? null : Metrics.PredictedClasses(y);
        for (int i = 0; i < output.Length; i++)
        {
            output[i] = Byte(Display(session, y, i));
            if (winners is not null)
            {
                winners[i] = (byte)predicted![i];
            }
        }

        NDArray<double> coarse = GridInputs(session, NeuronGrid);
        session.Network.Forward(coarse);
        var activations = session.Network.Layers.Where(l => l is ActivationLayer<double>).ToList();
        int hidden = session.Config.Hidden.Length;
        byte[][][] neurons = new byte[hidden][][];
        for (int k = 0; k < hidden; k++)
        {
            NDArray<double> z = (activations.Count > k ? activations[k].LastOutput : dense[k].LastOutput)!;
            neurons[k] = new byte[z.Columns][];
            for (int unit = 0; unit < z.Columns; unit++)
            {
                neurons[k][unit] = [.. Enumerable.Range(0, z.Rows).Select(r => Byte(z[r, unit]))];
            }
        }

        return (output, winners, neurons);
    }

    private static NDArray<double> GridInputs(Session session, int size)
    {
        (double xMin, double xMax, double yMin, double yMax) = session.Data.Bounds;
        var x = new NDArray<double>(size * size, session.Data.Features.Length);
        for (int row = 0; row < size; row++)
        {
            for (int column = 0; column < size; column++)
            {
                // row 0 is the top of the picture (largest x2)
                double px = xMin + ((column + 0.5) * (xMax - xMin) / size);
                double py = yMax - ((row + 0.5) * (yMax - yMin) / size);
                session.Data.Featurize(px, py, x.Row((row * size) + column));
            }
        }

        return x;
    }

    private static double Accuracy(Session session)
    {
        PlaygroundData data = session.Data;
        NDArray<double> y = session.Network.Forward(data.FeatureTensor(data.TrainCount, data.Count));
        int[] predicted = session.Head.PredictedClasses(y);
        return Enumerable.Range(0, y.Rows).Count(r => predicted[r] == (int)data.Targets[data.TrainCount + r]) / (double)y.Rows;
    }

    private static byte Byte(double value) => (byte)Math.Round((Math.Clamp(value, -1, 1) + 1) * 127.5);
}
