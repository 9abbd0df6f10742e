#:project ../src/NeuralSharp/NeuralSharp.csproj
#:package Microsoft.ML.OnnxRuntime
// Train on iris, export the model as ONNX, and serve it with ONNX Runtime: the way out to any ONNX host
// (ASP.NET, ML.NET, a phone, a browser). The same raw features go in; the standardizer travels inside the file.
//   dotnet run samples/03-onnx-runtime.cs                                  the demonstration on iris
//   dotnet run samples/03-onnx-runtime.cs -- M.nsmodel M.onnx [ROWS.csv]   ONNX Runtime against any model and its export
//                                                                         (on the CSV's rows of the model's columns, or on
//                                                                         1,000 rows drawn around its training data)
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;
using NeuralSharp;
using NeuralSharp.Activations;
using NeuralSharp.Data;
using NeuralSharp.Layers;
using NeuralSharp.Losses;
using NeuralSharp.Optimizers;
using NeuralSharp.Serialization;
using NeuralSharp.Serialization.Onnx;
using NeuralSharp.Training;

Dataset iris = BuiltInDatasets.Load("iris");
Model<float> model;
string path;
if (args.Length >= 2)
{
    model = ModelFile.Load<float>(args[0]);
    path = args[1];
    iris = args.Length > 2 ? Rows(model, args[2]) : model.DrawRows(1000);
}
else
{
    Standardizer scaler = Standardizer.Fit(iris);
    Sequential<float> net = NetworkBuilder<float>.FromSizes([4, 16, 3], ActivationKind.Relu, ActivationKind.Softmax, seed: 1);
    new Trainer<float>(net, new CrossEntropy<float>(), new Adam<float>(0.01), new TrainingOptions { Mode = DescentMode.MiniBatch, BatchSize = 16, Epochs = 30, Seed = 1 })
        .Fit(scaler.Transform(iris).FeatureTensor<float>(), iris.TargetTensor<float>());
    model = new Model<float>(net, iris.Task, iris.FeatureNames, iris.ClassNames, iris.TargetName, scaler);
    path = Path.Combine(Path.GetTempPath(), "neuralsharp-iris.onnx");
    OnnxFile.Save(path, model);
}

// ONNX Runtime takes raw features [batch, features] and gives the outputs (iris: the class probabilities [batch, 3])
using var session = new InferenceSession(path);
float[] raw = [.. iris.Features.ToArray().Select(v => (float)v)];
var input = new DenseTensor<float>(raw, [iris.Count, iris.FeatureCount]);
using IDisposableReadOnlyCollection<DisposableNamedOnnxValue> results = session.Run([NamedOnnxValue.CreateFromTensor("input", input)]);
float[] served = [.. results.Single().AsTensor<float>()];

double[] ours = model.Predict(iris).ToArray();
// probabilities agree to 1e-5; a number in the target's units (a price near 5e5) relative to its size, to 1e-4: both
// sides compute in float32, ONNX Runtime the scaling too (2e-5 measured on diabetes)
bool probabilities = model.ClassNames is not null;
double largest = ours.Zip(served, (a, b) => Math.Abs(a - (double)b) / (probabilities ? 1 : Math.Max(1, Math.Abs(a)))).Max();
Console.WriteLine($"ONNX Runtime served {iris.Count} rows from {Path.GetFileName(path)}; largest difference from NeuralSharp: {largest:G3}{(probabilities ? "" : " (relative to the value, where over 1)")}");
Console.WriteLine($"metadata: task {session.ModelMetadata.CustomMetadataMap["neuralsharp.task"]}, features {session.ModelMetadata.CustomMetadataMap["neuralsharp.features"]}");
return largest <= (probabilities ? 1e-5 : 1e-4) ? 0 : 1;

// a CSV's rows: the model's columns only, in its order (an id or a label column is left aside)
static Dataset Rows(Model<float> model, string csv) => CsvReader.Read(csv, new CsvOptions { WithoutTarget = true, Columns = model.FeatureNames });
