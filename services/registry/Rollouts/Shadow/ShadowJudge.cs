using System.Globalization;
using Orbit.Contracts.Rollouts;
using Orbit.Registry.Rollouts.Analysis;

namespace Orbit.Registry.Rollouts.Shadow;

/// <summary>A shadow's verdict with the metrics it rests on and what a person should know besides.</summary>
internal sealed record ShadowJudgement(Verdict Verdict, IReadOnlyList<MetricResult> Metrics, IReadOnlyList<string> Findings, string Reason);

/// <summary>
/// A shadow's decision semantics, without storage or clocks. Both versions answered the same requests, so the
/// comparison is paired: the shadow's error rate on the mirrored requests against stable's on the same requests, the
/// share of rows on which the shadow gave stable's label, and the mean absolute difference of numeric outputs.
/// <list type="bullet">
/// <item>Fewer than <see cref="RolloutAnalysis.MinSamples"/> mirrored requests: <b>inconclusive</b>, never a pass.</item>
/// <item><c>error_rate</c> fails when the shadow's rate exceeds stable's by more than <see cref="RolloutAnalysis.ErrorRateMargin"/>.</item>
/// <item><c>agreement</c> (classification outputs) fails below the agreement threshold; fewer than MinSamples rows is inconclusive.</item>
/// <item><c>mean_abs_diff</c> (numeric outputs) fails above <see cref="ShadowRun.MaxMeanAbsDiff"/>; without one it is reported, not judged.</item>
/// <item>Any failing metric fails the shadow; else any inconclusive one, or nothing compared at all, makes it inconclusive; else it passes.</item>
/// </list>
/// </summary>
internal static class ShadowJudge
{
    public const string ErrorRate = "error_rate";
    public const string Agreement = "agreement";
    public const string MeanAbsDiff = "mean_abs_diff";
    public const string LatencyP95 = "latency_p95_ms";

    public static ShadowJudgement Judge(ShadowTally tally, ShadowRun run, RolloutAnalysis analysis)
    {
        var findings = new List<string>();
        if (tally.Skipped > 0)
        {
            findings.Add($"{tally.Skipped} mirror(s) skipped: gateways had their limit of mirrors in flight");
        }

        if (tally.Incomparable > 0)
        {
            findings.Add($"{tally.Incomparable} answer pair(s) could not be compared (different outputs or shapes)");
        }

        if (tally.Mirrored < analysis.MinSamples)
        {
            return new ShadowJudgement(Verdict.Inconclusive, [ErrorRateOf(tally, analysis)], findings,
                $"only {tally.Mirrored} mirrored request(s), fewer than minSamples {analysis.MinSamples}");
        }

        var metrics = new List<MetricResult> { ErrorRateOf(tally, analysis) };
        if (tally.ClassifiedRows > 0)
        {
            metrics.Add(AgreementOf(tally, run, analysis));
        }

        if (tally.NumericValues > 0)
        {
            metrics.Add(MeanAbsDiffOf(tally, run));
        }

        metrics.Add(LatencyOf(tally));
        var judged = metrics.Where(m => m.Metric != LatencyP95 && !(m.Metric == MeanAbsDiff && run.MaxMeanAbsDiff is null)).ToList();
        if (judged.FirstOrDefault(m => m.Verdict == Verdict.Fail) is { } failed)
        {
            return new ShadowJudgement(Verdict.Fail, metrics, findings, $"{failed.Metric}: {failed.Reason}");
        }

        if (judged.FirstOrDefault(m => m.Verdict == Verdict.Inconclusive) is { } open)
        {
            return new ShadowJudgement(Verdict.Inconclusive, metrics, findings, $"{open.Metric}: {open.Reason}");
        }

        if (tally.Compared == 0)
        {
            return new ShadowJudgement(Verdict.Inconclusive, metrics, findings, "no answer pair could be compared");
        }

        return new ShadowJudgement(Verdict.Pass, metrics, findings,
            $"{tally.Compared} answer pairs compared: " + string.Join("; ", judged.Select(m => $"{m.Metric} {m.Reason}")));
    }

