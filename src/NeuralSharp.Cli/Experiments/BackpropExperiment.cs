using NeuralSharp.Activations;
using NeuralSharp.Cli.Rendering;
using NeuralSharp.Diagnostics;
using NeuralSharp.Layers;
using NeuralSharp.Losses;
using NeuralSharp.Optimizers;

namespace NeuralSharp.Cli.Experiments;

/// <summary>Notebook 1_2: one forward and backward pass of the 2-3-2 network, then one update with η = 0.01.</summary>
internal sealed class BackpropExperiment : IExperiment
{
    public string Name => "backprop";

    public string Title(Labels labels) => labels.T("Backpropagation (notebook 1_2)", "誤差逆伝播法（ノートブック 1_2）");

    public string Question(Labels labels) => labels.T(
        "How does backpropagation avoid needless work? It starts from δ = y − d at the output and sends it back layer by layer, reusing the u and z the forward pass stored: ∂E/∂W = zᵀδ, δ_prev = δWᵀ ⊙ f'(u).",
        "誤差逆伝播法は不要な再計算をどう避けるか。出力での δ = y − d から始め、順伝播で保存した u と z を再利用して層ごとに逆向きに伝える（∂E/∂W = zᵀδ、δ_前 = δWᵀ ⊙ f'(u)）。");

    public void Run(ExperimentContext context)
    {
        var net = new Sequential<double>(
            new Dense<double>(NDArray.FromArray(ForwardExperiment.W1), NDArray.Vector(ForwardExperiment.B1)), new ActivationLayer<double>(ActivationKind.Relu),
            new Dense<double>(NDArray.FromArray(ForwardExperiment.W2), NDArray.Vector(ForwardExperiment.B2)), new ActivationLayer<double>(ActivationKind.Softmax));
        Trace<double> trace = Trace<double>.Record(net, NDArray.Row(1.0, 5.0), NDArray.Row(0.0, 1.0), new CrossEntropy<double>());
        TracePrinter.Print(context.Output, trace, context.Labels);
        new Sgd<double>(0.01).Step(net.Parameters);
        context.Output.Heading(context.Labels.T("After one update, W ← W − 0.01·∂E/∂W", "更新後（学習率 0.01）"));
        foreach (Parameter<double> parameter in net.Parameters)
        {
            context.PrintVec(parameter.Name, parameter.Value);
        }
    }
}
