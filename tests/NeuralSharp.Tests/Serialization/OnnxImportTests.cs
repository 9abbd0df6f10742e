using Google.Protobuf;
using NeuralSharp.Activations;
using NeuralSharp.Data;
using NeuralSharp.Serialization;
using NeuralSharp.Serialization.Onnx;
using NeuralSharp.Serialization.Onnx.Ir;

namespace NeuralSharp.Tests.Serialization;

/// <summary>ONNX import: what it takes from other writers, and every malformed file refused with one clear message.</summary>
public sealed class OnnxImportTests
{
    private static (Model<float> Model, Dataset Rows) Source() =>
        OnnxExportTests.Build(ActivationKind.Relu, ActivationKind.Softmax, TaskKind.MultiClassClassification, standardized: false, seed: 3);

    private static ModelProto Proto() => ModelProto.Parser.ParseFrom(OnnxFile.Serialize(Source().Model));

    private static TensorProto Floats(string name, long[] dims, params float[] values)
    {
        var tensor = new TensorProto { Name = name, DataType = (int)TensorProto.Types.DataType.Float, Dims = { dims } };
        tensor.FloatData.Add(values);
        return tensor;
    }

    [Fact]
    public void Gemm_with_transB_alpha_and_beta_and_typed_float_data_is_a_dense_layer()
    {
        // PyTorch's Linear: weight [out, in] with transB = 1; alpha and beta scale W and b
        var graph = new GraphProto
        {
            Input = { Value("x", 2) },
            Output = { Value("y", 3) },
            Initializer = { Floats("W", [3, 2], 1, 2, 3, 4, 5, 6), Floats("C", [3], 1, 1, 1) },
            Node =
            {
                new NodeProto { OpType = "Gemm", Name = "fc", Input = { "x", "W", "C" }, Output = { "u" }, Attribute = { Int("transB", 1), Float("alpha", 2), Float("beta", 0.5f) } },
                new NodeProto { OpType = "Dropout", Input = { "u" }, Output = { "v", "mask" } },
                new NodeProto { OpType = "Identity", Input = { "v" }, Output = { "y" } },
            },
        };
        Model<double> model = Import<double>(graph, opset: 11);
        double[] y = model.Predict(new Dataset("one", [1, -1], ["x1", "x2"], [0])).ToArray();
        // u = 2·(x·Wᵀ) + 0.5: (1·1 − 1·2), (3 − 4), (5 − 6) → −1 each → 2·(−1) + 0.5
        Assert.Equal([-1.5, -1.5, -1.5], y);
        Assert.Equal(TaskKind.Regression, model.Task);
        Assert.Equal(["x1", "x2"], model.FeatureNames);
    }

    [Fact]
    public void MatMul_without_Add_is_a_layer_without_bias_and_with_Add_one_with()
    {
        var graph = new GraphProto
        {
            Input = { Value("x", 2) },
            Output = { Value("p", 2) },
            Initializer = { Floats("A", [2, 2], 1, 0, 0, 1), Floats("B", [2, 2], 1, 1, 1, -1), Floats("c", [1, 2], 10, 20) },
            Node =
            {
                new NodeProto { OpType = "MatMul", Name = "m1", Input = { "x", "A" }, Output = { "h" } },
                new NodeProto { OpType = "LeakyRelu", Name = "leaky", Input = { "h" }, Output = { "z" }, Attribute = { Float("alpha", 0.5f) } },
                new NodeProto { OpType = "MatMul", Name = "m2", Input = { "z", "B" }, Output = { "g" } },
                new NodeProto { OpType = "Add", Name = "bias", Input = { "c", "g" }, Output = { "s" } },
                new NodeProto { OpType = "Flatten", Input = { "s" }, Output = { "p" } },
            },
        };
        Model<double> model = Import<double>(graph, opset: 13);
        double[] y = model.Predict(new Dataset("one", [2, -4], ["x1", "x2"], [0])).ToArray();
        // h = (2, −4) → z = (2, −2) → zB = (0, 4) → + (10, 20)
        Assert.Equal([10.0, 24.0], y);
    }

    [Fact]
    public void Constant_nodes_and_a_float64_graph_are_taken()
    {
        var weights = new TensorProto { DataType = (int)TensorProto.Types.DataType.Double, Dims = { 1, 1 }, DoubleData = { 0.25 } };
        var graph = new GraphProto
        {
            Input = { Value("x", 1, TensorProto.Types.DataType.Double) },
            Output = { Value("y", 1, TensorProto.Types.DataType.Double) },
            Node =
            {
                new NodeProto { OpType = "Constant", Output = { "w" }, Attribute = { new AttributeProto { Name = "value", Type = AttributeProto.Types.AttributeType.Tensor, T = weights } } },
                new NodeProto { OpType = "MatMul", Input = { "x", "w" }, Output = { "u" } },
                new NodeProto { OpType = "Sigmoid", Input = { "u" }, Output = { "y" } },
            },
        };
        Model<double> model = Import<double>(graph, opset: 21);
        Assert.Equal(TaskKind.BinaryClassification, model.Task);
        Assert.Equal(1 / (1 + Math.Exp(-1)), model.Predict(new Dataset("one", [4], ["x1"], [0])).ToArray()[0], 15);
    }

