using System.Diagnostics;
using CsCheck;
using NeuralSharp.Activations;
using NeuralSharp.Data;
using NeuralSharp.Layers;
using NeuralSharp.Serialization;
using NeuralSharp.Tests.TestSupport;

namespace NeuralSharp.Tests.Fuzz;

/// <summary>
/// Generated CSV, IDX and model files through the readers: every outcome is either a data set (or model), or the
/// readers' documented <see cref="DataFormatException"/> with a message of bounded length — never another exception,
/// never more than a few seconds or a large allocation for a case. 15,000 cases (CsCheck, seeded by the run): CSV,
/// IDX, model, ONNX and safetensors files.
/// </summary>
public sealed class ReaderFuzzTests
{
    /// <summary>Characters a careless edit or an attacker puts into a CSV.</summary>
    private static readonly Gen<char> CsvCharacter = Pick('0', '1', '7', '9', '.', '-', 'e', 'E', ',', ',', '\n', '\n', ';', '\t', '"', ' ', 'x', 'N', 'a', 'I', 'n', 'f');

    private static readonly string[] CsvSeeds =
    [
        "a,b,target\n1,2,0\n3,4,1\n5,6,0\n7,8,1\n",
        "length,weight,kind\n40,4.5,cat\n90,30,dog\n8,0.02,mouse\n",
        "x1,x2,y\n0.1,0.2,3.5\n0.4,-0.5,1e3\n\n0.7,0.8,-2\n",
    ];

    [Fact]
    public void Csv_mutants_give_a_data_set_or_a_located_error()
    {
        Gen<string> mutants = Gen.Select(Gen.Int[0, CsvSeeds.Length - 1], Gen.Select(Gen.Int[0, 200], Gen.Int[0, 3], CsvCharacter, Gen.Int[1, 12]).Array[1, 8],
            (seed, edits) => Mutate(CsvSeeds[seed], edits));
        int cases = 0, read = 0;
        mutants.Sample(csv => read += Bounded(() => CsvReader.Read(new StringReader(csv), "fuzz.csv"), ref cases), iter: 6000, threads: 1);
        Assert.Equal(6000, cases);
        Assert.InRange(read, 1, cases - 1); // both outcomes were reached
    }

    [Fact]
    public void Idx_mutants_give_a_data_set_or_a_located_error()
    {
        byte[] images = [0, 0, 8, 3, 0, 0, 0, 2, 0, 0, 0, 2, 0, 0, 0, 1, 0, 255, 51, 102];
        byte[] labels = [0, 0, 8, 1, 0, 0, 0, 2, 7, 3];
        // half the edits anywhere, half in the payload (pixels 16–19, labels 8–9): headers broken often, files left
        // readable often enough that both outcomes come up in every run
        Gen<(int, byte)[]> Edits(int payload, int length) =>
            Gen.Select(Gen.OneOf(Gen.Int[0, length - 1], Gen.Int[payload, length - 1]), Gen.Byte, (at, value) => (at, value)).Array[1, 6];
        int cases = 0, read = 0;
        Gen.Select(Edits(16, images.Length), Edits(8, labels.Length), Gen.Bool).Sample(
            sample =>
            {
                (var imageEdits, var labelEdits, bool zipped) = sample;
                byte[] i = Edit(images, imageEdits), l = Edit(labels, labelEdits);
                read += Bounded(() => IdxReader.ReadDataset(new MemoryStream(zipped ? Gzip(i) : i), "fuzz-images.idx", new MemoryStream(l), "fuzz-labels.idx", "fuzz"), ref cases);
            },
            iter: 3000,
            threads: 1);
        Assert.Equal(3000, cases);
        Assert.InRange(read, 1, cases - 1);
    }

    [Fact]
    public void Model_headers_edited_and_re_signed_give_a_model_or_a_located_error()
    {
        byte[] model = ModelFile.Serialize(new Model<float>(
            NetworkBuilder<float>.FromSizes([3, 4, 2], ActivationKind.Relu, ActivationKind.Softmax, seed: 1), TaskKind.BinaryClassification,
            ["a", "b", "c"], ["no", "yes"], "target", new Standardizer([0, 1, 2], [1, 1, 1])));
        string header = ModelBytes.Header(model);
        Gen<char> jsonCharacter = Pick('0', '1', '9', '-', '"', ',', ':', '[', ']', '{', '}', 'n', 'u', 'l', 'x', '.', 'e');
        Gen<string> numbers = Pick("0", "-1", "2147483647", "40000", "1e308", "null", "\"\"", "[]", "{}");
        int cases = 0, read = 0;
        Gen.Select(Gen.Select(Gen.Int[0, header.Length], Gen.Int[0, 3], jsonCharacter, Gen.Int[1, 6]).Array[0, 4], numbers, Gen.Int[0, 40],
            (edits, number, which) => (edits, number, which)).Sample(
            sample =>
            {
                string edited = Mutate(header, sample.edits);
                edited = ReplaceNthNumber(edited, sample.which, sample.number);
                byte[] file = ModelBytes.Resign(model, edited);
                read += Bounded(() => ModelFile.Deserialize<float>(file, "fuzz.nsmodel"), ref cases);
            },
            iter: 3000,
            threads: 1);
        Assert.Equal(3000, cases);
        Assert.InRange(read, 1, cases - 1);
    }

