using System.Numerics;
using NeuralSharp;

namespace NeuralSharp.Tests.TestSupport;

/// <summary>Assertions on tensors with a tolerance, naming the first element that differs.</summary>
internal static class Expect
{
    public static void Close(double[] expected, NDArray<double> actual, double tolerance = 1e-8) =>
        Close(expected, actual.AsSpan().ToArray(), tolerance);

    public static void Close(double[,] expected, NDArray<double> actual, double tolerance = 1e-8)
    {
        Assert.Equal(new Shape(expected.GetLength(0), expected.GetLength(1)), actual.Shape);
        Close(expected.Cast<double>().ToArray(), actual.AsSpan().ToArray(), tolerance);
    }

    public static void Close(double[] expected, double[] actual, double tolerance)
    {
        Assert.Equal(expected.Length, actual.Length);
        for (int i = 0; i < expected.Length; i++)
        {
            double error = Math.Abs(expected[i] - actual[i]);
            Assert.True(error <= tolerance,
                $"Element {i}: expected {expected[i]:R} but got {actual[i]:R} (|error| {error:E2} > {tolerance:E0}).");
        }
    }

    public static void Close(double expected, double actual, double tolerance = 1e-8) =>
        Assert.True(Math.Abs(expected - actual) <= tolerance, $"Expected {expected:R} but got {actual:R}.");
}
