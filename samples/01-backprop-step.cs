#:project ../src/NeuralSharp/NeuralSharp.csproj
// Notebook 1_2 of the course: one forward and backward pass of a 2-3-2 network (ReLU, softmax, cross entropy),
// every value printed like the course's print_vec, then one gradient-descent update.
using NeuralSharp;
using NeuralSharp.Activations;
using NeuralSharp.Diagnostics;
using NeuralSharp.Layers;
using NeuralSharp.Losses;
using NeuralSharp.Optimizers;

var network = new Sequential<double>(
    new Dense<double>(NDArray.FromArray(new[,] { { 0.1, 0.3, 0.5 }, { 0.2, 0.4, 0.6 } }), NDArray.Vector(0.1, 0.2, 0.3)),
    new ActivationLayer<double>(ActivationKind.Relu),
    new Dense<double>(NDArray.FromArray(new[,] { { 0.1, 0.4 }, { 0.2, 0.5 }, { 0.3, 0.6 } }), NDArray.Vector(0.1, 0.2)),
    new ActivationLayer<double>(ActivationKind.Softmax));

Trace<double> trace = Trace<double>.Record(network, x: NDArray.Row(1.0, 5.0), d: NDArray.Row(0.0, 1.0), new CrossEntropy<double>());
Console.WriteLine(trace);

new Sgd<double>(learningRate: 0.01).Step(network.Parameters);
foreach (Parameter<double> parameter in network.Parameters)
{
    Console.WriteLine($"*** {parameter.Name} after the update {parameter.Shape} ***{Environment.NewLine}{parameter.Value}");
}
