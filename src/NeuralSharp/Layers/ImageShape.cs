namespace NeuralSharp.Layers;

/// <summary>
/// The shape of one image, <c>[channels, height, width]</c>: an MNIST digit is 1×28×28. A batch of images travels as
/// rows of <c>channels·height·width</c> numbers in that order (row-major <c>[batch, C, H, W]</c>), so layers that see
/// images and dense layers that see flat rows share one tensor type.
/// </summary>
public readonly record struct ImageShape(int Channels, int Height, int Width)
{
    /// <summary>The numbers per image: C·H·W.</summary>
    public int Size => Channels * Height * Width;

    /// <summary>Throws unless every side is positive and the size fits an <see cref="int"/>.</summary>
    /// <exception cref="ArgumentOutOfRangeException">A side is not positive, or the image is too large.</exception>
    public ImageShape Validated(string what)
    {
        if (Channels <= 0 || Height <= 0 || Width <= 0 || (long)Channels * Height * Width > int.MaxValue / 8)
        {
            throw new ArgumentOutOfRangeException(what, $"{what}: an image of {Channels}×{Height}×{Width} is not possible (every side must be positive, the whole of reasonable size).");
        }

        return this;
    }

    /// <inheritdoc />
    public override string ToString() => $"{Channels}×{Height}×{Width}";
}
