namespace NeuralSharp.Init;

/// <summary>The initializers by name, for code and command lines alike.</summary>
public static class Initializers
{
    /// <summary>All zeros, <c>np.zeros</c>.</summary>
    public static IInitializer Zeros { get; } = new Constant(0);

    /// <summary>All ones, <c>np.ones</c>.</summary>
    public static IInitializer Ones { get; } = new Constant(1);

    /// <summary>Uniform on [0, 1), <c>np.random.rand</c>.</summary>
    public static IInitializer Uniform { get; } = new Uniform01();

    /// <summary>Standard normal, <c>np.random.randn</c>.</summary>
    public static IInitializer StandardNormal { get; } = new Normal(1.0);

    /// <summary><c>randn / √n_in</c>.</summary>
    public static IInitializer Xavier { get; } = new Xavier();

    /// <summary><c>randn · √(2 / n_in)</c>.</summary>
    public static IInitializer He { get; } = new He();

    /// <summary>
    /// Parses <c>zeros</c>, <c>ones</c>, <c>uniform</c>, <c>randint:N</c>, <c>normal</c>, <c>normal:σ</c>,
    /// <c>xavier</c> or <c>he</c>.
    /// </summary>
    /// <exception cref="ArgumentException">Not one of those; the message lists them.</exception>
    public static IInitializer Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        string[] parts = text.Trim().ToLowerInvariant().Split(':', 2);
        string argument = parts.Length > 1 ? parts[1] : "";
        return parts[0] switch
        {
            "zeros" => Zeros,
            "ones" => Ones,
            "uniform" or "rand" => Uniform,
            "randint" => new UniformInt(argument.Length == 0 ? 10 : ParseNumber<int>(argument, text)),
            "normal" or "randn" => argument.Length == 0 ? StandardNormal : new Normal(ParseNumber<double>(argument, text)),
            "xavier" => Xavier,
            "he" => He,
            _ => throw new ArgumentException(
                $"Unknown initializer '{text}'. Known: zeros, ones, uniform, randint:N, normal, normal:SIGMA, xavier, he.", nameof(text)),
        };
    }

    private static TNumber ParseNumber<TNumber>(string argument, string text)
        where TNumber : System.Numerics.INumber<TNumber> =>
        TNumber.TryParse(argument, System.Globalization.CultureInfo.InvariantCulture, out TNumber? value) && TNumber.Sign(value) > 0
            ? value
            : throw new ArgumentException($"Initializer '{text}': '{argument}' is not a positive number.", nameof(text));
}
