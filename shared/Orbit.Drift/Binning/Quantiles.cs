namespace Orbit.Drift.Binning;

/// <summary>
/// Quantiles exactly as numpy.quantile with <c>method="linear"</c> (Hyndman–Fan type 7), bit for bit:
/// virtual index (n−1)·q, then numpy's two-sided lerp (from the right end when the weight is ≥ 0.5).
/// </summary>
public static class Quantiles
{
    /// <summary>The deciles 0.1 … 0.9 as the decimal literals numpy is given (not a range, whose steps round differently).</summary>
    public static readonly double[] Deciles = [0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9];

    /// <param name="sorted">Ascending values without NaN; at least one.</param>
    public static double Linear(ReadOnlySpan<double> sorted, double q)
    {
        if (sorted.IsEmpty)
        {
            throw new ArgumentException("A quantile needs at least one value.", nameof(sorted));
        }

        var n = sorted.Length;
        var index = (n - 1) * q;
        if (index >= n - 1)
        {
            return sorted[n - 1];
        }

        if (index < 0)
        {
            return sorted[0];
        }

        var previous = Math.Floor(index);
        var gamma = index - previous;
        var a = sorted[(int)previous];
        var b = sorted[(int)previous + 1];
        var difference = b - a;
        return gamma >= 0.5 ? b - difference * (1 - gamma) : a + difference * gamma;
    }

    public static double[] Linear(ReadOnlySpan<double> sorted, ReadOnlySpan<double> qs)
    {
        var result = new double[qs.Length];
        for (var i = 0; i < qs.Length; i++)
        {
            result[i] = Linear(sorted, qs[i]);
        }

        return result;
    }
}
