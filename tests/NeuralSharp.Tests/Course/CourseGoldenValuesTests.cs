using NeuralSharp.Activations;
using NeuralSharp.Diagnostics;
using NeuralSharp.Layers;
using NeuralSharp.Losses;
using NeuralSharp.Optimizers;
using NeuralSharp.Tests.TestSupport;
using static NeuralSharp.Tests.TestSupport.CourseNetworks;

namespace NeuralSharp.Tests.Course;

/// <summary>
/// The values the course's notebooks print (1_1 forward propagation, 1_2 backpropagation), in double precision,
/// tolerance 1e-8. Provenance: the list of the notebooks' outputs, rounded there to 8 decimals.
/// </summary>
public sealed class CourseGoldenValuesTests
{
    [Fact]
    public void Single_unit_with_relu_gives_1_3()
    {
        var net = new Sequential<double>(Dense(new[,] { { 0.1 }, { 0.2 } }, [0.5]), Activation(ActivationKind.Relu));
        NDArray<double> z = net.Forward(NDArray.Row(2.0, 3.0));
        Expect.Close([1.3], net.Layers[0].LastOutput!);
        Expect.Close([1.3], z);
    }

    [Fact]
    public void One_layer_four_to_three_with_sigmoid()
    {
        var w = new[,] { { 0.1, 0.2, 0.3 }, { 0.2, 0.3, 0.4 }, { 0.3, 0.4, 0.5 }, { 0.4, 0.5, 0.6 } };
        var net = new Sequential<double>(Dense(w, [0.1, 0.2, 0.3]), Activation(ActivationKind.Sigmoid));
        NDArray<double> z = net.Forward(NDArray.Row(1.0, 5.0, 2.0, -1.0));
        Expect.Close([1.4, 2.2, 3.0], net.Layers[0].LastOutput!);
        Expect.Close([0.80218389, 0.90024951, 0.95257413], z);
    }

    [Fact]
    public void Network_2_3_2_2_relu_relu_identity()
    {
        var net = new Sequential<double>(
            Dense(W1, B1), Activation(ActivationKind.Relu),
            Dense(W2, B2), Activation(ActivationKind.Relu),
            Dense(new[,] { { 0.1, 0.3 }, { 0.2, 0.4 } }, [1, 2]), Activation(ActivationKind.Identity));
        NDArray<double> y = net.Forward(NDArray.Row(1.0, 2.0));
        Expect.Close([0.6, 1.3, 2.0], net.Layers[0].LastOutput!);
        Expect.Close([1.02, 2.29], net.Layers[2].LastOutput!);
        Expect.Close([1.56, 3.222], y);
    }

    [Fact]
    public void Multi_class_2_3_4_softmax_and_cross_entropy()
    {
        var w2 = new[,] { { 0.1, 0.4, 0.7, 1.0 }, { 0.2, 0.5, 0.8, 1.1 }, { 0.3, 0.6, 0.9, 1.2 } };
        var net = new Sequential<double>(
            Dense(W1, B1), Activation(ActivationKind.Relu), Dense(w2, [0.1, 0.2, 0.3, 0.4]), Activation(ActivationKind.Softmax));
        NDArray<double> y = net.Forward(NDArray.Row(1.0, 2.0));
        Expect.Close([0.01602796, 0.05707321, 0.20322929, 0.72366954], y);
        Expect.Close(0.3234202933601941, new CrossEntropy<double>().Compute(y, NDArray.Row(0.0, 0, 0, 1)));
        Expect.Close(0.3234202933601941, new CrossEntropy<double>().Compute(y, NDArray.Vector(3.0)));
    }

    [Fact]
    public void Regression_2_3_2_identity_and_mean_squared_error()
    {
        Sequential<double> net = TwoThreeTwo(ActivationKind.Identity);
        NDArray<double> y = net.Forward(NDArray.Row(1.0, 2.0));
        Expect.Close([1.02, 2.29], y);
        Expect.Close(0.971125, new SquaredError<double>().Compute(y, NDArray.Row(2.0, 4.0)));
    }

    [Fact]
    public void Binary_2_3_1_sigmoid_and_cross_entropy()
    {
        var net = new Sequential<double>(
            Dense(W1, B1), Activation(ActivationKind.Relu), Dense(new[,] { { 0.2 }, { 0.4 }, { 0.6 } }, [0.1]), Activation(ActivationKind.Sigmoid));
        NDArray<double> y = net.Forward(NDArray.Row(1.0, 2.0));
        Expect.Close([0.87435214], y);
        NDArray<double> d = NDArray.Row(1.0);
        Expect.Close(0.13427195993720972, new CrossEntropy<double>().Compute(y, d));
        Expect.Close(0.13427195993720972, new BinaryCrossEntropy<double>().Compute(y, d));
    }

    [Fact]
    public void One_backprop_step_of_notebook_1_2()
    {
        Sequential<double> net = TwoThreeTwo(ActivationKind.Softmax);
        var loss = new CrossEntropy<double>();
        Trace<double> trace = Trace<double>.Record(net, NDArray.Row(1.0, 5.0), NDArray.Row(0.0, 1.0), loss);

        Expect.Close(new[,] { { 0.08706577, 0.91293423 } }, trace["y"].Value);
        Expect.Close(new[,] { { 0.08706577, -0.08706577 } }, trace["delta2"].Value);
        Expect.Close(new[,] { { -0.02611973, -0.02611973, -0.02611973 } }, trace["delta1"].Value);
        Expect.Close(new[,] { { 0.10447893, -0.10447893 }, { 0.21766443, -0.21766443 }, { 0.33084994, -0.33084994 } }, trace["dW2"].Value);
        Expect.Close([-0.02611973, -0.02611973, -0.02611973], trace["db1"].Value);

        new Sgd<double>(learningRate: 0.01).Step(net.Parameters);
        var dense1 = (Dense<double>)net.Layers[0];
        var dense2 = (Dense<double>)net.Layers[2];
        Expect.Close(new[,] { { 0.1002612, 0.3002612, 0.5002612 }, { 0.20130599, 0.40130599, 0.60130599 } }, dense1.Weights.Value);
        Expect.Close([0.09912934, 0.20087066], dense2.Bias.Value);
    }
}
