using Google.Protobuf;
using NeuralSharp.Activations;
using NeuralSharp.Data;
using NeuralSharp.Layers;
using NeuralSharp.Serialization;
using NeuralSharp.Serialization.Onnx;
using NeuralSharp.Serialization.Onnx.Ir;

namespace NeuralSharp.Tests.Serialization;

/// <summary>Convolutional networks read back from ONNX: NeuralSharp's own export, and the graph torch.onnx.export writes.</summary>
public sealed class OnnxImageReaderTests
{
    private static readonly double[] Image3x3 = [1, 2, 3, 4, 5, 6, 7, 8, 9];

    [Fact]
    public void An_exported_convolutional_network_reads_back_as_the_same_network()
    {
        Sequential<float> network = new NetworkBuilder<float>(new ImageShape(2, 9, 9))
            .Conv2D(5, 3, padding: 1).MaxPool2D(2)
            .Conv2D(3, 2, stride: 2, activation: ActivationKind.Tanh).MaxPool2D(2, stride: 1)
            .Dense(6, ActivationKind.Relu).Dense(4, ActivationKind.Softmax)
            .Build(seed: 11);
        string[] names = [.. Enumerable.Range(0, 162).Select(i => $"p{i}")];
        var model = new Model<float>(network, TaskKind.MultiClassClassification, names, ["a", "b", "c", "d"]);
        var random = new Random(5);
        var rows = new Dataset("images", [.. Enumerable.Range(0, 7 * 162).Select(_ => random.NextDouble())], names, new double[7]);

        Model<float> back = OnnxFile.Deserialize<float>(OnnxFile.Serialize(model), "conv.onnx");

        Assert.Equal([.. network.Layers.Select(l => l.GetType().Name)], [.. back.Network.Layers.Select(l => l.GetType().Name)]);
        Assert.Equal(model.Predict(rows).ToArray(), back.Predict(rows).ToArray());
        Assert.Equal(names, back.FeatureNames);
        Assert.Equal(["a", "b", "c", "d"], back.ClassNames!);
    }

    [Fact]
    public void A_pytorch_style_graph_on_image_input_computes_what_the_formula_gives()
    {
        // [N, 1, 3, 3] in, as torch.onnx.export writes it; a 2×2 filter [[1, 2], [3, 4]] + 0.5, no padding, stride 1:
        // u[0,0] = 1·1 + 2·2 + 4·3 + 5·4 + 0.5 = 37.5, then 47.5, 67.5, 77.5; Flatten; Gemm with Wᵀ = I (transB = 1)
        var graph = new GraphProto
        {
            Input = { Images("x", 1, 3, 3) },
            Output = { Rows("y", 4) },
            Initializer = { Floats("W", [1, 1, 2, 2], 1, 2, 3, 4), Floats("B", [1], 0.5f), Floats("fc.weight", [4, 4], 1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1), Floats("fc.bias", [4], 0, 0, 0, 0) },
            Node =
            {
                new NodeProto { OpType = "Conv", Name = "conv", Input = { "x", "W", "B" }, Output = { "u" }, Attribute = { Ints("kernel_shape", 2, 2), Ints("pads", 0, 0, 0, 0), Ints("strides", 1, 1), Ints("dilations", 1, 1), Int("group", 1) } },
                new NodeProto { OpType = "Flatten", Name = "flatten", Input = { "u" }, Output = { "rows" }, Attribute = { Int("axis", 1) } },
                new NodeProto { OpType = "Gemm", Name = "fc", Input = { "rows", "fc.weight", "fc.bias" }, Output = { "y" }, Attribute = { Int("transB", 1) } },
            },
        };
        Model<double> model = Import<double>(graph);
        Assert.Equal([37.5, 47.5, 67.5, 77.5], model.Predict(new Dataset("one", Image3x3, [.. Enumerable.Range(1, 9).Select(i => $"x{i}")], [0])).ToArray());
        Assert.IsType<Conv2D<double>>(model.Network.Layers[0]);
    }

    [Fact]
    public void MaxPool_takes_onnx_strides_which_default_to_one()
    {
        // the 2×2 conv's 2×2 output, pooled by a 2×2 window with ONNX's default stride 1: one value, the largest
        var graph = new GraphProto
        {
            Input = { Images("x", 1, 3, 3) },
            Output = { Rows("y", 1) },
            Initializer = { Floats("W", [1, 1, 2, 2], 1, 2, 3, 4), Floats("fc.weight", [1, 1], 2) },
            Node =
            {
                new NodeProto { OpType = "Conv", Name = "conv", Input = { "x", "W" }, Output = { "u" } },
                new NodeProto { OpType = "Relu", Name = "relu", Input = { "u" }, Output = { "z" } },
                new NodeProto { OpType = "MaxPool", Name = "pool", Input = { "z" }, Output = { "p" }, Attribute = { Ints("kernel_shape", 2, 2) } },
                new NodeProto { OpType = "Flatten", Name = "flatten", Input = { "p" }, Output = { "rows" } },
                new NodeProto { OpType = "MatMul", Name = "fc", Input = { "rows", "fc.weight" }, Output = { "y" } },
            },
        };
        Model<double> model = Import<double>(graph);
        // u = 37, 47, 67, 77 (no bias); the pool keeps 77; y = 2 · 77
        Assert.Equal([154.0], model.Predict(new Dataset("one", Image3x3, [.. Enumerable.Range(1, 9).Select(i => $"x{i}")], [0])).ToArray());
    }

