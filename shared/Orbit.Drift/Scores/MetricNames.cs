namespace Orbit.Drift.Scores;

/// <summary>Metric names as they appear in events, the API and <c>drift compare --json</c>.</summary>
public static class MetricNames
{
    public const string Psi = "psi";
    public const string Kl = "kl";
    public const string Js = "js";
    public const string Ks = "ks";
    public const string KsRaw = "ks_raw";
    public const string KsPValue = "ks_pvalue";
    public const string Wasserstein = "wasserstein";
    public const string ChiSquared = "chi2";
    public const string ChiSquaredPValue = "chi2_pvalue";

    public static double ValueOf(DriftScores scores, string metric) => metric switch
    {
        Psi => scores.Psi,
        Kl => scores.Kl,
        Js => scores.Js,
        Ks => scores.Ks,
        KsRaw => scores.KsRaw ?? double.NaN,
        KsPValue => scores.KsPValue ?? double.NaN,
        Wasserstein => scores.Wasserstein ?? scores.WassersteinBinned ?? double.NaN,
        ChiSquared => scores.ChiSquared ?? double.NaN,
        ChiSquaredPValue => scores.ChiSquaredPValue ?? double.NaN,
        _ => throw new ArgumentException($"Unknown metric '{metric}'.", nameof(metric)),
    };
}
