using NeuralSharp.Diagnostics;
using Spectre.Console;

namespace NeuralSharp.Cli.Rendering;

/// <summary>Prints a trace as the course's <c>print_vec</c> does: <c>*** label ***</c>, the value, its shape.</summary>
internal static class TracePrinter
{
    public static void Print(IReportWriter output, Trace<double> trace, Labels labels)
    {
        TracePhase? phase = null;
        foreach (TraceEntry<double> entry in trace)
        {
            if (entry.Phase != phase)
            {
                phase = entry.Phase;
                output.Heading(entry.Phase switch
                {
                    TracePhase.Forward => labels.T("Forward propagation", "順伝播"),
                    TracePhase.Loss => labels.T("Loss", "誤差"),
                    _ => labels.T("Backpropagation", "誤差逆伝播"),
                });
            }

            PrintVec(output, $"{labels.Of(entry)} ({entry.Label})", entry.Value);
        }
    }

    public static void PrintVec(IReportWriter output, string label, NDArray<double> value)
    {
        output.Line($"*** {label} ***");
        output.Line(value.Format(8));
        output.Line($"shape: {value.Shape}");
        output.Line("");
    }
}

/// <summary>Where an experiment or command writes: the console, and (for reports) a copy of every line.</summary>
internal interface IReportWriter
{
    void Heading(string text);

    void Line(string text);

    void Plot(string path, string caption);
}

/// <summary>Writes to a Spectre console and keeps every line and plot for the HTML report.</summary>
internal sealed class ConsoleReport(IAnsiConsole console) : IReportWriter
{
    public List<(string Kind, string Text)> Items { get; } = [];

    public void Heading(string text)
    {
        // a rule as wide as a terminal's line, at most 100 columns (a pipe's "line" has no width to fill)
        int width = Math.Min(console.Profile.Width, 100), rest = Math.Max(3, width - text.Sum(c => c >= '\u1100' ? 2 : 1) - 4);
        console.MarkupLine($"── [bold]{Markup.Escape(text)}[/] {new string('─', rest)}");
        Items.Add(("h", text));
    }

    public void Line(string text)
    {
        console.Profile.Out.Writer.WriteLine(text);
        Items.Add(("p", text));
    }

    public void Plot(string path, string caption)
    {
        console.MarkupLine($"[grey]plot:[/] [link]{Markup.Escape(path)}[/] — {Markup.Escape(caption)}");
        Items.Add(("img", path + "\n" + caption));
    }
}
