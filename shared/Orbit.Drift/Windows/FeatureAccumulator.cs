using Orbit.Contracts.Drift;
using Orbit.Drift.Binning;

namespace Orbit.Drift.Windows;

/// <summary>
/// Summarises raw numeric values over a baseline's edges into a <see cref="FeatureWindow"/>: bin counts, count,
/// missing, sum, sum of squares, min, max. Not thread-safe: one per writer, merged afterwards.
/// </summary>
public sealed class NumericAccumulator(double[] edges)
{
    private readonly long[] _counts = new long[edges.Length + 1];
    private long _count;
    private long _missing;
    private double _sum;
    private double _sumOfSquares;
    private double _min = double.PositiveInfinity;
    private double _max = double.NegativeInfinity;

    public void Add(double value)
    {
        if (double.IsNaN(value))
        {
            _missing++;
            return;
        }

        _counts[BinEdges.IndexOf(edges, value)]++;
        _count++;
        _sum += value;
        _sumOfSquares += value * value;
        if (value < _min)
        {
            _min = value;
        }

        if (value > _max)
        {
            _max = value;
        }
    }

    public void AddRange(ReadOnlySpan<double> values)
    {
        foreach (var value in values)
        {
            Add(value);
        }
    }

    public FeatureWindow ToWindow() => new(
        FeatureWindow.Numeric, _count, _missing, _counts.ToArray(), _sum, _sumOfSquares,
        _count > 0 ? _min : null, _count > 0 ? _max : null);
}
