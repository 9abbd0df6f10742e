using NeuralSharp.Activations;
using NeuralSharp.Cli.Rendering;

namespace NeuralSharp.Cli.Experiments;

/// <summary>The same problem with x in [0, 1) and in [−5, 5), one plot.</summary>
internal sealed class InputRangeExperiment : IExperiment
{
    public string Name => "input-range";

    public IReadOnlyList<string> Options => ["--steps", "--activation"];

    public string Title(Labels labels) => labels.T("The range of the inputs", "入力の範囲");

    public string Question(Labels labels) => labels.T(
        "Does the scale of the data matter? With x in [−5, 5) the targets and the gradients are ten times larger, so the same learning rate takes much larger, noisier steps — a reason to standardize inputs.",
        "データのスケールは重要か。x が [−5, 5) だと目標値も勾配も10倍になり、同じ学習率でも更新が大きく不安定になる。入力を標準化する理由の一つ。");

    public void Run(ExperimentContext context)
    {
        int steps = context.Settings.Steps ?? 1000;
        ActivationKind kind = Infrastructure.Options.Activation(context.Settings.Activation ?? "relu", "--activation");
        CourseRegression.Result unit = CourseRegression.Run("x ∈ [0, 1)", Activation.Create<float>(kind), (0, 1), steps, context.Settings.Seed);
        CourseRegression.Result wide = CourseRegression.Run("x ∈ [−5, 5)", Activation.Create<float>(kind), (-5, 5), steps, context.Settings.Seed, learningRate: 0.001);
        context.Output.Line(context.Labels.T("η = 0.07 for [0, 1); η = 0.001 for [−5, 5) (0.07 diverges there).", "[0, 1) は η = 0.07、[−5, 5) は η = 0.001（0.07 では発散する）。"));
        CourseRegression.Print(context, unit);
        CourseRegression.Print(context, wide);
        string plot = PlotFile.Write(context.PlotPath(Name), context.Labels.T("Input range, loss of every step", "入力の範囲"), context.Labels.Axis("step"), context.Labels.Axis("loss"),
            [new PlotFile.Series(unit.Label, CourseRegression.Steps(unit.Losses.Length), unit.Losses, Dots: true),
             new PlotFile.Series(wide.Label, CourseRegression.Steps(wide.Losses.Length), wide.Losses, Dots: true)], logY: true);
        context.Output.Plot(plot, "[0, 1) vs [−5, 5)");
    }
}
