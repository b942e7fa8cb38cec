namespace Orbit.Drift.Scores;

/// <summary>
/// The survival function of Kolmogorov's limiting distribution, Q(x) = 2 Σ (−1)^(k−1) e^(−2k²x²). MathNet.Numerics has
/// no Kolmogorov distribution, so the two classical series are summed here: the Jacobi theta form for small x (where
/// the alternating series converges slowly) and the alternating series above, both to double precision.
/// </summary>
public static class Kolmogorov
{
    public static double Survival(double x)
    {
        if (double.IsNaN(x))
        {
            return double.NaN;
        }

        if (x <= 0)
        {
            return 1.0;
        }

        if (x < 1.0)
        {
            // P(x) = √(2π)/x Σ_{k≥1} exp(−(2k−1)²π²/(8x²))
            var factor = -Math.PI * Math.PI / (8 * x * x);
            var sum = 0.0;
            for (var k = 1; k < 64; k++)
            {
                var odd = 2.0 * k - 1;
                var term = Math.Exp(odd * odd * factor);
                sum += term;
                if (term < 1e-300 || term < sum * 1e-17)
                {
                    break;
                }
            }

            return 1.0 - Math.Sqrt(2 * Math.PI) / x * sum;
        }

        var total = 0.0;
        for (var k = 1; k < 128; k++)
        {
            var term = Math.Exp(-2.0 * k * k * x * x);
            total += (k % 2 == 1 ? 2 : -2) * term;
            if (term < 1e-300 || term < 1e-17 * Math.Abs(total))
            {
                break;
            }
        }

        return Math.Clamp(total, 0, 1);
    }
}
