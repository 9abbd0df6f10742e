using System.Buffers.Binary;
using System.Text;
using System.Text.Json;
using NeuralSharp.Activations;
using NeuralSharp.Data;
using NeuralSharp.Layers;
using NeuralSharp.Serialization;

namespace NeuralSharp.Tests.Serialization;

/// <summary>safetensors: PyTorch's names and layout, a bit-identical round trip, and a header validated before use.</summary>
public sealed class SafeTensorsFileTests
{
    private static Model<float> Model() => OnnxExportTests.Build(ActivationKind.LeakyRelu, ActivationKind.Softmax, TaskKind.MultiClassClassification, standardized: true, seed: 8).Model;

    [Fact]
    public void Tensors_are_named_and_laid_out_as_the_state_dict_of_the_equivalent_sequential()
    {
        Model<float> model = Model();
        byte[] file = SafeTensorsFile.Serialize(model);
        (JsonElement header, int start) = Header(file);
        Assert.Equal(["0.weight", "0.bias", "2.weight", "2.bias", "4.weight", "4.bias", "__metadata__"], header.EnumerateObject().Select(p => p.Name));
        Assert.Equal(0, (start - 8) % 8); // the header is padded so that the data is aligned
        JsonElement w = header.GetProperty("2.weight");
        Assert.Equal("F32", w.GetProperty("dtype").GetString());
        Assert.Equal([5, 6], w.GetProperty("shape").EnumerateArray().Select(d => d.GetInt32()));
        // element [j, i] of the [out, in] tensor is W[i, j]
        var dense = (Dense<float>)model.Network.Layers[2];
        int begin = w.GetProperty("data_offsets")[0].GetInt32();
        float stored = BitConverter.ToSingle(file, start + begin + (((3 * 6) + 4) * 4));
        Assert.Equal(dense.Weights.Value[4, 3], stored);
        Assert.Equal("pt", header.GetProperty("__metadata__").GetProperty("format").GetString());
    }

    [Fact]
    public void NeuralSharp_to_safetensors_to_NeuralSharp_is_bit_identical()
    {
        Model<float> model = Model();
        byte[] file = SafeTensorsFile.Serialize(model);
        Model<float> back = SafeTensorsFile.Deserialize<float>(file, "m.safetensors");
        Assert.Equal(ModelFile.Serialize(model), ModelFile.Serialize(back));
        Assert.Equal(file, SafeTensorsFile.Serialize(back));

        var regression = new Model<double>(NetworkBuilder<double>.FromSizes([2, 3, 1], ActivationKind.Step, ActivationKind.Identity, seed: 2), TaskKind.Regression,
            ["p", "q"], null, "y", new Standardizer([0.1, 1e-300], [3, 7]), new Standardizer([1.0 / 3], [2.5]));
        Assert.Equal(ModelFile.Serialize(regression), ModelFile.Serialize(SafeTensorsFile.Deserialize<double>(SafeTensorsFile.Serialize(regression), "r.safetensors")));
    }

    [Fact]
    public void The_PyTorch_script_defines_the_sequential_and_its_standardizer()
    {
        string script = PyTorchScript.For(Model(), "m.safetensors");
        Assert.Contains("nn.Linear(4, 6),  # 0:", script, StringComparison.Ordinal);
        Assert.Contains("nn.LeakyReLU(0.009999999776482582),  # 1:", script, StringComparison.Ordinal);
        Assert.Contains("nn.Softmax(dim=1),  # 5:", script, StringComparison.Ordinal);
        Assert.Contains("CLASSES = [\"setosa\", \"versicolor\", \"virginica\"]", script, StringComparison.Ordinal);
        Assert.Contains("WEIGHTS = \"m.safetensors\"", script, StringComparison.Ordinal);
        Assert.DoesNotContain("\r", script, StringComparison.Ordinal);
    }

