using NeuralSharp.Activations;
using NeuralSharp.Data;
using NeuralSharp.Init;
using NeuralSharp.Layers;
using NeuralSharp.Losses;
using NeuralSharp.Optimizers;
using NeuralSharp.Training;

namespace NeuralSharp.Cli.Experiments;

/// <summary>
/// Notebook 1_3's set-up: d = 3·x1 + 2·x2, a 2-10-1 network with W, b ~ N(0, 1), a pool of 100,000 samples, and
/// online steps of one sample drawn at random with replacement, η = 0.07, ½ squared error.
/// </summary>
internal static class CourseRegression
{
    public sealed record Result(string Label, double[] Losses, string? Diverged)
    {
        public double First100 => Losses.Take(100).Average();

        public double Last100 => Losses.TakeLast(100).Average();

        /// <summary>Spread of the last 100 losses relative to their mean: how noisy the end of training is.</summary>
        public double Noise => Math.Sqrt(Losses.TakeLast(100).Average(v => (v - Last100) * (v - Last100))) / Last100;
    }

    public static Result Run(string label, IActivation<float> hidden, (double Min, double Max) range, int steps, ulong seed, double learningRate = 0.07)
    {
        Dataset pool = Generators.CourseRegression(100_000, seed, range.Min, range.Max);
        Sequential<float> net = Network(hidden, seed + 1);
        var trainer = new Trainer<float>(net, new SquaredError<float>(), new Sgd<float>(learningRate),
            new TrainingOptions { Mode = DescentMode.Stochastic, BatchSize = 1, Steps = steps, Seed = seed + 2 });
        try
        {
            History history = trainer.Fit(pool.FeatureTensor<float>(), pool.TargetTensor<float>());
            return new Result(label, [.. history.StepLosses], null);
        }
        catch (TrainingDivergedException error)
        {
            return new Result(label, [.. error.History?.StepLosses ?? []], error.Message);
        }
    }

    public static Sequential<float> Network(IActivation<float> hidden, ulong seed)
    {
        Sequential<float> shape = new NetworkBuilder<float>(2)
            .Dense(10, ActivationKind.Relu, Initializers.StandardNormal, Initializers.StandardNormal)
            .Dense(1, ActivationKind.Identity, Initializers.StandardNormal, Initializers.StandardNormal)
            .Build(seed);
        // the same seeded weights, with the hidden activation asked for
        return new Sequential<float>(shape.Layers[0], new ActivationLayer<float>(hidden), shape.Layers[2], shape.Layers[3]);
    }

    public static void Print(ExperimentContext context, Result result)
    {
        Rendering.Labels l = context.Labels;
        if (result.Diverged is not null)
        {
            context.Output.Line($"{result.Label}: {l.T("diverged", "発散")} — {result.Diverged}");
            return;
        }

        context.Output.Line($"{result.Label}: {l.T("mean loss of the first 100 steps", "最初の100回の誤差の平均")} {result.First100:G4}, " +
            $"{l.T("of the last 100", "最後の100回")} {result.Last100:G4} ({l.T("ratio", "比")} {result.Last100 / result.First100:G3}, " +
            $"{l.T("noise", "ばらつき")} {result.Noise:G3})");
    }

    public static double[] Steps(int count) => [.. Enumerable.Range(1, count).Select(i => (double)i)];
}
