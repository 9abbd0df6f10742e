// Interleaved A/B of GEMM builds on a noisy machine: loads several builds of NeuralSharp.dll side by side (one
// AssemblyLoadContext each) and times Gemm.Multiply for each build in turn, round after round, so that the host's
// slow and fast minutes fall on every build alike. Prints min, 25th percentile and median GFLOP/s per build.
//
//   dotnet run -c Release --project bench/NeuralSharp.GemmAb -- <threads> <rounds> "m,n,k[,tA,tB];..." <dir> <dir> ...
//
// Each <dir> holds a build of the library with its dependencies — the bench's output does, e.g.
// `dotnet build -c Release bench/NeuralSharp.Bench -o /tmp/a` from a checkout of each version; tA and tB are 0 or 1
// (transpose A or B).
using System.Diagnostics;
using System.Globalization;
using System.Runtime.Loader;

if (args.Length < 4)
{
    Console.Error.WriteLine("usage: <threads> <rounds> \"m,n,k[,tA,tB];...\" <dir with NeuralSharp.dll> [<dir> ...]");
    return 2;
}

int threads = int.Parse(args[0], CultureInfo.InvariantCulture), rounds = int.Parse(args[1], CultureInfo.InvariantCulture);
Shape[] shapes = [.. args[2].Split(';', StringSplitOptions.RemoveEmptyEntries).Select(Shape.Parse)];
string[] builds = args[3..];
Multiply[] multiplies = [.. builds.Select(dir => Load(dir, threads))];
var random = new Random(1);
foreach (Shape shape in shapes)
{
    using var a = new Operand(shape.M * shape.K, random);
    using var b = new Operand(shape.K * shape.N, random);
    using var c = new Operand(shape.M * shape.N, random);
    int reps = Math.Max(1, (int)(2e7 / shape.MultiplyAdds));
    List<double>[] microseconds = [.. builds.Select(_ => new List<double>())];
    for (int round = 0; round < rounds; round++)
    {
        for (int v = 0; v < multiplies.Length; v++)
        {
            multiplies[v](a.Span, b.Span, c.Span, shape.M, shape.N, shape.K, shape.TransposeA, shape.TransposeB, false);
            var clock = Stopwatch.StartNew();
            for (int i = 0; i < reps; i++)
            {
                multiplies[v](a.Span, b.Span, c.Span, shape.M, shape.N, shape.K, shape.TransposeA, shape.TransposeB, false);
            }

            microseconds[v].Add(clock.Elapsed.TotalMicroseconds / reps);
            if (threads > 1)
            {
                Thread.Sleep(2); // let the other build's GEMM helper stop spinning
            }
        }
    }

    for (int v = 0; v < builds.Length; v++)
    {
        List<double> sorted = [.. microseconds[v].Order()];
        double Rate(double us) => 2.0 * shape.MultiplyAdds / us / 1e3;
        Console.WriteLine(FormattableString.Invariant(
            $"{shape} t{threads} {Path.GetFileName(builds[v].TrimEnd('/')),-12} min {sorted[0],9:F1} us ({Rate(sorted[0]),6:F1} GFLOP/s)  p25 {Rate(sorted[sorted.Count / 4]),6:F1}  median {Rate(sorted[sorted.Count / 2]),6:F1}"));
    }
}

return 0;

static Multiply Load(string dir, int threads)
{
    var context = new AssemblyLoadContext(dir);
    context.Resolving += (ctx, name) =>
    {
        string file = Path.GetFullPath(Path.Combine(dir, name.Name + ".dll"));
        return File.Exists(file) ? ctx.LoadFromAssemblyPath(file) : null;
    };
    System.Reflection.Assembly library = context.LoadFromAssemblyPath(Path.GetFullPath(Path.Combine(dir, "NeuralSharp.dll")));
    Type gemm = library.GetType("NeuralSharp.Kernels.Gemm") ?? throw new InvalidOperationException($"{dir}: no NeuralSharp.Kernels.Gemm");
    // the thread setting: Parallelism.Threads, or Gemm.MaxThreads in the builds before it
    (library.GetType("NeuralSharp.Parallelism")?.GetProperty("Threads") ?? gemm.GetProperty("MaxThreads"))!.SetValue(null, threads);
    return gemm.GetMethod("Multiply")!.MakeGenericMethod(typeof(float)).CreateDelegate<Multiply>();
}

/// <summary>Gemm.Multiply&lt;float&gt;'s signature.</summary>
internal delegate void Multiply(ReadOnlySpan<float> a, ReadOnlySpan<float> b, Span<float> c, int m, int n, int k, bool transposeA, bool transposeB, bool accumulate);

/// <summary>One product's dimensions and transposes.</summary>
internal sealed record Shape(int M, int N, int K, bool TransposeA, bool TransposeB)
{
    public double MultiplyAdds => (double)M * N * K;

    public static Shape Parse(string text)
    {
        int[] p = [.. text.Split(',').Select(s => int.Parse(s, CultureInfo.InvariantCulture))];
        return new Shape(p[0], p[1], p[2], p.Length > 3 && p[3] == 1, p.Length > 4 && p[4] == 1);
    }

    public override string ToString() => $"{M}x{N}x{K}{(TransposeA ? " tA" : "")}{(TransposeB ? " tB" : "")}";
}

/// <summary>A pinned, 64-byte-aligned operand of random numbers in [-0.5, 0.5), as the library's tensors are aligned.</summary>
internal sealed unsafe class Operand : IDisposable
{
    private readonly float* _start;
    private readonly int _length;

    public Operand(int length, Random random)
    {
        _length = length;
        _start = (float*)System.Runtime.InteropServices.NativeMemory.AlignedAlloc((nuint)Math.Max(1, length) * sizeof(float), 64);
        for (int i = 0; i < length; i++)
        {
            _start[i] = (float)random.NextDouble() - 0.5f;
        }
    }

    public Span<float> Span => new(_start, _length);

    public void Dispose() => System.Runtime.InteropServices.NativeMemory.AlignedFree(_start);
}
