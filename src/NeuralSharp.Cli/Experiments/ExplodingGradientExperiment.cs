using NeuralSharp.Activations;
using NeuralSharp.Cli.Rendering;
using NeuralSharp.Init;
using NeuralSharp.Randomness;
using NeuralSharp.Training;

namespace NeuralSharp.Cli.Experiments;

/// <summary>
/// Exploding gradients (the course's Day 3 question on 3_1 with ReLU; Deep Learning from Scratch vol. 2 §5.5.1): the
/// binary-addition RNN with ReLU, its weights drawn at growing scales; how large δₜ grows going back through the 8 steps,
/// and what training does with and without clipping the gradients' global norm.
/// </summary>
internal sealed class ExplodingGradientExperiment : IExperiment
{
    public static readonly double[] Scales = [0.5, 1, 2];

    public const double ClipNorm = 1, LearningRate = 0.1, TrainingScale = 1;

    public string Name => "exploding-gradient";

    public IReadOnlyList<string> Options => ["--steps"];

    public string Title(Labels labels) => labels.T("Exploding gradients and clipping", "勾配爆発と勾配クリッピング");

    public string Question(Labels labels) => labels.T(
        "Why does the simple RNN with ReLU blow up? Going back through time, δ is multiplied by W_hᵀ at every step; when W_h is large, ReLU does not damp it and it grows step by step. Clipping the gradients' norm keeps each update's length bounded.",
        "ReLU の単純 RNN はなぜ発散するか。時間をさかのぼるたびに δ に W_hᵀ が掛かる。W_h が大きいと ReLU は抑えないので δ はステップごとに大きくなる。勾配のノルムをクリップすると、1 回の更新の大きさが抑えられる。");

    /// <summary>‖δₜ‖ for t = 8 … 1 on one sum, for the network drawn at <paramref name="scale"/>.</summary>
    public static double[] DeltaNorms(double scale, ulong seed)
    {
        BinaryAddition network = Network(scale, seed, clip: null);
        network.Learn(100, 27);
        return [.. Enumerable.Range(1, BinaryAddition.Bits).Reverse().Select(t => Math.Sqrt(network.Rnn.GateInputGradient(t).ToArray().Sum(d => d * d)))];
    }

    /// <summary>The loss of every iteration until it is no longer finite (training stopped there), with or without clipping.</summary>
    public static (double[] Losses, bool Diverged) Train(double scale, double? clip, int iterations, ulong seed)
    {
        BinaryAddition network = Network(scale, seed, clip);
        var random = new SeededRandom(seed + 1);
        var losses = new List<double>();
        try
        {
            for (int i = 0; i < iterations; i++)
            {
                losses.Add(network.Learn(random.NextInt(128), random.NextInt(128)).Loss);
            }
        }
        catch (TrainingDivergedException)
        {
            return ([.. losses], true);
        }

        return ([.. losses], false);
    }

    public void Run(ExperimentContext context)
    {
        ulong seed = context.Settings.Seed;
        var norms = new List<PlotFile.Series>();
        double[] steps = [.. Enumerable.Range(1, BinaryAddition.Bits).Reverse().Select(t => (double)t)];
        foreach (double scale in Scales)
        {
            double[] delta = DeltaNorms(scale, seed);
            norms.Add(new PlotFile.Series($"σ = {scale}", steps, [.. delta.Select(d => Math.Max(d, 1e-300))], Dots: true));
            context.Output.Line($"σ = {scale}: ‖δₜ‖, t = 8 … 1: {string.Join(", ", delta.Select(d => d.ToString("G3", System.Globalization.CultureInfo.InvariantCulture)))}");
            context.Values[$"delta_growth_{scale.ToString(System.Globalization.CultureInfo.InvariantCulture)}"] = delta[^1] / delta[0];
        }

        string plot = PlotFile.Write(context.PlotPath(Name), context.Labels.T("‖δₜ‖ going back through time (ReLU)", "時間をさかのぼる ‖δₜ‖（ReLU）"), "t", "‖δ‖", norms, logY: true);
        context.Output.Plot(plot, context.Labels.T("the gradient's size at each step, from the last (t = 8) back to the first", "各時刻の勾配の大きさ（最後の t = 8 から最初へ）"));
        int iterations = context.Settings.Steps ?? 5000;
        var curves = new List<PlotFile.Series>();
        foreach (double? clip in new double?[] { null, ClipNorm })
        {
            (double[] losses, bool diverged) = Train(TrainingScale, clip, iterations, seed);
            string label = clip is null ? context.Labels.T("no clipping", "クリップなし") : context.Labels.T($"clipped at {ClipNorm}", $"{ClipNorm} でクリップ");
            curves.Add(new PlotFile.Series(label, [.. losses.Select((_, i) => i + 1.0)], [.. losses.Select(l => Math.Max(l, 1e-12))]));
            context.Output.Line(diverged
                ? context.Labels.T($"σ = {TrainingScale}, {label}: the loss stopped being a number after {losses.Length} iterations.", $"σ = {TrainingScale}、{label}: {losses.Length} 回目のあと誤差が数でなくなった。")
                : context.Labels.T($"σ = {TrainingScale}, {label}: mean loss of the last 100 iterations {losses.TakeLast(100).Average():G4}.", $"σ = {TrainingScale}、{label}: 最後の 100 回の平均誤差 {losses.TakeLast(100).Average():G4}。"));
            context.Values[clip is null ? "iterations_unclipped" : "iterations_clipped"] = losses.Length;
        }

        string training = PlotFile.Write(context.PlotPath(Name + "-training"), context.Labels.T($"Training with and without clipping (σ = {TrainingScale})", $"クリップの有無と学習（σ = {TrainingScale}）"), context.Labels.Axis("step"), context.Labels.Axis("loss"), curves, logY: true);
        context.Output.Plot(training, context.Labels.T($"ReLU, σ = {TrainingScale}, η = {LearningRate}; clipping at a global norm of {ClipNorm}", $"ReLU、σ = {TrainingScale}、η = {LearningRate}、全体ノルム {ClipNorm} でクリップ"));
    }

    private static BinaryAddition Network(double scale, ulong seed, double? clip)
    {
        (double[,] input, double[,] output, double[,] state) = BinaryAddition.Draw(new Normal(scale), 16, new SeededRandom(seed));
        return new BinaryAddition(input, state, output, ActivationKind.Relu, LearningRate, clip);
    }
}
