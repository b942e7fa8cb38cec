using MathNet.Numerics;

namespace Orbit.Drift.Scores;

/// <summary>
/// Pearson's χ² of live counts against n_l·b~ (the smoothed baseline proportions), K−1 degrees of freedom,
/// with its upper-tail p-value (the regularised upper incomplete gamma function from MathNet.Numerics).
/// </summary>
public static class ChiSquared
{
    public static (double Statistic, double PValue) Test(ReadOnlySpan<double> liveCounts, ReadOnlySpan<double> smoothedBaseline)
    {
        Divergences.Same(liveCounts, smoothedBaseline);
        var n = Smoothing.Sum(liveCounts);
        var statistic = 0.0;
        for (var i = 0; i < liveCounts.Length; i++)
        {
            var expected = n * smoothedBaseline[i];
            var difference = liveCounts[i] - expected;
            statistic += difference * difference / expected;
        }

        var freedom = liveCounts.Length - 1;
        return (statistic, UpperTail(statistic, freedom));
    }

    /// <summary>P(X ≥ x) for χ² with <paramref name="freedom"/> degrees of freedom; NaN without freedom.</summary>
    public static double UpperTail(double x, int freedom)
    {
        if (freedom < 1 || double.IsNaN(x))
        {
            return double.NaN;
        }

        return x <= 0 ? 1.0 : SpecialFunctions.GammaUpperRegularized(freedom / 2.0, x / 2.0);
    }
}
