using System.Text.Json;
using Microsoft.Extensions.Options;
using Orbit.Contracts.Drift;
using Orbit.Drift.Alerts;
using Orbit.DriftMonitor.Baselines;
using Orbit.DriftMonitor.Storage;

namespace Orbit.DriftMonitor.Accuracy;

/// <summary>
/// Per version with joined outcomes: rolling accuracy, or MAE and RMSE, over the latest <c>AccuracyRows</c>, compared
/// with the metadata's <c>metrics</c> (<c>accuracy</c>; <c>rmse</c>, else <c>mae</c>). The relative degradation steps an
/// alert tracker with the same hysteresis as drift (warning 5%, critical 10% by default); a rise is stored as an alert
/// (feature <c>__accuracy__</c>) and published as <see cref="AccuracyDegraded"/>. The outcomes joined since the last
/// pass are also published per version as <see cref="AccuracyWindowObserved"/>: the rollout controller's evidence
/// for comparing a canary's accuracy with stable's. Each pass's numbers are kept as a point of the version's accuracy series.
/// </summary>
internal sealed partial class AccuracyEvaluator(
    AccuracyStore store,
    BaselineSource baselines,
    MassTransit.IBus bus,
    IOptions<DriftMonitorOptions> options,
    TimeProvider time,
    ILogger<AccuracyEvaluator> logger)
{
    public const string Feature = "__accuracy__";

    private long _publishedUpToMs = time.GetUtcNow().ToUnixTimeMilliseconds();

    private static readonly JsonSerializerOptions Json = JsonSerializerOptions.Web;

    public async Task EvaluateAsync(DateTimeOffset now, CancellationToken cancellationToken)
    {
        var settings = options.Value;
        await store.ExpirePendingAsync((now - TimeSpan.FromSeconds(settings.PendingOutcomeSeconds)).ToUnixTimeMilliseconds(), settings.PendingOutcomeLimit, cancellationToken);
        await store.PrunePredictionsAsync((now - TimeSpan.FromSeconds(settings.PredictionRetentionSeconds)).ToUnixTimeMilliseconds(), cancellationToken);
        var from = _publishedUpToMs;
        var to = now.ToUnixTimeMilliseconds();
        foreach (var version in await store.VersionsWithOutcomesAsync(cancellationToken))
        {
            await EvaluateVersionAsync(version, now, cancellationToken);
            await PublishWindowAsync(version, from, to, cancellationToken);
        }

        _publishedUpToMs = Math.Max(from, to);
    }

    private async Task PublishWindowAsync(VersionKey version, long fromMs, long toMs, CancellationToken cancellationToken)
    {
        var window = await store.WindowAsync(version, fromMs, toMs, cancellationToken);
        if (window.Labelled == 0)
        {
            return;
        }

        try
        {
            await bus.Publish(new AccuracyWindowObserved(
                version.TenantId, version.ModelName, version.ModelVersion, DateTimeOffset.FromUnixTimeMilliseconds(fromMs), DateTimeOffset.FromUnixTimeMilliseconds(toMs),
                window.Labelled, window.Correct, window.AbsoluteErrorSum, window.SquaredErrorSum), cancellationToken);
        }
        catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
        {
            // Evidence for a canary, not state: a window lost while the broker is down makes one interval inconclusive.
            LogWindowLost(logger, ex, version.ModelName, version.ModelVersion);
        }
    }

    private async Task EvaluateVersionAsync(VersionKey version, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var settings = options.Value;
        var rows = await store.RecentAsync(version, settings.AccuracyRows, cancellationToken);
        var labelled = rows.Where(r => r.Correct is not null).ToList();
        var errors = rows.Where(r => r.Error is not null).Select(r => r.Error!.Value).ToList();
        double? accuracy = labelled.Count > 0 ? labelled.Average(r => (double)r.Correct!.Value) : null;
        double? mae = errors.Count > 0 ? errors.Average(Math.Abs) : null;
        double? rmse = errors.Count > 0 ? Math.Sqrt(errors.Average(e => e * e)) : null;
        var expected = Expected(await baselines.GetAsync(version.TenantId, version.ModelName, version.ModelVersion, cancellationToken));

        string metric;
        double? value, target = null, degradation = null;
        string? reason = null;
        if (labelled.Count >= errors.Count)
        {
            (metric, value, target) = ("accuracy", accuracy, expected.GetValueOrDefault("accuracy"));
            degradation = target is > 0 && value is { } a ? (target.Value - a) / target.Value : null;
        }
        else
        {
            (metric, value) = expected.ContainsKey("rmse") || !expected.ContainsKey("mae") ? ("rmse", rmse) : ("mae", mae);
            target = expected.GetValueOrDefault(metric);
            degradation = target is > 0 && value is { } e ? (e - target.Value) / target.Value : null;
        }

        var sampleSize = Math.Max(labelled.Count, errors.Count);
        if (target is null)
        {
            reason = $"the version's metadata has no metrics.{metric} to compare with";
        }
        else if (sampleSize < settings.AccuracyMinSamples)
        {
            reason = $"{sampleSize} joined outcomes, fewer than the {settings.AccuracyMinSamples} needed to alert";
        }

        var state = await store.StateAsync(version, cancellationToken);
        var tracker = state is null ? new AlertTracker() : JsonSerializer.Deserialize<AlertTracker>(state.Tracker, Json)!;
        var thresholds = new AlertThresholds(settings.AccuracyWarning, settings.AccuracyCritical, true, settings.Consecutive, settings.ClearFactor);
        AlertRow? alert = null;
        if (reason is null && degradation is { } d && tracker.Step(d, thresholds) is { } transition)
        {
            alert = new AlertRow
            {
                TenantId = version.TenantId, ModelName = version.ModelName, ModelVersion = version.ModelVersion, Feature = Feature, Metric = metric,
                FromLevel = DriftStatus.Of(transition.From), ToLevel = DriftStatus.Of(transition.To),
                Value = value ?? double.NaN, Threshold = target!.Value, SampleSize = sampleSize, AtMs = now.ToUnixTimeMilliseconds(),
            };
            LogChanged(logger, version.TenantId, version.ModelName, version.ModelVersion, transition.From, transition.To, metric, value ?? double.NaN, target.Value);
        }

        var level = DriftStatus.Of(tracker.Level);
        var view = new AccuracyView(metric, value, target, degradation, level, sampleSize, accuracy, mae, rmse, reason, now);
        await store.SaveAsync(version, level, JsonSerializer.Serialize(tracker, Json), JsonSerializer.Serialize(view, Json), sampleSize, now.ToUnixTimeMilliseconds(), alert, cancellationToken);
    }

    /// <summary>The metadata's <c>metrics</c> (numbers by name, lower-cased).</summary>
    private static Dictionary<string, double> Expected(BaselineLookup lookup)
    {
        var metrics = new Dictionary<string, double>(StringComparer.Ordinal);
        if (lookup.MetadataJson is null)
        {
            return metrics;
        }

        using var document = JsonDocument.Parse(lookup.MetadataJson);
        if (document.RootElement.ValueKind == JsonValueKind.Object
            && document.RootElement.TryGetProperty("metrics", out var node) && node.ValueKind == JsonValueKind.Object)
        {
            foreach (var property in node.EnumerateObject())
            {
                if (property.Value.TryGetDouble(out var number))
                {
                    metrics[property.Name.ToLowerInvariant()] = number;
                }
            }
        }

        return metrics;
    }

    [LoggerMessage(EventId = DriftMonitorLogEvents.AccuracyWindowLost, Level = LogLevel.Warning, Message = "The accuracy window of {Model} v{Version} could not be published")]
    private static partial void LogWindowLost(ILogger logger, Exception exception, string model, int version);

    [LoggerMessage(EventId = DriftMonitorLogEvents.AccuracyChanged, Level = LogLevel.Warning, Message = "Accuracy state of {Tenant}/{Model} v{Version}: {From} -> {To} ({Metric} = {Value}, expected {Expected})")]
    private static partial void LogChanged(ILogger logger, string tenant, string model, int version, AlertLevel from, AlertLevel to, string metric, double value, double expected);
}
