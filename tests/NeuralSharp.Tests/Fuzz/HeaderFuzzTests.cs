using System.Buffers.Binary;
using System.Text;
using System.Text.Json.Nodes;
using CsCheck;
using NeuralSharp.Activations;
using NeuralSharp.Data;
using NeuralSharp.Layers;
using NeuralSharp.Serialization;
using NeuralSharp.Tests.Cli;
using NeuralSharp.Training;

namespace NeuralSharp.Tests.Fuzz;

/// <summary>
/// JSON from outside with values of the wrong kind — a safetensors header whose shapes, offsets and dtypes hold
/// strings, nulls, objects or absurd numbers; a <c>--config</c> file whose options hold values of another type —
/// refused with one message that names the tensor or option and its field, never a JSON reader's or converter's text.
/// </summary>
public sealed class HeaderFuzzTests
{
    /// <summary>Values of every JSON kind, and numbers a careless or hostile writer puts where another kind belongs.</summary>
    private static readonly Gen<JsonNode?> WrongValue = Gen.Int[0, 11].Select(kind => kind switch
    {
        0 => (JsonNode?)null,
        1 => JsonValue.Create("12"),
        2 => JsonValue.Create(""),
        3 => JsonValue.Create(true),
        4 => new JsonObject { ["a"] = 1 },
        5 => new JsonArray(),
        6 => new JsonArray(JsonValue.Create("1"), JsonValue.Create("2")),
        7 => new JsonArray((JsonNode?)null),
        8 => JsonValue.Create(-1),
        9 => JsonValue.Create(1e300),
        10 => JsonValue.Create(0.5),
        _ => new JsonArray(new JsonArray(JsonValue.Create(1))),
    });

    [Fact]
    public void Safetensors_headers_with_values_of_the_wrong_kind_are_refused_by_tensor_and_field()
    {
        var model = new Model<float>(NetworkBuilder<float>.FromSizes([3, 4, 2], ActivationKind.Relu, ActivationKind.Softmax, seed: 1), TaskKind.MultiClassClassification,
            ["a", "b", "c"], ["no", "yes"], "target", new Standardizer([0, 1, 2], [1, 1, 1]));
        byte[] file = SafeTensorsFile.Serialize(model);
        int length = (int)BinaryPrimitives.ReadUInt64LittleEndian(file);
        JsonObject header = JsonNode.Parse(Encoding.UTF8.GetString(file, 8, length))!.AsObject();
        string[] tensors = [.. header.Select(p => p.Key).Where(k => k != "__metadata__")];
        int cases = 0, refused = 0;
        Gen.Select(Gen.Int[0, tensors.Length - 1], Gen.Int[0, 5], WrongValue).Sample(
            sample =>
            {
                (int which, int field, JsonNode? value) = sample;
                string tensor = tensors[which];
                JsonObject edited = JsonNode.Parse(header.ToJsonString())!.AsObject();
                JsonObject entry = edited[tensor]!.AsObject();
                // the field itself, or one element of its list
                switch (field)
                {
                    case 0: entry["dtype"] = value; break;
                    case 1: entry["shape"] = value; break;
                    case 2: entry["data_offsets"] = value; break;
                    case 3: entry["shape"]!.AsArray()[0] = value; break;
                    case 4: entry["data_offsets"]!.AsArray()[1] = value; break;
                    default: entry.Remove(value is null ? "dtype" : "shape"); break;
                }

                cases++;
                try
                {
                    SafeTensorsFile.Deserialize<float>(Resign(file, length, edited.ToJsonString()), "fuzz.safetensors");
                }
                catch (DataFormatException error)
                {
                    refused++;
                    Assert.StartsWith("fuzz.safetensors ", error.Message, StringComparison.Ordinal);
                    Assert.True(error.Message.Contains(tensor, StringComparison.Ordinal) || error.Message.Contains("metadata", StringComparison.Ordinal), error.Message);
                    Assert.True(error.Message.Length < 400, error.Message);
                }
            },
            iter: 1500,
            threads: 1);
        Assert.Equal(1500, cases);
        Assert.InRange(refused, cases - 100, cases); // a wrong kind of value is nearly always refused (0.5 for 1 … may not be)
    }

