using System.Collections.Concurrent;
using System.Text.Json;
using MassTransit;
using Microsoft.Extensions.Options;
using Orbit.Contracts.Drift;
using Orbit.Drift.Alerts;
using Orbit.Drift.Scores;
using Orbit.Drift.Windows;
using Orbit.DriftMonitor.Baselines;
using Orbit.DriftMonitor.Metrics;
using Orbit.DriftMonitor.Storage;
using Orbit.Hosting.Streams;

namespace Orbit.DriftMonitor.Evaluation;

/// <summary>
/// Every <c>EvaluateEverySeconds</c> (per model if configured), merges each version's windows of the last
/// <c>WindowSeconds</c>, scores every feature and the predictions against the baseline, steps each feature's alert
/// tracker (unless the window has fewer rows than the minimum: <c>insufficient_data</c>, never an alert), and stores
/// the evaluation with the transitions it caused in one transaction. Stored transitions are then published once
/// (<see cref="DriftDetected"/> when a level rises, <see cref="DriftCleared"/> when it falls); one that could not be
/// published is retried on the next pass.
/// </summary>
internal sealed partial class DriftEvaluator(
    DriftStore store,
    Accuracy.AccuracyEvaluator accuracy,
    BaselineSource baselines,
    IBus bus,
    IOptions<DriftMonitorOptions> options,
    DriftMetrics metrics,
    TimeProvider time,
    ILogger<DriftEvaluator> logger) : BackgroundService
{
    private static readonly JsonSerializerOptions Json = JsonSerializerOptions.Web;
    private readonly ConcurrentDictionary<VersionKey, DateTimeOffset> _lastEvaluated = new();
    private readonly SemaphoreSlim _gate = new(1, 1);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var settings = options.Value;
        var tick = TimeSpan.FromSeconds(settings.Models.Values.Select(m => m.EvaluateEverySeconds ?? int.MaxValue).Append(settings.EvaluateEverySeconds).Min());
        using var timer = new PeriodicTimer(tick, time);
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            try
            {
                await EvaluateAsync(time.GetUtcNow(), force: false, stoppingToken);
            }
            catch (Exception ex) when (!stoppingToken.IsCancellationRequested)
            {
                LogEvaluationFailed(logger, ex);
            }
        }
    }

    /// <summary>One pass over every version with windows in reach; <paramref name="force"/> ignores the per-model cadence (tests).</summary>
    public async Task EvaluateAsync(DateTimeOffset now, bool force, CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken);
        try
        {
            var settings = options.Value;
            var reach = now - TimeSpan.FromSeconds(settings.LongestWindow);
            foreach (var version in await store.VersionsWithWindowsAsync(reach.ToUnixTimeMilliseconds(), cancellationToken))
            {
                var every = TimeSpan.FromSeconds(settings.EvaluateEveryOf(version.ModelName));
                if (!force && _lastEvaluated.TryGetValue(version, out var last) && now - last < every - TimeSpan.FromMilliseconds(500))
                {
                    continue;
                }

                _lastEvaluated[version] = now;
                await EvaluateVersionAsync(version, now, cancellationToken);
            }

            await accuracy.EvaluateAsync(now, cancellationToken);
            await PublishPendingAsync(cancellationToken);
            await store.PruneAsync(
                reach.ToUnixTimeMilliseconds(),
                (now - TimeSpan.FromSeconds((double)settings.EvaluateEverySeconds * settings.SeriesPoints)).ToUnixTimeMilliseconds(),
                cancellationToken);
            metrics.Forget(now - TimeSpan.FromSeconds(2.0 * settings.LongestWindow));
        }
        finally
        {
            _gate.Release();
        }
    }

    private async Task EvaluateVersionAsync(VersionKey version, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var settings = options.Value;
        var lookup = await baselines.GetAsync(version.TenantId, version.ModelName, version.ModelVersion, cancellationToken);
        if (lookup.Baseline is not { } baseline)
        {
            return;
        }

        var since = now - TimeSpan.FromSeconds(settings.WindowOf(version.ModelName));
        var histograms = new Dictionary<string, WindowHistogram>(StringComparer.Ordinal);
        long rows = 0;
        foreach (var body in await store.WindowBodiesAsync(version, since.ToUnixTimeMilliseconds(), cancellationToken))
        {
            var window = JsonSerializer.Deserialize<FeatureStatsObserved>(body, StreamJson.Options)!;
            rows += window.Rows;
            foreach (var (name, feature) in window.Features)
            {
                Histogram(histograms, name, baseline.Features[name]).Add(feature);
            }

            if (window.Predictions is { } predictions && baseline.Predictions is { } predictionBaseline)
            {
                Histogram(histograms, VersionBaseline.PredictionsName, predictionBaseline).Add(predictions);
            }
        }

        var sufficient = rows >= settings.MinSampleSizeOf(version.ModelName);
        var trackers = (await store.FeaturesAsync(version, cancellationToken))
            .ToDictionary(f => f.Feature, f => JsonSerializer.Deserialize<AlertTracker>(f.Tracker, Json)!, StringComparer.Ordinal);
        var features = new List<(string, string, string, string)>();
        var points = new List<PointRow>();
        var alerts = new List<AlertRow>();
        var snapshots = new List<FeatureSnapshot>();
        var worst = AlertLevel.Ok;
        foreach (var (name, live) in histograms.OrderBy(h => h.Key, StringComparer.Ordinal))
        {
            var featureBaseline = name == VersionBaseline.PredictionsName ? baseline.Predictions! : baseline.Features[name];
            var scores = WindowScorer.Score(featureBaseline, live, baseline.Rows);
            var test = DefaultTests.For(featureBaseline.Kind, baseline.Rows, settings.Consecutive, settings.ClearFactor);
            var value = MetricNames.ValueOf(scores, test.Name);
            var tracker = trackers.GetValueOrDefault(name) ?? new AlertTracker();
            if (sufficient && tracker.Step(value, test.Thresholds) is { } transition)
            {
                alerts.Add(new AlertRow
                {
                    TenantId = version.TenantId, ModelName = version.ModelName, ModelVersion = version.ModelVersion,
                    Feature = name, Metric = test.Name, FromLevel = DriftStatus.Of(transition.From), ToLevel = DriftStatus.Of(transition.To),
                    Value = transition.Value, Threshold = transition.Threshold, SampleSize = live.Count, AtMs = now.ToUnixTimeMilliseconds(),
                });
                LogStateChanged(logger, version.TenantId, version.ModelName, version.ModelVersion, name, transition.From, transition.To, test.Name, value);
            }

            worst = tracker.Level > worst ? tracker.Level : worst;
            var scoreMap = FeatureLatest.ScoresOf(scores);
            var latest = new FeatureLatest(
                featureBaseline.Kind, test.Name, FeatureLatest.Finite(value), test.Thresholds.Warning, test.Thresholds.Critical, scoreMap, live.Count,
                FeatureLatest.LiveOf(live, featureBaseline), FeatureLatest.BaselineOf(featureBaseline));
            var level = DriftStatus.Of(tracker.Level);
            features.Add((name, level, JsonSerializer.Serialize(tracker, Json), JsonSerializer.Serialize(latest, Json)));
            points.Add(new PointRow
            {
                Feature = name, AtMs = now.ToUnixTimeMilliseconds(), Level = sufficient ? level : DriftStatus.InsufficientData,
                SampleSize = live.Count, Scores = JsonSerializer.Serialize(scoreMap, Json),
            });
            snapshots.Add(new FeatureSnapshot(name, tracker.Level, scoreMap));
        }

        var state = new VersionRow
        {
            TenantId = version.TenantId, ModelName = version.ModelName, ModelVersion = version.ModelVersion,
            Status = sufficient ? DriftStatus.Of(worst) : DriftStatus.InsufficientData, SampleSize = rows,
            EvaluatedAtMs = now.ToUnixTimeMilliseconds(), Baseline = lookup.MetadataJson,
        };
        await store.SaveEvaluationAsync(state, features, points, alerts, cancellationToken);
        metrics.Evaluated(version, new VersionSnapshot(now, worst, sufficient, rows, snapshots));
        LogEvaluated(logger, version.TenantId, version.ModelName, version.ModelVersion, state.Status, rows, histograms.Count);
    }

    private static WindowHistogram Histogram(Dictionary<string, WindowHistogram> histograms, string name, FeatureBaseline baseline)
    {
        if (!histograms.TryGetValue(name, out var histogram))
        {
            histograms[name] = histogram = new WindowHistogram(baseline.Kind, baseline.Edges.Length + 1);
        }

        return histogram;
    }

    private async Task PublishPendingAsync(CancellationToken cancellationToken)
    {
        foreach (var alert in await store.UnpublishedAlertsAsync(cancellationToken))
        {
            var from = DriftStatus.Parse(alert.FromLevel);
            var to = DriftStatus.Parse(alert.ToLevel);
            var at = DateTimeOffset.FromUnixTimeMilliseconds(alert.AtMs);
            try
            {
                if (alert.Feature == Accuracy.AccuracyEvaluator.Feature)
                {
                    // Only a worse tier is an event; a recovery is in the alert history.
                    if (to > from)
                    {
                        await bus.Publish(new AccuracyDegraded(alert.TenantId, alert.ModelName, (int)alert.ModelVersion, alert.Metric,
                            alert.Value, alert.Threshold, to, from, alert.SampleSize, at), cancellationToken);
                    }
                }
                else if (to > from)
                {
                    await bus.Publish(new DriftDetected(alert.TenantId, alert.ModelName, (int)alert.ModelVersion, alert.Feature, alert.Metric,
                        alert.Value, alert.Threshold, to, from, alert.SampleSize, at), cancellationToken);
                }
                else
                {
                    await bus.Publish(new DriftCleared(alert.TenantId, alert.ModelName, (int)alert.ModelVersion, alert.Feature, alert.Metric,
                        alert.Value, alert.Threshold, to, from, alert.SampleSize, at), cancellationToken);
                }

                await store.MarkPublishedAsync(alert.Id, cancellationToken);
            }
            catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
            {
                LogPublishFailed(logger, ex, alert.Id);
                return;
            }
        }
    }

    [LoggerMessage(EventId = DriftMonitorLogEvents.Evaluated, Level = LogLevel.Debug, Message = "Evaluated {Tenant}/{Model} v{Version}: {Status}, {Rows} rows, {Features} features")]
    private static partial void LogEvaluated(ILogger logger, string tenant, string model, int version, string status, long rows, int features);

    [LoggerMessage(EventId = DriftMonitorLogEvents.EvaluationFailed, Level = LogLevel.Error, Message = "A drift evaluation pass failed; the next pass retries")]
    private static partial void LogEvaluationFailed(ILogger logger, Exception exception);

    [LoggerMessage(EventId = DriftMonitorLogEvents.StateChanged, Level = LogLevel.Warning, Message = "Drift state of {Tenant}/{Model} v{Version} feature {Feature}: {From} -> {To} ({Metric} = {Value})")]
    private static partial void LogStateChanged(ILogger logger, string tenant, string model, int version, string feature, AlertLevel from, AlertLevel to, string metric, double value);

    [LoggerMessage(EventId = DriftMonitorLogEvents.PublishFailed, Level = LogLevel.Warning, Message = "Publishing drift alert {Id} failed; retried on the next pass")]
    private static partial void LogPublishFailed(ILogger logger, Exception exception, long id);
}
