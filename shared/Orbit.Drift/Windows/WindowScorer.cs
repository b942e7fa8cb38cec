using Orbit.Contracts.Drift;
using Orbit.Drift.Scores;

namespace Orbit.Drift.Windows;

/// <summary>Scores a merged live histogram against its baseline (the monitor's path: bins only, no raw values).</summary>
public static class WindowScorer
{
    /// <param name="baselineRows">The baseline's sample size for the KS p-value when its counts are proportions; else their sum.</param>
    public static DriftScores Score(FeatureBaseline baseline, WindowHistogram live, long? baselineRows = null)
    {
        if (baseline.Kind == FeatureWindow.Categorical)
        {
            var counts = new Dictionary<string, double>(live.Categories.Count, StringComparer.Ordinal);
            foreach (var (name, count) in live.Categories)
            {
                counts[name] = count;
            }

            return CategoricalScores.Score(counts, baseline.Frequencies);
        }

        var liveCounts = new double[live.BinCounts.Length];
        for (var i = 0; i < liveCounts.Length; i++)
        {
            liveCounts[i] = live.BinCounts[i];
        }

        var scores = HistogramScores.Score(FeatureWindow.Numeric, liveCounts, baseline.Counts);
        var liveTotal = (long)Smoothing.Sum(liveCounts);
        var baselineTotal = baselineRows ?? (long)Math.Round(Smoothing.Sum(baseline.Counts));
        return scores with
        {
            KsPValue = liveTotal > 0 && baselineTotal > 0 ? KolmogorovSmirnov.AsymptoticPValue(liveTotal, baselineTotal, scores.Ks) : null,
            WassersteinBinned = Wasserstein.FromBins(baseline.Edges, liveCounts, baseline.Counts),
        };
    }
}
