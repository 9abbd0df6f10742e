using System.Diagnostics;
using NeuralSharp.Activations;
using NeuralSharp.Layers;
using NeuralSharp.Losses;
using NeuralSharp.Optimizers;
using NeuralSharp.Training;

namespace NeuralSharp.Bench;

/// <summary>W8, Deep Learning from Scratch's SimpleConvNet: training through <see cref="Trainer{T}.Fit"/>, inference through the network's <see cref="Sequential{T}.Predict"/>.</summary>
public static partial class Workloads
{
    /// <summary>conv 30×5×5 → ReLU → pool 2 → flatten → dense 100 → ReLU → dense 10 → softmax, from the portable initial weights.</summary>
    private static Sequential<float> ConvNetwork()
    {
        var conv = new Conv2D<float>(new ImageShape(1, 28, 28), 30, 5, 5);
        // PyTorch's [30, 1, 5, 5] (out, in, kh, kw) is W [25, 30] transposed
        PortableData.FromOutIn(PortableData.Sym(PortableData.U01(12, 30 * 25), 0, 30 * 25, 1f / MathF.Sqrt(25)), 30, 25).AsSpan().CopyTo(conv.Weights.Value.AsSpan());
        var pool = new MaxPool2D<float>(conv.Output, 2);
        var dense1 = new Dense<float>(PortableData.FromOutIn(PortableData.Sym(PortableData.U01(13, 100 * 4320), 0, 100 * 4320, 1f / MathF.Sqrt(4320)), 100, 4320), new NDArray<float>(new Shape(100)));
        var dense2 = new Dense<float>(PortableData.FromOutIn(PortableData.Sym(PortableData.U01(14, 10 * 100), 0, 10 * 100, 1f / MathF.Sqrt(100)), 10, 100), new NDArray<float>(new Shape(10)));
        return new Sequential<float>(conv, new ActivationLayer<float>(ActivationKind.Relu), pool, new Flatten<float>(pool.Output),
            dense1, new ActivationLayer<float>(ActivationKind.Relu), dense2, new ActivationLayer<float>(ActivationKind.Softmax));
    }

    private static void W8()
    {
        const int batch = 100, pool = 10;
        var x = new NDArray<float>(new Shape(batch * pool, 784), PortableData.U01(10, batch * pool * 784));
        var d = new NDArray<float>(new Shape(batch * pool), [.. PortableData.U01(11, batch * pool).Select(v => MathF.Min(MathF.Floor(v * 10f), 9f))]);
        TrainThenInfer("W8", "train-b100", "infer-b100", ConvNetwork, x, d, batch, inferCalls: 20);
    }

    /// <summary>
    /// A W8/W9-style pair: <see cref="Trainer{T}.Fit"/> by SGD 0.1 and cross entropy on a pool of 10 batches (5 warm-up
    /// steps on the pool's first five, then 5 reps of 20 steps cycling on from the sixth, as the peers do), and
    /// <see cref="Sequential{T}.Predict"/> of a fresh model on the pool's first batch (5 warm-up calls, 5 reps).
    /// </summary>
    private static void TrainThenInfer(string workload, string trainCase, string inferCase, Func<Sequential<float>> build, NDArray<float> x, NDArray<float> d, int batch, int inferCalls)
    {
        const int pool = 10, steps = 20, warmup = 5, reps = 5;
        int width = x.Shape[1];
        Sequential<float> net = build();
        var optimizer = new Sgd<float>(0.1);
        var loss = new CrossEntropy<float>();
        TrainingPath path = TrainingPath.None;
        History Fit(NDArray<float> inputs, NDArray<float> targets, int epochs)
        {
            var trainer = new Trainer<float>(net, loss, optimizer, new TrainingOptions { Mode = DescentMode.MiniBatch, BatchSize = batch, Shuffle = false, Epochs = epochs });
            History history = trainer.Fit(inputs, targets);
            path = trainer.Path;
            return history;
        }

        // the warm-up steps are the pool's first five batches; the timed steps go on cycling from the sixth, as the
        // peers' do, so each rep of 20 is two epochs over the pool rotated by five batches
        Fit(new NDArray<float>(new Shape(warmup * batch, width), x.AsSpan()[..(warmup * batch * width)].ToArray()), new NDArray<float>(new Shape(warmup * batch), d.AsSpan()[..(warmup * batch)].ToArray()), 1);
        var rotatedX = new NDArray<float>(x.Shape, [.. x.AsSpan()[(warmup * batch * width)..].ToArray(), .. x.AsSpan()[..(warmup * batch * width)].ToArray()]);
        var rotatedD = new NDArray<float>(d.Shape, [.. d.AsSpan()[(warmup * batch)..].ToArray(), .. d.AsSpan()[..(warmup * batch)].ToArray()]);
        var rates = new List<double>();
        double last = 0;
        for (int r = 0; r < reps; r++)
        {
            var clock = Stopwatch.StartNew();
            History history = Fit(rotatedX, rotatedD, steps / pool);
            rates.Add(steps * batch / clock.Elapsed.TotalSeconds);
            last = history.FinalLoss;
        }

        Report(workload, trainCase, "samples_per_s", rates, extra: $"last_loss={G(last)} path={path}");

        // a fresh model from the same start, forward and softmax only
        Sequential<float> fresh = build();
        var first = new NDArray<float>(new Shape(batch, width), x.AsSpan()[..(batch * width)].ToArray());
        for (int i = 0; i < warmup; i++)
        {
            fresh.Predict(first);
        }

        var inference = new List<double>();
        for (int r = 0; r < reps; r++)
        {
            var clock = Stopwatch.StartNew();
            for (int i = 0; i < inferCalls; i++)
            {
                fresh.Predict(first);
            }

            inference.Add(inferCalls * batch / clock.Elapsed.TotalSeconds);
        }

        Report(workload, inferCase, "samples_per_s", inference);
    }
}
