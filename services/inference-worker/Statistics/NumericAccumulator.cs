using Orbit.Contracts.Drift;

namespace Orbit.InferenceWorker.Statistics;

/// <summary>
/// A numeric feature's window: counts over the baseline's bin edges (bin index = number of edges ≤ x, so
/// bin 0 is below the first edge and the last is at or above the last edge), plus count, sum, sum of squares,
/// min and max of the finite values. NaN and infinities count as missing.
/// </summary>
internal sealed class NumericAccumulator(double[] edges)
{
    private readonly long[] _bins = new long[edges.Length + 1];
    private long _count;
    private long _missing;
    private double _sum;
    private double _sumOfSquares;
    private double _min = double.PositiveInfinity;
    private double _max = double.NegativeInfinity;

    public void Add(double value)
    {
        if (!double.IsFinite(value))
        {
            _missing++;
            return;
        }

        _bins[BinOf(edges, value)]++;
        _count++;
        _sum += value;
        _sumOfSquares += value * value;
        _min = Math.Min(_min, value);
        _max = Math.Max(_max, value);
    }

    public void AddMissing() => _missing++;

    /// <summary>The number of edges ≤ <paramref name="value"/> (numpy's <c>searchsorted(edges, x, side='right')</c>).</summary>
    public static int BinOf(double[] edges, double value)
    {
        if (edges.Length <= 16)
        {
            // A handful of edges (deciles: 9): counting is cheaper than searching, and has no branch to mispredict.
            var count = 0;
            foreach (var edge in edges)
            {
                count += edge <= value ? 1 : 0;
            }

            return count;
        }

        int low = 0, high = edges.Length;
        while (low < high)
        {
            var middle = (low + high) >>> 1;
            if (edges[middle] <= value)
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

    public FeatureWindow ToWindow() => new(
        FeatureWindow.Numeric, _count, _missing, [.. _bins], _sum, _sumOfSquares,
        _count == 0 ? null : _min, _count == 0 ? null : _max);
}
