using NeuralSharp.Activations;

namespace NeuralSharp.Tests.Activations;

public sealed class ActivationTests
{
    private static readonly double[] Points = [-3.1, -1.2, -0.4, 0.3, 0.9, 2.7];

    public static TheoryData<ActivationKind> Elementwise() =>
        [.. Enum.GetValues<ActivationKind>().Where(kind => kind != ActivationKind.Softmax)];

    [Theory]
    [MemberData(nameof(Elementwise))]
    public void Derivative_matches_the_central_difference(ActivationKind kind)
    {
        var f = (IElementwiseActivation<double>)Activation.Create<double>(kind);
        var z = new double[Points.Length];
        var derivative = new double[Points.Length];
        f.Forward(Points, z, Points.Length);
        f.Derivative(Points, z, derivative);
        const double h = 1e-6;
        for (int i = 0; i < Points.Length; i++)
        {
            double numerical = (Apply(f, Points[i] + h) - Apply(f, Points[i] - h)) / (2 * h);
            Assert.Equal(numerical, derivative[i], 8);
        }
    }

    [Theory]
    [MemberData(nameof(Elementwise))]
    public void Backward_is_upstream_gradient_times_derivative(ActivationKind kind)
    {
        var f = (IElementwiseActivation<double>)Activation.Create<double>(kind);
        double[] z = new double[6], derivative = new double[6], du = new double[6];
        double[] dz = [0.5, -2, 1.5, 3, -0.25, 1];
        f.Forward(Points, z, 6);
        f.Derivative(Points, z, derivative);
        f.Backward(Points, z, dz, du, 6);
        for (int i = 0; i < 6; i++)
        {
            Assert.Equal(dz[i] * derivative[i], du[i], 15);
        }
    }

    [Theory]
    [MemberData(nameof(Elementwise))]
    public void Vector_and_scalar_forms_agree_over_every_length_and_tail(ActivationKind kind)
    {
        CheckForms<float>(kind, 1e-6);
        CheckForms<double>(kind, 1e-14);
    }

    [Fact]
    public void Course_values_for_step_sigmoid_and_relu()
    {
        Assert.Equal([0.0, 0, 0, 1, 1, 1], Forward(ActivationKind.Step, Points));
        Assert.Equal([0.0, 0, 0, 0.3, 0.9, 2.7], Forward(ActivationKind.Relu, Points));
        Assert.Equal(0.5, Forward(ActivationKind.Sigmoid, [0.0])[0]);
        Assert.Equal(1 / (1 + Math.Exp(-0.9)), Forward(ActivationKind.Sigmoid, [0.9])[0], 15);
        Assert.Equal(-0.012, Forward(ActivationKind.LeakyRelu, [-1.2])[0], 15);
    }

    [Fact]
    public void Softmax_of_huge_inputs_is_finite_and_sums_to_one()
    {
        double[] z = Forward(ActivationKind.Softmax, [1000, 0, -1000]);
        Assert.All(z, value => Assert.True(double.IsFinite(value)));
        Assert.Equal(1.0, z.Sum(), 15);
        Assert.Equal(1.0, z[0], 15);
        float[] zf = new float[3];
        new Softmax<float>().Forward([1000f, 0f, -1000f], zf, 3);
        Assert.All(zf, value => Assert.True(float.IsFinite(value)));
        Assert.Equal(1f, zf.Sum(), 6);
    }

    [Fact]
    public void Softmax_works_row_by_row()
    {
        double[] z = new double[6];
        new Softmax<double>().Forward([1, 2, 3, 1, 1, 1], z, 3);
        Assert.Equal(1.0, z[0] + z[1] + z[2], 15);
        Assert.Equal(1 / 3.0, z[4], 15);
    }

    [Fact]
    public void Softmax_backward_matches_the_jacobian()
    {
        double[] u = [0.2, -1.0, 0.7], z = new double[3], dz = [0.3, -0.8, 1.1], du = new double[3];
        var softmax = new Softmax<double>();
        softmax.Forward(u, z, 3);
        softmax.Backward(u, z, dz, du, 3);
        for (int j = 0; j < 3; j++)
        {
            // Σ_k dz_k · ∂z_k/∂u_j, with ∂z_k/∂u_j = z_k(δ_kj − z_j)
            double expected = Enumerable.Range(0, 3).Sum(k => dz[k] * z[k] * ((k == j ? 1 : 0) - z[j]));
            Assert.Equal(expected, du[j], 15);
        }
    }

    [Theory]
    [InlineData("relu", ActivationKind.Relu)]
    [InlineData("Leaky_ReLU", ActivationKind.LeakyRelu)]
    [InlineData(" softmax ", ActivationKind.Softmax)]
    public void Parse_accepts_names_in_any_case(string name, ActivationKind expected) =>
        Assert.Equal(expected, Activation.Parse(name));

    [Fact]
    public void Parse_lists_the_known_names_for_an_unknown_one()
    {
        var error = Assert.Throws<ArgumentException>(() => Activation.Parse("mish"));
        Assert.Contains("sigmoid", error.Message, StringComparison.Ordinal);
    }

    private static double Apply(IActivation<double> f, double u)
    {
        double[] z = new double[1];
        f.Forward([u], z, 1);
        return z[0];
    }

    /// <summary>f of one number: a span of one is all scalar tail.</summary>
    private static T ApplyOne<T>(IActivation<T> f, T u)
        where T : unmanaged, System.Numerics.IFloatingPointIeee754<T>
    {
        T[] z = new T[1];
        f.Forward([u], z, 1);
        return z[0];
    }

    private static double[] Forward(ActivationKind kind, double[] u)
    {
        var z = new double[u.Length];
        Activation.Create<double>(kind).Forward(u, z, u.Length);
        return z;
    }

    /// <summary>The driver's vector loop and the operator's scalar formula agree for lengths 0…70 (every tail), u of both signs, zeros included.</summary>
    private static void CheckForms<T>(ActivationKind kind, double tolerance)
        where T : unmanaged, System.Numerics.IFloatingPointIeee754<T>
    {
        var f = (IElementwiseActivation<T>)Activation.Create<T>(kind);
        var random = new NeuralSharp.Randomness.SeededRandom(7);
        for (int length = 0; length <= 70; length++)
        {
            T[] u = [.. Enumerable.Range(0, length).Select(i => i % 5 == 0 ? T.Zero : T.CreateChecked((random.NextDouble() - 0.5) * 12))];
            T[] dz = [.. Enumerable.Range(0, length).Select(_ => T.CreateChecked(random.NextDouble() - 0.5))];
            T[] z = new T[length], du = new T[length], derivative = new T[length];
            f.Forward(u, z, length);
            f.Backward(u, z, dz, du, length);
            f.Derivative(u, z, derivative);
            for (int i = 0; i < length; i++)
            {
                double expected = double.CreateChecked(ApplyOne(f, u[i]));
                Assert.True(Math.Abs(expected - double.CreateChecked(z[i])) <= tolerance * Math.Max(1, Math.Abs(expected)), $"{kind} f({u[i]}) at {i} of {length}: {z[i]} vs {expected}");
                Assert.Equal(double.CreateChecked(dz[i] * derivative[i]), double.CreateChecked(du[i]), tolerance);
            }
        }
    }
}
