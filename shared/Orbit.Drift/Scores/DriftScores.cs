namespace Orbit.Drift.Scores;

/// <summary>
/// Every statistic of one feature, live against baseline. Null where it does not apply: <see cref="KsRaw"/>,
/// <see cref="KsPValue"/> and raw-sample <see cref="Wasserstein"/> need raw values (compare only);
/// <see cref="ChiSquared"/> and <see cref="ChiSquaredPValue"/> are for categoricals.
/// </summary>
public sealed record DriftScores(
    string Kind,
    double Psi,
    double Kl,
    double Js,
    double Ks,
    double? KsRaw = null,
    double? KsPValue = null,
    bool? KsExact = null,
    double? Wasserstein = null,
    double? WassersteinBinned = null,
    double? ChiSquared = null,
    double? ChiSquaredPValue = null,
    long BaselineCount = 0,
    long LiveCount = 0);

/// <summary>The statistics shared by numeric bins and categories: PSI, KL, JS over smoothed proportions and binned KS.</summary>
public static class HistogramScores
{
    public static DriftScores Score(string kind, ReadOnlySpan<double> liveCounts, ReadOnlySpan<double> baselineCounts)
    {
        var live = Smoothing.Smooth(liveCounts);
        var baseline = Smoothing.Smooth(baselineCounts);
        return new DriftScores(
            kind,
            Divergences.Psi(live, baseline),
            Divergences.KullbackLeibler(live, baseline),
            Divergences.JensenShannonDistance(live, baseline),
            KolmogorovSmirnov.Binned(liveCounts, baselineCounts),
            BaselineCount: (long)Smoothing.Sum(baselineCounts),
            LiveCount: (long)Smoothing.Sum(liveCounts));
    }
}
