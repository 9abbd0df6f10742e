using System.Numerics;

namespace NeuralSharp.Layers;

/// <summary>The builder's size check, before anything is allocated.</summary>
public sealed partial class NetworkBuilder<T>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    /// <summary>The most values one image may hold (<see cref="ImageShape.Validated"/>).</summary>
    private const long MaxImageValues = int.MaxValue / 8;

    /// <summary>The parameter count, from the specs alone, against <see cref="MaxParameters"/> before anything is allocated.</summary>
    private void CheckBudget()
    {
        long parameters = 0, width = Inputs;
        ImageShape? image = _image;
        SequenceShape? sequence = _sequence;
        foreach (Spec spec in _specs)
        {
            switch (spec)
            {
                case DenseSpec dense:
                    parameters += (width * dense.Units) + dense.Units;
                    (width, image, sequence) = (dense.Units, null, null);
                    break;
                case ConvSpec conv when image is { } shape:
                    parameters += ((long)shape.Channels * conv.Kernel * conv.Kernel * conv.Filters) + conv.Filters;
                    int side(int input) => NeuralSharp.Kernels.Im2Col.OutputSize(input, conv.Kernel, conv.Stride, conv.Padding);
                    image = new ImageShape(conv.Filters, Math.Max(side(shape.Height), 1), Math.Max(side(shape.Width), 1));
                    if ((long)conv.Filters * image.Value.Height * image.Value.Width > MaxImageValues)
                    {
                        throw new ArgumentException(
                            $"A convolution's output would be {conv.Filters}×{image.Value.Height}×{image.Value.Width} values an image, more than the {MaxImageValues:N0} an image may hold: use a larger stride, fewer filters or a smaller image.");
                    }

                    width = image.Value.Size;
                    break;
                case PoolSpec pool when image is { } shape:
                    int pooled(int input) => NeuralSharp.Kernels.Im2Col.OutputSize(input, pool.Size, pool.Stride ?? pool.Size, 0);
                    image = new ImageShape(shape.Channels, Math.Max(pooled(shape.Height), 1), Math.Max(pooled(shape.Width), 1));
                    width = image.Value.Size;
                    break;
                case EmbeddingSpec embed:
                    parameters += (long)embed.Vocabulary * embed.Dimension;
                    (sequence, width) = (new SequenceShape((int)Math.Min(width, int.MaxValue), Math.Min(embed.Dimension, int.MaxValue / 8)), width * embed.Dimension);
                    break;
                case BatchNormSpec:
                    parameters += 2 * (image?.Channels ?? width);
                    break;
                case RecurrentSpec recurrent:
                    long gates = recurrent.Kind switch { "lstm" => 4, "gru" => 3, _ => 1 } * (long)recurrent.Hidden;
                    parameters += ((sequence?.Features ?? width) + recurrent.Hidden + 2) * gates * (recurrent.Both ? 2 : 1);
                    bool every = recurrent.Output == RecurrentOutput.EveryStep && sequence is not null;
                    int directions = recurrent.Both ? 2 : 1;
                    width = (every ? sequence!.Value.Steps * (long)recurrent.Hidden : recurrent.Hidden) * directions;
                    sequence = every ? new SequenceShape(sequence!.Value.Steps, recurrent.Hidden * directions) : null;
                    break;
                case StepDenseSpec step when sequence is { } s2:
                    parameters += ((long)s2.Features * step.Units) + step.Units;
                    (width, sequence) = (s2.Steps * (long)step.Units, new SequenceShape(s2.Steps, step.Units));
                    break;
            }
        }

        if (parameters > MaxParameters)
        {
            throw new ArgumentException(
                $"The network would have {parameters:N0} parameters ({parameters * 3 * System.Runtime.CompilerServices.Unsafe.SizeOf<T>() / 1e9:N1} GB with their gradients and the training engine's copy); the limit is {MaxParameters:N0}. Use fewer or narrower layers.");
        }
    }
}
