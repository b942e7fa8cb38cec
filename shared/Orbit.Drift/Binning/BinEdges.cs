namespace Orbit.Drift.Binning;

/// <summary>
/// Bins over edges e1..eK: bin 0 = (−∞, e1), bin k = [e_k, e_k+1), the last = [e_K, +∞). The bin of x is the
/// number of edges ≤ x (numpy.searchsorted side='right'), so edges may repeat and the bins between equal
/// edges stay empty. There is one more bin than edges.
/// </summary>
public static class BinEdges
{
    /// <summary>The baseline's deciles (numpy linear quantiles 0.1 … 0.9) of values without NaN.</summary>
    public static double[] Deciles(ReadOnlySpan<double> sortedValues) => Quantiles.Linear(sortedValues, Quantiles.Deciles);

    /// <summary>The number of edges ≤ <paramref name="x"/>; edges ascending (repeats allowed), x not NaN.</summary>
    public static int IndexOf(ReadOnlySpan<double> edges, double x)
    {
        int low = 0, high = edges.Length;
        while (low < high)
        {
            var middle = (low + high) >>> 1;
            if (edges[middle] <= x)
            {
                low = middle + 1;
            }
            else
            {
                high = middle;
            }
        }

        return low;
    }

    /// <summary>Counts of <paramref name="values"/> per bin (NaN skipped); edges.Length + 1 counts.</summary>
    public static long[] Count(ReadOnlySpan<double> edges, ReadOnlySpan<double> values)
    {
        var counts = new long[edges.Length + 1];
        foreach (var value in values)
        {
            if (!double.IsNaN(value))
            {
                counts[IndexOf(edges, value)]++;
            }
        }

        return counts;
    }

    /// <summary>True when the edges are finite and ascending (equal neighbours allowed).</summary>
    public static bool AreValid(ReadOnlySpan<double> edges)
    {
        for (var i = 0; i < edges.Length; i++)
        {
            if (!double.IsFinite(edges[i]) || (i > 0 && edges[i] < edges[i - 1]))
            {
                return false;
            }
        }

        return true;
    }
}
