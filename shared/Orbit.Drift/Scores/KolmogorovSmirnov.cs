namespace Orbit.Drift.Scores;

/// <summary>
/// Kolmogorov–Smirnov two-sample statistics. Binned: the largest gap between cumulative unsmoothed proportions.
/// Raw: scipy.stats.ks_2samp's statistic (two-sided). Its p-value is exact when max(n1, n2) ≤ 10,000 (the
/// lattice-path counts scipy uses: Hodges' inside method with Viehmann's recursion for 1 − p, or the closed form
/// for equal sizes), otherwise asymptotic: Kolmogorov's limiting distribution Q(√(n1·n2/(n1+n2))·D). scipy's
/// asymptotic branch uses the finite-n distribution kstwo at round(en) instead; both agree to ~1e-3 there.
/// </summary>
public static class KolmogorovSmirnov
{
    public const int ExactLimit = 10_000;

    public static double Binned(ReadOnlySpan<double> liveCounts, ReadOnlySpan<double> baselineCounts)
    {
        Divergences.Same(liveCounts, baselineCounts);
        var liveTotal = Smoothing.Sum(liveCounts);
        var baselineTotal = Smoothing.Sum(baselineCounts);
        if (liveTotal <= 0 || baselineTotal <= 0)
        {
            return double.NaN;
        }

        double live = 0, baseline = 0, max = 0;
        for (var i = 0; i < liveCounts.Length; i++)
        {
            live += liveCounts[i];
            baseline += baselineCounts[i];
            max = Math.Max(max, Math.Abs(live / liveTotal - baseline / baselineTotal));
        }

        return max;
    }

    /// <summary>Two-sided statistic and p-value of two ascending samples without NaN (each non-empty).</summary>
    public static (double Statistic, double PValue, bool Exact) TwoSample(ReadOnlySpan<double> sortedA, ReadOnlySpan<double> sortedB)
    {
        if (sortedA.IsEmpty || sortedB.IsEmpty)
        {
            throw new ArgumentException("Both samples need at least one value.");
        }

        var d = Statistic(sortedA, sortedB);
        long n1 = sortedA.Length, n2 = sortedB.Length;
        if (Math.Max(n1, n2) <= ExactLimit && ExactPValue(n1, n2, d) is { } exact)
        {
            return (exact.Statistic, exact.PValue, true);
        }

        return (d, AsymptoticPValue(n1, n2, d), false);
    }

    /// <summary>max over all values x of |F_a(x) − F_b(x)|, both empirical CDFs right-continuous.</summary>
    public static double Statistic(ReadOnlySpan<double> sortedA, ReadOnlySpan<double> sortedB)
    {
        double n1 = sortedA.Length, n2 = sortedB.Length;
        int i = 0, j = 0;
        var max = 0.0;
        while (i < sortedA.Length || j < sortedB.Length)
        {
            var x = j >= sortedB.Length || (i < sortedA.Length && sortedA[i] <= sortedB[j]) ? sortedA[i] : sortedB[j];
            while (i < sortedA.Length && sortedA[i] <= x)
            {
                i++;
            }

            while (j < sortedB.Length && sortedB[j] <= x)
            {
                j++;
            }

            max = Math.Max(max, Math.Abs(i / n1 - j / n2));
        }

        return Math.Min(max, 1.0);
    }

    public static double AsymptoticPValue(long n1, long n2, double d)
    {
        double m = Math.Max(n1, n2), n = Math.Min(n1, n2);
        var en = m * n / (m + n);
        return Math.Clamp(Kolmogorov.Survival(Math.Sqrt(en) * d), 0, 1);
    }

    /// <summary>
    /// The exact two-sided p-value with the statistic snapped to the lattice (h / lcm(n1, n2)) as scipy does,
    /// or null when the computation leaves [0, 1] (then the asymptotic value is used).
    /// </summary>
    internal static (double Statistic, double PValue)? ExactPValue(long n1, long n2, double d)
    {
        var g = Gcd(n1, n2);
        var lcm = n1 / g * n2;
        var h = (long)Math.Round(d * lcm, MidpointRounding.ToEven);
        var snapped = h * 1.0 / lcm;
        if (h == 0)
        {
            return (snapped, 1.0);
        }

        var p = n1 == n2 ? OutsideSquare(n1, h) : OutsideInsideMethod(n1, n2, g, h);
        return p is >= 0 and <= 1 ? (snapped, p) : null;
    }

    /// <summary>Proportion of lattice paths that leave the band |x − y| &lt; h, for two samples of size n.</summary>
    private static double OutsideSquare(long n, long h)
    {
        var p = 0.0;
        for (var k = n / h; k >= 0; k--)
        {
            var term = 1.0;
            for (long j = 0; j < h; j++)
            {
                term = (n - k * h - j) * term / (n + k * h + j + 1);
            }

            p = term * (1.0 - p);
        }

        return 2 * p;
    }

    /// <summary>
    /// Proportion of lattice paths from (0,0) to (m,n) that do not stay strictly inside |x/m − y/n| &lt; h/lcm,
    /// computed column by column as 1 − (inside proportion) so that it stays within [0, 1] (Hodges 1958, Viehmann 2021).
    /// </summary>
    private static double OutsideInsideMethod(long m, long n, long g, long h)
    {
        if (m < n)
        {
            (m, n) = (n, m);
        }

        var mg = m / g;
        var ng = n / g;
        long minJ = 0;
        var maxJ = Math.Min(CeilDiv(h, mg), n + 1);
        var currentLength = maxJ - minJ;
        var column = new double[Math.Min(2 * maxJ + 2, n + 1)];
        Array.Fill(column, 1.0);
        Array.Fill(column, 0.0, 0, (int)maxJ);
        for (long i = 1; i <= m; i++)
        {
            var lastMinJ = minJ;
            var lastLength = currentLength;
            minJ = Math.Min(Math.Max(FloorDiv(ng * i - h, mg) + 1, 0), n);
            maxJ = Math.Min(CeilDiv(ng * i + h, mg), n + 1);
            if (maxJ <= minJ)
            {
                return 1.0;
            }

            var value = minJ == 0 ? 0.0 : 1.0;
            for (long jj = 0; jj < maxJ - minJ; jj++)
            {
                var j = jj + minJ;
                value = (column[jj + minJ - lastMinJ] * i + value * j) / (i + j);
                column[jj] = value;
            }

            currentLength = maxJ - minJ;
            if (lastLength > currentLength)
            {
                Array.Fill(column, 1.0, (int)(maxJ - minJ), (int)(lastLength - currentLength));
            }
        }

        return column[maxJ - minJ - 1];
    }

    private static long FloorDiv(long a, long b) => (long)Math.Floor((double)a / b);

    private static long CeilDiv(long a, long b) => (long)Math.Ceiling((double)a / b);

    private static long Gcd(long a, long b)
    {
        while (b != 0)
        {
            (a, b) = (b, a % b);
        }

        return a;
    }
}
