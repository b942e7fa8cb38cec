using Orbit.Contracts.Drift;
using Orbit.Drift.Scores;
using Orbit.Drift.Windows;

namespace Orbit.DriftMonitor.Evaluation;

/// <summary>A feature's latest evaluation as stored (JSON in <c>feature_states.latest</c>) and shown by the API.</summary>
internal sealed record FeatureLatest(
    string Kind,
    string Test,
    double? Value,
    double Warning,
    double Critical,
    IReadOnlyDictionary<string, double?> Scores,
    long SampleSize,
    HistogramView Live,
    HistogramView Baseline)
{
    public static IReadOnlyDictionary<string, double?> ScoresOf(DriftScores s) => new Dictionary<string, double?>(StringComparer.Ordinal)
    {
        [MetricNames.Psi] = Finite(s.Psi),
        [MetricNames.Kl] = Finite(s.Kl),
        [MetricNames.Js] = Finite(s.Js),
        [MetricNames.Ks] = Finite(s.Ks),
        [MetricNames.KsPValue] = Finite(s.KsPValue),
        [MetricNames.Wasserstein] = Finite(s.WassersteinBinned),
        [MetricNames.ChiSquared] = Finite(s.ChiSquared),
        [MetricNames.ChiSquaredPValue] = Finite(s.ChiSquaredPValue),
    };

    public static HistogramView LiveOf(WindowHistogram live, FeatureBaseline baseline) => baseline.Kind == FeatureWindow.Numeric
        ? new HistogramView(baseline.Edges, live.BinCounts.Select(c => (double)c).ToArray(), null)
        : new HistogramView(null, null, live.Categories.ToDictionary(c => c.Key, c => (double)c.Value, StringComparer.Ordinal));

    public static HistogramView BaselineOf(FeatureBaseline baseline) => baseline.Kind == FeatureWindow.Numeric
        ? new HistogramView(baseline.Edges, baseline.Counts, null)
        : new HistogramView(null, null, baseline.Frequencies);

    public static double? Finite(double? value) => value is { } v && double.IsFinite(v) ? v : null;
}
