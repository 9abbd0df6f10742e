using Spectre.Console;

// the methods the last run of this command compiled are compiled again on a second core while this one starts
NeuralSharp.Cli.Infrastructure.StartupProfile.Begin(args);

// results on standard output, errors on standard error (so a pipe or --json reader gets only results); piped or
// redirected, a line is as long as it is — no breaks mid-sentence at the 80 columns assumed without a terminal, help's
// descriptions not squeezed beside the option names, no padding at the ends of lines (COLUMNS, when set, still decides)
bool unwrapped = Environment.GetEnvironmentVariable("COLUMNS") is null;
IAnsiConsole Open(TextWriter writer, bool redirected)
{
    if (!redirected || !unwrapped)
    {
        return AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(writer) });
    }

    IAnsiConsole console = AnsiConsole.Create(new AnsiConsoleSettings
    {
        Ansi = AnsiSupport.No, ColorSystem = ColorSystemSupport.NoColors, Interactive = InteractionSupport.No,
        Out = new AnsiConsoleOutput(new NeuralSharp.Cli.Infrastructure.TrimmedLines(writer)),
    });
    console.Profile.Width = 1000;
    return console;
}

IAnsiConsole output = Open(System.Console.Out, System.Console.IsOutputRedirected);
IAnsiConsole errors = Open(System.Console.Error, System.Console.IsErrorRedirected);
return NeuralSharp.Cli.CliApp.Run(args, output, errors);