    public static TheoryData<string, string> Refused() => new()
    {
        { "group", "a grouped Conv" },
        { "dilations", "a dilated Conv" },
        { "pads", "the same padding on every side" },
        { "auto_pad", "auto_pad SAME_UPPER" },
        { "pool-pads", "a MaxPool with padding" },
        { "ceil_mode", "ceil_mode" },
        { "no-flatten", "a dense layer on images: a Flatten comes first" },
        { "filters", "a Conv whose filters are [1, 2, 2, 2] for images of 1 channels" },
    };

    [Theory]
    [MemberData(nameof(Refused))]
    public void What_the_import_cannot_run_is_one_message_naming_the_node(string change, string expected)
    {
        var conv = new NodeProto { OpType = "Conv", Name = "conv", Input = { "x", "W" }, Output = { "u" } };
        var pool = new NodeProto { OpType = "MaxPool", Name = "pool", Input = { "u" }, Output = { "p" }, Attribute = { Ints("kernel_shape", 2, 2) } };
        var flatten = new NodeProto { OpType = "Flatten", Name = "flatten", Input = { "p" }, Output = { "rows" } };
        var fc = new NodeProto { OpType = "MatMul", Name = "fc", Input = { "rows", "fc.weight" }, Output = { "y" } };
        TensorProto filters = Floats("W", [1, 1, 2, 2], 1, 2, 3, 4);
        switch (change)
        {
            case "group": conv.Attribute.Add(Int("group", 2)); break;
            case "dilations": conv.Attribute.Add(Ints("dilations", 2, 2)); break;
            case "pads": conv.Attribute.Add(Ints("pads", 1, 0, 1, 0)); break;
            case "auto_pad": conv.Attribute.Add(new AttributeProto { Name = "auto_pad", Type = AttributeProto.Types.AttributeType.String, S = ByteString.CopyFromUtf8("SAME_UPPER") }); break;
            case "pool-pads": pool.Attribute.Add(Ints("pads", 1, 1, 1, 1)); break;
            case "ceil_mode": pool.Attribute.Add(Int("ceil_mode", 1)); break;
            case "no-flatten": fc.Input[0] = "p"; flatten = new NodeProto { OpType = "Identity", Name = "same", Input = { "y" }, Output = { "out" } }; break;
            case "filters": filters = Floats("W", [1, 2, 2, 2], 1, 2, 3, 4, 5, 6, 7, 8); break;
        }

        var graph = new GraphProto
        {
            Input = { Images("x", 1, 3, 3) },
            Output = { Rows(change == "no-flatten" ? "out" : "y", 1) },
            Initializer = { filters, Floats("fc.weight", [1, 1], 2) },
            Node = { conv, pool, flatten, fc },
        };
        var error = Assert.Throws<DataFormatException>(() => Import<double>(graph));
        Assert.StartsWith("made.onnx has node '", error.Message, StringComparison.Ordinal);
        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("per channel")]
    [InlineData("per value")]
    [InlineData("rows")]
    public void Batch_normalisation_reads_back_as_it_was_written(string form)
    {
        // per channel (BatchNormalization on [batch, C, H, W]), per value of images (the Sub, Mul, Add that models from
        // before per-channel normalisation export), and per feature of rows (BatchNormalization on [batch, F])
        var image = new ImageShape(1, 6, 6);
        var conv = new Conv2D<float>(image, 2, 3, 3, name: "conv");
        new NeuralSharp.Init.Normal(0.5).Fill(conv.Weights.Value.AsSpan(), 9, 2, new NeuralSharp.Randomness.SeededRandom(3));
        BatchNorm<float> norm = form switch
        {
            "per channel" => new BatchNorm<float>(conv.Output, momentum: 0.8, epsilon: 1e-3, name: "bn"),
            "per value" => new BatchNorm<float>(conv.Output.Size, name: "bn"),
            _ => new BatchNorm<float>(5, momentum: 0.7, name: "bn"),
        };
        var dense = new Dense<float>(form == "rows" ? 36 : conv.Output.Size, form == "rows" ? 5 : 3, "dense");
        new NeuralSharp.Init.Normal(0.3).Fill(dense.Weights.Value.AsSpan(), dense.Inputs, dense.Outputs, new NeuralSharp.Randomness.SeededRandom(4));
        ILayer<float>[] layers = form == "rows"
            ? [dense, norm, new ActivationLayer<float>(ActivationKind.Tanh), new Dense<float>(5, 3), new ActivationLayer<float>(ActivationKind.Softmax)]
            : [conv, norm, new ActivationLayer<float>(ActivationKind.Relu), new Flatten<float>(conv.Output), dense, new ActivationLayer<float>(ActivationKind.Softmax)];
        var network = new Sequential<float>(layers);
        var random = new NeuralSharp.Randomness.SeededRandom(5);
        var x = new NDArray<float>(30, 36);
        for (int i = 0; i < x.Length; i++)
        {
            x[i] = (float)((random.NextDouble() * 3) - 1);
        }

        network.Forward(x); // running statistics away from 0 and 1
        for (int c = 0; c < norm.Channels; c++)
        {
            (norm.Gamma.Value[c], norm.Beta.Value[c]) = (0.5f + (0.1f * c), 0.2f - (0.05f * c));
        }

        var model = new Model<float>(network, TaskKind.MultiClassClassification, [.. Enumerable.Range(0, 36).Select(i => $"p{i}")], ["a", "b", "c"]);
        byte[] onnx = OnnxFile.Serialize(model);
        string[] ops = [.. ModelProto.Parser.ParseFrom(onnx).Graph.Node.Select(n => n.OpType)];
        Assert.Equal(form != "per value", ops.Contains("BatchNormalization"));
        Model<float> read = OnnxFile.Deserialize<float>(onnx, "bn.onnx");

        BatchNorm<float> back = read.Network.Layers.OfType<BatchNorm<float>>().Single();
        Assert.Equal((norm.Channels, norm.Features, norm.Image), (back.Channels, back.Features, back.Image));
        var rows = new Dataset("rows", [.. x.ToArray().Select(v => (double)v)], model.FeatureNames, new double[30]);
        double[] expected = model.Predict(rows).ToArray(), actual = read.Predict(rows).ToArray();
        double largest = expected.Zip(actual, (e, a) => Math.Abs(e - a)).Max();
        // BatchNormalization carries γ, β, μ and σ² as they are; the per-value form carries γ/√(σ² + ε), read back as γ
        Assert.True(largest <= (form == "per value" ? 1e-6 : 0), $"{form}: the model read back differs by {largest:G3}");
        Assert.True(OnnxExportTests.RunInOnnxRuntime(onnx, rows, out _).Zip(expected, (o, e) => Math.Abs(o - e)).Max() <= 1e-5);
    }

