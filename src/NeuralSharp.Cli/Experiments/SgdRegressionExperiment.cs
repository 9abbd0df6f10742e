using NeuralSharp.Activations;
using NeuralSharp.Cli.Infrastructure;
using NeuralSharp.Cli.Rendering;

namespace NeuralSharp.Cli.Experiments;

/// <summary>Notebook 1_3: stochastic gradient descent on d = 3·x1 + 2·x2, the loss of every step plotted as a dot.</summary>
internal sealed class SgdRegressionExperiment : IExperiment
{
    public string Name => "sgd-regression";

    public IReadOnlyList<string> Options => ["--activation", "--x-range", "--steps", "--preset", "--lr"];

    public string Title(Labels labels) => labels.T("Stochastic gradient descent on a regression (notebook 1_3)", "確率的勾配降下法（ノートブック 1_3）");

    public string Question(Labels labels) => labels.T(
        "What is online learning? The model updates on each sample as it arrives. Why is the error squared? So that errors of either sign count as positive and large ones weigh more. What is the ½ for? It cancels the 2 that differentiating the square brings down, so ∂E/∂y = y − d.",
        "オンライン学習とは、データが届くたびにその1件で更新する学習。誤差を二乗するのは正負を打ち消さず大きな誤差を重く数えるため。1/2 は微分で出る 2 を打ち消し ∂E/∂y = y − d とするため。");

    public void Run(ExperimentContext context)
    {
        Commands.ExperimentCommand.Settings s = context.Settings;
        bool colab = s.Preset switch
        {
            "course-local" => false,
            "course-colab" => true,
            _ => throw new UsageException($"--preset: '{s.Preset}' is not a preset; use course-local or course-colab."),
        };
        ActivationKind kind = Infrastructure.Options.Activation(s.Activation ?? "relu", "--activation");
        IActivation<float> hidden = colab && kind == ActivationKind.Relu ? new ReluWithSigmoidDerivative() : Activation.Create<float>(kind);
        (double, double) range = s.XRange is null ? (0, 1) : Infrastructure.Options.Range(s.XRange, "--x-range");
        if (colab)
        {
            context.Output.Line(context.Labels.T(
                "Preset course-colab: like the distributed notebook, the forward pass uses ReLU but backpropagation multiplies by d_sigmoid(z1) — a slip reproduced on purpose; course-local uses ReLU's own derivative.",
                "プリセット course-colab: 配布版ノートブックと同じく、順伝播は ReLU なのに逆伝播では d_sigmoid(z1) を掛ける（意図的に再現した誤り）。course-local は ReLU 本来の微分を使う。"));
        }

        string label = $"{Activation.NameOf(kind)}{(colab ? " (d_sigmoid slip)" : "")}, x ∈ [{range.Item1}, {range.Item2})";
        CourseRegression.Result result = CourseRegression.Run(label, hidden, range, s.Steps ?? 1000, s.Seed, s.LearningRate ?? 0.07);
        CourseRegression.Print(context, result);
        string plot = PlotFile.Write(context.PlotPath(Name), context.Labels.T("Loss of every step", "各ステップの誤差"), context.Labels.Axis("step"), context.Labels.Axis("loss"),
            [new PlotFile.Series(label, CourseRegression.Steps(result.Losses.Length), result.Losses, Dots: true)]);
        context.Output.Plot(plot, label);
    }
}
