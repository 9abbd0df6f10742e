using Spectre.Console;

// the methods the last run of this command compiled are compiled again on a second core while this one starts
NeuralSharp.Cli.Infrastructure.StartupProfile.Begin(args);

// results on standard output, errors on standard error (so a pipe or --json reader gets only results)
IAnsiConsole errors = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(Console.Error) });
return NeuralSharp.Cli.CliApp.Run(args, AnsiConsole.Console, errors);
