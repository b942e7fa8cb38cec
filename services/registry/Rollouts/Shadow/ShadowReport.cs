using Orbit.Contracts.Rollouts;
using Orbit.Registry.Rollouts.Experiments;

namespace Orbit.Registry.Rollouts.Shadow;

/// <summary>A shadow as the API shows it: settings, tallies, rates and latency percentiles, and the verdict once given.</summary>
internal static class ShadowReport
{
    public static ShadowView View(ShadowRun run, RolloutAnalysis analysis)
    {
        var t = run.Tally;
        return new ShadowView(
            run.MirrorPercent, run.DurationSeconds, run.AgreementThreshold, run.MaxMeanAbsDiff, analysis.ErrorRateMargin, analysis.MinSamples, run.PromoteOnPass,
            run.EndsAt, t.Mirrored, t.Skipped, t.Compared, t.Incomparable, t.ClassifiedRows, t.Agreement, t.NumericValues, t.MeanAbsDiff,
            t.StableErrorRate, t.ShadowErrorRate, Latency(t.Stable), Latency(t.Shadow), run.Verdict, run.Findings ?? []);
    }

    private static ShadowLatencyView Latency(ArmTally arm) =>
        new(arm.LatencySeen, ShadowJudge.Percentile(arm.Latencies, 0.5), ShadowJudge.Percentile(arm.Latencies, 0.95));
}
