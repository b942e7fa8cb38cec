using Orbit.Retrainer.Gate;

namespace Orbit.Retrainer.Tests.Gate;

public sealed class ValidationGateTests
{
    private static readonly GateRules Rules = new(
        ModelMetrics.Auc, [ModelMetrics.Accuracy, ModelMetrics.LogLoss], MinImprovement: 0.01, Tolerance: 0.02,
        Bounds: new Dictionary<string, double> { [ModelMetrics.Auc] = 0.6 });

    private static readonly Dictionary<string, double> Stable = new() { ["auc"] = 0.80, ["accuracy"] = 0.75, ["logloss"] = 0.50 };

    [Fact]
    public void A_candidate_that_beats_stable_by_the_margin_without_regressing_passes()
    {
        var decision = ValidationGate.Decide(Rules, new Dictionary<string, double> { ["auc"] = 0.82, ["accuracy"] = 0.74, ["logloss"] = 0.51 }, Stable);

        Assert.True(decision.Passed);
        Assert.False(decision.Forced);
        Assert.StartsWith("passed: auc 0.82 vs stable 0.8", decision.Reason);
        Assert.All(decision.Checks, c => Assert.True(c.Passed));
    }

    [Fact]
    public void A_candidate_better_by_less_than_the_margin_fails_naming_the_primary_metric()
    {
        var decision = ValidationGate.Decide(Rules, new Dictionary<string, double> { ["auc"] = 0.805, ["accuracy"] = 0.75, ["logloss"] = 0.5 }, Stable);

        Assert.False(decision.Passed);
        Assert.Contains("auc 0.805 does not beat stable 0.8 by the margin (needs 0.81)", decision.Reason);
    }

    [Fact]
    public void A_candidate_that_regresses_a_guard_metric_beyond_the_tolerance_fails()
    {
        var decision = ValidationGate.Decide(Rules, new Dictionary<string, double> { ["auc"] = 0.9, ["accuracy"] = 0.72, ["logloss"] = 0.53 }, Stable);

        Assert.False(decision.Passed);
        Assert.Contains("accuracy 0.72 regresses from stable 0.75", decision.Reason);
        Assert.Contains("logloss 0.53 regresses from stable 0.5", decision.Reason);
    }

    [Fact]
    public void Lower_is_better_for_RMSE_as_the_primary_metric()
    {
        var rules = new GateRules(ModelMetrics.Rmse, [ModelMetrics.Mae], 0.05, 0.01, new Dictionary<string, double>());
        var stable = new Dictionary<string, double> { ["rmse"] = 1.0, ["mae"] = 0.8 };

        Assert.True(ValidationGate.Decide(rules, new Dictionary<string, double> { ["rmse"] = 0.9, ["mae"] = 0.805 }, stable).Passed);
        Assert.False(ValidationGate.Decide(rules, new Dictionary<string, double> { ["rmse"] = 0.97, ["mae"] = 0.7 }, stable).Passed);
    }

    [Fact]
    public void Without_a_stable_version_only_the_bounds_apply()
    {
        Assert.True(ValidationGate.Decide(Rules, new Dictionary<string, double> { ["auc"] = 0.65, ["accuracy"] = 0.1, ["logloss"] = 9 }, null).Passed);

        var below = ValidationGate.Decide(Rules, new Dictionary<string, double> { ["auc"] = 0.55 }, null);
        Assert.False(below.Passed);
        Assert.Contains("auc 0.55 is outside its bound 0.6", below.Reason);
    }

    [Fact]
    public void An_AUC_that_cannot_be_computed_fails()
    {
        var decision = ValidationGate.Decide(Rules with { Bounds = new Dictionary<string, double>() }, new Dictionary<string, double> { ["auc"] = double.NaN }, Stable);

        Assert.False(decision.Passed);
    }

    [Fact]
    public void Forcing_past_the_gate_passes_a_failing_candidate_and_says_why_it_would_have_failed()
    {
        var decision = ValidationGate.Decide(Rules with { ForcePastGate = true }, new Dictionary<string, double> { ["auc"] = 0.5, ["accuracy"] = 0.5, ["logloss"] = 0.7 }, Stable);

        Assert.True(decision.Passed);
        Assert.True(decision.Forced);
        Assert.StartsWith("forced past the gate by configuration; failed: ", decision.Reason);
    }
}
