using NeuralSharp.Kernels;
using NeuralSharp.Layers;
using NeuralSharp.Optimizers;
namespace NeuralSharp.Tests.Kernels;

/// <summary>
/// The one loop every update rule runs in: its vector body, scalar tail and two-thread halves give, weight for weight,
/// what the rule's scalar form gives (regularisation included).
/// </summary>
[Collection(GemmThreads.Name)]
public sealed class UpdateDriverTests
{
    [Theory]
    [InlineData(37, 1)] // vectors and a tail
    [InlineData(70_001, 1)] // long enough to be halved, odd so the halves differ
    [InlineData(70_001, 2)]
    public void Every_weight_moves_as_the_scalar_rule_says(int length, int threads)
    {
        int original = Parallelism.Threads;
        Parallelism.Threads = threads;
        try
        {
            var parameter = new Parameter<float>("dense1.W", new NDArray<float>(new Shape(1, length), [.. Enumerable.Range(0, length).Select(i => ((i % 11) - 5) * 0.1f)]));
            float[] g = [.. Enumerable.Range(0, length).Select(i => ((i % 7) - 3) * 0.01f)];
            g.CopyTo(parameter.Gradient.AsSpan());
            var adam = new Adam<float>(0.01, form: OptimizerForm.PyTorch) { WeightDecay = 0.1, L1 = 0.01 };
            float[] w = parameter.Value.ToArray(), m = new float[length], v = new float[length];
            for (int step = 1; step <= 3; step++)
            {
                adam.Step([parameter]);
                // the same rule, one weight at a time
                double c1 = 1 - Math.Pow(0.9, step), c2 = 1 - Math.Pow(0.999, step);
                var rule = new AdamRule<float>((float)(0.01 / c1), (float)(1 / Math.Sqrt(c2)), 0.9f, 0.999f, 1e-8f);
                for (int i = 0; i < length; i++)
                {
                    float gi = g[i] + ((0.1f * w[i]) + (0.01f * MathF.Sign(w[i])));
                    rule.Apply(ref w[i], gi, ref m[i], ref v[i]);
                }
            }

            float[] actual = parameter.Value.ToArray();
            for (int i = 0; i < length; i++)
            {
                Assert.True(Math.Abs(actual[i] - w[i]) <= 1e-6f * Math.Max(1, Math.Abs(w[i])), $"[{i}]: {actual[i]} vs {w[i]}");
            }
        }
        finally
        {
            Parallelism.Threads = original;
        }
    }
}
