using Orbit.Registry.Rollouts.Analysis;

using Orbit.Contracts.Rollouts;

namespace Orbit.Registry.Tests.Rollouts;

public sealed class CanaryAnalysisTests
{
    private static readonly RolloutAnalysis Settings = new(MinSamples: 50, ErrorRateMargin: 0.02, LatencyMargin: 0.10);

    [Fact]
    public void A_healthy_candidate_with_enough_traffic_passes_every_metric()
    {
        var results = CanaryAnalysis.Evaluate(Arm(2, 400, 0, 5.0), Arm(1, 2000, 2, 5.0), Settings);

        Assert.All(results, r => Assert.Equal(Verdict.Pass, r.Verdict));
        Assert.Equal(Verdict.Pass, CanaryAnalysis.Overall(results));
    }

    [Fact]
    public void An_arm_below_the_minimum_samples_is_inconclusive_never_a_failure_even_when_every_request_failed()
    {
        var results = CanaryAnalysis.Evaluate(Arm(2, 20, 20, 50.0), Arm(1, 2000, 0, 5.0), Settings);

        Assert.All(results, r => Assert.Equal(Verdict.Inconclusive, r.Verdict));
        Assert.Contains("fewer than 50", results[0].Reason);
    }

    [Fact]
    public void A_candidate_failing_a_third_of_its_requests_fails_on_error_rate_naming_the_test_and_numbers()
    {
        var results = CanaryAnalysis.Evaluate(Arm(2, 300, 100, 5.0), Arm(1, 2000, 2, 5.0), Settings);

        var errors = results.Single(r => r.Metric == CanaryAnalysis.ErrorRate);
        Assert.Equal(Verdict.Fail, errors.Verdict);
        Assert.Equal(100 / 300.0, errors.Candidate, 1e-12);
        Assert.Equal(300, errors.CandidateSamples);
        Assert.True(errors.PValue < 0.05);
        Assert.Contains("two-proportion", errors.Test);
        Assert.Equal(Verdict.Fail, CanaryAnalysis.Overall(results));
    }

    [Fact]
    public void A_candidate_twice_as_slow_fails_on_latency()
    {
        var results = CanaryAnalysis.Evaluate(Arm(2, 300, 0, 10.0), Arm(1, 300, 0, 5.0), Settings);

        Assert.Equal(Verdict.Fail, results.Single(r => r.Metric == CanaryAnalysis.LatencyP99).Verdict);
    }

    [Fact]
    public void Accuracy_is_judged_only_where_outcomes_arrived_and_critical_drift_fails()
    {
        var without = CanaryAnalysis.Evaluate(Arm(2, 400, 0, 5.0), Arm(1, 400, 0, 5.0), Settings);
        var worse = CanaryAnalysis.Evaluate(
            Arm(2, 400, 0, 5.0) with { Labelled = 300, Correct = 180, DriftLevel = "critical" },
            Arm(1, 400, 0, 5.0) with { Labelled = 300, Correct = 270, DriftLevel = "ok" },
            Settings);

        Assert.DoesNotContain(without, r => r.Metric == CanaryAnalysis.Accuracy);
        Assert.Equal(Verdict.Fail, worse.Single(r => r.Metric == CanaryAnalysis.Accuracy).Verdict);
        Assert.Equal(Verdict.Fail, worse.Single(r => r.Metric == CanaryAnalysis.Drift).Verdict);
    }

    [Fact]
    public void P99_interpolates_between_closest_ranks_like_numpy()
    {
        Assert.Equal(99.01, CanaryAnalysis.P99(Enumerable.Range(1, 100).Select(i => (double)i).ToArray()), 1e-9);
    }

    // Deterministic latencies spread ±30 % around the median, so the arms differ only where a test says they do.
    private static ArmSample Arm(int version, long requests, long errors, double medianMs) =>
        new(version, requests, errors, Enumerable.Range(0, (int)requests).Select(i => medianMs * (0.7 + (0.6 * ((i * 7919) % 1000) / 1000.0))).ToArray());
}
