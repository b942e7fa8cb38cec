using Orbit.Contracts.Drift;

namespace Orbit.Drift.Scores;

/// <summary>Categorical scores over the sorted (ordinal) union of both sides' categories, χ² with them.</summary>
public static class CategoricalScores
{
    public static DriftScores Score(IReadOnlyDictionary<string, double> live, IReadOnlyDictionary<string, double> baseline)
    {
        var categories = live.Keys.Union(baseline.Keys, StringComparer.Ordinal).Order(StringComparer.Ordinal).ToArray();
        var liveCounts = new double[categories.Length];
        var baselineCounts = new double[categories.Length];
        for (var i = 0; i < categories.Length; i++)
        {
            liveCounts[i] = live.GetValueOrDefault(categories[i]);
            baselineCounts[i] = baseline.GetValueOrDefault(categories[i]);
        }

        var scores = HistogramScores.Score(FeatureWindow.Categorical, liveCounts, baselineCounts);
        var (statistic, pValue) = ChiSquared.Test(liveCounts, Smoothing.Smooth(baselineCounts));
        return scores with { ChiSquared = statistic, ChiSquaredPValue = pValue };
    }
}
