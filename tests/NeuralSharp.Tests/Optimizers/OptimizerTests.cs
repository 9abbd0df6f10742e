using NeuralSharp.Activations;
using NeuralSharp.Data;
using NeuralSharp.Layers;
using NeuralSharp.Losses;
using NeuralSharp.Optimizers;

namespace NeuralSharp.Tests.Optimizers;

public sealed class OptimizerTests
{
    private static readonly double[] G = [0.5, -1.0];

    [Fact]
    public void Sgd_first_two_updates() =>
        AssertTwoUpdates(new Sgd<double>(0.1), [0.95, -1.9], [0.9, -1.8]);

    [Fact]
    public void Momentum_first_two_updates()
    {
        // v1 = −0.1·g = [−0.05, 0.1]; v2 = 0.9·v1 − 0.1·g = [−0.095, 0.19]
        AssertTwoUpdates(new Momentum<double>(0.1, 0.9), [0.95, -1.9], [0.95 - 0.095, -1.9 + 0.19]);
    }

    [Fact]
    public void AdaGrad_first_two_updates()
    {
        // h1 = g² = [0.25, 1]; h2 = 2g² = [0.5, 2]
        double[] w1 = [1 - (0.1 * 0.5 / (0.5 + 1e-7)), -2 + (0.1 * 1 / (1 + 1e-7))];
        double[] w2 = [w1[0] - (0.1 * 0.5 / (Math.Sqrt(0.5) + 1e-7)), w1[1] + (0.1 * 1 / (Math.Sqrt(2) + 1e-7))];
        AssertTwoUpdates(new AdaGrad<double>(0.1), w1, w2);
    }

    [Fact]
    public void RmsProp_first_two_updates()
    {
        // h1 = 0.01·g² = [0.0025, 0.01]; h2 = 0.99·h1 + 0.01·g² = [0.004975, 0.0199]
        double[] w1 = [1 - (0.1 * 0.5 / (Math.Sqrt(0.0025) + 1e-7)), -2 + (0.1 * 1 / (Math.Sqrt(0.01) + 1e-7))];
        double[] w2 = [w1[0] - (0.1 * 0.5 / (Math.Sqrt(0.004975) + 1e-7)), w1[1] + (0.1 * 1 / (Math.Sqrt(0.0199) + 1e-7))];
        AssertTwoUpdates(new RmsProp<double>(0.1, 0.99), w1, w2);
    }

    [Fact]
    public void Adam_first_two_updates()
    {
        // t=1: η₁ = 0.1·√(1−0.999)/(1−0.9); m1 = 0.1·g; v1 = 0.001·g²
        double eta1 = 0.1 * Math.Sqrt(0.001) / 0.1;
        double[] m1 = [0.05, -0.1], v1 = [0.00025, 0.001];
        double[] w1 = [1 - (eta1 * m1[0] / (Math.Sqrt(v1[0]) + 1e-7)), -2 - (eta1 * m1[1] / (Math.Sqrt(v1[1]) + 1e-7))];
        // t=2: η₂ = 0.1·√(1−0.999²)/(1−0.9²); m2 = m1 + 0.1(g − m1); v2 = v1 + 0.001(g² − v1)
        double eta2 = 0.1 * Math.Sqrt(1 - (0.999 * 0.999)) / (1 - 0.81);
        double[] m2 = [0.05 + (0.1 * (0.5 - 0.05)), -0.1 + (0.1 * (-1 + 0.1))];
        double[] v2 = [0.00025 + (0.001 * (0.25 - 0.00025)), 0.001 + (0.001 * (1 - 0.001))];
        double[] w2 = [w1[0] - (eta2 * m2[0] / (Math.Sqrt(v2[0]) + 1e-7)), w1[1] - (eta2 * m2[1] / (Math.Sqrt(v2[1]) + 1e-7))];
        AssertTwoUpdates(new Adam<double>(0.1), w1, w2);
    }

    [Fact]
    public void Weight_decay_and_l1_add_to_the_gradient_of_weights_only()
    {
        var weights = new Parameter<double>("dense1.W", NDArray.FromArray(new[,] { { 1.0, -2.0 } }));
        var bias = new Parameter<double>("dense1.b", NDArray.Vector(1.0, -2.0));
        weights.Gradient.AsSpan().Clear();
        bias.Gradient.AsSpan().Clear();
        new Sgd<double>(0.1) { WeightDecay = 0.5, L1 = 0.25 }.Step([weights, bias]);
        // g = 0.5·W + 0.25·sign(W) = [0.75, −1.25]
        Assert.Equal([1 - 0.075, -2 + 0.125], weights.Value.ToArray());
        Assert.Equal([1.0, -2.0], bias.Value.ToArray());
    }

