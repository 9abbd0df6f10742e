using NeuralSharp.Activations;
using NeuralSharp.Diagnostics;
using NeuralSharp.Layers;
using NeuralSharp.Losses;
using NeuralSharp.Tests.Cli;

namespace NeuralSharp.Tests.Diagnostics;

/// <summary>A recurrent layer's trace: every step's state and gates forward, every step's δ back — and the δs obey BPTT's recurrence.</summary>
public sealed class RecurrentTraceTests
{
    private static (Sequential<double> Network, Trace<double> Trace) Record(string layers)
    {
        var builder = new NetworkBuilder<double>(new SequenceShape(4, 2));
        LayerGrammar.Apply(builder, layers, ActivationKind.Tanh, batchNorm: false, dropout: null);
        Sequential<double> network = builder.Dense(1, ActivationKind.Identity).Build(seed: 3);
        var x = new NDArray<double>(new Shape(1, 8), [0.7, 0.5, -0.6, 0.4, 0.7, -0.1, 0.1, 0.4]);
        return (network, Trace<double>.Record(network, x, new NDArray<double>(new Shape(1, 1), [1.0]), new SquaredError<double>()));
    }

    [Fact]
    public void A_simple_rnns_deltas_follow_the_course_recurrence_step_by_step()
    {
        (Sequential<double> network, Trace<double> trace) = Record("rnn:3");
        var rnn = (SimpleRnn<double>)network.Layers[0];
        // the last step only feeds the output, so for t < T: δₜ = (δₜ₊₁·W_hᵀ) ⊙ (1 − hₜ²)   (the course's delta_t.dot(U))
        for (int t = 3; t >= 1; t--)
        {
            double[] next = trace[$"delta1_t{t + 1}"].Value.ToArray(), h = trace[$"h1_t{t}"].Value.ToArray(), delta = trace[$"delta1_t{t}"].Value.ToArray();
            for (int j = 0; j < 3; j++)
            {
                double back = Enumerable.Range(0, 3).Sum(k => next[k] * rnn.StateWeights.Value[j, k]);
                Assert.Equal(back * (1 - (h[j] * h[j])), delta[j], 12);
            }
        }

        Assert.Equal(rnn.StateWeights.Gradient.ToArray(), trace["dWh1"].Value.ToArray());
        Assert.Equal(4, trace.Count(e => e.Quantity == TraceQuantity.State));
    }

    [Fact]
    public void An_lstm_shows_its_gates_and_cell_and_a_gru_its_reset_and_update_gates_at_every_step()
    {
        Trace<double> lstm = Record("lstm:2").Trace;
        foreach (string gate in new[] { "i", "f", "g", "o", "c", "h" })
        {
            Assert.Equal(4, lstm.Count(e => e.Label.StartsWith(gate + "1_t", StringComparison.Ordinal)));
        }

        // c₁ = f⊙c₀ + i⊙g with c₀ = 0, and h = o⊙tanh c
        double[] i = lstm["i1_t1"].Value.ToArray(), g = lstm["g1_t1"].Value.ToArray(), o = lstm["o1_t1"].Value.ToArray(), c = lstm["c1_t1"].Value.ToArray(), h = lstm["h1_t1"].Value.ToArray();
        for (int j = 0; j < 2; j++)
        {
            Assert.Equal(i[j] * g[j], c[j], 14);
            Assert.Equal(o[j] * Math.Tanh(c[j]), h[j], 14);
        }

        Trace<double> gru = Record("gru:2").Trace;
        Assert.Equal(["r1_t1", "z1_t1", "n1_t1", "h1_t1"], gru.Where(e => e.Label.EndsWith("_t1", StringComparison.Ordinal) && e.Phase == TracePhase.Forward).Select(e => e.Label));
        Assert.Equal([1, 6], [.. Enumerable.Range(0, 2).Select(d => gru["delta1_t1"].Value.Shape[d])]);
    }

    [Fact]
    public void The_command_traces_a_recurrent_network_in_japanese_too()
    {
        (int code, string output) = CliRunner.Run("trace", "--layers", "gru:2", "--lang", "ja");
        Assert.Equal(0, code);
        Assert.Contains("ゲートr1（時刻1）", output, StringComparison.Ordinal);
        Assert.Contains("状態h1（時刻4）", output, StringComparison.Ordinal);
        (code, output) = CliRunner.Run("trace", "--layers", "lstm:2");
        Assert.Contains("cell state c1, t = 4 (c1_t4)", output, StringComparison.Ordinal);
        (code, output) = CliRunner.Run("trace", "--layers", "lstm:0");
        Assert.Equal(2, code);
        Assert.Contains("--layers", output, StringComparison.Ordinal);
    }
}
