using Orbit.Contracts.Rollouts;
using Orbit.Registry.Rollouts.Analysis;
using Orbit.Registry.Rollouts.Experiments;
using Orbit.Registry.Rollouts.Shadow;

namespace Orbit.Registry.Tests.Rollouts;

public sealed class ShadowJudgeTests
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 30, 12, 0, 0, TimeSpan.Zero);
    private static readonly RolloutAnalysis Defaults = new();
    private static readonly ShadowRun Run = new(100, 600, 0.95, null, false, T0.AddMinutes(10), T0, ShadowTally.Empty(1, 2));

    [Fact]
    public void A_shadow_that_agrees_on_enough_rows_and_fails_no_more_than_stable_passes()
    {
        var judged = ShadowJudge.Judge(Tally(mirrored: 1000, stableErrors: 3, shadowErrors: 5, rows: 1000, agreed: 960), Run, Defaults);

        Assert.Equal(Verdict.Pass, judged.Verdict);
        Assert.Equal(0.96, judged.Metrics.Single(m => m.Metric == ShadowJudge.Agreement).Candidate);
        Assert.Equal(Verdict.Pass, judged.Metrics.Single(m => m.Metric == ShadowJudge.ErrorRate).Verdict);
    }

    [Fact]
    public void Agreement_below_the_threshold_fails_and_the_reason_names_the_metric()
    {
        var judged = ShadowJudge.Judge(Tally(mirrored: 1000, rows: 1000, agreed: 940), Run, Defaults);

        Assert.Equal(Verdict.Fail, judged.Verdict);
        Assert.StartsWith("agreement:", judged.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void A_shadow_failing_more_requests_than_stable_by_more_than_the_margin_fails_even_when_its_answers_agree()
    {
        var judged = ShadowJudge.Judge(Tally(mirrored: 1000, stableErrors: 10, shadowErrors: 25, rows: 975, agreed: 975), Run, Defaults);

        Assert.Equal(Verdict.Fail, judged.Verdict);
        var errors = judged.Metrics.Single(m => m.Metric == ShadowJudge.ErrorRate);
        Assert.Equal((0.025, 0.01, Verdict.Fail), (errors.Candidate, errors.Stable, errors.Verdict));
    }

    [Fact]
    public void Fewer_mirrored_requests_than_min_samples_is_inconclusive_never_a_pass()
    {
        var judged = ShadowJudge.Judge(Tally(mirrored: 49, rows: 49, agreed: 49), Run, Defaults);

        Assert.Equal(Verdict.Inconclusive, judged.Verdict);
        Assert.Contains("fewer than minSamples 50", judged.Reason);
    }

    [Fact]
    public void Too_few_classified_rows_leave_agreement_inconclusive()
    {
        var judged = ShadowJudge.Judge(Tally(mirrored: 500, rows: 20, agreed: 20, values: 480, absDiff: 4.8), Run, Defaults);

        Assert.Equal(Verdict.Inconclusive, judged.Verdict);
        Assert.Equal(Verdict.Inconclusive, judged.Metrics.Single(m => m.Metric == ShadowJudge.Agreement).Verdict);
    }

    [Fact]
    public void Numeric_outputs_report_the_mean_absolute_difference_and_fail_only_above_a_set_limit()
    {
        var tally = Tally(mirrored: 200, values: 400, absDiff: 20);

        var reported = ShadowJudge.Judge(tally, Run, Defaults);
        var limited = ShadowJudge.Judge(tally, Run with { MaxMeanAbsDiff = 0.01 }, Defaults);

        Assert.Equal(Verdict.Pass, reported.Verdict);
        Assert.Equal(0.05, reported.Metrics.Single(m => m.Metric == ShadowJudge.MeanAbsDiff).Candidate);
        Assert.Equal(Verdict.Fail, limited.Verdict);
        Assert.StartsWith("mean_abs_diff:", limited.Reason, StringComparison.Ordinal);
        Assert.EndsWith("above 0.01", limited.Reason, StringComparison.Ordinal);
        Assert.EndsWith("above 1E-6", ShadowJudge.Judge(tally, Run with { MaxMeanAbsDiff = 0.000001 }, Defaults).Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Nothing_compared_is_inconclusive_and_skipped_mirrors_are_noted()
    {
        var judged = ShadowJudge.Judge(Tally(mirrored: 100, incomparable: 100, skipped: 7), Run, Defaults);

        Assert.Equal(Verdict.Inconclusive, judged.Verdict);
        Assert.Contains(judged.Findings, f => f.Contains("7 mirror(s) skipped", StringComparison.Ordinal));
        Assert.Contains(judged.Findings, f => f.Contains("100 answer pair(s) could not be compared", StringComparison.Ordinal));
    }

    [Fact]
    public void Latency_is_shown_for_both_versions_but_never_decides()
    {
        var slow = Tally(mirrored: 100, rows: 100, agreed: 100) with
        {
            Stable = new ArmTally(1, 100, 100, 0, 0, 0, 3, [1, 2, 3]),
            Shadow = new ArmTally(2, 0, 100, 0, 0, 0, 3, [100, 200, 300]),
        };

        var judged = ShadowJudge.Judge(slow, Run, Defaults);

        Assert.Equal(Verdict.Pass, judged.Verdict);
        var latency = judged.Metrics.Single(m => m.Metric == ShadowJudge.LatencyP95);
        Assert.Equal((290.0, 2.9), (Math.Round(latency.Candidate, 6), Math.Round(latency.Stable, 6)));
    }

    [Fact]
    public void A_tally_adds_gateway_windows_and_keeps_rates_and_means()
    {
        var tally = ShadowTally.Empty(1, 2)
            .Add(Window(mirrored: 10, stableErrors: 1, shadowErrors: 2, compared: 8, rows: 8, agreed: 7), 100)
            .Add(Window(mirrored: 10, stableErrors: 0, shadowErrors: 0, compared: 10, rows: 10, agreed: 10, values: 4, absDiff: 2), 100);

        Assert.Equal((20L, 18L, 18L, 17L), (tally.Mirrored, tally.Compared, tally.ClassifiedRows, tally.AgreedRows));
        Assert.Equal((0.05, 0.1, 0.5), (tally.StableErrorRate, tally.ShadowErrorRate, tally.MeanAbsDiff));
        Assert.Equal(2 * 3, tally.Shadow.Latencies.Count);
    }

    private static ShadowTally Tally(long mirrored, long stableErrors = 0, long shadowErrors = 0, long rows = 0, long agreed = 0, long values = 0,
        double absDiff = 0, long incomparable = 0, long skipped = 0) =>
        ShadowTally.Empty(1, 2) with
        {
            Mirrored = mirrored,
            Skipped = skipped,
            Compared = mirrored - incomparable - shadowErrors,
            Incomparable = incomparable,
            ClassifiedRows = rows,
            AgreedRows = agreed,
            NumericValues = values,
            AbsDiffSum = absDiff,
            Stable = new ArmTally(1, 100, mirrored, stableErrors, 0, 0, 0, []),
            Shadow = new ArmTally(2, 0, mirrored, shadowErrors, 0, 0, 0, []),
        };

    private static ShadowWindowObserved Window(long mirrored, long stableErrors, long shadowErrors, long compared, long rows, long agreed, long values = 0, double absDiff = 0) =>
        new("t", "m", 1, 2, "test", T0, T0.AddSeconds(5), mirrored, 0, stableErrors, shadowErrors, compared, 0, rows, agreed, values, absDiff, [1, 2, 3], [4, 5, 6]);
}
