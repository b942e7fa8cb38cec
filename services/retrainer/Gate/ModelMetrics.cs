namespace Orbit.Retrainer.Gate;

/// <summary>
/// The metrics the gate compares, computed the way scikit-learn does: <c>auc</c> (ROC AUC, ties at half
/// credit), <c>accuracy</c> (threshold 0.5), <c>logloss</c> (probabilities clipped to [1e-15, 1 − 1e-15]),
/// <c>rmse</c>, <c>mae</c>.
/// </summary>
internal static class ModelMetrics
{
    public const string Auc = "auc";
    public const string Accuracy = "accuracy";
    public const string LogLoss = "logloss";
    public const string Rmse = "rmse";
    public const string Mae = "mae";

    /// <summary>Whether a higher value of the metric is better.</summary>
    public static bool HigherIsBetter(string metric) => metric is Auc or Accuracy;

    public static IReadOnlyList<string> Known { get; } = [Auc, Accuracy, LogLoss, Rmse, Mae];

    /// <param name="labels">0 or 1.</param>
    /// <param name="probabilities">The predicted probability of class 1.</param>
    public static Dictionary<string, double> Classification(IReadOnlyList<double> labels, IReadOnlyList<double> probabilities) => new()
    {
        [Auc] = RocAuc(labels, probabilities),
        [Accuracy] = AccuracyOf(labels, probabilities),
        [LogLoss] = LogLossOf(labels, probabilities),
    };

    public static Dictionary<string, double> Regression(IReadOnlyList<double> values, IReadOnlyList<double> predictions) => new()
    {
        [Rmse] = RmseOf(values, predictions),
        [Mae] = MaeOf(values, predictions),
    };

    /// <summary>The Mann–Whitney form: the share of (positive, negative) pairs ranked right, ties counting half. NaN with one class only.</summary>
    public static double RocAuc(IReadOnlyList<double> labels, IReadOnlyList<double> scores)
    {
        Check(labels, scores);
        var order = Enumerable.Range(0, scores.Count).OrderBy(i => scores[i]).ToArray();
        double positives = 0, rankSum = 0;
        for (var start = 0; start < order.Length;)
        {
            var end = start;
            while (end + 1 < order.Length && scores[order[end + 1]] == scores[order[start]])
            {
                end++;
            }

            var averageRank = (start + end) / 2.0 + 1;
            for (var k = start; k <= end; k++)
            {
                if (labels[order[k]] >= 0.5)
                {
                    positives++;
                    rankSum += averageRank;
                }
            }

            start = end + 1;
        }

        var negatives = order.Length - positives;
        return positives == 0 || negatives == 0
            ? double.NaN
            : (rankSum - positives * (positives + 1) / 2) / (positives * negatives);
    }

    public static double AccuracyOf(IReadOnlyList<double> labels, IReadOnlyList<double> probabilities)
    {
        Check(labels, probabilities);
        var right = 0;
        for (var i = 0; i < labels.Count; i++)
        {
            right += (probabilities[i] >= 0.5) == (labels[i] >= 0.5) ? 1 : 0;
        }

        return (double)right / labels.Count;
    }

    public static double LogLossOf(IReadOnlyList<double> labels, IReadOnlyList<double> probabilities)
    {
        Check(labels, probabilities);
        const double eps = 1e-15;
        double sum = 0;
        for (var i = 0; i < labels.Count; i++)
        {
            var p = Math.Clamp(probabilities[i], eps, 1 - eps);
            sum -= labels[i] >= 0.5 ? Math.Log(p) : Math.Log(1 - p);
        }

        return sum / labels.Count;
    }

    public static double RmseOf(IReadOnlyList<double> values, IReadOnlyList<double> predictions)
    {
        Check(values, predictions);
        double sum = 0;
        for (var i = 0; i < values.Count; i++)
        {
            var d = predictions[i] - values[i];
            sum += d * d;
        }

        return Math.Sqrt(sum / values.Count);
    }

    public static double MaeOf(IReadOnlyList<double> values, IReadOnlyList<double> predictions)
    {
        Check(values, predictions);
        double sum = 0;
        for (var i = 0; i < values.Count; i++)
        {
            sum += Math.Abs(predictions[i] - values[i]);
        }

        return sum / values.Count;
    }

    private static void Check(IReadOnlyList<double> truth, IReadOnlyList<double> predicted)
    {
        if (truth.Count != predicted.Count || truth.Count == 0)
        {
            throw new ArgumentException($"Metrics need as many predictions as labels, and at least one ({truth.Count} labels, {predicted.Count} predictions).");
        }
    }
}
