namespace Orbit.Drift.Scores;

/// <summary>The first Wasserstein (earth mover's) distance: ∫|F_a − F_b| dx, from raw samples or from bins.</summary>
public static class Wasserstein
{
    /// <summary>As scipy.stats.wasserstein_distance(a, b) on two ascending samples without NaN.</summary>
    public static double FromSamples(ReadOnlySpan<double> sortedA, ReadOnlySpan<double> sortedB)
    {
        if (sortedA.IsEmpty || sortedB.IsEmpty)
        {
            throw new ArgumentException("Both samples need at least one value.");
        }

        double n1 = sortedA.Length, n2 = sortedB.Length;
        int i = 0, j = 0;
        var sum = 0.0;
        var x = Math.Min(sortedA[0], sortedB[0]);
        while (true)
        {
            while (i < sortedA.Length && sortedA[i] <= x)
            {
                i++;
            }

            while (j < sortedB.Length && sortedB[j] <= x)
            {
                j++;
            }

            if (i == sortedA.Length && j == sortedB.Length)
            {
                return sum;
            }

            var next = j >= sortedB.Length || (i < sortedA.Length && sortedA[i] <= sortedB[j]) ? sortedA[i] : sortedB[j];
            sum += Math.Abs(i / n1 - j / n2) * (next - x);
            x = next;
        }
    }

    /// <summary>
    /// From bin counts over <paramref name="edges"/>: each bin's mass sits at a representative point (the first bin at the
    /// first edge, the last at the last edge, the others at their midpoints), then the distance between the two weighted
    /// point sets, i.e. scipy.stats.wasserstein_distance(points, points, live, baseline). 0 with no edges.
    /// </summary>
    public static double FromBins(ReadOnlySpan<double> edges, ReadOnlySpan<double> liveCounts, ReadOnlySpan<double> baselineCounts)
    {
        Divergences.Same(liveCounts, baselineCounts);
        if (liveCounts.Length != edges.Length + 1)
        {
            throw new ArgumentException($"{edges.Length} edges need {edges.Length + 1} counts, not {liveCounts.Length}.", nameof(liveCounts));
        }

        var liveTotal = Smoothing.Sum(liveCounts);
        var baselineTotal = Smoothing.Sum(baselineCounts);
        if (edges.Length == 0 || liveTotal <= 0 || baselineTotal <= 0)
        {
            return edges.Length == 0 ? 0 : double.NaN;
        }

        double live = 0, baseline = 0, sum = 0;
        var previous = Point(edges, 0);
        for (var k = 0; k < liveCounts.Length - 1; k++)
        {
            live += liveCounts[k];
            baseline += baselineCounts[k];
            var next = Point(edges, k + 1);
            sum += Math.Abs(live / liveTotal - baseline / baselineTotal) * (next - previous);
            previous = next;
        }

        return sum;
    }

    /// <summary>The representative point of bin <paramref name="k"/>.</summary>
    public static double Point(ReadOnlySpan<double> edges, int k) =>
        k == 0 ? edges[0] : k == edges.Length ? edges[^1] : (edges[k - 1] + edges[k]) / 2;
}
