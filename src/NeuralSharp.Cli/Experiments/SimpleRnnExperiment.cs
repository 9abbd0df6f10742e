using System.Globalization;
using NeuralSharp.Activations;
using NeuralSharp.Cli.Rendering;
using NeuralSharp.Init;
using NeuralSharp.Randomness;

namespace NeuralSharp.Cli.Experiments;

/// <summary>
/// The course's notebook 3_1_simple_RNN: a 2-16-1 recurrent network learns 8-bit binary addition from one random sum
/// per iteration (a, b &lt; 128), backpropagating through the 8 steps; every 100 iterations the notebook's lines, then
/// the loss curve and the share of all 16,384 sums it gets exactly right.
/// </summary>
internal sealed class SimpleRnnExperiment : IExperiment
{
    public string Name => "simple-rnn";

    public IReadOnlyList<string> Options => ["--activation", "--init", "--hidden", "--lr", "--steps"];

    public string Title(Labels labels) => labels.T("A simple RNN learns binary addition (3_1)", "単純 RNN で 2 進数の足し算を学ぶ（3_1）");

    public string Question(Labels labels) => labels.T(
        "Can a network learn to add? Fed the bits of a and b from the least significant, the state carries the carry from one step to the next: backpropagation through time teaches it from one sum at a time.",
        "ネットワークは足し算を学べるか。a と b のビットを下位から入れると、状態が繰り上がりを次のステップへ運ぶ。時間方向の誤差逆伝播（BPTT）が 1 問ずつ教える。");

    /// <summary>The notebook's settings, or the command's.</summary>
    public sealed record Settings(ActivationKind Hidden, IInitializer Init, int Units, double LearningRate, int Iterations, ulong Seed);

    /// <summary>What a run leaves: the loss every iteration, the final network's exact sums.</summary>
    public sealed record Result(double[] Losses, int Exact);

    public void Run(ExperimentContext context)
    {
        Commands.ExperimentCommand.Settings options = context.Settings;
        ActivationKind hidden = options.Activation is { } name ? Activation.Parse(name) : ActivationKind.Sigmoid;
        if (hidden is not (ActivationKind.Sigmoid or ActivationKind.Tanh or ActivationKind.Relu))
        {
            throw new Infrastructure.UsageException($"--activation: simple-rnn takes sigmoid (the notebook's), tanh or relu, not {options.Activation}.");
        }

        var settings = new Settings(hidden, options.Init is { } init ? Initializers.Parse(init) : new Normal(1), options.Hidden ?? 16,
            options.LearningRate ?? 0.1, options.Steps ?? 10_000, options.Seed);
        Result result = Train(settings, context.Output.Line, (done, total) => context.Progress(Name, done, total));
        double[] logged = [.. result.Losses.Where((_, i) => i % 100 == 0)];
        string plot = PlotFile.Write(context.PlotPath(Name), context.Labels.T("Loss every 100 iterations", "100 回ごとの誤差"), context.Labels.Axis("step"), context.Labels.Axis("loss"),
            [new PlotFile.Series("all_loss", [.. logged.Select((_, i) => i * 100.0)], logged)]);
        context.Output.Plot(plot, context.Labels.T("all_loss, the squared error summed over the 8 steps", "all_loss（8 ステップの二乗誤差の和）"));
        double share = result.Exact / 16_384.0;
        context.Output.Line(context.Labels.T(
            $"Exactly right: {result.Exact:N0} of the 16,384 sums a + b (a, b < 128), {share:P2}.",
            $"完全に正解: 16,384 通りの a + b（a, b < 128）のうち {result.Exact:N0}、{share:P2}。"));
        context.Values["exact_share"] = share;
        context.Values["exact_count"] = result.Exact;
    }

    /// <summary>Draws W_in, W_out and W as the notebook does (in that order) and trains.</summary>
    public static Result Train(Settings settings, Action<string> print, Action<int, int> progress)
    {
        var random = new SeededRandom(settings.Seed);
        (double[,] input, double[,] output, double[,] state) = BinaryAddition.Draw(settings.Init, settings.Units, random);
        var pairs = new (int A, int B)[settings.Iterations];
        for (int i = 0; i < pairs.Length; i++)
        {
            pairs[i] = (random.NextInt(128), random.NextInt(128));
        }

        var network = new BinaryAddition(input, state, output, settings.Hidden, settings.LearningRate);
        return new Result(Train(network, pairs, print, progress), network.ExactCount());
    }

    /// <summary>One iteration per pair, printing the notebook's lines every 100; returns every iteration's loss.</summary>
    public static double[] Train(BinaryAddition network, IReadOnlyList<(int A, int B)> pairs, Action<string> print, Action<int, int> progress)
    {
        var losses = new double[pairs.Count];
        for (int i = 0; i < pairs.Count; i++)
        {
            (int a, int b) = pairs[i];
            (losses[i], int[] predicted) = network.Learn(a, b);
            if (i % 100 == 0)
            {
                int sum = a + b, outcome = predicted.Aggregate(0, (value, bit) => (2 * value) + bit);
                print($"iters:{i}");
                print($"Loss:{PythonFloat(losses[i])}");
                print($"Pred:[{string.Join(' ', predicted)}]");
                print($"True:[{string.Join(' ', Enumerable.Range(0, BinaryAddition.Bits).Select(k => (sum >> (BinaryAddition.Bits - 1 - k)) & 1))}]");
                print($"{a} + {b} = {outcome}");
                print("------------");
            }

            progress(i + 1, pairs.Count);
        }

        return losses;
    }

    /// <summary>A float as Python's <c>str</c> prints it: the shortest round-trip digits, "1.0" not "1", "1e-05" not "1E-05".</summary>
    internal static string PythonFloat(double value)
    {
        if (!double.IsFinite(value) || value == 0)
        {
            return double.IsNaN(value) ? "nan" : double.IsInfinity(value) ? (value > 0 ? "inf" : "-inf") : (double.IsNegative(value) ? "-0.0" : "0.0");
        }

        // the shortest digits that read back as the value, and the decimal exponent of the first one
        string[] scientific = Math.Abs(value).ToString("R", CultureInfo.InvariantCulture).ToUpperInvariant().Split('E');
        string plain = scientific[0];
        int point = plain.Contains('.', StringComparison.Ordinal) ? plain.IndexOf('.', StringComparison.Ordinal) : plain.Length;
        string all = plain.Replace(".", "", StringComparison.Ordinal), digits = all.TrimStart('0').TrimEnd('0');
        int exponent = point - 1 - (all.Length - all.TrimStart('0').Length) + (scientific.Length > 1 ? int.Parse(scientific[1], CultureInfo.InvariantCulture) : 0);
        string sign = value < 0 ? "-" : "";
        if (exponent is < -4 or >= 16)
        {
            return $"{sign}{digits[0]}{(digits.Length > 1 ? "." + digits[1..] : "")}e{(exponent < 0 ? "-" : "+")}{Math.Abs(exponent):00}";
        }

        return exponent < 0 ? $"{sign}0.{new string('0', -exponent - 1)}{digits}"
            : $"{sign}{digits.PadRight(exponent + 1, '0')[..(exponent + 1)]}.{(digits.Length > exponent + 1 ? digits[(exponent + 1)..] : "0")}";
    }
}
