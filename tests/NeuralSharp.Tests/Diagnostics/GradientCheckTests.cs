using NeuralSharp.Activations;
using NeuralSharp.Diagnostics;
using NeuralSharp.Init;
using NeuralSharp.Layers;
using NeuralSharp.Losses;
using NeuralSharp.Randomness;
using NeuralSharp.Tests.TestSupport;

namespace NeuralSharp.Tests.Diagnostics;

public sealed class GradientCheckTests
{
    [Fact]
    public void Entries_whose_nudges_cross_a_kink_are_left_out_and_counted()
    {
        // u = w·x + b = 5e-4 at a ReLU: nudging w or b by h = 1e-3 crosses 0, where the difference means nothing
        var first = new Dense<double>(new NDArray<double>(new Shape(1, 1), [5e-4]), new NDArray<double>(new Shape(1), [0]));
        var second = new Dense<double>(new NDArray<double>(new Shape(1, 1), [2]), new NDArray<double>(new Shape(1), [0.3]));
        var relu = new Sequential<double>(first, new ActivationLayer<double>(ActivationKind.Relu), second);
        GradientCheckReport report = GradientCheck.Run(relu, new NDArray<double>(new Shape(1, 1), [1]), new NDArray<double>(new Shape(1, 1), [1]), new SquaredError<double>());
        Assert.Equal([1, 1, 0, 0], report.Parameters.Select(p => p.Skipped));
        Assert.Equal(2, report.Skipped);
        Assert.True(report.MaxRelativeError < 1e-9, $"{report.MaxRelativeError:E2}");

        // a pooling window whose two largest values lie 1e-4 apart: nudging the weight of either by 1e-3 swaps the winner
        var spread = new Dense<double>(new NDArray<double>(new Shape(1, 4), [1, 1 + 1e-4, 0.2, -0.5]), new NDArray<double>(new Shape(4), [0, 0, 0, 0]));
        var pooled = new Sequential<double>(spread, new MaxPool2D<double>(new ImageShape(1, 2, 2), 2), new Dense<double>(new NDArray<double>(new Shape(1, 1), [1.5]), new NDArray<double>(new Shape(1), [0])));
        report = GradientCheck.Run(pooled, new NDArray<double>(new Shape(1, 1), [1]), new NDArray<double>(new Shape(1, 1), [0]), new SquaredError<double>());
        Assert.Equal(2, report.Parameters[0].Skipped);
        Assert.Equal(2, report.Parameters[0].Count);
        Assert.True(report.MaxRelativeError < 1e-9, $"{report.MaxRelativeError:E2}");
    }

