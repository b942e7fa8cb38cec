namespace Orbit.Drift.Scores;

/// <summary>PSI, KL(live‖baseline) and the Jensen–Shannon distance over smoothed proportions (natural log; JS in base 2).</summary>
public static class Divergences
{
    public static double Psi(ReadOnlySpan<double> live, ReadOnlySpan<double> baseline)
    {
        Same(live, baseline);
        var sum = 0.0;
        for (var i = 0; i < live.Length; i++)
        {
            sum += (live[i] - baseline[i]) * Math.Log(live[i] / baseline[i]);
        }

        return sum;
    }

    public static double KullbackLeibler(ReadOnlySpan<double> live, ReadOnlySpan<double> baseline)
    {
        Same(live, baseline);
        var sum = 0.0;
        for (var i = 0; i < live.Length; i++)
        {
            sum += RelativeEntropy(live[i], baseline[i]);
        }

        return sum;
    }

    /// <summary>As scipy.spatial.distance.jensenshannon(live, baseline, base=2): both normalised, then √(JSD/2 summed halves).</summary>
    public static double JensenShannonDistance(ReadOnlySpan<double> live, ReadOnlySpan<double> baseline)
    {
        Same(live, baseline);
        var liveTotal = Smoothing.Sum(live);
        var baselineTotal = Smoothing.Sum(baseline);
        double left = 0, right = 0;
        for (var i = 0; i < live.Length; i++)
        {
            var p = live[i] / liveTotal;
            var q = baseline[i] / baselineTotal;
            var m = (p + q) / 2.0;
            left += RelativeEntropy(p, m);
            right += RelativeEntropy(q, m);
        }

        var divergence = (left + right) / Math.Log(2);
        return Math.Sqrt(Math.Max(divergence, 0) / 2.0);
    }

    /// <summary>scipy.special.rel_entr: x·ln(x/y), 0 when x is 0.</summary>
    private static double RelativeEntropy(double x, double y) =>
        x > 0 && y > 0 ? x * Math.Log(x / y) : x == 0 && y >= 0 ? 0 : double.PositiveInfinity;

    internal static void Same(ReadOnlySpan<double> live, ReadOnlySpan<double> baseline)
    {
        if (live.Length != baseline.Length)
        {
            throw new ArgumentException($"Live has {live.Length} bins and the baseline {baseline.Length}.", nameof(live));
        }
    }
}
