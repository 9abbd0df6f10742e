using System.Globalization;
using System.Text;
using NeuralSharp.Data;
using NeuralSharp.Serialization;
using NeuralSharp.Serialization.Onnx;

namespace NeuralSharp.Playground.Sessions;

/// <summary>
/// What a learner takes home from a session: the trained network as a model file (<c>neuralsharp predict</c>,
/// <c>summary</c>, <c>train --model</c> read it) or as ONNX, and the data set as CSV with the features the network
/// sees, so that <c>neuralsharp predict --model M.nsmodel --data data.csv</c> scores it.
/// </summary>
public static class SessionDownloads
{
    /// <summary>The session's network as a model, or why it has no model-file form.</summary>
    public static (Model<double>? Model, string? Refusal) ModelOf(Session session)
    {
        ArgumentNullException.ThrowIfNull(session);
        PlaygroundData data = session.Data;
        if (data.Classes > 0 && session.Config.Output == "tf")
        {
            return (null, "the TF Playground output (one tanh unit scoring −1/+1) is not a classifier a model file holds; choose the course's softmax output to download the model.");
        }

        TaskKind task = data.Classes == 0 ? TaskKind.Regression : data.Classes == 2 ? TaskKind.BinaryClassification : TaskKind.MultiClassClassification;
        // the model answers in the target's own units, not the page's
        double scale = PlaygroundData.TargetScale(session.Config.Dataset);
        Standardizer? target = scale == 1 ? null : new Standardizer([0], [scale]);
        // the session's settings go with it: what the learner chose, to set up again
        return (new Model<double>(session.Network, task, data.Features, data.ClassNames, data.TargetName, targetStandardizer: target)
        {
            Head = session.Head,
            Configuration = System.Text.Json.JsonSerializer.Serialize(session.Config, PlaygroundJson),
        }, null);
    }

    private static readonly System.Text.Json.JsonSerializerOptions PlaygroundJson = new(System.Text.Json.JsonSerializerDefaults.Web);

    /// <summary>The model file's bytes (taken under the session's lock), or why there is none.</summary>
    public static (byte[]? Bytes, string? Refusal) ModelFileBytes(Session session, bool onnx)
    {
        ArgumentNullException.ThrowIfNull(session);
        return session.Locked<(byte[]?, string?)>(() =>
        {
            (Model<double>? model, string? refusal) = ModelOf(session);
            return model is null ? (null, refusal) : (onnx ? OnnxFile.Serialize(model) : ModelFile.Serialize(model), null);
        });
    }

    /// <summary>
    /// The points as CSV: the features the network takes (x1, x2, x1^2 …) and the target (class name, or value in its
    /// own units); the training points first, then the held-out ones (as <c>trainRatio</c> splits them).
    /// </summary>
    public static string Csv(Session session)
    {
        ArgumentNullException.ThrowIfNull(session);
        return session.Locked(() =>
        {
            PlaygroundData data = session.Data;
            double scale = PlaygroundData.TargetScale(session.Config.Dataset);
            var text = new StringBuilder();
            text.AppendJoin(',', data.Features).Append(',').Append(data.TargetName).Append('\n');
            Span<double> features = stackalloc double[data.Features.Length];
            for (int i = 0; i < data.Count; i++)
            {
                data.Featurize(data.Points[2 * i], data.Points[(2 * i) + 1], features);
                foreach (double value in features)
                {
                    text.Append(value.ToString("R", CultureInfo.InvariantCulture)).Append(',');
                }

                string target = data.ClassNames is { } names ? names[(int)data.Targets[i]] : (data.Targets[i] * scale).ToString("R", CultureInfo.InvariantCulture);
                text.Append(target).Append('\n');
            }

            return text.ToString();
        });
    }

    /// <summary>A small picture of every generated data set: 120 noise-free points each, for the page's thumbnails.</summary>
    public static IReadOnlyList<object> Thumbnails { get; } = [.. PlaygroundConfig.Datasets.Where(d => d != "upload").Select(Thumbnail)];

    private static object Thumbnail(string name)
    {
        Dataset data = PlaygroundData.Generate(name, 120, 0, 1);
        double scale = PlaygroundData.TargetScale(name);
        return new
        {
            name,
            classes = data.ClassCount,
            points = data.Features.ToArray(),
            targets = data.Targets.ToArray().Select(t => t / scale).ToArray(),
        };
    }
}
