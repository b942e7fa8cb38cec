using System.Globalization;

using Orbit.Contracts.Rollouts;

namespace Orbit.Registry.Rollouts.Analysis;

/// <summary>
/// Judges one interval: the candidate against stable on error rate, p99 latency, accuracy (where outcomes
/// arrived) and drift state (where the monitor reports one). A metric with fewer than the minimum samples in
/// either arm is inconclusive, never a failure; otherwise it passes when non-inferiority is shown at α, fails
/// when harm beyond the margin is shown at α, and is inconclusive when neither is.
/// </summary>
internal static class CanaryAnalysis
{
    public const string ErrorRate = "error_rate";
    public const string LatencyP99 = "latency_p99_ms";
    public const string Accuracy = "accuracy";
    public const string Drift = "drift";

    public static IReadOnlyList<MetricResult> Evaluate(ArmSample candidate, ArmSample stable, RolloutAnalysis settings)
    {
        var results = new List<MetricResult>
        {
            ErrorRateOf(candidate, stable, settings),
            LatencyOf(candidate, stable, settings),
        };
        if (candidate.Labelled > 0 || stable.Labelled > 0)
        {
            results.Add(AccuracyOf(candidate, stable, settings));
        }

        if (candidate.DriftLevel is not null)
        {
            results.Add(DriftOf(candidate, stable));
        }

        return results;
    }

    /// <summary>The interval's verdict: any failure fails it, all passes pass it, anything else is inconclusive.</summary>
    public static Verdict Overall(IReadOnlyList<MetricResult> results) =>
        results.Any(r => r.Verdict == Verdict.Fail) ? Verdict.Fail
        : results.All(r => r.Verdict == Verdict.Pass) ? Verdict.Pass
        : Verdict.Inconclusive;

    private static MetricResult ErrorRateOf(ArmSample candidate, ArmSample stable, RolloutAnalysis settings)
    {
        var test = $"two-proportion z (Agresti-Caffo), non-inferiority margin {Format(settings.ErrorRateMargin)}";
        var result = new MetricResult(ErrorRate, test, Rate(candidate.Errors, candidate.Requests), Rate(stable.Errors, stable.Requests),
            settings.ErrorRateMargin, candidate.Requests, stable.Requests, null, Verdict.Inconclusive, "");
        if (Math.Min(candidate.Requests, stable.Requests) < settings.MinSamples)
        {
            return result with { Reason = TooFew("requests", settings.MinSamples) };
        }

        var comparison = StatisticalTests.Proportions(candidate.Errors, candidate.Requests, stable.Errors, stable.Requests, settings.ErrorRateMargin);
        return Judge(result, comparison, settings.Alpha, "error rate");
    }

    private static MetricResult LatencyOf(ArmSample candidate, ArmSample stable, RolloutAnalysis settings)
    {
        var test = $"Mann-Whitney U, non-inferiority margin {Format(settings.LatencyMargin * 100)} %";
        var result = new MetricResult(LatencyP99, test, P99(candidate.LatenciesMs), P99(stable.LatenciesMs), settings.LatencyMargin,
            candidate.LatenciesMs.Count, stable.LatenciesMs.Count, null, Verdict.Inconclusive, "");
        if (Math.Min(candidate.LatenciesMs.Count, stable.LatenciesMs.Count) < settings.MinSamples)
        {
            return result with { Reason = TooFew("latency samples", settings.MinSamples) };
        }

        var comparison = StatisticalTests.MannWhitney(candidate.LatenciesMs, stable.LatenciesMs, settings.LatencyMargin);
        return Judge(result, comparison, settings.Alpha, "latency");
    }

    private static MetricResult AccuracyOf(ArmSample candidate, ArmSample stable, RolloutAnalysis settings)
    {
        var test = $"two-proportion z (Agresti-Caffo) on misses, non-inferiority margin {Format(settings.AccuracyMargin)}";
        var result = new MetricResult(Accuracy, test, Rate(candidate.Correct, candidate.Labelled), Rate(stable.Correct, stable.Labelled),
            settings.AccuracyMargin, candidate.Labelled, stable.Labelled, null, Verdict.Inconclusive, "");
        if (Math.Min(candidate.Labelled, stable.Labelled) < settings.MinSamples)
        {
            return result with { Reason = TooFew("labelled outcomes", settings.MinSamples) };
        }

        var comparison = StatisticalTests.Proportions(
            candidate.Labelled - candidate.Correct, candidate.Labelled, stable.Labelled - stable.Correct, stable.Labelled, settings.AccuracyMargin);
        return Judge(result, comparison, settings.Alpha, "accuracy");
    }

    private static MetricResult DriftOf(ArmSample candidate, ArmSample stable)
    {
        var critical = string.Equals(candidate.DriftLevel, "critical", StringComparison.OrdinalIgnoreCase);
        return new MetricResult(Drift, "drift monitor state (critical fails)", Level(candidate.DriftLevel), Level(stable.DriftLevel), 0,
            candidate.Requests, stable.Requests, null, critical ? Verdict.Fail : Verdict.Pass,
            critical ? "the candidate's inputs have drifted critically from its baseline" : $"drift state {candidate.DriftLevel}");
    }

    private static MetricResult Judge(MetricResult result, Comparison comparison, double alpha, string what)
    {
        if (comparison.PHarm < alpha)
        {
            return result with { PValue = comparison.PHarm, Verdict = Verdict.Fail, Reason = $"{what} worse than the margin allows (p {P(comparison.PHarm)}, α = {Format(alpha)})" };
        }

        if (comparison.PNonInferior < alpha)
        {
            return result with { PValue = comparison.PNonInferior, Verdict = Verdict.Pass, Reason = $"{what} no worse than the margin allows (p {P(comparison.PNonInferior)}, α = {Format(alpha)})" };
        }

        return result with { PValue = comparison.PNonInferior, Reason = $"neither shown at α = {Format(alpha)} (non-inferiority p {P(comparison.PNonInferior)}, harm p {P(comparison.PHarm)})" };
    }

    private static string TooFew(string what, int minimum) => $"fewer than {minimum} {what} in an arm";

    private static double Rate(long events, long total) => total == 0 ? 0 : events / (double)total;

    private static double Level(string? level) => level?.ToLowerInvariant() switch
    {
        "critical" => 2,
        "warning" => 1,
        _ => 0,
    };

    /// <summary>The 99th percentile, linear between closest ranks (numpy's default).</summary>
    internal static double P99(IReadOnlyList<double> values)
    {
        if (values.Count == 0)
        {
            return 0;
        }

        var sorted = values.Order().ToArray();
        var position = 0.99 * (sorted.Length - 1);
        var low = (int)Math.Floor(position);
        var high = Math.Min(low + 1, sorted.Length - 1);
        return sorted[low] + ((position - low) * (sorted[high] - sorted[low]));
    }

    private static string Format(double value) => value.ToString("0.####", CultureInfo.InvariantCulture);

    private static string P(double p) => p < 0.0001 ? "< 0.0001" : "= " + Format(p);
}
