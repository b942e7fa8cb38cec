using System.Collections.ObjectModel;
using System.Diagnostics;

namespace Orbit.Gateway.Tests.Tracing;

/// <summary>What OpenTelemetry's in-memory exporter hands over, safe to read while spans still end on other threads.</summary>
internal sealed class RecordedSpans : Collection<Activity>
{
    private readonly Lock _lock = new();

    public IReadOnlyList<Activity> Snapshot()
    {
        lock (_lock)
        {
            return [.. Items];
        }
    }

    protected override void InsertItem(int index, Activity item)
    {
        lock (_lock)
        {
            base.InsertItem(index, item);
        }
    }
}
