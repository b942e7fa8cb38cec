using Orbit.Contracts.Drift;
using Orbit.Drift.Binning;
using Orbit.Drift.Scores;

namespace Orbit.Drift.Comparison;

/// <summary>
/// Scores of two raw samples of one column (what <c>orbit drift compare</c> prints): numeric columns binned by the
/// baseline's deciles, categorical ones over the sorted union of both samples' categories.
/// </summary>
public static class SampleComparison
{
    /// <summary>Both samples without NaN (missing values removed by the caller); the baseline non-empty.</summary>
    public static DriftScores Numeric(double[] baseline, double[] live)
    {
        if (baseline.Length == 0 || live.Length == 0)
        {
            throw new ArgumentException("A numeric comparison needs at least one baseline and one live value.");
        }

        var sortedBaseline = (double[])baseline.Clone();
        var sortedLive = (double[])live.Clone();
        Array.Sort(sortedBaseline);
        Array.Sort(sortedLive);
        var edges = BinEdges.Deciles(sortedBaseline);
        var baselineCounts = ToDouble(BinEdges.Count(edges, sortedBaseline));
        var liveCounts = ToDouble(BinEdges.Count(edges, sortedLive));
        var ks = KolmogorovSmirnov.TwoSample(sortedLive, sortedBaseline);
        return HistogramScores.Score(FeatureWindow.Numeric, liveCounts, baselineCounts) with
        {
            KsRaw = ks.Statistic,
            KsPValue = ks.PValue,
            KsExact = ks.Exact,
            Wasserstein = Scores.Wasserstein.FromSamples(sortedLive, sortedBaseline),
            WassersteinBinned = Scores.Wasserstein.FromBins(edges, liveCounts, baselineCounts),
        };
    }

    public static DriftScores Categorical(IReadOnlyList<string> baseline, IReadOnlyList<string> live)
    {
        if (baseline.Count == 0 || live.Count == 0)
        {
            throw new ArgumentException("A categorical comparison needs at least one baseline and one live value.");
        }

        var baselineCounts = CountCategories(baseline);
        var liveCounts = CountCategories(live);
        return CategoricalScores.Score(liveCounts, baselineCounts);
    }

    private static Dictionary<string, double> CountCategories(IReadOnlyList<string> values)
    {
        var counts = new Dictionary<string, double>(StringComparer.Ordinal);
        foreach (var value in values)
        {
            counts[value] = counts.GetValueOrDefault(value) + 1;
        }

        return counts;
    }

    internal static double[] ToDouble(long[] counts) => Array.ConvertAll(counts, c => (double)c);
}
