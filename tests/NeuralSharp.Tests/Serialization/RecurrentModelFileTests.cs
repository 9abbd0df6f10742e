using NeuralSharp.Activations;
using NeuralSharp.Data;
using NeuralSharp.Layers;
using NeuralSharp.Serialization;

namespace NeuralSharp.Tests.Serialization;

/// <summary>Day 3's layers in the model file: SimpleRnn, Lstm, Gru (last step or every step, with or without biases) and TimeDistributedDense.</summary>
public sealed class RecurrentModelFileTests
{
    private static readonly SequenceShape Shape = new(6, 3);

    public static Sequential<float> Stacked() => new NetworkBuilder<float>(Shape)
        .Recurrent("lstm", 8, RecurrentOutput.EveryStep)
        .Recurrent("gru", 5, RecurrentOutput.EveryStep, form: GruForm.ResetBeforeProduct)
        .Recurrent("rnn", 4, RecurrentOutput.EveryStep, ActivationKind.Relu, bias: false)
        .TimeDistributedDense(2, ActivationKind.Tanh)
        .Recurrent("rnn", 3, activation: ActivationKind.Sigmoid)
        .Dense(2, ActivationKind.Softmax)
        .Build(seed: 3);

    [Fact]
    public void A_stack_of_recurrent_layers_round_trips_and_predicts_the_same()
    {
        Sequential<float> network = Stacked();
        var x = new NDArray<float>(7, Shape.Size);
        var random = new NeuralSharp.Randomness.SeededRandom(2);
        for (int i = 0; i < x.Length; i++)
        {
            x[i] = (float)((random.NextDouble() * 2) - 1);
        }

        var model = new Model<float>(network, TaskKind.MultiClassClassification, [.. Enumerable.Range(0, Shape.Size).Select(i => $"v{i}")], ["a", "b"]);
        Model<float> back = ModelFile.Deserialize<float>(ModelFile.Serialize(model), "seq.nsmodel");
        Assert.Equal(network.Layers.Select(l => l.ToString() ?? ""), back.Network.Layers.Select(l => l.ToString() ?? ""));
        Assert.Equal(network.Parameters.Select(p => p.Name), back.Network.Parameters.Select(p => p.Name));
        Assert.Equal(network.Predict(x).ToArray(), back.Network.Predict(x).ToArray());
        Assert.Equal(ModelFile.Serialize(model), ModelFile.Serialize(back));
        var rnn = (SimpleRnn<float>)back.Network.Layers.OfType<SimpleRnn<float>>().First();
        Assert.False(rnn.HasBias);
        Assert.Equal(ActivationKind.Relu, rnn.Activation.Kind);
        Assert.Equal(RecurrentOutput.EveryStep, rnn.Output);
        Assert.Equal(GruForm.ResetBeforeProduct, back.Network.Layers.OfType<Gru<float>>().Single().Form);
    }

    [Fact]
    public void The_summary_shows_sequences_as_batch_time_width()
    {
        IReadOnlyList<NetworkSummary.Row> rows = Stacked().Rows();
        Assert.Equal("[batch, 6, 8]", rows[0].OutputShape);
        Assert.Equal("Lstm 8", rows[0].Kind);
        Assert.Equal("[batch, 6, 2]", rows.Single(r => r.Kind.EndsWith("per step", StringComparison.Ordinal)).OutputShape);
        Assert.Equal("[batch, 3]", rows.Single(r => r.Kind == "SimpleRnn 3 sigmoid").OutputShape);
        // LSTM: (F + H + 2)·4H = (3 + 8 + 2)·32
        Assert.Equal(13 * 32, rows[0].Parameters);
    }

