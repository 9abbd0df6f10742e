using System.Buffers.Binary;
using System.IO.Compression;
using System.Numerics.Tensors;

namespace NeuralSharp.Data;

/// <summary>
/// Reads the IDX format of MNIST (gzipped or not): big-endian header, magic 2051 for images
/// <c>[count, rows, columns]</c> of bytes, 2049 for labels <c>[count]</c>.
/// </summary>
public static class IdxReader
{
    private const int ImagesMagic = 0x00000803;
    private const int LabelsMagic = 0x00000801;

    /// <summary>The most bytes an IDX file may hold once decompressed (128 MB; MNIST's 60,000 training images are 47 MB).</summary>
    public const int MaxBytes = 128 << 20;

    /// <summary>Reads images as pixels scaled to [0, 1] (the course's <c>normalize=True</c>), row-major per image.</summary>
    public static (double[] Pixels, int Count, int Rows, int Columns) ReadImages(Stream stream, string source)
    {
        byte[] bytes = ReadAll(stream, source);
        Require(bytes.Length >= 16, source, "is too short for an IDX image header (16 bytes)");
        int magic = BinaryPrimitives.ReadInt32BigEndian(bytes);
        Require(magic == ImagesMagic, source, $"does not start with the IDX image magic number 2051 (found {magic})");
        int count = BinaryPrimitives.ReadInt32BigEndian(bytes.AsSpan(4));
        int rows = BinaryPrimitives.ReadInt32BigEndian(bytes.AsSpan(8));
        int columns = BinaryPrimitives.ReadInt32BigEndian(bytes.AsSpan(12));
        long expected = 16L + ((long)count * rows * columns);
        Require(count >= 0 && rows > 0 && columns > 0 && bytes.Length == expected, source,
            $"declares {count} images of {rows}×{columns} ({expected} bytes) but holds {bytes.Length} bytes");
        var pixels = new double[count * rows * columns];
        TensorPrimitives.ConvertChecked<byte, double>(bytes.AsSpan(16), pixels);
        TensorPrimitives.Divide(pixels, 255.0, pixels);

        return (pixels, count, rows, columns);
    }

    /// <summary>Reads labels (0 … 255).</summary>
    public static byte[] ReadLabels(Stream stream, string source)
    {
        byte[] bytes = ReadAll(stream, source);
        Require(bytes.Length >= 8, source, "is too short for an IDX label header (8 bytes)");
        int magic = BinaryPrimitives.ReadInt32BigEndian(bytes);
        Require(magic == LabelsMagic, source, $"does not start with the IDX label magic number 2049 (found {magic})");
        int count = BinaryPrimitives.ReadInt32BigEndian(bytes.AsSpan(4));
        Require(count >= 0 && bytes.Length == 8L + count, source, $"declares {count} labels but holds {bytes.Length - 8}");
        return bytes[8..];
    }

    /// <summary>Reads an image file and a label file into a classification data set (classes "0" … "9").</summary>
    /// <exception cref="DataFormatException">A file is malformed or the counts differ.</exception>
    public static Dataset ReadDataset(string imagesPath, string labelsPath, string? name = null)
    {
        using FileStream images = File.OpenRead(imagesPath);
        using FileStream labels = File.OpenRead(labelsPath);
        // named after its file (train-images.idx3-ubyte.gz → train-images), not after the built-in set
        string file = Path.GetFileName(imagesPath);
        string own = file.EndsWith(".gz", StringComparison.OrdinalIgnoreCase) ? Path.GetFileNameWithoutExtension(file) : file;
        return ReadDataset(images, file, labels, Path.GetFileName(labelsPath), name ?? Path.GetFileNameWithoutExtension(own));
    }

    /// <summary>Reads image and label streams into a classification data set.</summary>
    public static Dataset ReadDataset(Stream images, string imagesSource, Stream labels, string labelsSource, string name)
    {
        (double[] pixels, int count, int rows, int columns) = ReadImages(images, imagesSource);
        Require(count > 0, imagesSource, "declares 0 images; a data set needs at least one");
        byte[] labelBytes = ReadLabels(labels, labelsSource);
        Require(labelBytes.Length == count, labelsSource, $"has {labelBytes.Length} labels but {imagesSource} has {count} images");
        int classes = labelBytes.Length == 0 ? 2 : Math.Max(labelBytes.Max() + 1, 2);
        string[] featureNames = [.. Enumerable.Range(0, rows * columns).Select(i => $"pixel_{i / columns}_{i % columns}")];
        string[] classNames = [.. Enumerable.Range(0, classes).Select(i => i.ToString(System.Globalization.CultureInfo.InvariantCulture))];
        return new Dataset(name, pixels, featureNames, [.. labelBytes.Select(b => (double)b)], classNames, "label") { Image = new Layers.ImageShape(1, rows, columns) };
    }

    private static byte[] ReadAll(Stream stream, string source)
    {
        ArgumentNullException.ThrowIfNull(stream);
        Require(!stream.CanSeek || stream.Length <= MaxBytes, source, $"is larger than {MaxBytes / (1 << 20):N0} MB, the most an IDX file may hold");
        using var buffer = new MemoryStream();
        stream.CopyTo(buffer);
        byte[] bytes = buffer.ToArray();
        if (bytes.Length >= 2 && bytes[0] == 0x1f && bytes[1] == 0x8b)
        {
            try
            {
                using var gzip = new GZipStream(new MemoryStream(bytes), CompressionMode.Decompress);
                using var plain = new MemoryStream();
                byte[] chunk = new byte[81920];
                for (int read; (read = gzip.Read(chunk)) > 0;)
                {
                    // a few hundred bytes can claim gigabytes: stop at the limit rather than at the end
                    if (plain.Length + read > MaxBytes)
                    {
                        throw new DataFormatException($"{source} decompresses to more than {MaxBytes / (1 << 20):N0} MB, the most an IDX file may hold.");
                    }

                    plain.Write(chunk, 0, read);
                }

                return plain.ToArray();
            }
            catch (InvalidDataException error)
            {
                throw new DataFormatException($"{source} is gzipped but corrupt or truncated: " + error.Message, error);
            }
        }

        return bytes;
    }

    private static void Require(bool condition, string source, string problem)
    {
        if (!condition)
        {
            throw new DataFormatException($"{source} {problem}.");
        }
    }
}
