using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using System.Text;

namespace Orbit.Hosting.Metrics;

/// <summary>
/// Listens to Orbit's meters, ASP.NET Core's request metrics and the .NET runtime's, and renders
/// them in the Prometheus text exposition format (version 0.0.4) on each scrape.
/// </summary>
public sealed class PrometheusExporter : IDisposable
{
    private static readonly string[] MeterPrefixes = ["Orbit", "Microsoft.AspNetCore.Hosting", "System.Runtime"];

    private readonly MeterListener _listener = new();
    private readonly ConcurrentDictionary<Instrument, InstrumentState> _instruments = new();

    public PrometheusExporter()
    {
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            if (MeterPrefixes.Any(p => instrument.Meter.Name.StartsWith(p, StringComparison.Ordinal)))
            {
                listener.EnableMeasurementEvents(instrument, _instruments.GetOrAdd(instrument, static i => new InstrumentState(i)));
            }
        };
        _listener.SetMeasurementEventCallback<double>(static (_, value, tags, state) => ((InstrumentState)state!).Record(value, tags));
        _listener.SetMeasurementEventCallback<float>(static (_, value, tags, state) => ((InstrumentState)state!).Record(value, tags));
        _listener.SetMeasurementEventCallback<long>(static (_, value, tags, state) => ((InstrumentState)state!).Record(value, tags));
        _listener.SetMeasurementEventCallback<int>(static (_, value, tags, state) => ((InstrumentState)state!).Record(value, tags));
        _listener.SetMeasurementEventCallback<short>(static (_, value, tags, state) => ((InstrumentState)state!).Record(value, tags));
        _listener.SetMeasurementEventCallback<byte>(static (_, value, tags, state) => ((InstrumentState)state!).Record(value, tags));
        _listener.MeasurementsCompleted = (instrument, _) => _instruments.TryRemove(instrument, out InstrumentState? _);
        _listener.Start();
    }

    public string Render()
    {
        _listener.RecordObservableInstruments();
        var text = new StringBuilder(4096);
        // Two instruments may map to one Prometheus name (e.g. two meters with the same instrument); render each name once.
        foreach (var family in _instruments.Values.GroupBy(s => s.Name).OrderBy(g => g.Key, StringComparer.Ordinal))
        {
            var first = family.First();
            if (!string.IsNullOrEmpty(first.Instrument.Description))
            {
                text.Append("# HELP ").Append(family.Key).Append(' ').Append(first.Instrument.Description.Replace('\n', ' ')).Append('\n');
            }

            text.Append("# TYPE ").Append(family.Key).Append(' ').Append(first.Kind.ToString().ToLowerInvariant()).Append('\n');
            var seen = new HashSet<string>(StringComparer.Ordinal);
            foreach (var series in family.SelectMany(s => s.Series))
            {
                if (!seen.Add(series.Labels))
                {
                    continue;
                }

                if (first.Kind == MetricKind.Histogram)
                {
                    WriteHistogram(text, family.Key, series);
                }
                else
                {
                    WriteSample(text, family.Key, series.Labels, series.Value);
                }
            }
        }

        return text.ToString();
    }

    private static void WriteHistogram(StringBuilder text, string name, MetricSeries series)
    {
        var snapshot = series.Snapshot();
        var cumulative = 0L;
        for (var i = 0; i < snapshot.Bounds.Length; i++)
        {
            cumulative += snapshot.Counts[i];
            WriteSample(text, name + "_bucket", Join(series.Labels, $"le=\"{PrometheusNaming.Number(snapshot.Bounds[i])}\""), cumulative);
        }

        WriteSample(text, name + "_bucket", Join(series.Labels, "le=\"+Inf\""), snapshot.Count);
        WriteSample(text, name + "_sum", series.Labels, snapshot.Sum);
        WriteSample(text, name + "_count", series.Labels, snapshot.Count);
    }

    private static string Join(string labels, string extra) => labels.Length == 0 ? extra : labels + "," + extra;

    private static void WriteSample(StringBuilder text, string name, string labels, double value)
    {
        text.Append(name);
        if (labels.Length > 0)
        {
            text.Append('{').Append(labels).Append('}');
        }

        text.Append(' ').Append(PrometheusNaming.Number(value)).Append('\n');
    }

    public void Dispose() => _listener.Dispose();
}
