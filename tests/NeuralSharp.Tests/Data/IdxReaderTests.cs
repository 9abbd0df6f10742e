using System.IO.Compression;
using NeuralSharp.Data;

namespace NeuralSharp.Tests.Data;

public sealed class IdxReaderTests
{
    private static readonly byte[] Images = [0, 0, 8, 3, 0, 0, 0, 2, 0, 0, 0, 2, 0, 0, 0, 1, 0, 255, 51, 102];
    private static readonly byte[] Labels = [0, 0, 8, 1, 0, 0, 0, 2, 7, 3];

    [Fact]
    public void Reads_plain_and_gzipped_files_alike()
    {
        Dataset plain = IdxReader.ReadDataset(new MemoryStream(Images), "i", new MemoryStream(Labels), "l", "tiny");
        Dataset zipped = IdxReader.ReadDataset(new MemoryStream(Gzip(Images)), "i", new MemoryStream(Gzip(Labels)), "l", "tiny");
        Assert.Equal([0.0, 1.0, 0.2, 0.4], plain.Features.ToArray());
        Assert.Equal(plain.Features.ToArray(), zipped.Features.ToArray());
        Assert.Equal([7.0, 3.0], zipped.Targets.ToArray());
        Assert.Equal(8, zipped.ClassCount);
    }

    [Fact]
    public void A_gzip_bomb_stops_at_the_limit()
    {
        // a header, then zeros far past what any IDX file may hold: a few hundred kilobytes compressed
        byte[] bomb;
        using (var packed = new MemoryStream())
        {
            using (var gzip = new GZipStream(packed, CompressionLevel.Fastest, leaveOpen: true))
            {
                gzip.Write(Images.AsSpan(0, 16));
                byte[] zeros = new byte[1 << 20];
                for (int i = 0; i < (IdxReader.MaxBytes >> 20) + 2; i++)
                {
                    gzip.Write(zeros);
                }
            }

            bomb = packed.ToArray();
        }

        Assert.True(bomb.Length < 2 << 20);
        string error = Assert.Throws<DataFormatException>(() => IdxReader.ReadImages(new MemoryStream(bomb), "bomb.idx.gz")).Message;
        Assert.Contains("bomb.idx.gz decompresses to more than 128 MB", error, StringComparison.Ordinal);
    }

    [Fact]
    public void Wrong_magic_and_truncation_are_named()
    {
        byte[] wrong = [.. Images];
        wrong[3] = 1;
        Assert.Contains("magic number 2051", Assert.Throws<DataFormatException>(() =>
            IdxReader.ReadImages(new MemoryStream(wrong), "x.idx")).Message, StringComparison.Ordinal);
        Assert.Contains("declares 2 images of 2×1", Assert.Throws<DataFormatException>(() =>
            IdxReader.ReadImages(new MemoryStream(Images[..^1]), "x.idx")).Message, StringComparison.Ordinal);
        Assert.Contains("has 2 labels but i has 3 images", Assert.Throws<DataFormatException>(() =>
            IdxReader.ReadDataset(new MemoryStream([0, 0, 8, 3, 0, 0, 0, 3, 0, 0, 0, 1, 0, 0, 0, 1, 1, 2, 3]), "i", new MemoryStream(Labels), "l", "t")).Message,
            StringComparison.Ordinal);
    }

    [Fact]
    public void An_idx_file_of_no_images_is_refused_by_name_and_a_file_names_its_data_set()
    {
        string folder = Directory.CreateTempSubdirectory("ns-idx-").FullName;
        try
        {
            string images = Path.Combine(folder, "train-images.idx3-ubyte.gz"), labels = Path.Combine(folder, "train-labels.idx1-ubyte");
            File.WriteAllBytes(images, Gzip(Images));
            File.WriteAllBytes(labels, Labels);
            Assert.Equal("train-images", IdxReader.ReadDataset(images, labels).Name);
            File.WriteAllBytes(images, Gzip([0, 0, 8, 3, 0, 0, 0, 0, 0, 0, 0, 2, 0, 0, 0, 1]));
            File.WriteAllBytes(labels, [0, 0, 8, 1, 0, 0, 0, 0]);
            var error = Assert.Throws<DataFormatException>(() => IdxReader.ReadDataset(images, labels));
            Assert.Equal("train-images.idx3-ubyte.gz declares 0 images; a data set needs at least one.", error.Message);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    private static byte[] Gzip(byte[] bytes)
    {
        using var output = new MemoryStream();
        using (var gzip = new GZipStream(output, CompressionLevel.Fastest))
        {
            gzip.Write(bytes);
        }

        return output.ToArray();
    }
}
