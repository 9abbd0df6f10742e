#:project ../src/NeuralSharp/NeuralSharp.csproj
// Train a 4-16-3 network on the built-in iris data and measure it on held-out flowers.
using NeuralSharp;
using NeuralSharp.Activations;
using NeuralSharp.Data;
using NeuralSharp.Layers;
using NeuralSharp.Losses;
using NeuralSharp.Optimizers;
using NeuralSharp.Training;

Dataset iris = BuiltInDatasets.Load("iris");
(Dataset rawTrain, Dataset rawTest) = iris.Split(testFraction: 0.2, seed: 1);
Standardizer scaler = Standardizer.Fit(rawTrain);           // fitted on the training flowers only
Dataset train = scaler.Transform(rawTrain), test = scaler.Transform(rawTest);

Sequential<float> net = NetworkBuilder<float>.FromSizes([4, 16, 3], ActivationKind.Relu, ActivationKind.Softmax, seed: 1);
var trainer = new Trainer<float>(net, new CrossEntropy<float>(), new Adam<float>(0.01),
    new TrainingOptions { Mode = DescentMode.MiniBatch, BatchSize = 16, Epochs = 50, Seed = 1 });
History history = trainer.Fit(train.FeatureTensor<float>(), train.TargetTensor<float>());

(double loss, double accuracy) = Metrics.Evaluate(net, test.FeatureTensor<float>(), test.TargetTensor<float>(), new CrossEntropy<float>());
Console.WriteLine(net.Summary());
Console.WriteLine($"final training loss {history.FinalLoss:F4}; test loss {loss:F4}, test accuracy {accuracy:P1}");
