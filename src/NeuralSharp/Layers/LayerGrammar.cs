using System.Globalization;
using System.Text.RegularExpressions;
using NeuralSharp.Activations;

namespace NeuralSharp.Layers;

/// <summary>
/// The grammar of <c>--layers</c>: comma-separated hidden layers, input side first.
/// <code>
/// 64 | dense:64              a dense layer of 64 units, then the hidden activation
/// conv:16x5x5[:sS][:pP]      16 filters of 5×5 (stride S, default 1; zero padding P, default 0), then the activation
/// pool:2[:sS]                max pooling over 2×2 windows (stride S, default the window)
/// dropout:0.2 | bn           dropout of ratio 0.2; batch normalisation of what comes out of the layer before
/// lstm:32 | gru:32[:reset-before]   a recurrent layer of 32 units over a sequence (passing every step on when another
///                            follows); a GRU's reset gate on the state's product (PyTorch) or, so said, on the state (the course)
/// rnn:32[:tanh|sigmoid|relu] a simple RNN of 32 units (tanh unless said)
/// bilstm:32 | bigru:32 | birnn:32   the same in both directions, their states side by side (64 a step)
/// none                       no hidden layer
/// </code>
/// <c>--batch-norm</c> puts batch normalisation between every hidden layer and its activation, <c>--dropout P</c>
/// dropout after every hidden dense layer's activation. Convolutions and pooling need images (an IDX file, or the built-in mnist).
/// A run's configuration (its <c>layers</c>) and the command line's <c>--layers</c> speak it.
/// </summary>
public static partial class LayerGrammar
{
    /// <summary>True when the text names a convolution or a pooling layer (the data must then be images).</summary>
    public static bool NeedsImages(string? text) => text is not null && ImageLayer().IsMatch(text);

    /// <summary>True when the text names a recurrent layer (the data must then be sequences, e.g. windows of a series).</summary>
    public static bool NeedsSequences(string? text) => text is not null && RecurrentLayer().IsMatch(text);

    /// <summary>Checks the text (for validating options before any data is loaded).</summary>
    /// <exception cref="OptionException">The text is not a list of layers; the message names the part.</exception>
    public static void Check(string? text) => Apply<float>(null, text, ActivationKind.Relu, batchNorm: false, dropout: null);

