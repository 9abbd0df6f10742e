using NeuralSharp.Activations;
using NeuralSharp.Diagnostics;
using NeuralSharp.Layers;
using NeuralSharp.Losses;
using NeuralSharp.Randomness;

namespace NeuralSharp.Tests.Layers;

/// <summary>Convolution and pooling against the definitions written out as loops, and a whole conv net's gradients.</summary>
public sealed class Conv2DTests
{
    private static NDArray<double> Random(int rows, int columns, ulong seed)
    {
        var random = new SeededRandom(seed);
        var t = new NDArray<double>(rows, columns);
        for (int i = 0; i < t.Length; i++)
        {
            t[i] = (random.NextDouble() * 2) - 1;
        }

        return t;
    }

    [Theory]
    [InlineData(2, 6, 5, 3, 3, 2, 1, 0)]
    [InlineData(1, 7, 7, 2, 3, 3, 2, 1)]
    [InlineData(3, 4, 4, 4, 1, 1, 1, 0)]
    [InlineData(1, 28, 28, 30, 5, 5, 1, 0)]
    public void Forward_is_the_cross_correlation_of_the_definition(int channels, int height, int width, int filters, int kh, int kw, int stride, int padding)
    {
        var conv = new Conv2D<double>(new ImageShape(channels, height, width), filters, kh, kw, stride, padding);
        Random(conv.Taps, filters, 1).AsSpan().CopyTo(conv.Weights.Value.AsSpan());
        Random(1, filters, 2).AsSpan().CopyTo(conv.Bias.Value.AsSpan());
        NDArray<double> x = Random(3, channels * height * width, 3);
        NDArray<double> y = conv.Forward(x);
        int oh = ((height + (2 * padding) - kh) / stride) + 1, ow = ((width + (2 * padding) - kw) / stride) + 1;
        Assert.Equal(new ImageShape(filters, oh, ow), conv.Output);
        for (int n = 0; n < 3; n++)
        {
            for (int f = 0; f < filters; f++)
            {
                for (int oy = 0; oy < oh; oy++)
                {
                    for (int ox = 0; ox < ow; ox++)
                    {
                        double sum = conv.Bias.Value[f];
                        for (int c = 0; c < channels; c++)
                        {
                            for (int i = 0; i < kh; i++)
                            {
                                for (int j = 0; j < kw; j++)
                                {
                                    int yy = (oy * stride) + i - padding, xx = (ox * stride) + j - padding;
                                    if (yy >= 0 && yy < height && xx >= 0 && xx < width)
                                    {
                                        sum += conv.Weights.Value[(((c * kh) + i) * kw) + j, f] * x[n, (((c * height) + yy) * width) + xx];
                                    }
                                }
                            }
                        }

                        Assert.True(Math.Abs(sum - y[n, (((f * oh) + oy) * ow) + ox]) < 1e-12);
                    }
                }
            }
        }
    }

    [Fact]
    public void Max_pooling_takes_each_window_maximum_and_routes_the_gradient_to_it()
    {
        var pool = new MaxPool2D<double>(new ImageShape(1, 4, 4), 2);
        var x = new NDArray<double>(new Shape(1, 16), [1, 5, 2, 0, 3, 4, 8, 7, 0, -1, 2, 2, 6, -3, 9, 1]);
        Assert.Equal([5.0, 8, 6, 9], pool.Forward(x).ToArray());
        double[] dx = pool.Backward(new NDArray<double>(new Shape(1, 4), [10, 20, 30, 40])).ToArray();
        Assert.Equal([0.0, 10, 0, 0, 0, 0, 20, 0, 0, 0, 0, 0, 30, 0, 40, 0], dx);
    }

    [Fact]
    public void A_convolutional_network_passes_the_gradient_check()
    {
        var image = new ImageShape(1, 6, 6);
        var conv = new Conv2D<double>(image, 3, 3, 3, padding: 1);
        var pool = new MaxPool2D<double>(conv.Output, 2);
        var dense = new Dense<double>(pool.Output.Size, 4);
        new NeuralSharp.Init.Normal(0.5).Fill(conv.Weights.Value.AsSpan(), 9, 3, new SeededRandom(11));
        new NeuralSharp.Init.Normal(0.5).Fill(dense.Weights.Value.AsSpan(), 27, 4, new SeededRandom(12));
        var network = new Sequential<double>(conv, new ActivationLayer<double>(ActivationKind.Tanh), pool, new Flatten<double>(pool.Output),
            dense, new BatchNorm<double>(4), new ActivationLayer<double>(ActivationKind.Softmax));
        NDArray<double> x = Random(4, image.Size, 13);
        var d = new NDArray<double>(new Shape(4), [0, 3, 1, 2]);
        GradientCheckReport report = GradientCheck.Run(network, x, d, new CrossEntropy<double>(epsilon: 0));
        Assert.True(report.MaxRelativeError < 1e-7, $"largest relative error {report.MaxRelativeError:E2}");
    }

    [Fact]
    public void Predicting_a_large_batch_in_chunks_gives_the_batch_at_once()
    {
        var conv = new Conv2D<double>(new ImageShape(1, 5, 5), 2, 3, 3);
        Random(9, 2, 21).AsSpan().CopyTo(conv.Weights.Value.AsSpan());
        var network = new Sequential<double>(conv, new ActivationLayer<double>(ActivationKind.Relu), new Flatten<double>(conv.Output), new Dense<double>(18, 2));
        NDArray<double> x = Random(Sequential<double>.PredictChunk + 37, 25, 22);
        double[] chunked = network.Predict(x).ToArray();
        double[] whole = network.Forward(x).ToArray();
        Assert.Equal(whole, chunked);
    }

    [Fact]
    public void A_kernel_larger_than_the_padded_image_is_refused()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new Conv2D<double>(new ImageShape(1, 3, 3), 1, 5, 5));
        Assert.Throws<ShapeMismatchException>(() => new Conv2D<double>(new ImageShape(1, 4, 4), 1, 3, 3).Forward(new NDArray<double>(2, 15)));
    }
}
