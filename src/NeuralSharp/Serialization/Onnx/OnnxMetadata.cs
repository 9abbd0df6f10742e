using System.Text.Json;
using NeuralSharp.Serialization.Onnx.Ir;

namespace NeuralSharp.Serialization.Onnx;

/// <summary>The <c>neuralsharp.*</c> metadata an import reads: the task, the feature and class names, the exact scaling.</summary>
internal static class OnnxMetadata
{
    public static string? Metadata(ModelProto proto, string key) =>
        proto.MetadataProps.FirstOrDefault(entry => entry.Key == key)?.Value;

    /// <summary>The configuration that trained the model (a JSON object), if the file carries one.</summary>
    public static string? Configuration(ModelProto proto, OnnxGraph graph)
    {
        string? json = Metadata(proto, OnnxFile.ConfigurationKey);
        graph.Require(json is null || ModelFile.IsJsonObject(json), $"has metadata {OnnxFile.ConfigurationKey} that is not a JSON object");
        return json;
    }

    /// <summary>How a series model's windows are cut (<see cref="Data.SequenceWindows"/>), checked against its inputs, if the file says.</summary>
    public static Data.SequenceWindows? Windows(ModelProto proto, OnnxGraph graph, int inputs)
    {
        if (Metadata(proto, OnnxFile.WindowsKey) is not { } json)
        {
            return null;
        }

        string problem = $"has metadata {OnnxFile.WindowsKey} that is not a window, a horizon (1 … {Data.SequenceWindows.MaxSteps:N0}) and columns describing its {inputs} inputs";
        try
        {
            using JsonDocument document = JsonDocument.Parse(json);
            JsonElement root = document.RootElement;
            int Whole(string field) => root.ValueKind == JsonValueKind.Object && root.TryGetProperty(field, out JsonElement v) && v.ValueKind == JsonValueKind.Number
                && v.TryGetInt32(out int n) && n is >= 1 and <= Data.SequenceWindows.MaxSteps ? n : throw graph.Error(problem);
            int window = Whole("window"), horizon = Whole("horizon");
            string[] columns = root.TryGetProperty("columns", out JsonElement c) && c.ValueKind == JsonValueKind.Array && c.EnumerateArray().All(e => e.ValueKind == JsonValueKind.String)
                ? [.. c.EnumerateArray().Select(e => e.GetString()!)] : throw graph.Error(problem);
            graph.Require(columns.Length > 0 && (long)window * columns.Length == inputs, problem);
            return new Data.SequenceWindows(window, horizon, columns);
        }
        catch (JsonException)
        {
            throw graph.Error(problem);
        }
    }

    /// <summary>How a CSV's columns become the inputs (<see cref="Data.FeatureEncoding"/>), checked against the feature names, if the file says.</summary>
    public static Data.FeatureEncoding? Encoding(ModelProto proto, OnnxGraph graph, IReadOnlyList<string> features, string source)
    {
        if (Metadata(proto, OnnxFile.EncodingKey) is not { } json)
        {
            return null;
        }

        try
        {
            return ModelHeader.ReadEncoding(JsonSerializer.Deserialize(json, ModelHeaderContext.Default.ListColumnRecord), features, source, $"metadata {OnnxFile.EncodingKey}");
        }
        catch (JsonException)
        {
            throw graph.Error($"has metadata {OnnxFile.EncodingKey} that is not the JSON NeuralSharp writes there");
        }
    }

    public static OnnxScaling? Scaling(ModelProto proto, OnnxGraph graph)
    {
        try
        {
            return Metadata(proto, OnnxFile.ScalingKey) is { } json ? JsonSerializer.Deserialize(json, OnnxJson.Default.OnnxScaling) : null;
        }
        catch (JsonException)
        {
            throw graph.Error($"has metadata {OnnxFile.ScalingKey} that is not the JSON NeuralSharp writes there");
        }
    }

    public static List<string>? Names(ModelProto proto, string key, OnnxGraph graph)
    {
        if (Metadata(proto, key) is not { } json)
        {
            return null;
        }

        try
        {
            List<string>? names = JsonSerializer.Deserialize(json, OnnxJson.Default.ListString);
            graph.Require(names is not null && names.TrueForAll(name => name is not null), $"has metadata {key} that is not a list of names");
            return names;
        }
        catch (JsonException)
        {
            throw graph.Error($"has metadata {key} that is not a JSON list of names");
        }
    }
}
