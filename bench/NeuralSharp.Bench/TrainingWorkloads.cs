using System.Diagnostics;
using NeuralSharp.Activations;
using NeuralSharp.Layers;
using NeuralSharp.Losses;
using NeuralSharp.Optimizers;
using NeuralSharp.Training;

namespace NeuralSharp.Bench;

/// <summary>The training workloads: W1 and W4 through <see cref="OnlineLearner{T}"/>, W2, W6 and W7 through <see cref="Trainer{T}.Fit"/>.</summary>
public static partial class Workloads
{
    private static readonly int[] Mlp = [784, 256, 128, 10];

    // ---- W1: the course's 2-10-1 online SGD, 100,000 steps in 10 timed segments
    private static Sequential<float> W1Network()
    {
        float[] u = PortableData.U01(2, 30);
        return new Sequential<float>(
            new Dense<float>(PortableData.FromOutIn([.. u.Take(20).Select(v => v - 0.5f)], 10, 2), new NDArray<float>(new Shape(10))),
            new ActivationLayer<float>(ActivationKind.Relu),
            new Dense<float>(PortableData.FromOutIn([.. u.Skip(20).Take(10).Select(v => v - 0.5f)], 1, 10), new NDArray<float>(new Shape(1))),
            new ActivationLayer<float>(ActivationKind.Identity));
    }

    private static void W1()
    {
        const int steps = 100_000, segments = 10, warmup = 2_000;
        float[] u = PortableData.U01(1, 2 * steps);
        float[] sample = new float[2], target = new float[1];
        var loss = new SquaredError<float>(SquaredErrorReduction.SumPerSample);
        float[] losses = new float[steps];

        void Learn(OnlineLearner<float> learner, int from, int to)
        {
            for (int i = from; i < to; i++)
            {
                sample[0] = u[2 * i];
                sample[1] = u[(2 * i) + 1];
                // d = 3·x1 + 2·x2
                target[0] = (3f * sample[0]) + (2f * sample[1]);
                losses[i] = (float)learner.Learn(sample, target);
            }
        }

        Learn(new OnlineLearner<float>(W1Network(), loss, new Sgd<float>(0.07)), 0, warmup);
        var learner = new OnlineLearner<float>(W1Network(), loss, new Sgd<float>(0.07));
        var rates = new List<double>();
        int segment = steps / segments;
        for (int s = 0; s < segments; s++)
        {
            var clock = Stopwatch.StartNew();
            Learn(learner, s * segment, (s + 1) * segment);
            rates.Add(segment / clock.Elapsed.TotalSeconds);
        }

        Report("W1", "online", "steps_per_s", rates, extra: $"path={learner.Path} final_loss={G(losses.Skip(steps - 1000).Average())}");
    }

    // ---- W4: 2-3-3-1 sigmoid, one XOR point per step
    private static void W4()
    {
        float[] u = PortableData.U01(6, 18);
        var net = new Sequential<float>(
            new Dense<float>(PortableData.FromOutIn(PortableData.Sym(u, 0, 6, 1f), 3, 2), new NDArray<float>(new Shape(3))),
            new ActivationLayer<float>(ActivationKind.Sigmoid),
            new Dense<float>(PortableData.FromOutIn(PortableData.Sym(u, 6, 9, 1f), 3, 3), new NDArray<float>(new Shape(3))),
            new ActivationLayer<float>(ActivationKind.Sigmoid),
            new Dense<float>(PortableData.FromOutIn(PortableData.Sym(u, 15, 3, 1f), 1, 3), new NDArray<float>(new Shape(1))),
            new ActivationLayer<float>(ActivationKind.Identity));
        float[][] xs = [[0f, 0f], [0f, 1f], [1f, 0f], [1f, 1f]];
        float[][] ds = [[0f], [1f], [1f], [0f]];
        var learner = new OnlineLearner<float>(net, new SquaredError<float>(SquaredErrorReduction.SumPerSample), new Sgd<float>(0.1));
        double last = 0;
        void Learn(int from, int to)
        {
            for (int i = from; i < to; i++)
            {
                last = learner.Learn(xs[i & 3], ds[i & 3]);
            }
        }

        Learn(0, 1000);
        int k = 1000;
        var us = new List<double>();
        for (int r = 0; r < 7; r++)
        {
            var clock = Stopwatch.StartNew();
            Learn(k, k + 2000);
            us.Add(clock.Elapsed.TotalSeconds / 2000 * 1e6);
            k += 2000;
        }

        Report("W4", "online", "us_per_step", us, higherIsBetter: false, extra: $"last_loss={G(last)} path={learner.Path}");
    }