    [Fact]
    public void Momentum_in_pytorchs_form_keeps_gradients_and_scales_them_by_the_current_rate()
    {
        // b1 = g, W1 = W0 − η·b1; b2 = 0.9·b1 + g = 1.9·g, W2 = W1 − η·b2
        AssertTwoUpdates(new Momentum<double>(0.1, 0.9, OptimizerForm.PyTorch), [0.95, -1.9], [0.95 - 0.095, -1.9 + 0.19]);

        // at a rate change the forms part: the course's velocity keeps the old rate's steps, PyTorch's buffer is rescaled
        double[] course = TwoUpdatesWithRateChange(new Momentum<double>(0.1, 0.9)), torch = TwoUpdatesWithRateChange(new Momentum<double>(0.1, 0.9, OptimizerForm.PyTorch));
        Assert.Equal(0.95 - ((0.9 * 0.05) + (0.01 * 0.5)), course[0], 12); // v2 = 0.9·v1 − 0.01·g
        Assert.Equal(0.95 - (0.01 * 1.9 * 0.5), torch[0], 12);          // W2 = W1 − 0.01·(0.9·g + g)
    }

    [Theory]
    [InlineData(OptimizerForm.Course)]
    [InlineData(OptimizerForm.PyTorch)]
    public void Nesterov_looks_ahead_along_the_velocity_in_both_forms(OptimizerForm form)
    {
        // W1 = W0 − η·(1 + μ)·g; W2 = W1 − η·g − μ·η·(1 + μ)·g (equal forms for a constant rate)
        double step1 = 0.1 * 1.9, step2 = 0.1 * (1 + (0.9 * 1.9));
        AssertTwoUpdates(new Momentum<double>(0.1, 0.9, form, nesterov: true), [1 - (step1 * 0.5), -2 + step1], [1 - ((step1 + step2) * 0.5), -2 + step1 + step2]);
    }

    [Fact]
    public void AdamW_shrinks_every_parameter_apart_from_the_gradient_then_takes_adams_step()
    {
        // t = 1: m̂ = g, v̂ = g², so the step is η·g/(|g| + ε); the decay takes η·λ of every parameter first
        const double eta = 0.1, lambda = 0.5;
        double Step(double w, double g) => (w * (1 - (eta * lambda))) - (eta * g / (Math.Abs(g) + 1e-8));
        var optimizer = new AdamW<double>(eta, weightDecay: lambda);
        var weights = new Parameter<double>("dense1.W", NDArray.FromArray(new[,] { { 1.0, -2.0 } }));
        var bias = new Parameter<double>("dense1.b", NDArray.Vector(1.0, -2.0));
        G.CopyTo(weights.Gradient.AsSpan());
        G.CopyTo(bias.Gradient.AsSpan());
        optimizer.Step([weights, bias]);
        Assert.Equal(Step(1, 0.5), weights.Value[0, 0], 14);
        Assert.Equal(Step(-2, -1), weights.Value[0, 1], 14);
        Assert.Equal(Step(1, 0.5), bias.Value[0], 14);
        Assert.Equal("adamw", OptimizerFactory.Create<double>("adamw").Name);
    }

    [Fact]
    public void Coupled_weight_decay_adds_to_the_gradient_of_every_parameter_biases_included()
    {
        var weights = new Parameter<double>("dense1.W", NDArray.FromArray(new[,] { { 1.0, -2.0 } }));
        var bias = new Parameter<double>("dense1.b", NDArray.Vector(1.0, -2.0));
        weights.Gradient.AsSpan().Clear();
        bias.Gradient.AsSpan().Clear();
        new Sgd<double>(0.1) { CoupledWeightDecay = 0.5 }.Step([weights, bias]);
        Assert.Equal([1 - 0.05, -2 + 0.1], weights.Value.ToArray());
        Assert.Equal([1 - 0.05, -2 + 0.1], bias.Value.ToArray());
    }

    [Theory]
    [InlineData("momentum-pytorch")]
    [InlineData("nesterov")]
    [InlineData("nesterov-pytorch")]
    [InlineData("adamw")]
    public void The_vector_body_and_the_scalar_tail_update_alike(string name)
    {
        // 37 weights: whole vectors and a tail; every weight gets the same gradient, so every weight must move alike
        var parameter = new Parameter<double>("w", new NDArray<double>(new Shape(37), [.. Enumerable.Repeat(0.7, 37)]));
        Optimizer<double> optimizer = OptimizerFactory.Create<double>(name, 0.1);
        optimizer.CoupledWeightDecay = 0.01;
        for (int step = 0; step < 3; step++)
        {
            parameter.Gradient.AsSpan().Fill(-0.3 + step);
            optimizer.Step([parameter]);
        }

        Assert.All(parameter.Value.ToArray(), w => Assert.Equal(parameter.Value[0], w));
        Assert.NotEqual(0.7, parameter.Value[0]);
    }

