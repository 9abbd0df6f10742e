using NeuralSharp.Activations;
using NeuralSharp.Init;
using NeuralSharp.Randomness;
using NeuralSharp.Layers;
using NeuralSharp.Losses;
using NeuralSharp.Optimizers;
using NeuralSharp.Training;

namespace NeuralSharp.Cli.Experiments;

/// <summary>
/// The course's 3_1 network for 8-bit binary addition, built from the library's layers and trained one sum per step by
/// its online learner: the bits of a and b, least significant first, go in as 8 steps of 2 inputs; a simple RNN of H
/// units (no biases) passes every state to a dense 16→1 read-out at every step (no bias) and a sigmoid, whose 8
/// outputs are the bits of a + b. Loss ½Σₜ(yₜ − dₜ)² (the notebook's <c>all_loss</c>), plain SGD — as the notebook,
/// including its δ at the output (<see cref="SigmoidWithDerivativeAtOutput"/>).
/// </summary>
internal sealed class BinaryAddition
{
    /// <summary>The bits of each number.</summary>
    public const int Bits = 8;

    private readonly OnlineLearner<double> _learner;
    private readonly double[] _x = new double[2 * Bits], _d = new double[Bits];

    /// <summary>The network from given weights: W_in [2, H], W [H, H], W_out [H, 1] (the notebook's names).</summary>
    /// <remarks><paramref name="clipNorm"/>, when given, bounds the gradients' global norm (<see cref="GradientClipping{T}"/>).</remarks>
    public BinaryAddition(double[,] inputWeights, double[,] stateWeights, double[,] outputWeights, ActivationKind hidden, double learningRate, double? clipNorm = null)
    {
        int units = stateWeights.GetLength(0);
        Rnn = new SimpleRnn<double>(new SequenceShape(Bits, 2), units, hidden, RecurrentOutput.EveryStep, bias: false);
        Copy(inputWeights, Rnn.InputWeights);
        Copy(stateWeights, Rnn.StateWeights);
        ReadOut = new TimeDistributedDense<double>(Bits, units, 1, bias: false);
        Copy(outputWeights, ReadOut.Weights);
        Network = new Sequential<double>(Rnn, ReadOut, new ActivationLayer<double>(new SigmoidWithDerivativeAtOutput()));
        IOptimizer<double> sgd = new Sgd<double>(learningRate);
        _learner = new OnlineLearner<double>(Network, new SquaredError<double>(SquaredErrorReduction.SumPerSample), clipNorm is { } norm ? new GradientClipping<double>(sgd, norm) : sgd);
    }

    /// <summary>The recurrent layer (the notebook's W_in and W).</summary>
    public SimpleRnn<double> Rnn { get; }

    /// <summary>The read-out at every step (the notebook's W_out).</summary>
    public TimeDistributedDense<double> ReadOut { get; }

    /// <summary>The whole network.</summary>
    public Sequential<double> Network { get; }

    /// <summary>
    /// One iteration on a + b: the loss over the 8 steps before the update, and the predicted bits (most significant
    /// first, as the notebook prints them, each output rounded half to even as <c>np.round</c>).
    /// </summary>
    public (double Loss, int[] Predicted) Learn(int a, int b)
    {
        Encode(a, b, _x);
        for (int t = 0; t < Bits; t++)
        {
            _d[t] = ((a + b) >> t) & 1;
        }

        double loss = _learner.Learn(_x, _d);
        NDArray<double> y = Network.Layers[^1].LastOutput!;
        return (loss, [.. Enumerable.Range(0, Bits).Select(i => (int)Math.Round(y[Bits - 1 - i]))]);
    }

    /// <summary>The sums a + b (0 ≤ a, b &lt; 128) whose 8 rounded output bits are all right.</summary>
    public int ExactCount()
    {
        var x = new NDArray<double>(128 * 128, 2 * Bits);
        for (int i = 0; i < x.Rows; i++)
        {
            Encode(i / 128, i % 128, x.Row(i));
        }

        NDArray<double> y = Network.Predict(x);
        int exact = 0;
        for (int i = 0; i < x.Rows; i++)
        {
            int sum = (i / 128) + (i % 128), t = 0;
            while (t < Bits && (int)Math.Round(y[i, t]) == ((sum >> t) & 1))
            {
                t++;
            }

            exact += t == Bits ? 1 : 0;
        }

        return exact;
    }

    /// <summary>W_in [2, H], W_out [H, 1] and W [H, H], drawn in the notebook's order from <paramref name="random"/>.</summary>
    public static (double[,] Input, double[,] Output, double[,] State) Draw(IInitializer init, int units, SeededRandom random)
    {
        double[,] Matrix(int rows, int columns)
        {
            var values = new double[rows * columns];
            init.Fill(values.AsSpan(), rows, columns, random);
            var matrix = new double[rows, columns];
            Buffer.BlockCopy(values, 0, matrix, 0, values.Length * sizeof(double));
            return matrix;
        }

        return (Matrix(2, units), Matrix(units, 1), Matrix(units, units));
    }

    /// <summary>The bits of a and b as 8 steps of (aₜ, bₜ), least significant first.</summary>
    private static void Encode(int a, int b, Span<double> x)
    {
        for (int t = 0; t < Bits; t++)
        {
            x[2 * t] = (a >> t) & 1;
            x[(2 * t) + 1] = (b >> t) & 1;
        }
    }

    private static void Copy(double[,] from, Parameter<double> to)
    {
        if (from.GetLength(0) != to.Shape[0] || from.GetLength(1) != to.Shape[1])
        {
            throw new ArgumentException($"{to.Name} is {to.Shape}, not [{from.GetLength(0)}, {from.GetLength(1)}].", nameof(from));
        }

        for (int i = 0; i < from.GetLength(0); i++)
        {
            for (int j = 0; j < from.GetLength(1); j++)
            {
                to.Value[i, j] = from[i, j];
            }
        }
    }
}