    public static TheoryData<string, string> Malformed()
    {
        byte[] good = SafeTensorsFile.Serialize(Model());
        (JsonElement header, int start) = Header(good);
        string json = header.GetRawText();
        byte[] With(string text, byte[]? data = null)
        {
            byte[] bytes = Encoding.UTF8.GetBytes(text);
            byte[] rest = data ?? good[start..];
            var file = new byte[8 + bytes.Length + rest.Length];
            BinaryPrimitives.WriteUInt64LittleEndian(file, (ulong)bytes.Length);
            bytes.CopyTo(file, 8);
            rest.CopyTo(file, 8 + bytes.Length);
            return file;
        }

        string firstOffsets = header.GetProperty("0.weight").GetProperty("data_offsets").GetRawText();
        var cases = new TheoryData<string, string>
        {
            { B64([1, 2, 3]), "too short" },
            { B64([.. BitConverter.GetBytes(1UL << 40), .. good[8..]]), "claims a header of" },
            { B64([.. BitConverter.GetBytes(200_000_000UL), .. new byte[64]]), "claims a header of" },
            { B64(With("{\"0.weight\": ")), "not valid JSON" },
            { B64(With("[1, 2]")), "not a JSON object" },
            { B64(With(json.Replace("\"F32\"", "\"BF16\"", StringComparison.Ordinal))), "dtype BF16" },
            { B64(With(json.Replace(firstOffsets, "[0, 99999999]", StringComparison.Ordinal))), "within the" },
            // strings and nulls where numbers belong: the file's fault, named, never the JSON reader's error
            { B64(With(json.Replace(firstOffsets, "[\"0\", 96]", StringComparison.Ordinal))), "field data_offsets" },
            { B64(With(json.Replace(firstOffsets, "[0, null]", StringComparison.Ordinal))), "field data_offsets" },
            { B64(With(json.Replace("\"shape\":[6,4]", "\"shape\":[\"6\",4]", StringComparison.Ordinal))), "field shape" },
            { B64(With(json.Replace("\"shape\":[6,4]", "\"shape\":[null,4]", StringComparison.Ordinal))), "field shape" },
            { B64(With(json.Replace("\"shape\":[6,4]", "\"shape\":[6.5,4]", StringComparison.Ordinal))), "field shape" },
            { B64(With(json.Replace(firstOffsets, "[0, 4]", StringComparison.Ordinal))), "over 4 bytes" },
            { B64(With(json.Replace("\"shape\":[6,4]", "\"shape\":[1000000000000,4]", StringComparison.Ordinal))), "dimension" },
            { B64(With(json.Replace("\"shape\":[6,4]", "\"shape\":[60000,40000]", StringComparison.Ordinal))), "more than the" },
            { B64(With(json.Replace("\"shape\":[6,4]", "\"shape\":[-6,4]", StringComparison.Ordinal))), "dimension" },
            { B64(With(json, [.. good[start..], 0, 0, 0, 0])), "after its last tensor" },
            { B64(With(json.Replace("\"neuralsharp.model\"", "\"other\"", StringComparison.Ordinal))), "no 'neuralsharp.model' metadata" },
            { B64(With(json.Replace("\"format\":\"pt\"", "\"format\":7", StringComparison.Ordinal))), "not a string" },
            { B64(With(json.Replace("\"0.weight\"", "\"0.wait\"", StringComparison.Ordinal))), "no tensor '0.weight'" },
            { B64(With(json.Replace("{\"dtype\":\"F32\",\"shape\":[6],", "{\"shape\":[6],", StringComparison.Ordinal))), "without a dtype" },
        };
        // two tensors over the same bytes: swap the second's offsets for the first's
        string secondOffsets = header.GetProperty("0.bias").GetProperty("data_offsets").GetRawText();
        cases.Add(B64(With(json.Replace("\"shape\":[6],\"data_offsets\":" + secondOffsets, "\"shape\":[6],\"data_offsets\":[0,24]", StringComparison.Ordinal))), "overlapping");
        return cases;
    }

    [Theory]
    [MemberData(nameof(Malformed))]
    public void A_malformed_file_is_refused_with_one_clear_message(string file, string expected)
    {
        DataFormatException error = Assert.Throws<DataFormatException>(() => SafeTensorsFile.Deserialize<float>(Convert.FromBase64String(file), "bad.safetensors"));
        Assert.StartsWith("bad.safetensors ", error.Message, StringComparison.Ordinal);
        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
        Assert.True(error.Message.Length < 400, error.Message);
    }

    private static string B64(byte[] bytes) => Convert.ToBase64String(bytes);

    private static (JsonElement Header, int Start) Header(byte[] file)
    {
        int length = (int)BinaryPrimitives.ReadUInt64LittleEndian(file);
        return (JsonDocument.Parse(file.AsMemory(8, length)).RootElement.Clone(), 8 + length);
    }
}