    [Theory]
    [InlineData("sgd", 0.05)]
    [InlineData("momentum", 0.01)]
    [InlineData("adagrad", 0.05)]
    [InlineData("rmsprop", 0.005)]
    [InlineData("adam", 0.01)]
    public void Each_optimizer_lowers_the_loss_on_a_fixed_problem(string name, double learningRate)
    {
        Dataset data = Generators.CourseRegression(200, seed: 3);
        NDArray<double> x = data.FeatureTensor<double>(), d = data.TargetTensor<double>();
        Sequential<double> net = NetworkBuilder<double>.FromSizes([2, 10, 1], ActivationKind.Relu, ActivationKind.Identity, seed: 4);
        var loss = new SquaredError<double>();
        Optimizer<double> optimizer = OptimizerFactory.Create<double>(name, learningRate);
        double before = net.Loss(x, d, loss);
        for (int step = 0; step < 200; step++)
        {
            net.ComputeGradients(x, d, loss);
            optimizer.Step(net.Parameters);
        }

        double after = net.Loss(x, d, loss);
        Assert.True(after < before / 5, $"{name}: loss {before} → {after}");
    }

    [Fact]
    public void Unknown_optimizer_lists_the_known_ones()
    {
        var error = Assert.Throws<ArgumentException>(() => OptimizerFactory.Create<float>("lbfgs"));
        Assert.Contains("adam", error.Message, StringComparison.Ordinal);
    }

    private static double[] TwoUpdatesWithRateChange(Optimizer<double> optimizer)
    {
        var parameter = new Parameter<double>("w", NDArray.Vector(1.0, -2.0));
        G.CopyTo(parameter.Gradient.AsSpan());
        optimizer.Step([parameter]);
        optimizer.LearningRate = 0.01;
        optimizer.Step([parameter]);
        return parameter.Value.ToArray();
    }

    private static void AssertTwoUpdates(Optimizer<double> optimizer, double[] first, double[] second)
    {
        var parameter = new Parameter<double>("w", NDArray.Vector(1.0, -2.0));
        G.CopyTo(parameter.Gradient.AsSpan());
        optimizer.Step([parameter]);
        Assert.Equal(first[0], parameter.Value[0], 12);
        Assert.Equal(first[1], parameter.Value[1], 12);
        G.CopyTo(parameter.Gradient.AsSpan());
        optimizer.Step([parameter]);
        Assert.Equal(second[0], parameter.Value[0], 12);
        Assert.Equal(second[1], parameter.Value[1], 12);
    }

    [Theory]
    [InlineData("sgd")]
    [InlineData("momentum")]
    [InlineData("adam")]
    [InlineData("rmsprop")]
    public void Training_resumed_from_exported_state_takes_exactly_the_steps_it_would_have_taken(string name)
    {
        // a checkpoint's promise: weights and optimizer state after 3 epochs, then 3 more, equal 6 epochs straight
        Dataset iris = BuiltInDatasets.Load("iris");
        NeuralSharp.NDArray<double> x = iris.FeatureTensor<double>(), d = iris.TargetTensor<double>();
        Sequential<double> Net() => NetworkBuilder<double>.FromSizes([4, 8, 3], ActivationKind.Relu, ActivationKind.Softmax, seed: 5);
        void Epochs(Sequential<double> net, Optimizer<double> optimizer, int from, int to)
        {
            for (int epoch = from; epoch < to; epoch++)
            {
                var options = new NeuralSharp.Training.TrainingOptions { Mode = NeuralSharp.Training.DescentMode.MiniBatch, BatchSize = 16, Epochs = 1, Seed = 100 + (ulong)epoch };
                new NeuralSharp.Training.Trainer<double>(net, new CrossEntropy<double>(), optimizer, options).Fit(x, d);
            }
        }

        Sequential<double> straight = Net();
        Optimizer<double> straightOptimizer = OptimizerFactory.Create<double>(name, 0.01);
        Epochs(straight, straightOptimizer, 0, 6);

        Sequential<double> first = Net();
        Optimizer<double> firstOptimizer = OptimizerFactory.Create<double>(name, 0.01);
        Epochs(first, firstOptimizer, 0, 3);
        (double[][] state, int steps) = firstOptimizer.ExportState(first.Parameters);
        Sequential<double> resumed = Net();
        for (int p = 0; p < resumed.Parameters.Count; p++)
        {
            first.Parameters[p].Value.AsSpan().CopyTo(resumed.Parameters[p].Value.AsSpan());
        }

        Optimizer<double> resumedOptimizer = OptimizerFactory.Create<double>(name, 0.01);
        resumedOptimizer.ImportState(resumed.Parameters, state, steps);
        Epochs(resumed, resumedOptimizer, 3, 6);
        for (int p = 0; p < straight.Parameters.Count; p++)
        {
            Assert.Equal(straight.Parameters[p].Value.ToArray(), resumed.Parameters[p].Value.ToArray());
        }

        Assert.Equal(straightOptimizer.Steps, resumedOptimizer.Steps);
        Assert.Throws<ShapeMismatchException>(() => resumedOptimizer.ImportState(resumed.Parameters, [.. state, new double[1]], steps));
    }
}
