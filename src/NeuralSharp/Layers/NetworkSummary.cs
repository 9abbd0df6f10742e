using System.Globalization;
using System.Numerics;
using System.Text;

namespace NeuralSharp.Layers;

/// <summary>A Keras-style table of a network: each layer, its output shape and its parameter count.</summary>
public static class NetworkSummary
{
    /// <summary>One row of the table.</summary>
    /// <param name="Name">The layer's name.</param>
    /// <param name="Kind">Dense or the activation's name.</param>
    /// <param name="OutputShape">E.g. <c>[batch, 40]</c>.</param>
    /// <param name="Parameters">Learnable values in the layer.</param>
    public sealed record Row(string Name, string Kind, string OutputShape, int Parameters);

    /// <summary>The rows, input side first.</summary>
    public static IReadOnlyList<Row> Rows<T>(this Sequential<T> network)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(network);
        var rows = new List<Row>();
        int width = network.InputWidth;
        ImageShape? image = network.Layers[0] is Conv2D<T> first ? first.Input : null;
        // a sequence's steps while layers pass every step on, shown as [batch, time, width]
        int? steps = network.Layers[0] is RecurrentLayer<T> recurrent ? recurrent.Input.Steps : null;
        foreach (ILayer<T> layer in network.Layers)
        {
            width = layer.OutputWidth(width);
            (string kind, image) = layer switch
            {
                Dense<T> dense => ($"Dense {dense.Inputs}→{dense.Outputs}", null),
                Conv2D<T> conv => ($"Conv2D {conv.Filters}×{conv.KernelHeight}×{conv.KernelWidth}{(conv.Stride == 1 ? "" : $" s{conv.Stride}")}{(conv.Padding == 0 ? "" : $" p{conv.Padding}")}", conv.Output),
                MaxPool2D<T> pool => ($"MaxPool2D {pool.Size}×{pool.Size}{(pool.Stride == pool.Size ? "" : $" s{pool.Stride}")}", pool.Output),
                Flatten<T> => ("Flatten", null),
                SimpleRnn<T> rnn => ($"SimpleRnn {rnn.Hidden} {Activations.Activation.NameOf(rnn.Activation.Kind)}", null),
                Lstm<T> lstm => ($"Lstm {lstm.Hidden}", null),
                Gru<T> gru => ($"Gru {gru.Hidden}{(gru.Form == GruForm.ResetBeforeProduct ? " reset-before" : "")}", null),
                TimeDistributedDense<T> step => ($"Dense {step.Inputs}→{step.Outputs} per step", null),
                Embedding<T> embedding => ($"Embedding {embedding.Vocabulary}→{embedding.Dimension}", null),
                Bidirectional<T> both => ($"Bidirectional {both.Forwards.GetType().Name.Split('`')[0]} {both.Hidden}×2", null),
                Dropout<T> dropout => ($"Dropout {dropout.Ratio.ToString(CultureInfo.InvariantCulture)}", image),
                BatchNorm<T> { Image: not null } => ("BatchNorm per channel", image),
                BatchNorm<T> => ("BatchNorm", image),
                ActivationLayer<T> activation => (Activations.Activation.NameOf(activation.Activation.Kind), image),
                _ => (layer.GetType().Name, image),
            };
            steps = layer switch
            {
                RecurrentLayer<T> { Output: RecurrentOutput.EveryStep } r => r.Input.Steps,
                Embedding<T> e => e.Steps,
                Bidirectional<T> { Output: RecurrentOutput.EveryStep } both => both.Input.Steps,
                Bidirectional<T> => null,
                RecurrentLayer<T> or Dense<T> => null,
                _ => steps,
            };
            // like Keras: images as [batch, channels, height, width], sequences as [batch, time, features], flat rows as [batch, features]
            string shape = image is { } i ? $"[batch, {i.Channels}, {i.Height}, {i.Width}]"
                : steps is { } time ? $"[batch, {time}, {width / time}]" : $"[batch, {width}]";
            rows.Add(new Row(layer.Name, kind, shape, layer.Parameters.Sum(p => p.Value.Length)));
        }

        return rows;
    }

    /// <summary>The input's shape as the table writes shapes: <c>[batch, 8, 1]</c> for sequences, <c>[batch, 1, 28, 28]</c> for images, <c>[batch, 4]</c> for rows.</summary>
    public static string InputShape<T>(this Sequential<T> network)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(network);
        return network.Layers[0] switch
        {
            RecurrentLayer<T> r => $"[batch, {r.Input.Steps}, {r.Input.Features}]",
            Conv2D<T> c => $"[batch, {c.Input.Channels}, {c.Input.Height}, {c.Input.Width}]",
            _ => $"[batch, {network.InputWidth}]",
        };
    }

    /// <summary>The table as text, with the total parameter count.</summary>
    public static string Summary<T>(this Sequential<T> network)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        IReadOnlyList<Row> rows = network.Rows();
        var text = new StringBuilder();
        text.AppendLine(CultureInfo.InvariantCulture, $"{"Layer",-12} {"Type",-18} {"Output shape",-16} {"Params",10}");
        text.AppendLine(new string('─', 59));
        foreach (Row row in rows)
        {
            text.AppendLine(CultureInfo.InvariantCulture, $"{row.Name,-12} {row.Kind,-18} {row.OutputShape,-16} {row.Parameters,10:N0}");
        }

        text.AppendLine(new string('─', 59));
        text.Append(CultureInfo.InvariantCulture, $"Total parameters: {network.ParameterCount:N0}  (input {network.InputShape()})");
        return text.ToString();
    }
}
