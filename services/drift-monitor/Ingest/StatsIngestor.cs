using System.Text.Json;
using MassTransit;
using Microsoft.Extensions.Options;
using Orbit.Contracts.Drift;
using Orbit.DriftMonitor.Baselines;
using Orbit.DriftMonitor.Metrics;
using Orbit.DriftMonitor.Storage;
using Orbit.Hosting.Streams;

namespace Orbit.DriftMonitor.Ingest;

/// <summary>
/// Consumes the statistics stream from the committed offset. Each batch of messages is checked against its version's
/// baseline; accepted windows, rejection counts and the next offset are committed in one transaction (rejections are
/// sent to the error queue first), so a restart resumes exactly after the last committed message, and a window seen
/// twice (same window id) is stored once. An unreachable registry pauses consumption; nothing is skipped.
/// </summary>
internal sealed partial class StatsIngestor(
    IStreamReader reader,
    DriftStore store,
    BaselineSource baselines,
    IBus bus,
    IOptions<DriftMonitorOptions> options,
    DriftMetrics metrics,
    TimeProvider time,
    ILogger<StatsIngestor> logger) : BackgroundService
{
    private static readonly TimeSpan MaxBackoff = TimeSpan.FromSeconds(30);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await RunAsync(stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex)
            {
                LogIngestFailed(logger, ex, options.Value.StatsStream);
                await Task.Delay(TimeSpan.FromSeconds(2), time, stoppingToken);
            }
        }
    }

    private async Task RunAsync(CancellationToken stoppingToken)
    {
        var settings = options.Value;
        var stream = settings.StatsStream;
        var next = await store.NextOffsetAsync(stream, stoppingToken);
        LogResumed(logger, stream, next);
        await foreach (var batch in StreamBatches.ReadAsync<FeatureStatsObserved>(reader, stream, next, settings.CommitBatch, stoppingToken))
        {
            await ProcessAsync(stream, batch, stoppingToken);
        }
    }

    private async Task ProcessAsync(string stream, List<StreamRecord<FeatureStatsObserved>> batch, CancellationToken cancellationToken)
    {
        var windows = new List<StoredWindow>();
        var rejections = new List<(Rejection Counted, StreamMessageRejected Message)>();
        var unmapped = new Dictionary<VersionKey, VersionRow>();
        var now = time.GetUtcNow();
        foreach (var record in batch)
        {
            if (record.Message is not { } message)
            {
                rejections.Add(Reject(stream, record.Offset, RejectionKinds.Malformed, $"malformed: {record.Error}", null, now));
                continue;
            }

            var body = JsonSerializer.Serialize(message, StreamJson.Options);
            if (WindowCheck.Invalid(message) is { } invalid)
            {
                rejections.Add(Reject(stream, record.Offset, RejectionKinds.Invalid, invalid, body, now));
                continue;
            }

            var key = new VersionKey(message.TenantId, message.ModelName, message.ModelVersion);
            var lookup = await LookUpAsync(key, cancellationToken);
            if (!lookup.Exists)
            {
                rejections.Add(Reject(stream, record.Offset, RejectionKinds.UnknownModel,
                    $"tenant '{key.TenantId}' has no model '{key.ModelName}' version {key.ModelVersion} in the registry", body, now));
                continue;
            }

            // The registry's reason (no usable baseline) first; else the worker's (features it could not map to inputs).
            if (lookup.Baseline is not { } baseline || message.Unmapped is not null)
            {
                var reason = lookup.UnmappedReason ?? $"the worker could not map the features: {message.Unmapped}";
                if (!unmapped.ContainsKey(key))
                {
                    LogUnmapped(logger, key.TenantId, key.ModelName, key.ModelVersion, reason);
                }

                unmapped[key] = new VersionRow
                {
                    TenantId = key.TenantId, ModelName = key.ModelName, ModelVersion = key.ModelVersion,
                    Status = DriftStatus.Unmapped, Reason = reason, Baseline = lookup.MetadataJson,
                };
                continue;
            }

            if (WindowCheck.Mismatch(message, baseline) is { } mismatch)
            {
                rejections.Add(Reject(stream, record.Offset, RejectionKinds.BaselineMismatch, mismatch, body, now));
                continue;
            }

            windows.Add(new StoredWindow(key, message.WindowId, message.WindowEnd.ToUnixTimeMilliseconds(), message.Rows, record.Offset, body));
        }

        var errors = rejections.Count == 0 ? null : await bus.GetSendEndpoint(new Uri("queue:" + options.Value.ErrorQueue));
        foreach (var (counted, rejected) in rejections)
        {
            // Before the offset moves: a crash in between sends it again rather than losing it.
            await errors!.Send(rejected, cancellationToken);
            LogRejected(logger, stream, rejected.Offset, rejected.Reason);
        }

        await store.CommitAsync(stream, batch[^1].Offset + 1, windows, rejections.Select(r => r.Counted).ToList(), unmapped.Values.ToList(), cancellationToken);
        metrics.Ingested(windows, rejections.Select(r => r.Counted));
    }

    private static (Rejection, StreamMessageRejected) Reject(string stream, long offset, string kind, string reason, string? body, DateTimeOffset now) =>
        (new Rejection(stream, kind), new StreamMessageRejected(stream, offset, reason, body, now));

    /// <summary>The version's baseline, retrying (with backoff, without end) while the registry cannot be reached.</summary>
    private async Task<BaselineLookup> LookUpAsync(VersionKey key, CancellationToken cancellationToken)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return await baselines.GetAsync(key.TenantId, key.ModelName, key.ModelVersion, cancellationToken);
            }
            catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException && !cancellationToken.IsCancellationRequested)
            {
                var backoff = TimeSpan.FromMilliseconds(Math.Min(MaxBackoff.TotalMilliseconds, 250 * Math.Pow(2, Math.Min(attempt, 10))));
                LogRegistryUnavailable(logger, ex.Message, backoff.TotalSeconds);
                await Task.Delay(backoff, time, cancellationToken);
            }
        }
    }

    [LoggerMessage(EventId = DriftMonitorLogEvents.IngestResumed, Level = LogLevel.Information, Message = "Reading stream {Stream} from offset {Offset}")]
    private static partial void LogResumed(ILogger logger, string stream, long offset);

    [LoggerMessage(EventId = DriftMonitorLogEvents.MessageRejected, Level = LogLevel.Warning, Message = "Rejected {Stream} offset {Offset}: {Reason}")]
    private static partial void LogRejected(ILogger logger, string stream, long offset, string reason);

    [LoggerMessage(EventId = DriftMonitorLogEvents.IngestFailed, Level = LogLevel.Error, Message = "Consuming {Stream} failed; resuming from the committed offset")]
    private static partial void LogIngestFailed(ILogger logger, Exception exception, string stream);

    [LoggerMessage(EventId = DriftMonitorLogEvents.RegistryUnavailable, Level = LogLevel.Warning, Message = "The registry cannot be asked for a baseline ({Reason}); consumption waits {Seconds} s")]
    private static partial void LogRegistryUnavailable(ILogger logger, string reason, double seconds);

    [LoggerMessage(EventId = DriftMonitorLogEvents.VersionUnmapped, Level = LogLevel.Warning, Message = "Tenant {Tenant} model {Model} version {Version} is unmapped: {Reason}")]
    private static partial void LogUnmapped(ILogger logger, string tenant, string model, int version, string reason);
}
