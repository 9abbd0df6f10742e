using NeuralSharp.Cli;
using SkiaSharp;
using Spectre.Console;

namespace NeuralSharp.Tests.Cli;

/// <summary>Runs the command line in-process and captures what it prints.</summary>
internal static class CliRunner
{
    public static (int ExitCode, string Output) Run(params string[] args)
    {
        var writer = new StringWriter();
        int code = CliApp.Run(args, Console(writer));
        return (code, writer.ToString());
    }

    /// <summary>Runs the command line in-process with results and errors captured apart, as a terminal keeps them.</summary>
    public static (int ExitCode, string Output, string Errors) RunSplit(params string[] args)
    {
        var output = new StringWriter();
        var errors = new StringWriter();
        int code = CliApp.Run(args, Console(output), Console(errors));
        return (code, output.ToString(), errors.ToString());
    }

    /// <summary>A plain, wide, non-interactive console writing to <paramref name="writer"/>.</summary>
    private static IAnsiConsole Console(StringWriter writer)
    {
        IAnsiConsole console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Ansi = AnsiSupport.No,
            ColorSystem = ColorSystemSupport.NoColors,
            Interactive = InteractionSupport.No,
            Out = new AnsiConsoleOutput(writer),
        });
        console.Profile.Width = 240;
        return console;
    }

    /// <summary>Asserts a file is a PNG that decodes and holds a real picture (many colours, not one flat fill).</summary>
    public static void AssertPlot(string path)
    {
        Assert.True(File.Exists(path), $"No plot at {path}.");
        byte[] bytes = File.ReadAllBytes(path);
        Assert.Equal([0x89, (byte)'P', (byte)'N', (byte)'G'], bytes[..4]);
        using SKBitmap bitmap = SKBitmap.Decode(bytes) ?? throw new InvalidOperationException($"{path} does not decode.");
        Assert.True(bitmap.Width >= 400 && bitmap.Height >= 300);
        var colours = new HashSet<uint>();
        for (int y = 0; y < bitmap.Height; y += 3)
        {
            for (int x = 0; x < bitmap.Width; x += 3)
            {
                colours.Add((uint)bitmap.GetPixel(x, y));
            }
        }

        Assert.True(colours.Count > 20, $"{path} has only {colours.Count} colours: not a plot.");
        int nonWhite = 0;
        for (int y = 0; y < bitmap.Height; y += 2)
        {
            for (int x = 0; x < bitmap.Width; x += 2)
            {
                nonWhite += bitmap.GetPixel(x, y) != SKColors.White ? 1 : 0;
            }
        }

        Assert.True(nonWhite > 500, $"{path} is nearly blank.");
    }

    public static void AssertNoStackTrace(string output) =>
        Assert.DoesNotContain("   at ", output, StringComparison.Ordinal);
}
