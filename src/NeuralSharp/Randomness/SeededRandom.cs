namespace NeuralSharp.Randomness;

/// <summary>
/// The library's one source of randomness: xoshiro256** (Blackman and Vigna, 2018) seeded through SplitMix64, so
/// the same seed gives the same stream on every machine and every .NET version.
/// </summary>
/// <remarks>
/// <list type="bullet">
/// <item><see cref="NextDouble"/>: the top 53 bits of the next 64-bit output, × 2⁻⁵³ — uniform on [0, 1) like NumPy's <c>rand</c>.</item>
/// <item><see cref="NextInt"/>: Lemire's unbiased multiply-and-reject method — uniform on [0, n) like <c>randint</c>.</item>
/// <item><see cref="NextNormal"/>: Marsaglia's polar method on two uniforms on (−1, 1) — standard normal like <c>randn</c>.
/// Uniform draws are bit-identical everywhere; normal draws also use <see cref="Math.Log(double)"/>, which the
/// runtime computes the same way on a given platform.</item>
/// </list>
/// The stream is not NumPy's Mersenne Twister, so numbers differ from the course's notebooks, not their distribution.
/// </remarks>
public sealed class SeededRandom
{
    private ulong _s0, _s1, _s2, _s3;
    private double _spareNormal;
    private bool _hasSpareNormal;

    /// <summary>Creates a generator; equal seeds give equal streams.</summary>
    public SeededRandom(ulong seed)
    {
        Seed = seed;
        ulong state = seed;
        _s0 = SplitMix64(ref state);
        _s1 = SplitMix64(ref state);
        _s2 = SplitMix64(ref state);
        _s3 = SplitMix64(ref state);
    }

    /// <summary>The seed this generator started from.</summary>
    public ulong Seed { get; }

    /// <summary>The next 64 random bits (xoshiro256**).</summary>
    public ulong NextUInt64()
    {
        ulong result = ulong.RotateLeft(_s1 * 5, 7) * 9;
        ulong t = _s1 << 17;
        _s2 ^= _s0;
        _s3 ^= _s1;
        _s1 ^= _s2;
        _s0 ^= _s3;
        _s2 ^= t;
        _s3 = ulong.RotateLeft(_s3, 45);
        return result;
    }

    /// <summary>Uniform on [0, 1), 53 random bits.</summary>
    public double NextDouble() => (NextUInt64() >> 11) * (1.0 / (1UL << 53));

    /// <summary>Uniform integer on [0, <paramref name="exclusiveMax"/>), without modulo bias.</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="exclusiveMax"/> is not positive.</exception>
    public int NextInt(int exclusiveMax)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(exclusiveMax);
        ulong range = (ulong)exclusiveMax;
        UInt128 product = (UInt128)NextUInt64() * range;
        ulong low = (ulong)product;
        if (low < range)
        {
            ulong threshold = (0UL - range) % range;
            while (low < threshold)
            {
                product = (UInt128)NextUInt64() * range;
                low = (ulong)product;
            }
        }

        return (int)(product >> 64);
    }

    /// <summary>Standard normal N(0, 1) by Marsaglia's polar method (draws come in pairs; the spare is kept).</summary>
    public double NextNormal()
    {
        if (_hasSpareNormal)
        {
            _hasSpareNormal = false;
            return _spareNormal;
        }

        double u, v, s;
        do
        {
            u = (2.0 * NextDouble()) - 1.0;
            v = (2.0 * NextDouble()) - 1.0;
            s = (u * u) + (v * v);
        }
        while (s >= 1.0 || s == 0.0);

        double factor = Math.Sqrt(-2.0 * Math.Log(s) / s);
        _spareNormal = v * factor;
        _hasSpareNormal = true;
        return u * factor;
    }

    /// <summary>Shuffles a span in place (Fisher–Yates), e.g. the sample order of an epoch.</summary>
    public void Shuffle<TItem>(Span<TItem> items)
    {
        for (int i = items.Length - 1; i > 0; i--)
        {
            int j = NextInt(i + 1);
            (items[i], items[j]) = (items[j], items[i]);
        }
    }

    private static ulong SplitMix64(ref ulong state)
    {
        ulong z = state += 0x9E3779B97F4A7C15UL;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }
}
