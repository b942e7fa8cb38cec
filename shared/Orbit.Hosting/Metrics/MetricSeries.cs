namespace Orbit.Hosting.Metrics;

/// <summary>One label set of one instrument: a running value, or histogram buckets.</summary>
internal sealed class MetricSeries(string labels, double[]? bucketBounds)
{
    private readonly long[]? _bucketCounts = bucketBounds is null ? null : new long[bucketBounds.Length + 1];
    private double _value;
    private long _count;

    /// <summary>Labels already rendered as <c>name="value",…</c> (without braces), or empty.</summary>
    public string Labels { get; } = labels;

    public void Add(double value)
    {
        lock (this)
        {
            _value += value;
        }
    }

    public void Set(double value)
    {
        lock (this)
        {
            _value = value;
        }
    }

    public void Observe(double value)
    {
        var bounds = bucketBounds!;
        // Prometheus buckets are upper-inclusive: "le" means less than or equal.
        var index = Array.BinarySearch(bounds, value);
        if (index < 0)
        {
            index = ~index;
        }

        lock (this)
        {
            _bucketCounts![index]++;
            _count++;
            _value += value;
        }
    }

    public double Value
    {
        get
        {
            lock (this)
            {
                return _value;
            }
        }
    }

    public HistogramSnapshot Snapshot()
    {
        lock (this)
        {
            return new HistogramSnapshot(bucketBounds!, (long[])_bucketCounts!.Clone(), _count, _value);
        }
    }
}

internal readonly record struct HistogramSnapshot(double[] Bounds, long[] Counts, long Count, double Sum);
