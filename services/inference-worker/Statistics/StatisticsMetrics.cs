using System.Diagnostics.Metrics;
using Orbit.InferenceWorker.Metrics;

namespace Orbit.InferenceWorker.Statistics;

/// <summary>What the statistics pipeline did and did not do (Meter <c>Orbit.Inference</c>).</summary>
internal sealed class StatisticsMetrics
{
    private readonly Counter<long> _skipped;
    private readonly Counter<long> _windows;
    private readonly Counter<long> _windowsDropped;
    private readonly Counter<long> _logged;
    private readonly Counter<long> _logFailed;

    public StatisticsMetrics(IMeterFactory meters)
    {
        var meter = meters.Create(InferenceMetrics.MeterName);
        // Prometheus names: orbit_statistics_requests_skipped_total, orbit_statistics_windows_published_total,
        // orbit_statistics_windows_dropped_total, orbit_predictions_logged_total, orbit_predictions_log_failed_total.
        _skipped = meter.CreateCounter<long>("orbit.statistics.requests.skipped", unit: "{request}",
            "Served requests left out of the statistics, by reason (queue_full, metadata_unavailable, unreadable)");
        _windows = meter.CreateCounter<long>("orbit.statistics.windows.published", unit: "{window}", "Statistics windows published to the stats stream");
        _windowsDropped = meter.CreateCounter<long>("orbit.statistics.windows.dropped", unit: "{window}",
            "Statistics windows dropped because the broker stayed unreachable past MaxPendingWindows");
        _logged = meter.CreateCounter<long>("orbit.predictions.logged", unit: "{request}", "Requests published to the prediction log");
        _logFailed = meter.CreateCounter<long>("orbit.predictions.log_failed", unit: "{request}", "Logged requests whose prediction log entry the broker did not take in time");
    }

    public void Skipped(string reason) => _skipped.Add(1, new KeyValuePair<string, object?>("reason", reason));

    public void WindowPublished() => _windows.Add(1);

    public void WindowDropped() => _windowsDropped.Add(1);

    public void Logged(int requests) => _logged.Add(requests);

    public void LogFailed(int requests) => _logFailed.Add(requests);
}
