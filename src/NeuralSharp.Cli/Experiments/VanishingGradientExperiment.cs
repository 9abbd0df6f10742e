using NeuralSharp.Activations;
using NeuralSharp.Cli.Rendering;
using NeuralSharp.Init;
using NeuralSharp.Layers;
using NeuralSharp.Losses;
using NeuralSharp.Randomness;

namespace NeuralSharp.Cli.Experiments;

/// <summary>
/// Deep Learning from Scratch §6.2: 1,000 random inputs through 5 layers of 100 units; the histograms of each layer's
/// activations for sigmoid with weights of σ = 1, σ = 0.01 and Xavier, and ReLU with He — and the gradient that
/// reaches each layer's weights.
/// </summary>
internal sealed class VanishingGradientExperiment : IExperiment
{
    public string Name => "vanishing-gradient";

    public string Title(Labels labels) => labels.T("Vanishing gradients and weight initialisation (§6.2)", "勾配消失と重みの初期値（6.2節）");

    public string Question(Labels labels) => labels.T(
        "Why does a deep sigmoid network stop learning? With σ = 1 its activations crowd at 0 and 1, where the sigmoid is flat, and the gradient fades layer by layer; with σ = 0.01 they all say 0.5. Xavier (sigmoid) and He (ReLU) keep them spread.",
        "深いシグモイドのネットワークはなぜ学習しなくなるか。σ = 1 では出力が 0 と 1 に偏り（シグモイドが平らな所）、勾配が層ごとに消える。σ = 0.01 ではすべてが 0.5 になる。Xavier（シグモイド）と He（ReLU）は広がりを保つ。");

    public sealed record Case(string Label, ActivationKind Activation, IInitializer Init);

    public static IReadOnlyList<Case> Cases { get; } =
    [
        new("sigmoid, σ = 1", ActivationKind.Sigmoid, new Normal(1)), new("sigmoid, σ = 0.01", ActivationKind.Sigmoid, new Normal(0.01)),
        new("sigmoid, Xavier", ActivationKind.Sigmoid, Initializers.Xavier), new("ReLU, He", ActivationKind.Relu, Initializers.He),
    ];

    /// <summary>Each layer's activations and the norm of ∂E/∂W for each hidden layer, for one case.</summary>
    public static (double[][] Activations, double[] GradientNorms) Measure(Case c, ulong seed)
    {
        var builder = new NetworkBuilder<double>(100);
        for (int layer = 0; layer < 5; layer++)
        {
            builder.Dense(100, c.Activation, c.Init);
        }

        Sequential<double> net = builder.Dense(10, ActivationKind.Softmax, c.Init).Build(seed);
        var random = new SeededRandom(seed + 1);
        var x = new NDArray<double>(1000, 100);
        new Normal(1).Fill(x.AsSpan(), 100, 100, random);
        var d = new NDArray<double>(new Shape(1000));
        for (int i = 0; i < 1000; i++)
        {
            d[i] = random.NextInt(10);
        }

        net.ComputeGradients(x, d, new CrossEntropy<double>());
        double[][] activations = [.. net.Layers.OfType<ActivationLayer<double>>().Take(5).Select(a => a.LastOutput!.ToArray())];
        double[] norms = [.. net.Layers.OfType<Dense<double>>().Take(5).Select(dense => Math.Sqrt(dense.Weights.Gradient.ToArray().Sum(g => g * g)))];
        return (activations, norms);
    }

    public void Run(ExperimentContext context)
    {
        var norms = new List<PlotFile.Series>();
        foreach (Case c in Cases)
        {
            (double[][] activations, double[] gradient) = Measure(c, context.Settings.Seed);
            var histograms = new List<PlotFile.Series>();
            for (int layer = 0; layer < activations.Length; layer++)
            {
                double[] counts = new double[20];
                foreach (double value in activations[layer].Where(v => v is >= 0 and <= 1))
                {
                    counts[Math.Min((int)(value * 20), 19)]++;
                }

                histograms.Add(new PlotFile.Series($"{context.Labels.T("layer", "層")} {layer + 1}", [.. Enumerable.Range(0, 20).Select(b => (b + 0.5) / 20)], counts));
                double mean = activations[layer].Average(), spread = Math.Sqrt(activations[layer].Average(v => (v - mean) * (v - mean)));
                context.Output.Line($"{c.Label}, {context.Labels.T("layer", "層")} {layer + 1}: {context.Labels.T("mean", "平均")} {mean:F3}, {context.Labels.T("std", "標準偏差")} {spread:F3}, |∂E/∂W| {gradient[layer]:E2}");
            }

            string slug = new([.. c.Label.Where(char.IsLetterOrDigit)]);
            string plot = PlotFile.Write(context.PlotPath($"{Name}-{slug}"), $"{context.Labels.T("Activations", "アクティベーション分布")}: {c.Label}", context.Labels.T("activation value", "出力値"),
                context.Labels.T("count", "個数"), histograms);
            context.Output.Plot(plot, c.Label);
            norms.Add(new PlotFile.Series(c.Label, [1, 2, 3, 4, 5], gradient));
        }

        string gradients = PlotFile.Write(context.PlotPath($"{Name}-gradients"), context.Labels.T("Gradient reaching each layer", "各層に届く勾配の大きさ"), context.Labels.T("layer", "層"), "|∂E/∂W|", norms, logY: true);
        context.Output.Plot(gradients, context.Labels.T("the norm of ∂E/∂W per layer (log scale): through sigmoids it shrinks towards the input (σ′ ≤ 0.25 at every layer), to nothing with σ = 0.01; through ReLU with He it keeps its size", "層ごとの |∂E/∂W|（対数）：シグモイドでは入力側ほど小さくなり（各層で σ′ ≤ 0.25）、σ = 0.01 ではほぼ消える。He の ReLU では大きさが保たれる"));
    }
}
