using System.Diagnostics.Metrics;
using OpenTelemetry.Metrics;

namespace Orbit.Hosting.Telemetry;

/// <summary>Views that keep <c>/metrics</c> readable and <c>promtool check metrics</c> clean.</summary>
internal static class MetricViews
{
    // For second-valued histograms that bring no bucket advice of their own: 0.5 ms to 10 s.
    public static readonly double[] LatencyBuckets = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

    private static readonly string[] SeriesSuffixes = [".count", "_count", ".sum", "_sum", ".bucket", "_bucket"];

    /// <summary>OpenTelemetry's default buckets (0 to 10 000) suit milliseconds, not seconds.</summary>
    public static MetricStreamConfiguration? SecondsWithoutAdvice(Instrument instrument) =>
        instrument.Unit == "s" && instrument is Histogram<double> { Advice: null or { HistogramBucketBoundaries: null } }
            ? new ExplicitBucketHistogramConfiguration { Boundaries = LatencyBuckets }
            : null;

    /// <summary>
    /// A gauge named like a histogram's series (<c>dotnet.assembly.count</c>) would confuse scrapers
    /// and fails promtool: it is exported as <c>…_count_current</c>.
    /// </summary>
    public static MetricStreamConfiguration? GaugesNamedLikeSeries(Instrument instrument)
    {
        var type = instrument.GetType();
        var kind = type.IsGenericType ? type.GetGenericTypeDefinition() : null;
        var countsOrBuckets = kind == typeof(Counter<>) || kind == typeof(ObservableCounter<>) || kind == typeof(Histogram<>);
        return !countsOrBuckets && SeriesSuffixes.Any(s => instrument.Name.EndsWith(s, StringComparison.Ordinal))
            ? new MetricStreamConfiguration { Name = instrument.Name + ".current" }
            : null;
    }
}
