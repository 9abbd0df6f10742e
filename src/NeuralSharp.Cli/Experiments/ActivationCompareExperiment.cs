using NeuralSharp.Activations;
using NeuralSharp.Cli.Rendering;

namespace NeuralSharp.Cli.Experiments;

/// <summary>ReLU against sigmoid on notebook 1_3's problem, one plot.</summary>
internal sealed class ActivationCompareExperiment : IExperiment
{
    public string Name => "activation-compare";

    public IReadOnlyList<string> Options => ["--steps"];

    public string Title(Labels labels) => labels.T("ReLU against sigmoid", "ReLU とシグモイドの比較");

    public string Question(Labels labels) => labels.T(
        "Why does ReLU ease vanishing gradients? Its derivative is 1 for every positive input, while the sigmoid's is at most 0.25 and near 0 for large |u|, so gradients through sigmoids shrink layer after layer.",
        "ReLU が勾配消失を和らげるのはなぜか。ReLU の微分は正の入力で常に 1 だが、シグモイドの微分は最大でも 0.25、|u| が大きいとほぼ 0 で、層を通るたびに勾配が小さくなる。");

    public void Run(ExperimentContext context)
    {
        int steps = context.Settings.Steps ?? 1000;
        (double, double) range = (0, 1);
        CourseRegression.Result relu = CourseRegression.Run("relu", new Relu<float>(), range, steps, context.Settings.Seed);
        CourseRegression.Result sigmoid = CourseRegression.Run("sigmoid", new Sigmoid<float>(), range, steps, context.Settings.Seed);
        CourseRegression.Print(context, relu);
        CourseRegression.Print(context, sigmoid);
        string plot = PlotFile.Write(context.PlotPath(Name), context.Labels.T("ReLU vs sigmoid, loss of every step", "ReLU とシグモイド"), context.Labels.Axis("step"), context.Labels.Axis("loss"),
            [new PlotFile.Series("relu", CourseRegression.Steps(relu.Losses.Length), relu.Losses, Dots: true),
             new PlotFile.Series("sigmoid", CourseRegression.Steps(sigmoid.Losses.Length), sigmoid.Losses, Dots: true)], logY: true);
        context.Output.Plot(plot, "relu vs sigmoid");
    }
}
