using NeuralSharp.Bench;

return Workloads.Run(args, Console.Out);
