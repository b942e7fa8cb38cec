using System.Globalization;
using Orbit.Contracts.Rollouts;
using Orbit.Registry.Rollouts.Analysis;

namespace Orbit.Registry.Rollouts.Experiments;

/// <summary>
/// An experiment's report from its tallies: per arm its counts, error rate, latency percentiles and accuracy, and for
/// each arm but the control the difference from the control per metric with a confidence interval and a p-value.
/// </summary>
internal static class ExperimentReport
{
    public const string ErrorRate = "error_rate";
    public const string LatencyP99 = "latency_p99_ms";
    public const string Accuracy = "accuracy";

    public static ExperimentView View(Experiment e) => new(
        e.Id, e.Model, e.State, e.Control.Version, e.DurationSeconds, e.IntervalSeconds, e.Alpha, e.OnEnd, e.StartedAt, e.EndsAt, e.CollectedTo,
        e.StartedBy, e.EndedAt, e.Reason,
        e.Arms.Select((arm, i) => Arm(arm, i == 0, i == 0 ? [] : Compare(arm, e.Control, e.Alpha))).ToList());

    public static IReadOnlyList<ExperimentComparison> Compare(ArmTally arm, ArmTally control, double alpha) =>
    [
        ErrorRateOf(arm, control, alpha),
        LatencyOf(arm, control, alpha),
        AccuracyOf(arm, control, alpha),
    ];

    private static ExperimentArmReport Arm(ArmTally a, bool control, IReadOnlyList<ExperimentComparison> comparisons) => new(
        a.Version, a.Weight, control, a.Requests, a.Errors, Rate(a.Errors, a.Requests), a.Latencies.Count,
        Percentile(a.Latencies, 0.5), CanaryAnalysis.P99(a.Latencies), a.Labelled, a.Correct,
        a.Labelled == 0 ? null : a.Correct / (double)a.Labelled, comparisons);

    private static ExperimentComparison ErrorRateOf(ArmTally arm, ArmTally control, double alpha)
    {
        const string test = "two-proportion z (Agresti-Caffo interval), two-sided";
        if (arm.Requests == 0 || control.Requests == 0)
        {
            return Missing(ErrorRate, test, "no requests in an arm yet");
        }

        var interval = ExperimentStatistics.Proportions(arm.Errors, arm.Requests, control.Errors, control.Requests, alpha);
        return Judged(ErrorRate, test, interval.Difference, interval.Low, interval.High, interval.PValue, alpha);
    }

    private static ExperimentComparison LatencyOf(ArmTally arm, ArmTally control, double alpha)
    {
        const string test = "Mann-Whitney U, two-sided (p); percentile bootstrap on the p99 difference (interval)";
        if (arm.Latencies.Count < 2 || control.Latencies.Count < 2)
        {
            return Missing(LatencyP99, test, "fewer than 2 latency samples in an arm");
        }

        var (difference, low, high) = ExperimentStatistics.P99Difference(arm.Latencies, control.Latencies, alpha);
        return Judged(LatencyP99, test, difference, low, high, ExperimentStatistics.MannWhitneyP(arm.Latencies, control.Latencies), alpha);
    }

    private static ExperimentComparison AccuracyOf(ArmTally arm, ArmTally control, double alpha)
    {
        const string test = "two-proportion z (Agresti-Caffo interval), two-sided";
        if (arm.Labelled == 0 || control.Labelled == 0)
        {
            return Missing(Accuracy, test, "no labelled outcomes in an arm");
        }

        var interval = ExperimentStatistics.Proportions(arm.Correct, arm.Labelled, control.Correct, control.Labelled, alpha);
        return Judged(Accuracy, test, interval.Difference, interval.Low, interval.High, interval.PValue, alpha);
    }

    private static ExperimentComparison Judged(string metric, string test, double difference, double low, double high, double p, double alpha)
    {
        var significant = p < alpha;
        var level = Format((1 - alpha) * 100);
        return new ExperimentComparison(metric, test, difference, low, high, p, significant,
            significant
                ? $"different from the control (p {P(p)}, α = {Format(alpha)}); {level} % interval [{Format(low)}, {Format(high)}]"
                : $"no difference shown at α = {Format(alpha)} (p {P(p)})");
    }

    private static ExperimentComparison Missing(string metric, string test, string why) => new(metric, test, null, null, null, null, false, why);

    private static double Rate(long events, long total) => total == 0 ? 0 : events / (double)total;

    private static double Percentile(IReadOnlyList<double> values, double q)
    {
        if (values.Count == 0)
        {
            return 0;
        }

        var sorted = values.Order().ToArray();
        var position = q * (sorted.Length - 1);
        var low = (int)Math.Floor(position);
        var high = Math.Min(low + 1, sorted.Length - 1);
        return sorted[low] + ((position - low) * (sorted[high] - sorted[low]));
    }

    private static string Format(double value) => value.ToString("0.####", CultureInfo.InvariantCulture);

    private static string P(double p) => p < 0.0001 ? "< 0.0001" : "= " + Format(p);
}
