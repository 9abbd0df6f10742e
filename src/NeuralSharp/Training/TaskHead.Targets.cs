using System.Numerics;
using System.Numerics.Tensors;
using NeuralSharp.Data;
using NeuralSharp.Layers;
using NeuralSharp.Losses;

namespace NeuralSharp.Training;

/// <summary>The head's targets and its metric.</summary>
public sealed partial record TaskHead
{
    /// <summary>
    /// A data set's targets as this head's loss takes them (see <see cref="Targets"/>), regression values standardized by
    /// <paramref name="scale"/> when given; converted to <typeparamref name="T"/> once.
    /// </summary>
    public NDArray<T> EncodeTargets<T>(Dataset data, Standardizer? scale = null)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(data);
        return EncodeTargets<T>(data.Targets, data.Count, scale);
    }

    /// <summary>
    /// Targets of <paramref name="rows"/> samples — class indices, or row-major values for regression — as this head's
    /// loss takes them, regression values standardized by <paramref name="scale"/> when given.
    /// </summary>
    public NDArray<T> EncodeTargets<T>(ReadOnlySpan<double> targets, int rows, Standardizer? scale = null)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(rows);
        int width = targets.Length / rows;
        switch (Targets)
        {
            case TargetEncoding.Values:
                var values = new NDArray<T>(rows, width);
                if (scale is null)
                {
                    TensorPrimitives.ConvertTruncating(targets, values.AsSpan());
                    return values;
                }

                double[] scaled = targets.ToArray();
                scale.Transform(scaled);
                TensorPrimitives.ConvertTruncating<double, T>(scaled, values.AsSpan());
                return values;
            case TargetEncoding.ClassIndices:
                var indices = new NDArray<T>(new Shape(rows));
                TensorPrimitives.ConvertTruncating(targets, indices.AsSpan());
                return indices;
            case TargetEncoding.OneHot:
                var oneHot = new NDArray<T>(rows, OutputWidth);
                for (int i = 0; i < rows; i++)
                {
                    oneHot[i, (int)targets[i * width]] = T.One;
                }

                return oneHot;
            default:
                var column = new NDArray<T>(rows, 1);
                T no = Targets == TargetEncoding.PlusMinusOne ? -T.One : T.Zero;
                for (int i = 0; i < rows; i++)
                {
                    column[i] = (int)targets[i * width] == 1 ? T.One : no;
                }

                return column;
        }
    }

    /// <summary>
    /// The class each row of outputs y stands for: the arg-max of several outputs, or for one output 1 when it passes
    /// the midpoint of its two targets (0.5 for a sigmoid's 0/1, 0 for a tanh's −1/+1).
    /// </summary>
    public int[] PredictedClasses<T>(NDArray<T> y)
        where T : unmanaged, IFloatingPointIeee754<T> => Metrics.PredictedClasses(y, Midpoint);

    /// <summary>The class indices targets d hold: a <c>[n]</c> vector of indices, one column of 0/1 (or ±1), or one-hot rows.</summary>
    public int[] TargetClasses<T>(NDArray<T> d)
        where T : unmanaged, IFloatingPointIeee754<T> => Metrics.TargetClasses(d, Midpoint);

    private double Midpoint => Targets == TargetEncoding.PlusMinusOne ? 0 : 0.5;

    /// <summary>The metric of outputs y against targets d: accuracy for classes, R² for numbers.</summary>
    public double Metric<T>(NDArray<T> y, NDArray<T> d)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(y);
        ArgumentNullException.ThrowIfNull(d);
        if (Task != TaskKind.Regression)
        {
            return Metrics.Accuracy(TargetClasses(d), PredictedClasses(y));
        }

        var yd = new double[y.Length];
        var dd = new double[d.Length];
        TensorPrimitives.ConvertTruncating(y.AsSpan(), yd.AsSpan());
        TensorPrimitives.ConvertTruncating(d.AsSpan(), dd.AsSpan());
        return Metrics.RSquared(yd, dd);
    }

    /// <summary>The loss and this head's metric of a network on (x, d), in inference mode.</summary>
    public (double Loss, double Metric) Evaluate<T>(Sequential<T> network, NDArray<T> x, NDArray<T> d, ILoss<T> loss)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(network);
        ArgumentNullException.ThrowIfNull(loss);
        NDArray<T> y = network.Predict(x);
        return (double.CreateChecked(loss.Compute(y, d)), Metric(y, d));
    }
}