    /// <summary>Adds the hidden layers the text describes to <paramref name="builder"/> (null: only check).</summary>
    public static void Apply<T>(NetworkBuilder<T>? builder, string? text, ActivationKind hidden, bool batchNorm, double? dropout)
        where T : unmanaged, System.Numerics.IFloatingPointIeee754<T>
    {
        if (string.IsNullOrWhiteSpace(text) || text.Trim() == "none")
        {
            return;
        }

        string[] parts = text.Split(',');
        for (int index = 0; index < parts.Length; index++)
        {
            string raw = parts[index], part = raw.Trim().ToLowerInvariant();
            Match recurrent = Recurrent().Match(part);
            if (recurrent.Success)
            {
                // a recurrent layer followed by another passes every step on; the last one its last state
                bool more = parts.Skip(index + 1).Any(next => Recurrent().IsMatch(next.Trim().ToLowerInvariant()));
                bool both = recurrent.Groups[1].Value.StartsWith("bi", StringComparison.Ordinal);
                string kind = both ? recurrent.Groups[1].Value[2..] : recurrent.Groups[1].Value;
                string option = recurrent.Groups[3].Value;
                if (recurrent.Groups[3].Success && (kind == "rnn" ? option == "reset-before" : kind == "lstm" || option != "reset-before"))
                {
                    throw new OptionException("layers", $"'{raw.Trim()}': rnn takes an activation (tanh, sigmoid, relu), gru reset-before, lstm nothing more.");
                }

                ActivationKind f = kind == "rnn" && recurrent.Groups[3].Success ? Activation.Parse(option) : ActivationKind.Tanh;
                GruForm form = option == "reset-before" ? GruForm.ResetBeforeProduct : GruForm.PyTorch;
                builder?.Recurrent(kind, Whole(recurrent.Groups[2].Value, part, 1, 4096), more ? RecurrentOutput.EveryStep : RecurrentOutput.LastStep, f, form: form, bidirectional: both);
                continue;
            }

            Match conv = Conv().Match(part), pool = Pool().Match(part), dense = Dense().Match(part), drop = Drop().Match(part);
            if (dense.Success)
            {
                int units = Whole(dense.Groups[1].Value, part, 1, 100_000);
                if (batchNorm)
                {
                    builder?.Dense(units, null).BatchNorm().Activation(hidden);
                }
                else
                {
                    builder?.Dense(units, hidden);
                }
            }
            else if (conv.Success)
            {
                int filters = Whole(conv.Groups[1].Value, part, 1, 4096), kernel = Whole(conv.Groups[2].Value, part, 1, 64);
                if (conv.Groups[3].Success && conv.Groups[3].Value != conv.Groups[2].Value)
                {
                    throw new OptionException("layers", $"'{raw.Trim()}' has a {kernel}×{conv.Groups[3].Value} kernel; convolutions here take square ones, e.g. conv:16x5x5.");
                }

                int stride = conv.Groups[4].Success ? Whole(conv.Groups[4].Value, part, 1, 64) : 1, padding = conv.Groups[5].Success ? Whole(conv.Groups[5].Value, part, 0, 64) : 0;
                builder?.Conv2D(filters, kernel, stride, padding, batchNorm ? null : hidden);
                if (batchNorm)
                {
                    builder?.BatchNorm().Activation(hidden);
                }

                continue;
            }
            else if (pool.Success)
            {
                int size = Whole(pool.Groups[1].Value, part, 1, 64);
                builder?.MaxPool2D(size, pool.Groups[2].Success ? Whole(pool.Groups[2].Value, part, 1, 64) : null);
                continue;
            }
            else if (drop.Success)
            {
                double ratio = double.TryParse(drop.Groups[1].Value, CultureInfo.InvariantCulture, out double p) && p is >= 0 and < 1 ? p
                    : throw new OptionException("layers", $"'{raw.Trim()}' needs a dropout ratio in [0, 1), e.g. dropout:0.2.");
                builder?.Dropout(ratio);
                continue;
            }
            else if (part is "bn" or "batch-norm")
            {
                builder?.BatchNorm();
                continue;
            }
            else
            {
                throw new OptionException("layers", $"'{raw.Trim()}' is not a layer; give widths like 64,32, or conv:16x5x5, pool:2, dense:100, dropout:0.2, bn, lstm:32, gru:32, rnn:32.");
            }

            if (dropout is { } ratioAfter)
            {
                builder?.Dropout(ratioAfter);
            }
        }
    }

    private static int Whole(string text, string part, int min, int max) =>
        int.TryParse(text, CultureInfo.InvariantCulture, out int value) && value >= min && value <= max
            ? value
            : throw new OptionException("layers", $"'{part}' has the size {text}; sizes there are {min} … {max}.");

    [GeneratedRegex(@"^(?:dense:)?(\d+)$")]
    private static partial Regex Dense();

    [GeneratedRegex(@"^conv:(\d+)x(\d+)(?:x(\d+))?(?::s(\d+))?(?::p(\d+))?$")]
    private static partial Regex Conv();

    [GeneratedRegex(@"^pool:(\d+)(?::s(\d+))?$")]
    private static partial Regex Pool();

    [GeneratedRegex(@"^dropout:([0-9.]+)$")]
    private static partial Regex Drop();

    [GeneratedRegex(@"^((?:bi)?(?:rnn|lstm|gru)):(\d+)(?::(tanh|sigmoid|relu|reset-before))?$")]
    private static partial Regex Recurrent();

    [GeneratedRegex(@"(^|,)\s*(bi)?(rnn|lstm|gru):", RegexOptions.IgnoreCase)]
    private static partial Regex RecurrentLayer();

    [GeneratedRegex(@"(^|,)\s*(conv|pool):", RegexOptions.IgnoreCase)]
    private static partial Regex ImageLayer();
}
