using Spectre.Console;

return NeuralSharp.Cli.CliApp.Run(args, AnsiConsole.Console);