    [Theory]
    [InlineData("\"outputs\":8,", "\"outputs\":65536,")]
    [InlineData("\"input\":[6,3],", "\"input\":[1000000,1],")]
    [InlineData("\"activation\":\"relu\",", "\"activation\":\"softmax\",")]
    [InlineData("\"input\":[6,3],", "\"input\":[\"6\",3],")]
    public void A_recurrent_layer_claiming_the_impossible_is_refused_by_name(string from, string to)
    {
        byte[] file = ModelFile.Serialize(new Model<float>(Stacked(), TaskKind.MultiClassClassification, [.. Enumerable.Range(0, Shape.Size).Select(i => $"v{i}")], ["a", "b"]));
        string header = TestSupport.ModelBytes.Header(file);
        string edited = header.Replace(from, to, StringComparison.Ordinal);
        Assert.NotEqual(header, edited);
        long before = GC.GetAllocatedBytesForCurrentThread();
        var error = Assert.Throws<DataFormatException>(() => ModelFile.Deserialize<float>(TestSupport.ModelBytes.Resign(file, edited), "seq.nsmodel"));
        Assert.True(GC.GetAllocatedBytesForCurrentThread() - before < (16 << 20));
        Assert.Contains("seq.nsmodel", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Safetensors_carry_the_recurrent_layers_under_pytorchs_names_and_read_back_the_same_model()
    {
        Sequential<float> network = new NetworkBuilder<float>(Shape)
            .Recurrent("lstm", 8, RecurrentOutput.EveryStep).Recurrent("gru", 5, RecurrentOutput.EveryStep)
            .Recurrent("rnn", 4, RecurrentOutput.EveryStep, ActivationKind.Relu, bias: false).TimeDistributedDense(2, ActivationKind.Tanh)
            .Recurrent("rnn", 3).Dense(2, ActivationKind.Softmax).Build(seed: 3);
        var model = new Model<float>(network, TaskKind.MultiClassClassification, [.. Enumerable.Range(0, Shape.Size).Select(i => $"v{i}")], ["a", "b"]);
        byte[] file = SafeTensorsFile.Serialize(model);
        string header = System.Text.Encoding.UTF8.GetString(file, 8, (int)System.Buffers.Binary.BinaryPrimitives.ReadUInt64LittleEndian(file));
        // PyTorch's nn.LSTM keeps weight_ih_l0 as [4H, F] in its own gate order, the library's W_x transposed
        Assert.Contains("\"0.rnn.weight_ih_l0\":{\"dtype\":\"F32\",\"shape\":[32,3]", header, StringComparison.Ordinal);
        Assert.Contains("\"3.linear.weight\"", header, StringComparison.Ordinal);
        Assert.DoesNotContain("2.rnn.bias_ih_l0", header, StringComparison.Ordinal);
        Model<float> back = SafeTensorsFile.Deserialize<float>(file, "seq.safetensors");
        var x = new NDArray<float>(3, Shape.Size);
        x.AsSpan().Fill(0.3f);
        Assert.Equal(network.Predict(x).ToArray(), back.Network.Predict(x).ToArray());
        Assert.Equal(file, SafeTensorsFile.Serialize(back));
        string script = PyTorchScript.For(model, "seq.safetensors");
        Assert.Contains("Recurrent(nn.LSTM(3, 8, batch_first=True), 6, 3, True)", script, StringComparison.Ordinal);
        Assert.Contains("Recurrent(nn.RNN(5, 4, batch_first=True, bias=False, nonlinearity=\"relu\"), 6, 5, True)", script, StringComparison.Ordinal);
        Assert.Contains("Steps(nn.Linear(4, 2), 6)", script, StringComparison.Ordinal);
    }

    [Fact]
    public void Safetensors_refuse_by_name_both_directions_of_a_layer_pytorch_has_no_module_for()
    {
        // the course's GRU and a sigmoid RNN have the twin's own Cell; both directions of them are no PyTorch module
        Sequential<float> network = new NetworkBuilder<float>(Shape).Recurrent("gru", 3, form: GruForm.ResetBeforeProduct, bidirectional: true).Dense(1, null).Build(seed: 1);
        var model = new Model<float>(network, TaskKind.Regression, [.. Enumerable.Range(0, Shape.Size).Select(i => $"v{i}")], null);
        var error = Assert.Throws<NotSupportedException>(() => SafeTensorsFile.Serialize(model));
        Assert.Contains(network.Layers[0].Name, error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("`1", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void An_embedding_turns_ids_into_a_sequence_round_trips_and_refuses_an_id_out_of_range_by_place()
    {
        Sequential<float> network = new NetworkBuilder<float>(inputs: 5).Embedding(vocabulary: 10, dimension: 4)
            .Recurrent("gru", 6).Dense(3, ActivationKind.Softmax).Build(seed: 2);
        Assert.Equal("[batch, 5, 4]", network.Rows()[0].OutputShape);
        var ids = new NDArray<float>(new Shape(2, 5), [1, 2, 3, 2, 9, 0, 0, 7, 4, 1]);
        var model = new Model<float>(network, TaskKind.MultiClassClassification, [.. Enumerable.Range(0, 5).Select(i => $"w{i}")], ["a", "b", "c"]);
        Model<float> back = ModelFile.Deserialize<float>(ModelFile.Serialize(model), "ids.nsmodel");
        Assert.Equal(network.Predict(ids).ToArray(), back.Network.Predict(ids).ToArray());
        ids[7] = 10;
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => network.Predict(ids));
        Assert.Contains("row 2, step 3 holds 10", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_bidirectional_layer_from_the_grammar_round_trips_and_shows_both_directions()
    {
        var builder = new NetworkBuilder<float>(Shape);
        LayerGrammar.Apply(builder, "bilstm:4,bigru:3", ActivationKind.Relu, batchNorm: false, dropout: null);
        Sequential<float> network = builder.Dense(2, ActivationKind.Softmax).Build(seed: 4);
        Assert.Equal(["Bidirectional`1", "Bidirectional`1", "Dense`1", "ActivationLayer`1"], network.Layers.Select(l => l.GetType().Name));
        IReadOnlyList<NetworkSummary.Row> rows = network.Rows();
        Assert.Equal("[batch, 6, 8]", rows[0].OutputShape);
        Assert.Equal("[batch, 6]", rows[1].OutputShape);
        Assert.Equal("Bidirectional Lstm 4×2", rows[0].Kind);
        Assert.Equal(2 * (3 + 4 + 2) * 16, rows[0].Parameters);
        var model = new Model<float>(network, TaskKind.MultiClassClassification, [.. Enumerable.Range(0, Shape.Size).Select(i => $"v{i}")], ["a", "b"]);
        Model<float> back = ModelFile.Deserialize<float>(ModelFile.Serialize(model), "bi.nsmodel");
        var x = new NDArray<float>(3, Shape.Size);
        for (int i = 0; i < x.Length; i++)
        {
            x[i] = (float)Math.Sin(i);
        }

        Assert.Equal(network.Predict(x).ToArray(), back.Network.Predict(x).ToArray());
        Assert.Equal(ModelFile.Serialize(model), ModelFile.Serialize(back));
        Assert.Contains("bilstm1.backward.Wh", network.Parameters.Select(p => p.Name));
        // PyTorch's nn.LSTM(bidirectional=True) in the twin, the backward direction under its _reverse names
        Assert.Equal(ModelFile.Serialize(model), ModelFile.Serialize(SafeTensorsFile.Deserialize<float>(SafeTensorsFile.Serialize(model), "bi.safetensors")));
        Assert.Contains("Recurrent(nn.LSTM(3, 4, batch_first=True, bidirectional=True), 6, 3, True)", PyTorchScript.For(model, "bi.safetensors"), StringComparison.Ordinal);
    }
}
