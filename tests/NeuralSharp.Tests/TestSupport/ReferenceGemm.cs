using System.Numerics;

namespace NeuralSharp.Tests.TestSupport;

/// <summary>The obviously-correct matrix product, accumulated in double: the oracle for the kernels.</summary>
internal static class ReferenceGemm
{
    public static double[] Multiply<T>(T[] a, T[] b, int m, int n, int k, bool transposeA, bool transposeB)
        where T : unmanaged, INumberBase<T>
    {
        var c = new double[m * n];
        for (int i = 0; i < m; i++)
        {
            for (int j = 0; j < n; j++)
            {
                double sum = 0;
                for (int p = 0; p < k; p++)
                {
                    T aValue = transposeA ? a[(p * m) + i] : a[(i * k) + p];
                    T bValue = transposeB ? b[(j * k) + p] : b[(p * n) + j];
                    sum += double.CreateChecked(aValue) * double.CreateChecked(bValue);
                }

                c[(i * n) + j] = sum;
            }
        }

        return c;
    }
}
