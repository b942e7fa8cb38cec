using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using System.Text;

namespace Orbit.Hosting.Metrics;

internal enum MetricKind
{
    Counter,
    Gauge,
    Histogram,
}

/// <summary>Everything recorded for one instrument, keyed by label set.</summary>
internal sealed class InstrumentState
{
    // Prometheus' client defaults, used for second-valued histograms that give no advice.
    private static readonly double[] DefaultSecondBuckets = [0.005, 0.01, 0.025, 0.05, 0.075, 0.1, 0.25, 0.5, 0.75, 1, 2.5, 5, 7.5, 10];
    private static readonly double[] DefaultBuckets = [0, 5, 10, 25, 50, 75, 100, 250, 500, 750, 1000, 2500, 5000, 7500, 10000];

    private readonly ConcurrentDictionary<string, MetricSeries> _series = new(StringComparer.Ordinal);
    private readonly double[]? _bounds;

    public InstrumentState(Instrument instrument)
    {
        Instrument = instrument;
        Kind = instrument switch
        {
            Counter<long> or Counter<int> or Counter<double> or ObservableCounter<long> or ObservableCounter<int> or ObservableCounter<double> => MetricKind.Counter,
            Histogram<long> or Histogram<int> or Histogram<double> => MetricKind.Histogram,
            _ => MetricKind.Gauge,
        };
        IsObservable = instrument.IsObservable;
        Name = PrometheusNaming.MetricName(instrument.Name, instrument.Unit, Kind == MetricKind.Counter);
        if (Kind == MetricKind.Histogram)
        {
            _bounds = AdvisedBuckets(instrument) ?? (instrument.Unit == "s" ? DefaultSecondBuckets : DefaultBuckets);
        }
    }

    public Instrument Instrument { get; }

    public MetricKind Kind { get; }

    public bool IsObservable { get; }

    public string Name { get; }

    public IEnumerable<MetricSeries> Series => _series.Values;

    public void Record(double value, ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        var labels = PrometheusNaming.Labels(tags);
        var series = _series.GetOrAdd(labels, static (key, bounds) => new MetricSeries(key, bounds), _bounds);
        switch (Kind)
        {
            case MetricKind.Histogram:
                series.Observe(value);
                break;
            case MetricKind.Counter when !IsObservable:
                series.Add(value);
                break;
            default:
                // Up-down counters add; observable instruments report their current total.
                if (IsObservable)
                {
                    series.Set(value);
                }
                else
                {
                    series.Add(value);
                }

                break;
        }
    }

    private static double[]? AdvisedBuckets(Instrument instrument) => instrument switch
    {
        Histogram<double> h => h.Advice?.HistogramBucketBoundaries?.ToArray(),
        Histogram<long> h => h.Advice?.HistogramBucketBoundaries?.Select(b => (double)b).ToArray(),
        Histogram<int> h => h.Advice?.HistogramBucketBoundaries?.Select(b => (double)b).ToArray(),
        _ => null,
    };
}
