namespace Orbit.Retrainer.Registration;

/// <summary>A numeric baseline as the registry stores it: strictly increasing edges and one more count than edges.</summary>
internal sealed record NumericBaseline(IReadOnlyList<double> BinEdges, IReadOnlyList<double> Counts);

/// <summary>
/// Baselines from training data, with the drift monitor's conventions: edges are the deciles
/// (numpy.quantile, method <c>linear</c>, type 7) with repeats dropped so they increase strictly; a value's bin is the
/// number of edges ≤ it (numpy.searchsorted side='right'). Missing (NaN) values are left out.
/// </summary>
internal static class BaselineBuilder
{
    public static NumericBaseline Numeric(IEnumerable<double> values)
    {
        var sorted = values.Where(v => !double.IsNaN(v)).Order().ToArray();
        var edges = new List<double>();
        if (sorted.Length > 0)
        {
            for (var k = 1; k <= 9; k++)
            {
                var edge = Quantile(sorted, k / 10.0);
                if (edges.Count == 0 || edge > edges[^1])
                {
                    edges.Add(edge);
                }
            }
        }

        var counts = new double[edges.Count + 1];
        foreach (var value in sorted)
        {
            counts[BinOf(edges, value)]++;
        }

        return new NumericBaseline(edges, counts);
    }

    /// <summary>numpy.quantile(sorted, p), method linear (type 7).</summary>
    public static double Quantile(IReadOnlyList<double> sorted, double p)
    {
        var h = (sorted.Count - 1) * p;
        var lo = (int)Math.Floor(h);
        var hi = Math.Min(lo + 1, sorted.Count - 1);
        return sorted[lo] + (h - lo) * (sorted[hi] - sorted[lo]);
    }

    /// <summary>The number of edges ≤ <paramref name="value"/>.</summary>
    public static int BinOf(IReadOnlyList<double> edges, double value)
    {
        int lo = 0, hi = edges.Count;
        while (lo < hi)
        {
            var mid = (lo + hi) / 2;
            if (edges[mid] <= value)
            {
                lo = mid + 1;
            }
            else
            {
                hi = mid;
            }
        }

        return lo;
    }
}
