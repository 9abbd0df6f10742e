using NeuralSharp.Activations;
using NeuralSharp.Data;
using NeuralSharp.Layers;
using NeuralSharp.Serialization;
using NeuralSharp.Serialization.Onnx;
using NeuralSharp.Tests.Cli;
using NeuralSharp.Tests.Serialization;

namespace NeuralSharp.Tests.Activations;

/// <summary>The registry: every activation described once, and every one through every surface — GELU and SiLU added that way.</summary>
public sealed class ActivationRegistryTests
{
    public static TheoryData<ActivationKind> Elementwise() => [.. Activation.Registry.Where(a => a.Elementwise).Select(a => a.Kind)];

    [Fact]
    public void The_registry_holds_every_kind_once_in_order_and_each_name_parses_back()
    {
        Assert.Equal(Enum.GetValues<ActivationKind>(), Activation.Registry.Select(a => a.Kind));
        Assert.All(Activation.Registry, a =>
        {
            Assert.Equal(a.Kind, Activation.Parse(a.Name));
            Assert.Equal(a.Kind, Activation.Create<float>(a.Kind).Kind);
            Assert.Equal(a.Kind, Activation.Create<double>(a.Kind).Kind);
        });
        Assert.Equal(ActivationKind.Silu, Activation.Parse("swish"));
    }

    [Theory]
    [InlineData(-3.0, -0.00404969409489031, -0.0036373920817729943, -0.14227761953270035)]
    [InlineData(-0.5, -0.15426876936299344, -0.15428599017485606, -0.1887703343990727)]
    [InlineData(1.0, 0.8413447460685429, 0.8411919906082768, 0.7310585786300049)]
    [InlineData(2.5, 2.4844758366855597, 2.484915733910001, 2.3103545499468914)]
    public void Gelu_and_silu_give_pythons_math_values(double u, double gelu, double geluTanh, double silu)
    {
        // the values of math.erf, math.tanh and math.exp (Python 3.11)
        Assert.Equal(gelu, Value(ActivationKind.Gelu, u), 1e-15);
        Assert.Equal(geluTanh, Value(ActivationKind.GeluTanh, u), 1e-15);
        Assert.Equal(silu, Value(ActivationKind.Silu, u), 1e-15);
    }

    [Theory]
    [InlineData(0.1, 0.1124629160182849)]
    [InlineData(0.5, 0.5204998778130465)]
    [InlineData(2.0, 0.9953222650189527)]
    [InlineData(3.0, 0.9999779095030014)]
    [InlineData(5.5, 0.9999999999999927)]
    public void Erf_is_within_a_few_units_in_the_last_place_of_pythons(double x, double expected)
    {
        // math.erf's values; the series sums a hundred terms at x = 5.5, each rounded: 4 ulp (4.4e-16 near 1)
        Assert.Equal(expected, Erf.Of(x), 4.5e-16);
        Assert.Equal(-expected, Erf.Of(-x), 4.5e-16);
    }

    [Theory]
    [MemberData(nameof(Elementwise))]
    public void Every_activation_exports_to_onnx_runtime_and_imports_back(ActivationKind hidden)
    {
        (Model<float> model, Dataset rows) = OnnxExportTests.Build(hidden, ActivationKind.Softmax, TaskKind.MultiClassClassification, standardized: true, seed: 3);
        byte[] onnx = OnnxFile.Serialize(model);
        float[] expected = [.. model.Predict(rows).ToArray().Select(v => (float)v)];
        float[] actual = OnnxExportTests.RunInOnnxRuntime(onnx, rows, out _);
        double largest = expected.Zip(actual, (e, a) => Math.Abs(e - a)).Max();
        Assert.True(largest <= 1e-5, $"{hidden}: ONNX Runtime differs by {largest:G3}");
        Model<float> imported = OnnxFile.Deserialize<float>(onnx, "exported.onnx");
        Assert.Equal(model.Network.Layers.OfType<ActivationLayer<float>>().Select(a => a.Activation.Kind), imported.Network.Layers.OfType<ActivationLayer<float>>().Select(a => a.Activation.Kind));
        Assert.Equal(model.Predict(rows).ToArray(), imported.Predict(rows).ToArray());
    }

    [Theory]
    [MemberData(nameof(Elementwise))]
    public void Every_activation_names_its_pytorch_module_and_survives_safetensors(ActivationKind hidden)
    {
        Model<float> model = OnnxExportTests.Build(hidden, ActivationKind.Softmax, TaskKind.MultiClassClassification, standardized: false, seed: 4).Model;
        string script = PyTorchScript.For(model, "m.safetensors");
        // the module's text up to its parameter (leaky ReLU's α is written as float32 holds it)
        string module = Activation.Info(hidden).PyTorchModule.Split("{0}")[0];
        Assert.Contains($"        {module}", script, StringComparison.Ordinal);
        Model<float> back = SafeTensorsFile.Deserialize<float>(SafeTensorsFile.Serialize(model), "m.safetensors");
        Assert.Equal(hidden, back.Network.Layers.OfType<ActivationLayer<float>>().First().Activation.Kind);
    }

    [Theory]
    [MemberData(nameof(Elementwise))]
    public void Every_activation_trains_from_the_command_line(ActivationKind hidden)
    {
        (int code, string output) = CliRunner.Run("train", "--data", "iris", "--layers", "8", "--activation", Activation.NameOf(hidden), "--epochs", "2", "--json");
        Assert.True(code == 0, output);
        Assert.Contains("\"test_accuracy\":", output, StringComparison.Ordinal);
    }

    [Fact]
    public void The_onnx_file_of_a_gelu_network_names_opset_20_and_others_stay_at_17()
    {
        Model<float> gelu = OnnxExportTests.Build(ActivationKind.Gelu, ActivationKind.Identity, TaskKind.Regression, standardized: false, seed: 1).Model;
        Model<float> relu = OnnxExportTests.Build(ActivationKind.Relu, ActivationKind.Identity, TaskKind.Regression, standardized: false, seed: 1).Model;
        Assert.Equal(OnnxFile.GeluOpset, NeuralSharp.Serialization.Onnx.Ir.ModelProto.Parser.ParseFrom(OnnxFile.Serialize(gelu)).OpsetImport[0].Version);
        Assert.Equal(OnnxFile.Opset, NeuralSharp.Serialization.Onnx.Ir.ModelProto.Parser.ParseFrom(OnnxFile.Serialize(relu)).OpsetImport[0].Version);
    }

    private static double Value(ActivationKind kind, double u)
    {
        var z = new double[1];
        Activation.Create<double>(kind).Forward([u], z, 1);
        return z[0];
    }
}
