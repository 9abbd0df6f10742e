namespace NeuralSharp.Bench;

/// <summary>
/// The peers' portable generator (shared/bench/WORKLOADS.md): a counter-based splitmix64 hash giving 24-bit floats in
/// [0, 1), so every implementation trains the same network on the same data.
/// </summary>
public static class PortableData
{
    /// <summary><c>u01(seed, n)</c>: n floats in [0, 1).</summary>
    public static float[] U01(ulong seed, int n)
    {
        var values = new float[n];
        ulong start = unchecked(seed * 0xD1B54A32D192ED03UL);
        for (int i = 0; i < n; i++)
        {
            unchecked
            {
                ulong z = start + ((ulong)(i + 1) * 0x9E3779B97F4A7C15UL);
                z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
                z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
                z ^= z >> 31;
                values[i] = (z >> 40) * (1.0f / 16777216.0f);
            }
        }

        return values;
    }

    /// <summary><c>sym(u, a) = (2u − 1)·a</c> over <paramref name="count"/> values from <paramref name="offset"/>.</summary>
    public static float[] Sym(float[] u, int offset, int count, float a) =>
        [.. u.AsSpan(offset, count).ToArray().Select(v => ((2f * v) - 1f) * a)];

    /// <summary>A weight matrix given (out, in) row-major, as NeuralSharp stores it: [in, out].</summary>
    public static NDArray<float> FromOutIn(float[] outIn, int outputs, int inputs)
    {
        var w = new NDArray<float>(inputs, outputs);
        for (int o = 0; o < outputs; o++)
        {
            for (int i = 0; i < inputs; i++)
            {
                w[i, o] = outIn[(o * inputs) + i];
            }
        }

        return w;
    }
}
