using Orbit.Contracts.Drift;
using Orbit.Drift.Scores;

namespace Orbit.Drift.Alerts;

/// <summary>The metric that drives a feature's alert state, with its tiers.</summary>
public sealed record AlertMetric(string Name, AlertThresholds Thresholds);

/// <summary>
/// The default test per feature type and sample size, after Evidently's rule (its <c>get_default_stattest</c>: the
/// reference's size decides, 1,000 rows the boundary): small baselines get a hypothesis test — KS for numeric
/// features (p-value from the binned statistic, asymptotic), χ² for categoricals — with warning at p &lt; 0.05 and
/// critical at p &lt; 0.01; larger baselines a distance — PSI for numeric features (0.1 / 0.25; Evidently's normed
/// Wasserstein needs the baseline's standard deviation, which bins do not carry) and the Jensen–Shannon distance
/// for categoricals (Evidently's 0.1, critical 0.2). Deciding by the baseline keeps one metric per feature for the
/// version's life, so the hysteresis runs are never mixed.
/// </summary>
public static class DefaultTests
{
    public const long SmallBaselineRows = 1000;

    public static AlertMetric For(string kind, long baselineRows, int consecutive = 3, double clearFactor = 0.8)
    {
        var small = baselineRows <= SmallBaselineRows;
        return (kind, small) switch
        {
            (FeatureWindow.Categorical, true) => new AlertMetric(MetricNames.ChiSquaredPValue, new AlertThresholds(0.05, 0.01, false, consecutive, clearFactor)),
            (FeatureWindow.Categorical, false) => new AlertMetric(MetricNames.Js, new AlertThresholds(0.1, 0.2, true, consecutive, clearFactor)),
            (_, true) => new AlertMetric(MetricNames.KsPValue, new AlertThresholds(0.05, 0.01, false, consecutive, clearFactor)),
            _ => new AlertMetric(MetricNames.Psi, new AlertThresholds(0.1, 0.25, true, consecutive, clearFactor)),
        };
    }
}
