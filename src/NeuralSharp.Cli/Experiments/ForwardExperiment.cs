using NeuralSharp.Activations;
using NeuralSharp.Diagnostics;
using NeuralSharp.Init;
using NeuralSharp.Layers;
using NeuralSharp.Losses;
using NeuralSharp.Randomness;

namespace NeuralSharp.Cli.Experiments;

/// <summary>Notebook 1_1's six cells with their literal weights, and the single unit initialised four ways.</summary>
internal sealed class ForwardExperiment : IExperiment
{
    internal static readonly double[,] W1 = { { 0.1, 0.3, 0.5 }, { 0.2, 0.4, 0.6 } };
    internal static readonly double[] B1 = [0.1, 0.2, 0.3];
    internal static readonly double[,] W2 = { { 0.1, 0.4 }, { 0.2, 0.5 }, { 0.3, 0.6 } };
    internal static readonly double[] B2 = [0.1, 0.2];

    public string Name => "forward";

    public string Title(Rendering.Labels labels) => labels.T("Forward propagation (notebook 1_1)", "順伝播（ノートブック 1_1）");

    public string Question(Rendering.Labels labels) => labels.T(
        "What does a layer compute? Each unit sums its weighted inputs and bias, u = xW + b, and passes the total through an activation, z = f(u); a network repeats this layer after layer.",
        "層は何を計算するか。各ユニットは重み付きの入力とバイアスを足し合わせ（総入力 u = xW + b）、活性化関数を通して出力 z = f(u) を返す。ネットワークはこれを層ごとに繰り返す。");

    public void Run(ExperimentContext context)
    {
        Rendering.Labels l = context.Labels;
        Cell(context, l.T("1. Single unit, ReLU", "1. 単層・単ユニット（ReLU）"),
            new Sequential<double>(Dense(new[,] { { 0.1 }, { 0.2 } }, [0.5]), Act(ActivationKind.Relu)), NDArray.Row(2.0, 3.0), null, null);
        Cell(context, l.T("2. One layer of 3 units, sigmoid", "2. 単層・複数ユニット（シグモイド）"),
            new Sequential<double>(Dense(new[,] { { 0.1, 0.2, 0.3 }, { 0.2, 0.3, 0.4 }, { 0.3, 0.4, 0.5 }, { 0.4, 0.5, 0.6 } }, [0.1, 0.2, 0.3]), Act(ActivationKind.Sigmoid)),
            NDArray.Row(1.0, 5.0, 2.0, -1.0), null, null);
        Cell(context, l.T("3. Three layers 2-3-2-2, ReLU, ReLU, identity", "3. 多層（2-3-2-2）"),
            new Sequential<double>(Dense(W1, B1), Act(ActivationKind.Relu), Dense(W2, B2), Act(ActivationKind.Relu),
                Dense(new[,] { { 0.1, 0.3 }, { 0.2, 0.4 } }, [1, 2]), Act(ActivationKind.Identity)), NDArray.Row(1.0, 2.0), null, null);
        Cell(context, l.T("4. Multi-class 2-3-4, softmax and cross entropy", "4. 多クラス分類（2-3-4、ソフトマックス・交差エントロピー）"),
            new Sequential<double>(Dense(W1, B1), Act(ActivationKind.Relu),
                Dense(new[,] { { 0.1, 0.4, 0.7, 1.0 }, { 0.2, 0.5, 0.8, 1.1 }, { 0.3, 0.6, 0.9, 1.2 } }, [0.1, 0.2, 0.3, 0.4]), Act(ActivationKind.Softmax)),
            NDArray.Row(1.0, 2.0), NDArray.Row(0.0, 0, 0, 1), new CrossEntropy<double>());
        Cell(context, l.T("5. Regression 2-3-2, identity and mean squared error", "5. 回帰（2-3-2、恒等写像・平均二乗誤差）"),
            new Sequential<double>(Dense(W1, B1), Act(ActivationKind.Relu), Dense(W2, B2), Act(ActivationKind.Identity)),
            NDArray.Row(1.0, 2.0), NDArray.Row(2.0, 4.0), new SquaredError<double>());
        Cell(context, l.T("6. Binary 2-3-1, sigmoid and cross entropy", "6. 2値分類（2-3-1、シグモイド・交差エントロピー）"),
            new Sequential<double>(Dense(W1, B1), Act(ActivationKind.Relu), Dense(new[,] { { 0.2 }, { 0.4 }, { 0.6 } }, [0.1]), Act(ActivationKind.Sigmoid)),
            NDArray.Row(1.0, 2.0), NDArray.Row(1.0), new CrossEntropy<double>());
        Initialisations(context);
    }

    private static void Cell(ExperimentContext context, string title, Sequential<double> net, NDArray<double> x, NDArray<double>? d, ILoss<double>? loss)
    {
        context.Output.Heading(title);
        Trace<double> trace = Trace<double>.Record(net, x, d ?? new NDArray<double>(1, net.OutputWidth), loss ?? new SquaredError<double>());
        foreach (TraceEntry<double> entry in trace.Where(e => e.Phase == TracePhase.Forward || (loss is not null && e.Phase == TracePhase.Loss)))
        {
            context.PrintVec(context.Labels.Of(entry), entry.Value);
        }
    }

    private static void Initialisations(ExperimentContext context)
    {
        Rendering.Labels l = context.Labels;
        context.Output.Heading(l.T("The single unit with other initial weights", "単ユニットの重みの初期値を変える"));
        foreach ((string name, IInitializer init) in new (string, IInitializer)[]
        {
            ("np.zeros", Initializers.Zeros), ("np.ones", Initializers.Ones), ("np.random.rand", Initializers.Uniform), ("np.random.randint(5)", new UniformInt(5)),
        })
        {
            var dense = new Dense<double>(2, 1);
            init.Fill(dense.Weights.Value.AsSpan(), 2, 1, new SeededRandom(context.Settings.Seed));
            dense.Bias.Value[0] = 0.5;
            var net = new Sequential<double>(dense, Act(ActivationKind.Relu));
            NDArray<double> z = net.Forward(NDArray.Row(2.0, 3.0));
            context.Output.Line($"W = {name}:");
            context.PrintVec(l.T("weights", "重み"), dense.Weights.Value);
            context.PrintVec(l.T("total input u", "総入力"), dense.LastOutput!);
            context.PrintVec(l.T("output z", "出力"), z);
        }
    }

    private static Dense<double> Dense(double[,] w, double[] b) => new(NDArray.FromArray(w), NDArray.Vector(b));

    private static ActivationLayer<double> Act(ActivationKind kind) => new(kind);
}