    public static TheoryData<string, ActivationKind, string> Cases()
    {
        var data = new TheoryData<string, ActivationKind, string>();
        string[] shapes = ["2-3-3-1 batch 1", "3-4-5 batch 4", "2-2-2-2-2-2-2 batch 3"];
        string[] heads = ["identity+mse-mean", "identity+mse-sum", "tanh+mse-mean", "sigmoid+bce", "sigmoid+mse-mean",
            "sigmoid+ce-onehot", "softmax+ce-onehot", "softmax+ce-indices", "softmax+mse-sum"];
        foreach (string shape in shapes)
        {
            foreach (ActivationKind hidden in Enum.GetValues<ActivationKind>().Where(kind => kind != ActivationKind.Softmax))
            {
                foreach (string head in heads)
                {
                    data.Add(shape, hidden, head);
                }
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Backward_matches_numerical_gradient(string shape, ActivationKind hidden, string head)
    {
        (Sequential<double> net, NDArray<double> x, NDArray<double> d, ILoss<double> loss) = Build(shape, hidden, head);

        GradientCheckReport report = GradientCheck.Run(net, x, d, loss);

        Assert.True(report.KinkDistance > 1e-2, $"Test point too close to a kink: {report.KinkDistance}.");
        Assert.True(report.Passed(1e-7), string.Join("; ", report.Parameters));
        // the tests' own numerical gradient, independent of the library's
        net.ComputeGradients(x, d, loss);
        foreach (Parameter<double> parameter in net.Parameters)
        {
            double[] analytic = parameter.Gradient.ToArray();
            double[] numerical = IndependentGradient.Of(net, parameter, x, d, loss);
            for (int i = 0; i < analytic.Length; i++)
            {
                double error = GradientCheck.RelativeError(analytic[i], numerical[i]);
                Assert.True(error < 1e-7, $"{parameter.Name}[{i}]: analytic {analytic[i]:R} vs numerical {numerical[i]:R}, relative error {error:E2}");
            }
        }
    }

    [Fact]
    public void Numerical_gradient_of_a_known_function_is_exact_to_1e_9()
    {
        // f(w) = Σ w_i³ + sin(w_0·w_1)  →  ∂f/∂w_0 = 3w_0² + w_1 cos(w_0 w_1), ∂f/∂w_1 = 3w_1² + w_0 cos(w_0 w_1), ∂f/∂w_2 = 3w_2²
        double[] w = [0.7, -1.3, 2.1];
        double F() => (w[0] * w[0] * w[0]) + (w[1] * w[1] * w[1]) + (w[2] * w[2] * w[2]) + Math.Sin(w[0] * w[1]);
        double[] expected =
        [
            (3 * w[0] * w[0]) + (w[1] * Math.Cos(w[0] * w[1])),
            (3 * w[1] * w[1]) + (w[0] * Math.Cos(w[0] * w[1])),
            3 * w[2] * w[2],
        ];
        var gradient = new double[3];

        GradientCheck.Numerical(w, F, gradient);

        for (int i = 0; i < 3; i++)
        {
            Assert.True(GradientCheck.RelativeError(expected[i], gradient[i]) < 1e-9, $"{i}: {expected[i]} vs {gradient[i]}");
        }

        Assert.Equal([0.7, -1.3, 2.1], w);
    }

    [Fact]
    public void Detects_a_wrong_gradient()
    {
        (Sequential<double> net, NDArray<double> x, NDArray<double> d, _) = Build("2-3-3-1 batch 1", ActivationKind.Tanh, "identity+mse-mean");
        // The loss says mean over elements, but a wrong derivative (twice the true one) drives backpropagation.
        var wrong = new WrongGradientLoss();

        GradientCheckReport report = GradientCheck.Run(net, x, d, wrong);

        Assert.False(report.Passed(1e-7));
        Assert.InRange(report.MaxRelativeError, 0.4, 0.6);
    }

    [Fact]
    public void Leaves_the_weights_as_they_were()
    {
        (Sequential<double> net, NDArray<double> x, NDArray<double> d, ILoss<double> loss) = Build("3-4-5 batch 4", ActivationKind.Sigmoid, "softmax+ce-onehot");
        double[][] before = [.. net.Parameters.Select(p => p.Value.ToArray())];

        GradientCheck.Run(net, x, d, loss);

        Assert.Equal(before, net.Parameters.Select(p => p.Value.ToArray()).ToArray());
    }

    [Fact]
    public void Fused_softmax_delta_is_y_minus_d_over_batch_and_close_to_the_guarded_gradient()
    {
        (Sequential<double> net, NDArray<double> x, NDArray<double> d, _) = Build("3-4-5 batch 4", ActivationKind.Tanh, "softmax+ce-onehot");
        var guarded = new CrossEntropy<double>();
        NDArray<double> y = net.Forward(x).Clone();
        var delta = new NDArray<double>(y.Shape);
        guarded.FusedDelta(y, d, delta);
        for (int i = 0; i < y.Length; i++)
        {
            Assert.Equal((y[i] - d[i]) / 4, delta[i], 15);
        }

        // With the +1e-7 guard the exact gradient through softmax is (y − d)/batch · y_t/(y_t + ε) for each sample's
        // target class t: off by a relative ε/y_t, small but not zero.
        var guardedDy = new NDArray<double>(y.Shape);
        var exactDu = new NDArray<double>(y.Shape);
        guarded.Gradient(y, d, guardedDy);
        new Softmax<double>().Backward(net.Layers[^1].LastInput!.AsSpan(), y.AsSpan(), guardedDy.AsSpan(), exactDu.AsSpan(), y.Columns);
        for (int row = 0; row < 4; row++)
        {
            double targetY = Enumerable.Range(0, 5).Where(j => d[row, j] == 1).Select(j => y[row, j]).Single();
            for (int j = 0; j < 5; j++)
            {
                double expected = delta[row, j] * targetY / (targetY + 1e-7);
                Assert.Equal(expected, exactDu[row, j], 1e-15);
                Assert.NotEqual(delta[row, j], exactDu[row, j]);
            }
        }
    }

    internal static (Sequential<double> Net, NDArray<double> X, NDArray<double> D, ILoss<double> Loss) Build(
        string shape, ActivationKind hidden, string head)
    {
        string[] parts = shape.Split(' ');
        int[] sizes = [.. parts[0].Split('-').Select(int.Parse)];
        int batch = int.Parse(parts[2]);
        string[] headParts = head.Split('+');
        ActivationKind output = Activation.Parse(headParts[0]);
        for (ulong seed = 1; seed < 200; seed++)
        {
            var random = new SeededRandom(seed);
            Sequential<double> net = NetworkBuilder<double>.FromSizes(sizes, hidden, output, seed, new Normal(0.8));
            foreach (Parameter<double> parameter in net.Parameters)
            {
                new Normal(0.5).Fill(parameter.Value.AsSpan(), 1, 1, random);
            }

            var x = new NDArray<double>(batch, sizes[0]);
            new Normal(1.0).Fill(x.AsSpan(), 1, 1, random);
            (NDArray<double> d, ILoss<double> loss) = Targets(headParts[1], batch, sizes[^1], random);
            if (GradientCheck.Run(net, x, d, loss).KinkDistance > 1e-2)
            {
                return (net, x, d, loss);
            }
        }

        throw new InvalidOperationException("No test point away from the kinks.");
    }

    private static (NDArray<double> D, ILoss<double> Loss) Targets(string loss, int batch, int outputs, SeededRandom random)
    {
        var d = new NDArray<double>(batch, outputs);
        switch (loss)
        {
            case "mse-mean":
            case "mse-sum":
                new Normal(1.0).Fill(d.AsSpan(), 1, 1, random);
                return (d, new SquaredError<double>(loss == "mse-mean" ? SquaredErrorReduction.MeanOverElements : SquaredErrorReduction.SumPerSample));
            case "bce":
                new Uniform01().Fill(d.AsSpan(), 1, 1, random);
                return (d, new BinaryCrossEntropy<double>(epsilon: 0));
            case "ce-indices":
                var labels = new NDArray<double>(new Shape(batch));
                for (int i = 0; i < batch; i++)
                {
                    labels[i] = random.NextInt(outputs);
                }

                return (labels, new CrossEntropy<double>(epsilon: 0));
            default:
                for (int i = 0; i < batch; i++)
                {
                    d[i, random.NextInt(outputs)] = 1;
                }

                return (d, new CrossEntropy<double>(epsilon: 0));
        }
    }

    private sealed class WrongGradientLoss : ILoss<double>
    {
        private readonly SquaredError<double> _inner = new();

        public string Name => "wrong";

        public ActivationKind? FusedActivation => null;

        public double Compute(NDArray<double> y, NDArray<double> d) => _inner.Compute(y, d);

        public void Gradient(NDArray<double> y, NDArray<double> d, NDArray<double> dy)
        {
            _inner.Gradient(y, d, dy);
            for (int i = 0; i < dy.Length; i++)
            {
                dy[i] *= 2;
            }
        }

        public void FusedDelta(NDArray<double> y, NDArray<double> d, NDArray<double> delta) => throw new NotSupportedException();
    }
}

/// <summary>The quick start's claim: the fused softmax–cross-entropy gradient checks to ~1e-12 with the loss's default guard.</summary>
public sealed class FusedGuardGradientCheckTests
{
    [Fact]
    public void The_guarded_cross_entropy_checks_against_the_loss_its_fused_gradient_differentiates()
    {
        var net = new NeuralSharp.Layers.NetworkBuilder<double>(inputs: 2).Dense(3, NeuralSharp.Activations.ActivationKind.Relu)
            .Dense(2, NeuralSharp.Activations.ActivationKind.Softmax).Build(seed: 42);
        NDArray<double> x = NDArray.Row(1.0, 5.0), d = NDArray.Row(0.0, 1.0);
        double error = NeuralSharp.Diagnostics.GradientCheck.Run(net, x, d, new NeuralSharp.Losses.CrossEntropy<double>()).MaxRelativeError;
        Assert.True(error < 1e-9, $"{error:E2}");
    }
}

/// <summary>A sampled check names the worst entry by its place in the parameter.</summary>
public sealed class SampledGradientCheckTests
{
    [Fact]
    public void The_worst_entry_of_a_sampled_check_is_its_flat_index_in_the_parameter()
    {
        var net = NeuralSharp.Layers.NetworkBuilder<double>.FromSizes([6, 20, 3], NeuralSharp.Activations.ActivationKind.Tanh, NeuralSharp.Activations.ActivationKind.Softmax, seed: 4);
        var x = new NDArray<double>(2, 6);
        for (int i = 0; i < x.Length; i++)
        {
            x[i] = 0.1 * (i - 5);
        }

        var d = new NDArray<double>(new Shape(2), [0.0, 2.0]);
        var loss = new NeuralSharp.Losses.CrossEntropy<double>(epsilon: 0);
        NeuralSharp.Diagnostics.ParameterCheck sampled = NeuralSharp.Diagnostics.GradientCheck.Run(net, x, d, loss, entriesPerParameter: 7).Parameters[0];
        Assert.Equal(7, sampled.Count);
        // the sample takes entries 0, 19, 39, … 119 of the 120 in dense1.W: the worst is one of them
        int[] taken = [.. Enumerable.Range(0, 7).Select(k => k * 119 / 6)];
        Assert.Contains(sampled.WorstIndex, taken);
        Assert.Equal(net.Parameters[0].Gradient[sampled.WorstIndex], sampled.Analytic);
    }
}
