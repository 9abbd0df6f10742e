using CsCheck;
using NeuralSharp.Training;

namespace NeuralSharp.Tests.Training;

/// <summary>ROC AUC and log-loss against independent oracles: every pair of a positive and a negative counted, and logs by hand.</summary>
public sealed class RocAucAndLogLossTests
{
    [Fact]
    public void Auc_is_the_share_of_positive_negative_pairs_in_order()
    {
        // scores from few values, so that ties come up often
        Gen.Select(Gen.Int[0, 5].Select(v => v / 5.0).Array[2, 40], Gen.Bool.Array[2, 40]).Sample((scores, labels) =>
        {
            int n = Math.Min(scores.Length, labels.Length);
            double pairs = 0, ordered = 0;
            for (int i = 0; i < n; i++)
            {
                for (int j = 0; j < n; j++)
                {
                    if (labels[i] && !labels[j])
                    {
                        pairs++;
                        ordered += scores[i] > scores[j] ? 1 : scores[i] == scores[j] ? 0.5 : 0;
                    }
                }
            }

            double auc = Metrics.RocAuc(scores.AsSpan(0, n), labels.AsSpan(0, n));
            if (pairs == 0)
            {
                Assert.True(double.IsNaN(auc));
            }
            else
            {
                Assert.Equal(ordered / pairs, auc, 12);
            }
        }, iter: 500);
    }

    [Fact]
    public void Log_loss_is_the_mean_negative_log_of_the_true_class_clipped_at_1e_15()
    {
        Assert.Equal(-(Math.Log(0.9) + Math.Log(0.2)) / 2, Metrics.LogLoss([0.9, 0.2]), 14);
        Assert.Equal(-Math.Log(1e-15), Metrics.LogLoss([0.0]), 10);
    }

    [Fact]
    public void A_binary_runs_test_report_has_both_a_multiclass_run_only_log_loss()
    {
        TrainingRun<float> binary = TrainingRun<float>.Start(new RunConfig { Data = "breast-cancer", Epochs = 5 });
        binary.Fit();
        TestReport report = binary.Evaluate();
        Assert.InRange(report.RocAuc!.Value, 0.9, 1);
        Assert.InRange(report.LogLoss!.Value, 0, 0.5);
        TrainingRun<float> classes = TrainingRun<float>.Start(new RunConfig { Data = "iris", Epochs = 5 });
        classes.Fit();
        Assert.Null(classes.Evaluate().RocAuc);
        Assert.NotNull(classes.Evaluate().LogLoss);
    }
}
