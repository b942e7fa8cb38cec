using Microsoft.Extensions.Options;
using Orbit.Contracts.Drift;
using Orbit.Hosting;
using Orbit.Hosting.Streams;

namespace Orbit.InferenceWorker.Statistics;

/// <summary>
/// Drains <see cref="StatisticsQueue"/> off the hot path, every <c>DrainMilliseconds</c>: adds each served request's rows to its version's
/// window (versions with a baseline), and logs requests that ask (<c>parameters.log_prediction</c>) or are sampled:
/// one <see cref="PredictionsLogged"/> per version and drain (or per <c>PredictionLogMaxRows</c> rows), not one
/// confirmed stream publish per request, which cost the worker more than the rest of the statistics together
/// (docs/benchmarks.md). Every <c>WindowSeconds</c> it publishes one <see cref="FeatureStatsObserved"/> per version
/// with traffic; windows the broker did not take are kept (up to <c>MaxPendingWindows</c>) and sent again on the next
/// tick, and what is left is sent at stop.
/// </summary>
internal sealed partial class StatisticsCollector(
    StatisticsQueue queue,
    VersionProfiles profiles,
    IStreamPublisher streams,
    StatisticsMetrics metrics,
    IOptions<StatisticsOptions> options,
    OrbitServiceInfo service,
    TimeProvider time,
    ILogger<StatisticsCollector> logger) : BackgroundService
{
    private const int MaxLogsInFlight = 256;

    private readonly Lock _gate = new();
    private readonly SemaphoreSlim _logsInFlight = new(MaxLogsInFlight, MaxLogsInFlight);
    private readonly Queue<FeatureStatsObserved> _pending = new();
    private readonly SemaphoreSlim _flushing = new(1, 1);
    private Dictionary<(string Tenant, string Model, int Version), VersionWindow> _windows = [];
    private DateTimeOffset _windowStart;
    private long _sequence;

    private string StatsStream => options.Value.StatsStream;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!options.Value.Enabled)
        {
            return;
        }

        _windowStart = time.GetUtcNow();
        var ticks = TickAsync(stoppingToken);
        // Drained in batches on a short period rather than woken per request: a wake-up per request costs the
        // serving threads more than the summary itself (measured by bench/Orbit.Statistics.Bench).
        using var drain = new PeriodicTimer(TimeSpan.FromMilliseconds(options.Value.DrainMilliseconds), time);
        try
        {
            while (await drain.WaitForNextTickAsync(stoppingToken))
            {
                await DrainAsync(stoppingToken);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Stopping: what is left is drained and the last window flushed in StopAsync.
        }

        await ticks;
    }

    private async Task DrainAsync(CancellationToken cancellationToken)
    {
        var logs = new PredictionLogBatches(options.Value.PredictionLogMaxRows);
        var taken = 0;
        while (queue.TryTake(out var served))
        {
            // A queue that never empties still sends every version's entry at least this often.
            if (++taken % 1024 == 0)
            {
                foreach (var entry in logs.TakeAll())
                {
                    await PublishLogAsync(entry, cancellationToken);
                }
            }

            try
            {
                if (await HandleAsync(served, logs, cancellationToken) is { } full)
                {
                    await PublishLogAsync(full, cancellationToken);
                }
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                metrics.Skipped("unreadable");
                LogFailed(logger, ex, served.Request.TenantId, served.Request.ModelName, served.Version);
            }
        }

        foreach (var entry in logs.TakeAll())
        {
            await PublishLogAsync(entry, cancellationToken);
        }
    }

    /// <summary>Adds the request to its version's window and, when it is logged, to this pass's prediction log; returns a log entry that is full.</summary>
    private async ValueTask<PredictionsLogged?> HandleAsync(ServedRequest served, PredictionLogBatches logs, CancellationToken cancellationToken)
    {
        var request = served.Request;
        var profile = await profiles.GetAsync(request.TenantId, request.ModelName, served.Version, cancellationToken);
        if (profile is null)
        {
            metrics.Skipped("metadata_unavailable");
            return null;
        }

        var rate = options.Value.PredictionLogSampleRate;
        var log = served.AsksToBeLogged || rate >= 1 || (rate > 0 && Random.Shared.NextDouble() < rate);
        if (!profile.HasBaseline && !log)
        {
            return null;
        }

        if (ServedRows.Read(served, profile) is not { } rows)
        {
            metrics.Skipped("unreadable");
            return null;
        }

        if (profile.HasBaseline)
        {
            lock (_gate)
            {
                var key = (request.TenantId, request.ModelName, served.Version);
                if (!_windows.TryGetValue(key, out var window))
                {
                    _windows[key] = window = new VersionWindow(profile, options.Value.MaxUnseenCategories);
                }

                window.Add(rows);
            }
        }

        return log ? logs.Add(served, profile, PredictionLog.Build(served, profile, rows)) : null;
    }

    private async Task PublishLogAsync(PredictionsLogged entry, CancellationToken cancellationToken)
    {
        await _logsInFlight.WaitAsync(cancellationToken);
        _ = PublishLogInBackgroundAsync(entry);
    }

    /// <summary>Not awaited by the drain loop: up to <see cref="MaxLogsInFlight"/> entries wait for their confirms at once.</summary>
    private async Task PublishLogInBackgroundAsync(PredictionsLogged entry)
    {
        try
        {
            await streams.PublishAsync(options.Value.PredictionsStream, entry, CancellationToken.None);
            metrics.Logged(entry.Requests.Count);
        }
        catch (Exception ex)
        {
            metrics.LogFailed(entry.Requests.Count);
            LogPredictionLogFailed(logger, ex, entry.Requests.Count, entry.TenantId, entry.ModelName, entry.ModelVersion);
        }
        finally
        {
            _logsInFlight.Release();
        }
    }

    private async Task TickAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(options.Value.WindowSeconds), time);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                await FlushAsync(stoppingToken);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Stopping.
        }
    }

    /// <summary>Closes the current window (one message per version with traffic) and publishes every pending window in order.</summary>
    public async Task FlushAsync(CancellationToken cancellationToken)
    {
        await _flushing.WaitAsync(cancellationToken);
        try
        {
            Close();
            while (_pending.TryPeek(out var window))
            {
                try
                {
                    await streams.PublishAsync(StatsStream, window, cancellationToken);
                }
                catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
                {
                    LogWindowsPending(logger, ex, _pending.Count);
                    return;
                }

                _pending.Dequeue();
                metrics.WindowPublished();
            }
        }
        finally
        {
            _flushing.Release();
        }
    }

    private void Close()
    {
        Dictionary<(string Tenant, string Model, int Version), VersionWindow> closed;
        var end = time.GetUtcNow();
        DateTimeOffset start;
        lock (_gate)
        {
            (closed, _windows) = (_windows, []);
            (start, _windowStart) = (_windowStart, end);
        }

        foreach (var ((tenant, model, version), window) in closed)
        {
            if (window.Rows == 0)
            {
                continue;
            }

            // The process start makes ids unique across restarts of a worker that keeps its instance id.
            var id = $"{service.InstanceId}:{service.StartedAt.ToUnixTimeMilliseconds()}:{++_sequence}";
            _pending.Enqueue(window.ToMessage(id, tenant, model, version, service.InstanceId, start, end));
            while (_pending.Count > options.Value.MaxPendingWindows)
            {
                _pending.Dequeue();
                metrics.WindowDropped();
            }
        }
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken);
        if (!options.Value.Enabled)
        {
            return;
        }

        try
        {
            // Registered before the serving coordinator, so this runs after its queues drained: what they answered is in.
            await DrainAsync(cancellationToken);
            await FlushAsync(cancellationToken);
            await LogsPublishedAsync(cancellationToken);
        }
        catch (OperationCanceledException)
        {
            LogStopFlushTimedOut(logger, _pending.Count);
        }
    }

    /// <summary>Waits until no prediction log entry is waiting for its confirm.</summary>
    private async Task LogsPublishedAsync(CancellationToken cancellationToken)
    {
        for (var i = 0; i < MaxLogsInFlight; i++)
        {
            await _logsInFlight.WaitAsync(cancellationToken);
        }

        _logsInFlight.Release(MaxLogsInFlight);
    }

    [LoggerMessage(EventId = WorkerLogEvents.StatisticsFailed, Level = LogLevel.Warning, Message = "Could not summarise a request of {Tenant}/{Model} v{Version}; it was served, and left out of the statistics")]
    private static partial void LogFailed(ILogger logger, Exception exception, string tenant, string model, int version);

    [LoggerMessage(EventId = WorkerLogEvents.StatisticsPending, Level = LogLevel.Warning, Message = "Could not publish statistics windows; {Count} kept for the next window")]
    private static partial void LogWindowsPending(ILogger logger, Exception exception, int count);

    [LoggerMessage(EventId = WorkerLogEvents.PredictionLogFailed, Level = LogLevel.Warning, Message = "Could not publish the prediction log of {Count} requests of {Tenant}/{Model} v{Version}")]
    private static partial void LogPredictionLogFailed(ILogger logger, Exception exception, int count, string tenant, string model, int version);

    [LoggerMessage(EventId = WorkerLogEvents.StatisticsStopTimedOut, Level = LogLevel.Warning, Message = "Stopped before {Count} statistics windows could be published")]
    private static partial void LogStopFlushTimedOut(ILogger logger, int count);
}
