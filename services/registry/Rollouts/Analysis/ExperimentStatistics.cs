using MathNet.Numerics.Distributions;

namespace Orbit.Registry.Rollouts.Analysis;

/// <summary>
/// Two-sided comparisons of an experiment arm with its control, each with a difference, a confidence interval at
/// 1 − α and a p-value. Built on <see cref="StatisticalTests"/> with a margin of zero.
/// </summary>
internal static class ExperimentStatistics
{
    /// <summary>
    /// Rates (errors per request, correct per labelled outcome): the Agresti–Caffo interval (one event and one
    /// non-event added to each arm, then Wald) for arm − control, and the two-sided p-value of the same z, so the
    /// interval excludes 0 exactly when p &lt; α. <see cref="Interval.Difference"/> is the raw (unadjusted) difference.
    /// </summary>
    public static Interval Proportions(long armEvents, long armTotal, long controlEvents, long controlTotal, double alpha)
    {
        var comparison = StatisticalTests.Proportions(armEvents, armTotal, controlEvents, controlTotal, 0);
        var se = Se(armEvents, armTotal, controlEvents, controlTotal);
        var z = Normal.InvCDF(0, 1, 1 - (alpha / 2));
        var raw = (armEvents / (double)armTotal) - (controlEvents / (double)controlTotal);
        return new Interval(raw, comparison.Difference - (z * se), comparison.Difference + (z * se), TwoSided(comparison));
    }

    /// <summary>Mann–Whitney U, two-sided (scipy's <c>mannwhitneyu(method="asymptotic")</c>): does one arm's latency tend to be larger?</summary>
    public static double MannWhitneyP(IReadOnlyList<double> arm, IReadOnlyList<double> control) =>
        TwoSided(StatisticalTests.MannWhitney(arm, control, 0));

    /// <summary>
    /// p99(arm) − p99(control) with a percentile bootstrap interval: <paramref name="resamples"/> resamples of each
    /// arm with replacement, from a fixed seed so a report is reproducible.
    /// </summary>
    public static (double Difference, double Low, double High) P99Difference(IReadOnlyList<double> arm, IReadOnlyList<double> control, double alpha, int resamples = 1000, int seed = 12)
    {
        var random = new Random(seed);
        var differences = new double[resamples];
        var a = new double[arm.Count];
        var c = new double[control.Count];
        for (var r = 0; r < resamples; r++)
        {
            for (var i = 0; i < a.Length; i++)
            {
                a[i] = arm[random.Next(arm.Count)];
            }

            for (var i = 0; i < c.Length; i++)
            {
                c[i] = control[random.Next(control.Count)];
            }

            differences[r] = CanaryAnalysis.P99(a) - CanaryAnalysis.P99(c);
        }

        Array.Sort(differences);
        return (CanaryAnalysis.P99(arm) - CanaryAnalysis.P99(control), Quantile(differences, alpha / 2), Quantile(differences, 1 - (alpha / 2)));
    }

    private static double TwoSided(Comparison comparison) => Math.Min(1, 2 * Math.Min(comparison.PNonInferior, comparison.PHarm));

    private static double Se(long armEvents, long armTotal, long controlEvents, long controlTotal)
    {
        var pa = (armEvents + 1.0) / (armTotal + 2.0);
        var pc = (controlEvents + 1.0) / (controlTotal + 2.0);
        return Math.Sqrt((pa * (1 - pa) / (armTotal + 2.0)) + (pc * (1 - pc) / (controlTotal + 2.0)));
    }

    /// <summary>Linear between closest ranks (numpy's default) on sorted values.</summary>
    private static double Quantile(double[] sorted, double q)
    {
        var position = q * (sorted.Length - 1);
        var low = (int)Math.Floor(position);
        var high = Math.Min(low + 1, sorted.Length - 1);
        return sorted[low] + ((position - low) * (sorted[high] - sorted[low]));
    }
}

/// <param name="Difference">Arm − control, unadjusted.</param>
/// <param name="PValue">Two-sided.</param>
internal sealed record Interval(double Difference, double Low, double High, double PValue);
