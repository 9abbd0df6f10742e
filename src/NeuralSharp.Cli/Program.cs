using Spectre.Console;

// results on standard output, errors on standard error (so a pipe or --json reader gets only results)
IAnsiConsole errors = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(Console.Error) });
return NeuralSharp.Cli.CliApp.Run(args, AnsiConsole.Console, errors);