    public static TheoryData<string, string> Malformed()
    {
        var cases = new TheoryData<string, string>();
        void Add(string expected, Action<ModelProto> edit)
        {
            ModelProto proto = Proto();
            edit(proto);
            cases.Add(Convert.ToBase64String(proto.ToByteArray()), expected);
        }

        cases.Add("", "has no graph");
        cases.Add(Convert.ToBase64String("this is not an ONNX file at all"u8.ToArray()), "not an ONNX file or is damaged");
        cases.Add(Convert.ToBase64String([0x3a, 0xff, 0xff, 0xff, 0xff, 0x0f, 1, 2, 3]), "not an ONNX file or is damaged");
        Add("elements", p => p.Graph.Initializer.Add(Floats("huge", [1_000_000, 1_000_000])));
        Add("elements", p => { p.Graph.Initializer[0].Dims.Clear(); p.Graph.Initializer[0].Dims.Add([1_000_000, 1_000_000]); });
        Add("a dimension of -4", p => { p.Graph.Initializer[0].Dims[0] = -4; });
        Add("but holds", p => { p.Graph.Initializer[0].RawData = ByteString.CopyFrom(p.Graph.Initializer[0].RawData.Span[..12]); });
        Add("no node before it produces", p =>
        {
            // a cycle: the first layer reads the output of the last
            p.Graph.Node[0].Input[0] = "output";
        });
        Add("no node before it produces", p => p.Graph.Node[0].Input[1] = "missing.W");
        Add("an operator the import does not take", p => p.Graph.Node[1].OpType = "ConvTranspose");
        Add("takes 5 inputs after a value of 6", p => p.Graph.Initializer[2] = Floats(p.Graph.Initializer[2].Name, [5, 5], new float[25]));
        Add("2 data inputs", p => p.Graph.Input.Add(Value("other", 4)));
        Add("2 outputs", p => p.Graph.Output.Add(Value("other", 3)));
        Add("operator set 5", p => p.OpsetImport[0].Version = 5);
        Add("names no ONNX operator set", p => p.OpsetImport.Clear());
        Add("external file", p => p.Graph.Initializer[0].DataLocation = TensorProto.Types.DataLocation.External);
        Add("as Int64", p => p.Graph.Initializer[0].DataType = (int)TensorProto.Types.DataType.Int64);
        Add("Softmax over axis 0", p => p.Graph.Node[^1].Attribute[0].I = 0);
        Add("transposes its data input", p => p.Graph.Node[0].Attribute.Add(Int("transA", 1)));
        // a misspelled attribute (transb for transB) would have been dropped with its value
        Add("the attribute 'transb', which the import does not read on Gemm", p => p.Graph.Node[0].Attribute.Add(Int("transb", 1)));
        Add("the attribute 'beta_typo'", p => p.Graph.Node[^1].Attribute.Add(Int("beta_typo", 2)));
        Add("reading the same value twice", p => { p.Graph.Node[1].OpType = "Add"; p.Graph.Node[1].Input.Add(p.Graph.Node[1].Input[0]); });
        Add("does not continue the chain", p => p.Graph.Node[2].Input[0] = "input");
        Add("not finite", p => p.Graph.Initializer[1].RawData = ByteString.CopyFrom([.. BitConverter.GetBytes(float.NaN), .. p.Graph.Initializer[1].RawData.Span[4..]]));
        Add("does not end its chain at its output", p => p.Graph.Output[0].Name = "elsewhere");
        Add("rank 5", p => p.Graph.Input[0].Type.TensorType.Shape.Dim.Add([new TensorShapeProto.Types.Dimension { DimValue = 2 }, new TensorShapeProto.Types.Dimension { DimValue = 2 }, new TensorShapeProto.Types.Dimension { DimValue = 2 }]));
        // a [batch, T, F] input is taken (a recurrent network's), but not as an MLP's rows: its first layer expects T·F, not F
        Add("whose weight takes", p => p.Graph.Input[0].Type.TensorType.Shape.Dim.Add(new TensorShapeProto.Types.Dimension { DimValue = 2 }));
        Add("operator domain 'com.microsoft'", p => p.Graph.Node[1].Domain = "com.microsoft");
        Add("neuralsharp.config that is not a JSON object", p => p.MetadataProps.Add(new StringStringEntryProto { Key = "neuralsharp.config", Value = "[1, 2]" }));
        Add("neuralsharp.config that is not a JSON object", p => p.MetadataProps.Add(new StringStringEntryProto { Key = "neuralsharp.config", Value = "{\"epochs\": " }));
        Add("names 2 classes for a network of 3 outputs", p => p.MetadataProps.Single(e => e.Key == "neuralsharp.classes").Value = """["a","b"]""");
        Add("has metadata neuralsharp.windows that is not a window", p => p.MetadataProps.Add(new StringStringEntryProto { Key = "neuralsharp.windows", Value = """{"window": 3, "horizon": 1, "columns": ["a"]}""" }));
        Add("has metadata neuralsharp.windows that is not a window", p => p.MetadataProps.Add(new StringStringEntryProto { Key = "neuralsharp.windows", Value = "[1, 2]" }));
        Add("not a JSON list of names", p => p.MetadataProps.Single(e => e.Key == "neuralsharp.features").Value = "[1,");
        Add("has no dense layer", p =>
        {
            p.Graph.Node.Clear();
            p.Graph.Node.Add(new NodeProto { OpType = "Identity", Input = { "input" }, Output = { "output" } });
        });
        Add("has node 'only' (Relu), an activation before any layer with weights", p =>
        {
            p.Graph.Node.Clear();
            p.Graph.Node.Add(new NodeProto { OpType = "Relu", Name = "only", Input = { "input" }, Output = { "output" } });
        });
        Add("has node 'first_relu' (Sigmoid), an activation before any layer with weights", p =>
        {
            // an activation of the raw input, then the network: the file and the node are named
            p.Graph.Node.Insert(0, new NodeProto { OpType = "Sigmoid", Name = "first_relu", Input = { "input" }, Output = { "squashed" } });
            p.Graph.Node[1].Input[0] = "squashed";
        });
        return cases;
    }

