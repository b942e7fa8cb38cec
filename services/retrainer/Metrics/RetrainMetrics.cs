using System.Diagnostics.Metrics;

namespace Orbit.Retrainer.Metrics;

/// <summary>The retrainer's instruments (Meter <c>Orbit.Retrainer</c>), exposed at <c>/metrics</c> by Orbit.Hosting.</summary>
internal sealed class RetrainMetrics
{
    public const string MeterName = "Orbit.Retrainer";

    private readonly Counter<long> _attempts;
    private readonly Histogram<double> _duration;

    public RetrainMetrics(IMeterFactory meters)
    {
        var meter = meters.Create(MeterName);
        // Prometheus names: orbit_retrainer_attempts_total{trigger,outcome}, orbit_retrainer_attempt_duration_seconds{outcome}.
        _attempts = meter.CreateCounter<long>("orbit.retrainer.attempts", unit: "{attempt}",
            "Retrain triggers by how they ended: skipped, failed, rejected (the gate) or registered");
        _duration = meter.CreateHistogram<double>("orbit.retrainer.attempt.duration", "s",
            "Time an accepted attempt ran, from the lease to its end", tags: null,
            new InstrumentAdvice<double> { HistogramBucketBoundaries = [1, 5, 15, 30, 60, 120, 300, 600, 1800, 3600] });
    }

    public void Ended(string trigger, string outcome) =>
        _attempts.Add(1, new KeyValuePair<string, object?>("trigger", trigger), new KeyValuePair<string, object?>("outcome", outcome));

    public void Ran(string outcome, TimeSpan duration) =>
        _duration.Record(duration.TotalSeconds, new KeyValuePair<string, object?>("outcome", outcome));
}
