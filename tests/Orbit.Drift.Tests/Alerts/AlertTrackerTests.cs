using Orbit.Contracts.Drift;
using Orbit.Drift.Alerts;

namespace Orbit.Drift.Tests.Alerts;

public sealed class AlertTrackerTests
{
    private static readonly AlertThresholds Psi = new(0.1, 0.25);

    [Fact]
    public void A_scripted_sequence_of_windows_produces_exactly_the_expected_transitions()
    {
        double[] values =
        [
            0.05, 0.12, 0.13, 0.02, // a run of two over warning, broken: nothing
            0.12, 0.15, 0.11,       // third in a row over 0.1: warning
            0.3, 0.3,               // two over critical: still warning
            0.09, 0.3, 0.3, 0.3,    // 0.09 is not under the clear threshold 0.08 but breaks the critical run; then three: critical
            0.21, 0.22, 0.205,      // under 0.25 but not under 0.2 (0.8 × 0.25): stays critical
            0.15, 0.15, 0.15,       // three under 0.2: falls to warning
            0.07, 0.079, 0.05,      // 0.07 and 0.079 under 0.08, 0.05 too: ok on the third
        ];
        var tracker = new AlertTracker();
        var transitions = new List<(int Index, AlertLevel From, AlertLevel To, double Threshold)>();
        for (var i = 0; i < values.Length; i++)
        {
            if (tracker.Step(values[i], Psi) is { } t)
            {
                transitions.Add((i, t.From, t.To, t.Threshold));
            }
        }

        Assert.Equal(
            [
                (6, AlertLevel.Ok, AlertLevel.Warning, 0.1),
                (12, AlertLevel.Warning, AlertLevel.Critical, 0.25),
                (18, AlertLevel.Critical, AlertLevel.Warning, 0.2),
                (21, AlertLevel.Warning, AlertLevel.Ok, 0.08000000000000002),
            ],
            transitions);
    }

    [Fact]
    public void Values_between_the_clear_threshold_and_the_threshold_never_flap()
    {
        var tracker = new AlertTracker();
        var changes = 0;
        for (var i = 0; i < 100; i++)
        {
            changes += tracker.Step(i < 3 ? 0.2 : (i % 2 == 0 ? 0.11 : 0.085), Psi) is null ? 0 : 1;
        }

        Assert.Equal(1, changes);
        Assert.Equal(AlertLevel.Warning, tracker.Level);
    }

    [Fact]
    public void K_consecutive_evaluations_over_critical_go_from_ok_straight_to_critical_once()
    {
        var tracker = new AlertTracker();
        Assert.Null(tracker.Step(0.5, Psi));
        Assert.Null(tracker.Step(0.5, Psi));
        var transition = tracker.Step(0.5, Psi);
        Assert.Equal(new AlertTransition(AlertLevel.Ok, AlertLevel.Critical, 0.5, 0.25), transition);
        Assert.Null(tracker.Step(0.5, Psi));
    }

    [Fact]
    public void Leaving_critical_with_low_values_goes_straight_to_ok()
    {
        var tracker = new AlertTracker { Level = AlertLevel.Critical };
        Assert.Null(tracker.Step(0.01, Psi));
        Assert.Null(tracker.Step(0.01, Psi));
        Assert.Equal(AlertLevel.Ok, tracker.Step(0.01, Psi)!.To);
    }

    [Fact]
    public void For_p_values_lower_is_worse_and_the_clear_threshold_is_above()
    {
        var pValue = new AlertThresholds(0.05, 0.01, HigherIsWorse: false, Consecutive: 2);
        var tracker = new AlertTracker();
        Assert.Null(tracker.Step(0.03, pValue));
        Assert.Equal(AlertLevel.Warning, tracker.Step(0.03, pValue)!.To);
        Assert.Null(tracker.Step(0.06, pValue)); // above 0.05 but not above 0.0625
        Assert.Null(tracker.Step(0.07, pValue));
        Assert.Equal(new AlertTransition(AlertLevel.Warning, AlertLevel.Ok, 0.07, 0.0625), tracker.Step(0.07, pValue));
    }

    [Fact]
    public void Evaluations_without_data_neither_advance_nor_break_a_run()
    {
        var tracker = new AlertTracker();
        tracker.Step(0.2, Psi);
        tracker.Step(double.NaN, Psi);
        tracker.Step(0.2, Psi);
        Assert.Equal(AlertLevel.Ok, tracker.Level);
        Assert.NotNull(tracker.Step(0.2, Psi));
    }

    [Fact]
    public void Defaults_follow_the_baseline_size()
    {
        Assert.Equal("ks_pvalue", DefaultTests.For(FeatureWindow.Numeric, 1000).Name);
        Assert.Equal("psi", DefaultTests.For(FeatureWindow.Numeric, 1001).Name);
        Assert.Equal("chi2_pvalue", DefaultTests.For(FeatureWindow.Categorical, 500).Name);
        Assert.Equal("js", DefaultTests.For(FeatureWindow.Categorical, 50_000).Name);
        Assert.Equal(new AlertThresholds(0.1, 0.25), DefaultTests.For(FeatureWindow.Numeric, 5000).Thresholds);
    }

    [Fact]
    public void Invalid_thresholds_are_named()
    {
        Assert.Null(Psi.Invalid());
        Assert.NotNull(new AlertThresholds(0.3, 0.2).Invalid());
        Assert.NotNull(new AlertThresholds(0.1, 0.2, Consecutive: 0).Invalid());
    }
}
