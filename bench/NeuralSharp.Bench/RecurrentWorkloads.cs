using System.Diagnostics;
using NeuralSharp.Activations;
using NeuralSharp.Layers;
using NeuralSharp.Losses;
using NeuralSharp.Optimizers;
using NeuralSharp.Training;

namespace NeuralSharp.Bench;

/// <summary>
/// W9, the recurrent networks: an LSTM trained through <see cref="Trainer{T}.Fit"/> and run through the network's
/// <see cref="Sequential{T}.Predict"/>, and the course's simple RNN learning binary addition through <see cref="OnlineLearner{T}"/>.
/// </summary>
public static partial class Workloads
{
    /// <summary>LSTM 32→128 over 35 steps, its last state into a dense 128→10 and softmax, from the portable initial weights.</summary>
    private static Sequential<float> LstmNetwork()
    {
        var lstm = new Lstm<float>(new SequenceShape(35, 32), 128);
        // PyTorch's W_ih [512, 32] and W_hh [512, 128] (out, in) are W_x [32, 512] and W_h [128, 512] transposed
        PortableData.FromOutIn(PortableData.Sym(PortableData.U01(22, 512 * 32), 0, 512 * 32, 1f / MathF.Sqrt(128)), 512, 32).AsSpan().CopyTo(lstm.InputWeights.Value.AsSpan());
        PortableData.FromOutIn(PortableData.Sym(PortableData.U01(23, 512 * 128), 0, 512 * 128, 1f / MathF.Sqrt(128)), 512, 128).AsSpan().CopyTo(lstm.StateWeights.Value.AsSpan());
        var dense = new Dense<float>(PortableData.FromOutIn(PortableData.Sym(PortableData.U01(24, 10 * 128), 0, 10 * 128, 1f / MathF.Sqrt(128)), 10, 128), new NDArray<float>(new Shape(10)));
        return new Sequential<float>(lstm, dense, new ActivationLayer<float>(ActivationKind.Softmax));
    }

    private static void W9()
    {
        const int batch = 32, pool = 10, width = 35 * 32;
        var x = new NDArray<float>(new Shape(batch * pool, width), PortableData.Sym(PortableData.U01(20, batch * pool * width), 0, batch * pool * width, 1f));
        var d = new NDArray<float>(new Shape(batch * pool), [.. PortableData.U01(21, batch * pool).Select(v => MathF.Min(MathF.Floor(v * 10f), 9f))]);
        TrainThenInfer("W9", "lstm-b32", "lstm-infer-b32", LstmNetwork, x, d, batch, inferCalls: 50);
        W9Online();
    }

    /// <summary>The course's 2-16-1 sigmoid RNN without biases: one 8-bit sum per SGD step, loss Σₜ ½(yₜ − dₜ)².</summary>
    private static Sequential<float> BinaryAdditionNetwork()
    {
        var rnn = new SimpleRnn<float>(new SequenceShape(8, 2), 16, ActivationKind.Sigmoid, RecurrentOutput.EveryStep, bias: false);
        PortableData.Sym(PortableData.U01(25, 32), 0, 32, 1f).CopyTo(rnn.InputWeights.Value.AsSpan());
        PortableData.Sym(PortableData.U01(26, 256), 0, 256, 1f).CopyTo(rnn.StateWeights.Value.AsSpan());
        var readOut = new TimeDistributedDense<float>(8, 16, 1, bias: false);
        PortableData.Sym(PortableData.U01(27, 16), 0, 16, 1f).CopyTo(readOut.Weights.Value.AsSpan());
        return new Sequential<float>(rnn, readOut, new ActivationLayer<float>(ActivationKind.Sigmoid));
    }

    private static void W9Online()
    {
        const int warmup = 500, reps = 10, segment = 1000, total = warmup + (reps * segment);
        float[] ua = PortableData.U01(28, total), ub = PortableData.U01(29, total);
        float[] x = new float[16], target = new float[8], losses = new float[total];
        var loss = new SquaredError<float>(SquaredErrorReduction.SumPerSample);
        void Learn(OnlineLearner<float> learner, int from, int to)
        {
            for (int k = from; k < to; k++)
            {
                int a = (int)MathF.Floor(128 * ua[k]), b = (int)MathF.Floor(128 * ub[k]);
                for (int t = 0; t < 8; t++)
                {
                    (x[2 * t], x[(2 * t) + 1], target[t]) = ((a >> t) & 1, (b >> t) & 1, ((a + b) >> t) & 1);
                }

                losses[k] = (float)learner.Learn(x, target);
            }
        }

        Learn(new OnlineLearner<float>(BinaryAdditionNetwork(), loss, new Sgd<float>(0.1)), 0, warmup);
        var learner = new OnlineLearner<float>(BinaryAdditionNetwork(), loss, new Sgd<float>(0.1));
        var rates = new List<double>();
        for (int r = 0; r < reps; r++)
        {
            var clock = Stopwatch.StartNew();
            Learn(learner, warmup + (r * segment), warmup + ((r + 1) * segment));
            rates.Add(segment / clock.Elapsed.TotalSeconds);
        }

        Report("W9", "rnn-online", "steps_per_s", rates, extra: $"path={learner.Path} final_loss={G(losses.Skip(total - segment).Average())}");
    }
}