    // ---- W2 / W5 / W6: 784-256-128-10
    private static Sequential<float> MlpNetwork()
    {
        float[] u = PortableData.U01(3, (784 * 256) + (256 * 128) + (128 * 10));
        var layers = new List<ILayer<float>>();
        int offset = 0;
        for (int k = 0; k < 3; k++)
        {
            int inputs = Mlp[k], outputs = Mlp[k + 1];
            layers.Add(new Dense<float>(PortableData.FromOutIn(PortableData.Sym(u, offset, outputs * inputs, 1f / MathF.Sqrt(inputs)), outputs, inputs), new NDArray<float>(new Shape(outputs))));
            offset += outputs * inputs;
            layers.Add(new ActivationLayer<float>(k < 2 ? ActivationKind.Relu : ActivationKind.Softmax));
        }

        return new Sequential<float>(layers);
    }

    private static void W2() => FitMlp("W2", "b128", new Sgd<float>(0.1));

    // ---- W6: W2 with Adam in PyTorch's form (lr 0.001, β 0.9/0.999, ε 1e-8)
    private static void W6() => FitMlp("W6", "b128", new Adam<float>(0.001, 0.9, 0.999, OptimizerForm.PyTorch));

    // ---- W7: W2 and W6 again; run_all.sh keeps one core busy with another process meanwhile
    private static void W7()
    {
        FitMlp("W7", "sgd-b128", new Sgd<float>(0.1));
        FitMlp("W7", "adam-b128", new Adam<float>(0.001, 0.9, 0.999, OptimizerForm.PyTorch));
    }

    /// <summary>
    /// The pool of 20 batches of 128 in order, through <see cref="Trainer{T}.Fit"/>: one epoch (20 steps) to warm up,
    /// then 5 timed fits of 10 epochs (200 steps) each, every one continuing the same network and optimizer.
    /// </summary>
    private static void FitMlp(string workload, string @case, Optimizer<float> optimizer)
    {
        const int batch = 128, steps = 200, warmup = 20, reps = 5, pool = 20;
        float[] inputs = PortableData.U01(4, batch * pool * 784);
        float[] labels = [.. PortableData.U01(5, batch * pool).Select(v => MathF.Min(MathF.Floor(v * 10f), 9f))];
        var x = new NDArray<float>(new Shape(batch * pool, 784), inputs);
        var d = new NDArray<float>(new Shape(batch * pool), labels);
        Sequential<float> net = MlpNetwork();
        var loss = new CrossEntropy<float>();
        TrainingPath path = TrainingPath.None;
        History Fit(int epochs)
        {
            var trainer = new Trainer<float>(net, loss, optimizer, new TrainingOptions
            {
                Mode = DescentMode.MiniBatch,
                BatchSize = batch,
                Shuffle = false,
                Epochs = epochs,
            });
            History history = trainer.Fit(x, d);
            path = trainer.Path;
            return history;
        }

        Fit(warmup / pool);
        var rates = new List<double>();
        double last = 0;
        for (int r = 0; r < reps; r++)
        {
            var clock = Stopwatch.StartNew();
            History history = Fit(steps / pool);
            rates.Add(steps * batch / clock.Elapsed.TotalSeconds);
            last = history.FinalLoss;
        }

        Report(workload, @case, "samples_per_s", rates, extra: $"last_loss={G(last)} path={path}");
    }
}