    private static MetricResult ErrorRateOf(ShadowTally t, RolloutAnalysis a)
    {
        var shadow = t.ShadowErrorRate ?? 0;
        var stable = t.StableErrorRate ?? 0;
        var test = $"shadow − stable error rate on the same mirrored requests, margin {F(a.ErrorRateMargin)}";
        var verdict = t.Mirrored < a.MinSamples ? Verdict.Inconclusive : shadow - stable <= a.ErrorRateMargin ? Verdict.Pass : Verdict.Fail;
        var reason = verdict switch
        {
            Verdict.Inconclusive => $"{t.Mirrored} mirrored request(s), fewer than {a.MinSamples}",
            Verdict.Pass => $"{F(shadow)} vs stable {F(stable)}: within the margin",
            _ => $"{F(shadow)} vs stable {F(stable)}: worse by more than {F(a.ErrorRateMargin)}",
        };
        return new MetricResult(ErrorRate, test, shadow, stable, a.ErrorRateMargin, t.Mirrored, t.Mirrored, null, verdict, reason);
    }

    private static MetricResult AgreementOf(ShadowTally t, ShadowRun run, RolloutAnalysis a)
    {
        var agreement = t.Agreement!.Value;
        var verdict = t.ClassifiedRows < a.MinSamples ? Verdict.Inconclusive : agreement >= run.AgreementThreshold ? Verdict.Pass : Verdict.Fail;
        var reason = verdict switch
        {
            Verdict.Inconclusive => $"{t.ClassifiedRows} classified row(s), fewer than {a.MinSamples}",
            Verdict.Pass => $"{F(agreement)} of rows agree (threshold {F(run.AgreementThreshold)})",
            _ => $"only {F(agreement)} of rows agree, below the threshold {F(run.AgreementThreshold)}",
        };
        return new MetricResult(Agreement, "share of rows where shadow and stable give the same label", agreement, 1, run.AgreementThreshold,
            t.ClassifiedRows, t.ClassifiedRows, null, verdict, reason);
    }

    private static MetricResult MeanAbsDiffOf(ShadowTally t, ShadowRun run)
    {
        var mean = t.MeanAbsDiff!.Value;
        var (verdict, reason) = run.MaxMeanAbsDiff switch
        {
            null => (Verdict.Pass, $"{F(mean)} (reported, not judged: no maxMeanAbsDiff)"),
            { } max when mean <= max => (Verdict.Pass, $"{F(mean)}, at most {F(max)}"),
            { } max => (Verdict.Fail, $"{F(mean)}, above {F(max)}"),
        };
        return new MetricResult(MeanAbsDiff, "mean |stable − shadow| over numeric output values", mean, 0, run.MaxMeanAbsDiff ?? 0,
            t.NumericValues, t.NumericValues, null, verdict, reason);
    }

    /// <summary>Shown, never judged: the shadow's copies travel at asynchronous priority, behind real-time work.</summary>
    private static MetricResult LatencyOf(ShadowTally t) =>
        new(LatencyP95, "p95 of sampled latencies on mirrored requests (shown, not judged)", Percentile(t.Shadow.Latencies, 0.95) ?? 0,
            Percentile(t.Stable.Latencies, 0.95) ?? 0, 0, t.Shadow.Latencies.Count, t.Stable.Latencies.Count, null, Verdict.Pass, "not judged: mirrors run at asynchronous priority");

    /// <summary>The q-quantile by linear interpolation, or null without values.</summary>
    public static double? Percentile(IReadOnlyList<double> values, double q)
    {
        if (values.Count == 0)
        {
            return null;
        }

        var sorted = values.Order().ToArray();
        var position = q * (sorted.Length - 1);
        var low = (int)Math.Floor(position);
        var high = Math.Min(low + 1, sorted.Length - 1);
        return sorted[low] + ((position - low) * (sorted[high] - sorted[low]));
    }

    // Small limits (a mean difference of 1e-6) must not print as 0.
    private static string F(double value) =>
        value != 0 && Math.Abs(value) < 0.0001 ? value.ToString("0.###E+0", CultureInfo.InvariantCulture) : value.ToString("0.####", CultureInfo.InvariantCulture);
}
