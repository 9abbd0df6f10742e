using System.Globalization;
using System.Text.Json.Serialization;

namespace NeuralSharp.Playground.Sessions;

/// <summary>
/// Everything the page lets a learner choose. It travels as JSON to the server and as the URL's query string, so a
/// link reproduces the network. <see cref="Validate"/> names the first bad field.
/// </summary>
public sealed record PlaygroundConfig
{
    /// <summary>The known data sets.</summary>
    public static readonly string[] Datasets = ["circle", "xor", "gauss", "spiral", "gauss3", "spiral4", "plane", "course-regression", "upload"];

    /// <summary>The input features the page can switch on.</summary>
    public static readonly string[] FeatureNames = ["x1", "x2", "x1^2", "x2^2", "x1x2", "sin_x1", "sin_x2"];

    /// <summary>Hidden activations: every elementwise one the library registers.</summary>
    public static readonly string[] Activations = [.. NeuralSharp.Activations.Activation.Registry.Where(a => a.Elementwise).Select(a => a.Name)];

    /// <summary>Initialisations.</summary>
    public static readonly string[] Inits = ["xavier", "he", "normal:0.1", "uniform", "zeros"];

    /// <summary>Optimizers.</summary>
    public static readonly string[] Optimizers = ["sgd", "momentum", "adagrad", "rmsprop", "adam"];

    /// <summary>Data set name (or <c>upload</c>).</summary>
    public string Dataset { get; init; } = "circle";

    /// <summary>Noise ν, 0 … 50 (percent).</summary>
    public int Noise { get; init; }

    /// <summary>Percent of the points used for training, 10 … 90.</summary>
    public int TrainRatio { get; init; } = 50;

    /// <summary>Input features, a subset of <see cref="FeatureNames"/>.</summary>
    public string[] Features { get; init; } = ["x1", "x2"];

    /// <summary>Hidden layer widths.</summary>
    public int[] Hidden { get; init; } = [4, 2];

    /// <summary>Hidden activation.</summary>
    public string Activation { get; init; } = "tanh";

    /// <summary><c>course</c> (softmax + cross entropy, identity + ½ squared error) or <c>tf</c> (tanh + squared error).</summary>
    public string Output { get; init; } = "course";

    /// <summary>Weight initialisation.</summary>
    public string Init { get; init; } = "xavier";

    /// <summary>Learning rate.</summary>
    public double LearningRate { get; init; } = 0.03;

    /// <summary>Samples per update; 0 for the full batch; −1 for online learning (one sample as it arrives).</summary>
    public int Batch { get; init; } = 10;

    /// <summary>Optimizer.</summary>
    public string Optimizer { get; init; } = "sgd";

    /// <summary><c>none</c>, <c>l1</c> or <c>l2</c>.</summary>
    public string Regularization { get; init; } = "none";

    /// <summary>λ of the regularisation.</summary>
    public double RegularizationRate { get; init; }

    /// <summary>Seed for data, split and weights.</summary>
    public int Seed { get; init; } = 1;

    /// <summary>True for the regression data sets.</summary>
    [JsonIgnore]
    public bool IsRegression => Dataset is "plane" or "course-regression";

    /// <summary>The first problem, as <c>(field, message)</c>, or null when every field is valid.</summary>
    public (string Field, string Message)? Validate()
    {
        if (!Datasets.Contains(Dataset))
        {
            return ("dataset", $"dataset must be one of {string.Join(", ", Datasets)}.");
        }

        if (Noise is < 0 or > 50)
        {
            return ("noise", "noise must be between 0 and 50 (percent).");
        }

        if (TrainRatio is < 10 or > 90)
        {
            return ("trainRatio", "trainRatio must be between 10 and 90 (percent).");
        }

        if (Features is null || Features.Length == 0 || Features.Any(f => !FeatureNames.Contains(f)) || Features.Distinct().Count() != Features.Length)
        {
            return ("features", $"features must be one or more of {string.Join(", ", FeatureNames)}, each once.");
        }

        if (Hidden is null || Hidden.Length > Limits.MaxHiddenLayers || Hidden.Any(w => w is < 1 or > Limits.MaxWidth))
        {
            return ("hidden", $"hidden must list 0 to {Limits.MaxHiddenLayers} layers of 1 to {Limits.MaxWidth} neurons.");
        }

        if (!Activations.Contains(Activation))
        {
            return ("activation", $"activation must be one of {string.Join(", ", Activations)}.");
        }

        if (Output is not ("course" or "tf"))
        {
            return ("output", "output must be 'course' or 'tf'.");
        }

        if (!Inits.Contains(Init))
        {
            return ("init", $"init must be one of {string.Join(", ", Inits)}.");
        }

        if (!(LearningRate > 0 && LearningRate <= Limits.MaxLearningRate))
        {
            return ("learningRate", $"learningRate must be above 0 and at most {Limits.MaxLearningRate.ToString(CultureInfo.InvariantCulture)}.");
        }

        if (Batch < -1 || Batch > Limits.MaxUploadRows)
        {
            return ("batch", $"batch must be −1 (online), 0 (full batch) or 1 … {Limits.MaxUploadRows}.");
        }

        if (!Optimizers.Contains(Optimizer))
        {
            return ("optimizer", $"optimizer must be one of {string.Join(", ", Optimizers)}.");
        }

        if (Regularization is not ("none" or "l1" or "l2"))
        {
            return ("regularization", "regularization must be none, l1 or l2.");
        }

        return RegularizationRate is < 0 or > Limits.MaxRegularization || double.IsNaN(RegularizationRate)
            ? ("regularizationRate", $"regularizationRate must be between 0 and {Limits.MaxRegularization.ToString(CultureInfo.InvariantCulture)}.")
            : null;
    }
}
