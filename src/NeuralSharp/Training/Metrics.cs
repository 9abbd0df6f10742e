using System.Numerics;
using NeuralSharp.Layers;
using NeuralSharp.Losses;

namespace NeuralSharp.Training;

/// <summary>Measures of how good predictions are: accuracy for classes, MSE, MAE and R² for numbers.</summary>
public static class Metrics
{
    /// <summary>
    /// The predicted class of each row of y: the arg-max of several outputs, or 1 when a single output is ≥
    /// <paramref name="midpoint"/> (0.5 for a sigmoid; a tanh's is 0, see <see cref="TaskHead.PredictedClasses{T}"/>).
    /// </summary>
    public static int[] PredictedClasses<T>(NDArray<T> y, double midpoint = 0.5)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(y);
        T threshold = T.CreateChecked(midpoint);
        var classes = new int[y.Rows];
        for (int i = 0; i < y.Rows; i++)
        {
            ReadOnlySpan<T> row = y.Row(i);
            classes[i] = row.Length == 1
                ? (row[0] >= threshold ? 1 : 0)
                : System.Numerics.Tensors.TensorPrimitives.IndexOfMax(row);
        }

        return classes;
    }

    /// <summary>The class indices held by targets d: a <c>[n]</c> vector of indices, 0/1 in <c>[n, 1]</c>, or one-hot rows.</summary>
    public static int[] TargetClasses<T>(NDArray<T> d, double midpoint = 0.5)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(d);
        return d.Rank == 1 ? [.. d.ToArray().Select(v => int.CreateTruncating(v))] : PredictedClasses(d, midpoint);
    }

    /// <summary>The fraction of equal entries.</summary>
    public static double Accuracy(IReadOnlyList<int> actual, IReadOnlyList<int> predicted)
    {
        ArgumentNullException.ThrowIfNull(actual);
        ArgumentNullException.ThrowIfNull(predicted);
        return actual.Count == 0 ? 0 : actual.Where((a, i) => a == predicted[i]).Count() / (double)actual.Count;
    }

    /// <summary>Mean squared error <c>(1/n) Σ (y − d)²</c> (no ½: the reported metric, not the loss).</summary>
    public static double MeanSquaredError(ReadOnlySpan<double> y, ReadOnlySpan<double> d)
    {
        double sum = 0;
        for (int i = 0; i < y.Length; i++)
        {
            sum += (y[i] - d[i]) * (y[i] - d[i]);
        }

        return y.Length == 0 ? 0 : sum / y.Length;
    }

    /// <summary>Mean absolute error <c>(1/n) Σ |y − d|</c>.</summary>
    public static double MeanAbsoluteError(ReadOnlySpan<double> y, ReadOnlySpan<double> d)
    {
        double sum = 0;
        for (int i = 0; i < y.Length; i++)
        {
            sum += Math.Abs(y[i] - d[i]);
        }

        return y.Length == 0 ? 0 : sum / y.Length;
    }

    /// <summary>Coefficient of determination <c>R² = 1 − Σ (d − y)² / Σ (d − mean d)²</c>: 1 is perfect, 0 is predicting the mean.</summary>
    public static double RSquared(ReadOnlySpan<double> y, ReadOnlySpan<double> d)
    {
        double mean = 0;
        foreach (double value in d)
        {
            mean += value;
        }

        mean /= Math.Max(d.Length, 1);
        double residual = 0, total = 0;
        for (int i = 0; i < y.Length; i++)
        {
            residual += (d[i] - y[i]) * (d[i] - y[i]);
            total += (d[i] - mean) * (d[i] - mean);
        }

        return total == 0 ? 0 : 1 - (residual / total);
    }

    /// <summary>
    /// The area under the ROC curve of a binary classifier: the chance that a positive sample scores above a negative
    /// one (ties count half), from the ranks of the scores (Mann–Whitney); NaN when one class is absent.
    /// </summary>
    /// <param name="scores">Each sample's score for the positive class (its probability).</param>
    /// <param name="positive">Each sample's truth.</param>
    public static double RocAuc(ReadOnlySpan<double> scores, ReadOnlySpan<bool> positive)
    {
        if (scores.Length != positive.Length)
        {
            throw new ShapeMismatchException($"{scores.Length} scores for {positive.Length} labels.");
        }

        int[] order = [.. Enumerable.Range(0, scores.Length)];
        double[] copy = scores.ToArray();
        Array.Sort(copy, order);
        double rankSum = 0;
        long positives = 0;
        for (int i = 0; i < copy.Length;)
        {
            // a run of equal scores shares the mean of its ranks (1-based)
            int end = i;
            while (end + 1 < copy.Length && copy[end + 1] == copy[i])
            {
                end++;
            }

            double rank = ((i + end) / 2.0) + 1;
            for (int k = i; k <= end; k++)
            {
                if (positive[order[k]])
                {
                    rankSum += rank;
                    positives++;
                }
            }

            i = end + 1;
        }

        long negatives = scores.Length - positives;
        return positives == 0 || negatives == 0 ? double.NaN : (rankSum - (positives * (positives + 1) / 2.0)) / (positives * (double)negatives);
    }

    /// <summary>The mean negative log-likelihood of the true classes, <c>−(1/N) Σ log p(true)</c>, each probability clipped to [1e-15, 1] (scikit-learn's log_loss).</summary>
    /// <param name="probabilities">Each sample's probability of its true class.</param>
    public static double LogLoss(ReadOnlySpan<double> probabilities)
    {
        double sum = 0;
        foreach (double p in probabilities)
        {
            sum -= Math.Log(Math.Clamp(p, 1e-15, 1));
        }

        return probabilities.Length == 0 ? double.NaN : sum / probabilities.Length;
    }

    /// <summary>
    /// The loss and the metric of a network on (x, d), in inference mode (also <c>network.Evaluate(x, d, loss)</c>), for the task head its loss implies (<see cref="TaskHead.Infer{T}"/>:
    /// R² for squared error, accuracy otherwise); with a head at hand, ask it (<see cref="TaskHead.Evaluate{T}"/>).
    /// </summary>
    public static (double Loss, double Metric) Evaluate<T>(this Sequential<T> network, NDArray<T> x, NDArray<T> d, ILoss<T> loss)
        where T : unmanaged, IFloatingPointIeee754<T> => TaskHead.Infer(loss, network).Evaluate(network, x, d, loss);
}