    /// <summary>Each option of a run by the JSON kinds it takes (a text option takes a number too: "layers": 64).</summary>
    private static readonly Dictionary<string, string> Kinds = new()
    {
        ["data"] = "text", ["target"] = "text", ["labels"] = "text", ["delimiter"] = "text", ["task"] = "text", ["missing"] = "text", ["class-weights"] = "text", ["layers"] = "text",
        ["activation"] = "text", ["output"] = "text", ["loss"] = "text", ["optimizer"] = "text", ["batch"] = "text", ["init"] = "text",
        ["dropout"] = "number", ["lr"] = "number", ["l2"] = "number", ["l1"] = "number", ["weight-decay"] = "number", ["test-split"] = "number",
        ["val-split"] = "number", ["clip-norm"] = "number", ["batch-norm"] = "flag", ["early-stopping"] = "whole", ["epochs"] = "whole",
        ["window"] = "whole", ["horizon"] = "whole", ["seed"] = "seed", ["split-seed"] = "seed", ["schedule"] = "text",
    };

    [Fact]
    public void Config_files_with_values_of_another_type_are_refused_by_option_and_file()
    {
        Assert.Equal(RunConfig.OptionNames.Order(StringComparer.Ordinal), Kinds.Keys.Order(StringComparer.Ordinal));
        string[] names = [.. Kinds.Keys];
        string folder = Directory.CreateTempSubdirectory("ns-config-fuzz-").FullName;
        try
        {
            int cases = 0;
            Gen.Select(Gen.Int[0, names.Length - 1], WrongValue).Where(s => s.Item2 is not null && !Fits(Kinds[names[s.Item1]], s.Item2)).Sample(
                sample =>
                {
                    (int which, JsonNode? value) = sample;
                    string option = names[which];
                    var json = new JsonObject { ["data"] = "iris", ["epochs"] = 1 };
                    json[option] = value;
                    string text = json.ToJsonString();
                    cases++;

                    // the library's reader: the option, by name
                    OptionException error = Assert.Throws<OptionException>(() => RunConfig.FromJson(text, "run.json"));
                    Assert.Equal(option, error.Option);

                    // the command line's: exit 2, the option and the file named, nothing trained
                    if (cases % 10 == 0)
                    {
                        string path = Path.Combine(folder, "run.json");
                        File.WriteAllText(path, text);
                        (int code, string output) = CliRunner.Run("train", "--config", path);
                        Assert.True(code == 2, output);
                        Assert.Contains($"'{option}'", output, StringComparison.Ordinal);
                        Assert.Contains("run.json", output, StringComparison.Ordinal);
                        CliRunner.AssertNoStackTrace(output);
                    }
                },
                iter: 600,
                threads: 1);
            Assert.Equal(600, cases);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    /// <summary>True when a value of this kind is one the option takes (so not a wrong value).</summary>
    private static bool Fits(string kind, JsonNode value)
    {
        System.Text.Json.JsonValueKind json = value.GetValueKind();
        bool number = json == System.Text.Json.JsonValueKind.Number;
        double v = number ? double.Parse(value.ToJsonString(), System.Globalization.CultureInfo.InvariantCulture) : double.NaN;
        return kind switch
        {
            "text" => json is System.Text.Json.JsonValueKind.String || number,
            "number" => number,
            "flag" => json is System.Text.Json.JsonValueKind.True or System.Text.Json.JsonValueKind.False,
            "whole" => number && v == Math.Floor(v) && v is >= int.MinValue and <= int.MaxValue,
            _ => number && v == Math.Floor(v) && v >= 0 && v <= ulong.MaxValue,
        };
    }

    private static byte[] Resign(byte[] file, int length, string header)
    {
        byte[] json = Encoding.UTF8.GetBytes(header);
        byte[] result = new byte[8 + json.Length + (file.Length - 8 - length)];
        BinaryPrimitives.WriteUInt64LittleEndian(result, (ulong)json.Length);
        json.CopyTo(result, 8);
        file.AsSpan(8 + length).CopyTo(result.AsSpan(8 + json.Length));
        return result;
    }
}