    [Theory]
    [MemberData(nameof(Malformed))]
    public void A_malformed_file_is_refused_with_one_clear_message(string file, string expected)
    {
        DataFormatException error = Assert.Throws<DataFormatException>(() => OnnxFile.Deserialize<float>(Convert.FromBase64String(file), "bad.onnx"));
        Assert.StartsWith("bad.onnx ", error.Message, StringComparison.Ordinal);
        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
        Assert.True(error.Message.Length < 500, error.Message);
    }

    [Fact]
    public void A_file_cut_anywhere_is_refused_or_still_the_same_network()
    {
        (Model<float> source, Dataset rows) = Source();
        byte[] file = OnnxFile.Serialize(source);
        double[] expected = source.Predict(rows).ToArray();
        int refused = 0;
        for (int cut = 0; cut < file.Length; cut += Math.Max(1, file.Length / 300))
        {
            try
            {
                Model<float> model = OnnxFile.Deserialize<float>(file[..cut], "cut.onnx");
                // a cut that loses only trailing metadata leaves a whole network
                Assert.Equal(expected, model.Predict(rows).ToArray());
            }
            catch (DataFormatException error)
            {
                Assert.StartsWith("cut.onnx ", error.Message, StringComparison.Ordinal);
                refused++;
            }
        }

        Assert.True(refused > 250, $"only {refused} cuts were refused");
    }

    [Fact]
    public void A_file_with_flipped_bytes_gives_a_model_or_the_documented_error()
    {
        byte[] file = OnnxFile.Serialize(Source().Model);
        var random = new Random(17);
        int refused = 0;
        for (int trial = 0; trial < 2000; trial++)
        {
            byte[] flipped = [.. file];
            for (int k = 0; k < 1 + (trial % 4); k++)
            {
                flipped[random.Next(flipped.Length)] ^= (byte)(1 << random.Next(8));
            }

            try
            {
                OnnxFile.Deserialize<float>(flipped, "flipped.onnx");
            }
            catch (DataFormatException)
            {
                refused++;
            }
        }

        Assert.InRange(refused, 100, 1999);
    }

    private static Model<T> Import<T>(GraphProto graph, int opset)
        where T : unmanaged, System.Numerics.IFloatingPointIeee754<T>
    {
        var proto = new ModelProto { IrVersion = 7, Graph = graph, OpsetImport = { new OperatorSetIdProto { Version = opset } } };
        return OnnxFile.Deserialize<T>(proto.ToByteArray(), "made.onnx");
    }

    private static ValueInfoProto Value(string name, int width, TensorProto.Types.DataType type = TensorProto.Types.DataType.Float) => new()
    {
        Name = name,
        Type = new TypeProto
        {
            TensorType = new TypeProto.Types.Tensor
            {
                ElemType = (int)type,
                Shape = new TensorShapeProto { Dim = { new TensorShapeProto.Types.Dimension { DimParam = "N" }, new TensorShapeProto.Types.Dimension { DimValue = width } } },
            },
        },
    };

    private static AttributeProto Int(string name, long value) => new() { Name = name, Type = AttributeProto.Types.AttributeType.Int, I = value };

    private static AttributeProto Float(string name, float value) => new() { Name = name, Type = AttributeProto.Types.AttributeType.Float, F = value };
}
