namespace Orbit.Drift.Scores;

/// <summary>p~_i = (c_i/n + eps)/(1 + K·eps): no bin is empty, and the K proportions still sum to one.</summary>
public static class Smoothing
{
    public const double Epsilon = 1e-4;

    public static double[] Smooth(ReadOnlySpan<double> counts, double epsilon = Epsilon)
    {
        var total = Sum(counts);
        var result = new double[counts.Length];
        var denominator = 1 + counts.Length * epsilon;
        for (var i = 0; i < counts.Length; i++)
        {
            var proportion = total > 0 ? counts[i] / total : 0;
            result[i] = (proportion + epsilon) / denominator;
        }

        return result;
    }

    public static double Sum(ReadOnlySpan<double> values)
    {
        var total = 0.0;
        foreach (var value in values)
        {
            total += value;
        }

        return total;
    }
}
