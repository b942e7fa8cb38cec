using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using System.Globalization;
using Orbit.Contracts.Drift;
using Orbit.DriftMonitor.Storage;

namespace Orbit.DriftMonitor.Metrics;

/// <summary>
/// The monitor's instruments (Meter <c>Orbit.Drift</c>): each feature's scores and alert state, each version's state
/// and sample size, windows accepted and messages rejected. Series exist only for versions evaluated within the last
/// two windows (the deployed ones with traffic), so the label sets stay bounded.
/// Prometheus names: orbit_drift_score, orbit_drift_state, orbit_drift_version_state, orbit_drift_sample_size,
/// orbit_drift_windows_total, orbit_drift_rejected_messages_total.
/// </summary>
internal sealed class DriftMetrics
{
    public const string MeterName = "Orbit.Drift";

    private readonly ConcurrentDictionary<VersionKey, VersionSnapshot> _versions = new();
    private readonly Counter<long> _windows;
    private readonly Counter<long> _rejected;

    public DriftMetrics(IMeterFactory meters)
    {
        var meter = meters.Create(MeterName);
        meter.CreateObservableGauge("orbit.drift.score", ObserveScores, description: "A feature's latest drift score, by metric (psi, kl, js, ks, ks_pvalue, wasserstein, chi2, chi2_pvalue)");
        meter.CreateObservableGauge("orbit.drift.state", ObserveStates, description: "A feature's alert state: 0 ok, 1 warning, 2 critical");
        meter.CreateObservableGauge("orbit.drift.version.state", ObserveVersions, description: "A version's worst feature state: 0 ok, 1 warning, 2 critical; -1 insufficient data");
        meter.CreateObservableGauge("orbit.drift.sample_size", ObserveSampleSizes, unit: "{row}", description: "Rows in a version's latest evaluation window");
        _windows = meter.CreateCounter<long>("orbit.drift.windows", unit: "{window}", description: "Statistics windows accepted from the stream");
        _rejected = meter.CreateCounter<long>("orbit.drift.rejected_messages", unit: "{message}", description: "Stream messages sent to the error queue, by reason");
    }

    public void Ingested(IReadOnlyCollection<StoredWindow> windows, IEnumerable<Rejection> rejections)
    {
        if (windows.Count > 0)
        {
            _windows.Add(windows.Count);
        }

        foreach (var rejection in rejections)
        {
            _rejected.Add(1, new KeyValuePair<string, object?>("stream", rejection.Stream), new KeyValuePair<string, object?>("reason", rejection.Reason));
        }
    }

    public void Evaluated(VersionKey version, VersionSnapshot snapshot) => _versions[version] = snapshot;

    /// <summary>Drops versions not evaluated since <paramref name="before"/>.</summary>
    public void Forget(DateTimeOffset before)
    {
        foreach (var (key, snapshot) in _versions)
        {
            if (snapshot.At < before)
            {
                _versions.TryRemove(key, out _);
            }
        }
    }

    private IEnumerable<Measurement<double>> ObserveScores()
    {
        foreach (var (key, version) in _versions)
        {
            foreach (var feature in version.Features)
            {
                foreach (var (metric, value) in feature.Scores)
                {
                    if (value is { } v && double.IsFinite(v))
                    {
                        yield return new Measurement<double>(v, Tags(key, feature.Feature, metric));
                    }
                }
            }
        }
    }

    private IEnumerable<Measurement<int>> ObserveStates()
    {
        foreach (var (key, version) in _versions)
        {
            foreach (var feature in version.Features)
            {
                yield return new Measurement<int>((int)feature.Level, Tags(key, feature.Feature, null));
            }
        }
    }

    private IEnumerable<Measurement<int>> ObserveVersions() =>
        _versions.Select(v => new Measurement<int>(v.Value.Sufficient ? (int)v.Value.Level : -1, Tags(v.Key, null, null)));

    private IEnumerable<Measurement<long>> ObserveSampleSizes() =>
        _versions.Select(v => new Measurement<long>(v.Value.SampleSize, Tags(v.Key, null, null)));

    private static KeyValuePair<string, object?>[] Tags(VersionKey key, string? feature, string? metric)
    {
        var tags = new List<KeyValuePair<string, object?>>(5)
        {
            new("tenant", key.TenantId),
            new("model", key.ModelName),
            new("version", key.ModelVersion.ToString(CultureInfo.InvariantCulture)),
        };
        if (feature is not null)
        {
            tags.Add(new("feature", feature));
        }

        if (metric is not null)
        {
            tags.Add(new("metric", metric));
        }

        return [.. tags];
    }
}

/// <summary>What the metrics show of one version's latest evaluation.</summary>
internal sealed record VersionSnapshot(DateTimeOffset At, AlertLevel Level, bool Sufficient, long SampleSize, IReadOnlyList<FeatureSnapshot> Features);

internal sealed record FeatureSnapshot(string Feature, AlertLevel Level, IReadOnlyDictionary<string, double?> Scores);