    [Fact]
    public void Onnx_and_safetensors_mutants_give_a_model_or_a_located_error()
    {
        var model = new Model<float>(NetworkBuilder<float>.FromSizes([3, 4, 2], ActivationKind.Step, ActivationKind.Softmax, seed: 1), TaskKind.MultiClassClassification,
            ["a", "b", "c"], ["no", "yes"], "target", new Standardizer([0, 1, 2], [1, 1, 1]));
        byte[] onnx = NeuralSharp.Serialization.Onnx.OnnxFile.Serialize(model), safetensors = SafeTensorsFile.Serialize(model);
        // byte edits, and runs of 0xFF that make a varint or a length claim the most it can
        Gen<(int, byte)[]> edits = Gen.Select(Gen.Int[0, 4000], Gen.OneOf(Gen.Byte, Gen.Const((byte)0xFF)), (at, value) => (at, value)).Array[1, 8];
        int cases = 0, read = 0;
        Gen.Select(edits, Gen.Bool, Gen.Int[0, 3000]).Sample(
            sample =>
            {
                (var byteEdits, bool isOnnx, int cut) = sample;
                byte[] source = isOnnx ? onnx : safetensors;
                byte[] file = Edit(source, byteEdits)[..Math.Max(1, Math.Min(source.Length, source.Length - (cut % 7 == 0 ? cut % source.Length : 0)))];
                read += isOnnx
                    ? Bounded(() => NeuralSharp.Serialization.Onnx.OnnxFile.Deserialize<float>(file, "fuzz.onnx"), ref cases)
                    : Bounded(() => SafeTensorsFile.Deserialize<float>(file, "fuzz.safetensors"), ref cases);
            },
            iter: 3000,
            threads: 1);
        Assert.Equal(3000, cases);
        Assert.InRange(read, 1, cases - 1);
    }

    private static Gen<T> Pick<T>(params T[] values) => Gen.Int[0, values.Length - 1].Select(i => values[i]);

    /// <summary>Runs one case: it succeeds, or fails the documented way, within 5 s and 256 MB of allocation.</summary>
    /// <returns>1 when the file was read, 0 when it was refused.</returns>
    private static int Bounded(Action read, ref int cases)
    {
        cases++;
        long allocated = GC.GetAllocatedBytesForCurrentThread();
        var clock = Stopwatch.StartNew();
        int outcome = 1;
        try
        {
            read();
        }
        catch (DataFormatException error)
        {
            Assert.False(string.IsNullOrWhiteSpace(error.Message));
            Assert.True(error.Message.Length < 600, $"a {error.Message.Length}-character message: {error.Message}");
            outcome = 0;
        }

        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(5), $"a case took {clock.Elapsed}");
        Assert.True(GC.GetAllocatedBytesForCurrentThread() - allocated < (256L << 20), "a case allocated over 256 MB");
        return outcome;
    }

    private static string Mutate(string text, (int At, int Kind, char Character, int Count)[] edits)
    {
        var builder = new System.Text.StringBuilder(text);
        foreach ((int at, int kind, char character, int count) in edits)
        {
            int position = builder.Length == 0 ? 0 : at % (builder.Length + 1);
            switch (kind)
            {
                case 0:
                    builder.Insert(position, new string(character, count));
                    break;
                case 1 when position < builder.Length:
                    builder.Remove(position, Math.Min(count, builder.Length - position));
                    break;
                case 2 when position < builder.Length:
                    builder[position] = character;
                    break;
                default:
                    // a long run of digits: a huge label, a huge dimension
                    builder.Insert(position, new string('9', count * 3));
                    break;
            }
        }

        return builder.ToString();
    }

    private static string ReplaceNthNumber(string json, int which, string replacement)
    {
        var matches = System.Text.RegularExpressions.Regex.Matches(json, "-?[0-9][0-9.eE+-]*");
        if (matches.Count == 0)
        {
            return json;
        }

        System.Text.RegularExpressions.Match match = matches[which % matches.Count];
        return string.Concat(json.AsSpan(0, match.Index), replacement, json.AsSpan(match.Index + match.Length));
    }

    private static byte[] Edit(byte[] bytes, (int At, byte Value)[] edits)
    {
        byte[] copy = [.. bytes];
        foreach ((int at, byte value) in edits)
        {
            copy[at % copy.Length] = value;
        }

        return copy;
    }

    private static byte[] Gzip(byte[] bytes)
    {
        using var packed = new MemoryStream();
        using (var gzip = new System.IO.Compression.GZipStream(packed, System.IO.Compression.CompressionLevel.Fastest, leaveOpen: true))
        {
            gzip.Write(bytes);
        }

        return packed.ToArray();
    }
}