    [Fact]
    public void A_batch_normalisation_in_training_mode_is_refused_by_name()
    {
        var graph = new GraphProto
        {
            Input = { Rows("x", 2) },
            Output = { Rows("y", 2) },
            Initializer = { Floats("s", [2], 1, 1), Floats("b", [2], 0, 0), Floats("m", [2], 0, 0), Floats("v", [2], 1, 1), Floats("W", [2, 2], 1, 0, 0, 1) },
            Node =
            {
                new NodeProto { OpType = "MatMul", Name = "fc", Input = { "x", "W" }, Output = { "u" } },
                new NodeProto { OpType = "BatchNormalization", Name = "bn", Input = { "u", "s", "b", "m", "v" }, Output = { "y" }, Attribute = { Int("training_mode", 1) } },
            },
        };
        var error = Assert.Throws<DataFormatException>(() => Import<float>(graph));
        Assert.Contains("node 'bn'", error.Message, StringComparison.Ordinal);
        Assert.Contains("training mode", error.Message, StringComparison.Ordinal);
    }

    private static Model<T> Import<T>(GraphProto graph)
        where T : unmanaged, System.Numerics.IFloatingPointIeee754<T> =>
        OnnxFile.Deserialize<T>(new ModelProto { IrVersion = 7, Graph = graph, OpsetImport = { new OperatorSetIdProto { Version = 13 } } }.ToByteArray(), "made.onnx");

    private static TensorProto Floats(string name, long[] dims, params float[] values)
    {
        var tensor = new TensorProto { Name = name, DataType = (int)TensorProto.Types.DataType.Float, Dims = { dims } };
        tensor.FloatData.Add(values);
        return tensor;
    }

    private static ValueInfoProto Images(string name, int channels, int height, int width) => Value(name, [-1, channels, height, width]);

    private static ValueInfoProto Rows(string name, int width) => Value(name, [-1, width]);

    private static ValueInfoProto Value(string name, long[] dims)
    {
        var shape = new TensorShapeProto();
        shape.Dim.Add(dims.Select(d => d < 0 ? new TensorShapeProto.Types.Dimension { DimParam = "N" } : new TensorShapeProto.Types.Dimension { DimValue = d }));
        return new ValueInfoProto { Name = name, Type = new TypeProto { TensorType = new TypeProto.Types.Tensor { ElemType = (int)TensorProto.Types.DataType.Float, Shape = shape } } };
    }

    private static AttributeProto Int(string name, long value) => new() { Name = name, Type = AttributeProto.Types.AttributeType.Int, I = value };

    private static AttributeProto Ints(string name, params long[] values)
    {
        var attribute = new AttributeProto { Name = name, Type = AttributeProto.Types.AttributeType.Ints };
        attribute.Ints.Add(values);
        return attribute;
    }
}
