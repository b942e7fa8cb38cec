using MathNet.Numerics.Distributions;

namespace Orbit.Registry.Rollouts.Analysis;

/// <summary>
/// One-sided comparisons of a candidate with stable, each against a margin: the candidate is "no worse than
/// stable by more than the margin" when <see cref="Comparison.PNonInferior"/> is below α, and "worse by more than
/// the margin" when <see cref="Comparison.PHarm"/> is below α. With too little data neither holds.
/// </summary>
internal static class StatisticalTests
{
    /// <summary>
    /// Rates where more events is worse (errors, misses). Agresti–Caffo: one event and one non-event are added to
    /// each arm, so two clean arms still have a standard error; z = (difference − margin) / se, normal tails.
    /// </summary>
    public static Comparison Proportions(long candidateEvents, long candidateTotal, long stableEvents, long stableTotal, double margin)
    {
        var pc = (candidateEvents + 1.0) / (candidateTotal + 2.0);
        var ps = (stableEvents + 1.0) / (stableTotal + 2.0);
        var difference = pc - ps;
        var se = Math.Sqrt((pc * (1 - pc) / (candidateTotal + 2.0)) + (ps * (1 - ps) / (stableTotal + 2.0)));
        var z = (difference - margin) / se;
        return new Comparison(difference, z, Normal.CDF(0, 1, z), 1 - Normal.CDF(0, 1, z));
    }

    /// <summary>
    /// Mann–Whitney U on the candidate's values divided by (1 + relative margin) against stable's, larger being
    /// worse (latency). Midranks for ties, tie-corrected variance, continuity correction: scipy's
    /// <c>mannwhitneyu(method="asymptotic")</c>. <see cref="Comparison.Difference"/> is U of the candidate.
    /// </summary>
    public static Comparison MannWhitney(IReadOnlyList<double> candidate, IReadOnlyList<double> stable, double relativeMargin)
    {
        int n1 = candidate.Count, n2 = stable.Count, n = n1 + n2;
        var all = new (double Value, bool Candidate)[n];
        for (var i = 0; i < n1; i++)
        {
            all[i] = (candidate[i] / (1 + relativeMargin), true);
        }

        for (var i = 0; i < n2; i++)
        {
            all[n1 + i] = (stable[i], false);
        }

        Array.Sort(all, (a, b) => a.Value.CompareTo(b.Value));
        double candidateRanks = 0, ties = 0;
        for (var start = 0; start < n;)
        {
            var end = start;
            while (end + 1 < n && all[end + 1].Value == all[start].Value)
            {
                end++;
            }

            var midrank = (start + end + 2) / 2.0;
            var group = end - start + 1.0;
            ties += (group * group * group) - group;
            for (var k = start; k <= end; k++)
            {
                if (all[k].Candidate)
                {
                    candidateRanks += midrank;
                }
            }

            start = end + 1;
        }

        var u = candidateRanks - (n1 * (n1 + 1) / 2.0);
        var mean = n1 * (double)n2 / 2;
        var sd = Math.Sqrt(n1 * (double)n2 / 12 * (n + 1 - (ties / (n * (n - 1.0)))));
        var pLess = Normal.CDF(0, 1, (u - mean + 0.5) / sd);
        var pGreater = 1 - Normal.CDF(0, 1, (u - mean - 0.5) / sd);
        return new Comparison(u, (u - mean) / sd, pLess, pGreater);
    }
}

/// <param name="Difference">The statistic compared: the adjusted rate difference, or U.</param>
/// <param name="Z">The standardised statistic.</param>
/// <param name="PNonInferior">Small when the candidate is shown to be no worse than the margin allows.</param>
/// <param name="PHarm">Small when the candidate is shown to be worse than the margin allows.</param>
internal sealed record Comparison(double Difference, double Z, double PNonInferior, double PHarm);
