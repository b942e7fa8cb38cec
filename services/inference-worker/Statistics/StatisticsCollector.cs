using Microsoft.Extensions.Options;
using Orbit.Contracts.Drift;
using Orbit.Hosting;
using Orbit.Hosting.Streams;

namespace Orbit.InferenceWorker.Statistics;

/// <summary>
/// Drains <see cref="StatisticsQueue"/> off the hot path, every <c>DrainMilliseconds</c>: adds each served request's rows to its version's
/// window (versions with a baseline), and publishes a <see cref="PredictionLogged"/> for requests that ask
/// (<c>parameters.log_prediction</c>) or are sampled. Every <c>WindowSeconds</c> it publishes one
/// <see cref="FeatureStatsObserved"/> per version with traffic; windows the broker did not take are kept
/// (up to <c>MaxPendingWindows</c>) and sent again on the next tick, and what is left is sent at stop.
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
        while (queue.TryTake(out var served))
        {
            try
            {
                await HandleAsync(served, cancellationToken);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                metrics.Skipped("unreadable");
                LogFailed(logger, ex, served.Request.TenantId, served.Request.ModelName, served.Version);
            }
        }
    }

    private async Task HandleAsync(ServedRequest served, CancellationToken cancellationToken)
    {
        var request = served.Request;
        var profile = await profiles.GetAsync(request.TenantId, request.ModelName, served.Version, cancellationToken);
        if (profile is null)
        {
            metrics.Skipped("metadata_unavailable");
            return;
        }

        var log = served.AsksToBeLogged || (options.Value.PredictionLogSampleRate > 0 && Random.Shared.NextDouble() < options.Value.PredictionLogSampleRate);
        if (!profile.HasBaseline && !log)
        {
            return;
        }

        if (ServedRows.Read(served, profile) is not { } rows)
        {
            metrics.Skipped("unreadable");
            return;
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

        if (log)
        {
            await _logsInFlight.WaitAsync(cancellationToken);
            _ = PublishLogAsync(PredictionLog.Build(served, profile, rows));
        }
    }

    /// <summary>Not awaited by the drain loop: up to <see cref="MaxLogsInFlight"/> wait for their confirms at once.</summary>
    private async Task PublishLogAsync(PredictionLogged entry)
    {
        try
        {
            await streams.PublishAsync(options.Value.PredictionsStream, entry, CancellationToken.None);
            metrics.Logged();
        }
        catch (Exception ex)
        {
            metrics.LogFailed();
            LogPredictionLogFailed(logger, ex, entry.TenantId, entry.ModelName, entry.ModelVersion);
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
        }
        catch (OperationCanceledException)
        {
            LogStopFlushTimedOut(logger, _pending.Count);
        }
    }

    [LoggerMessage(EventId = WorkerLogEvents.StatisticsFailed, Level = LogLevel.Warning, Message = "Could not summarise a request of {Tenant}/{Model} v{Version}; it was served, and left out of the statistics")]
    private static partial void LogFailed(ILogger logger, Exception exception, string tenant, string model, int version);

    [LoggerMessage(EventId = WorkerLogEvents.StatisticsPending, Level = LogLevel.Warning, Message = "Could not publish statistics windows; {Count} kept for the next window")]
    private static partial void LogWindowsPending(ILogger logger, Exception exception, int count);

    [LoggerMessage(EventId = WorkerLogEvents.PredictionLogFailed, Level = LogLevel.Warning, Message = "Could not publish the prediction log of a request of {Tenant}/{Model} v{Version}")]
    private static partial void LogPredictionLogFailed(ILogger logger, Exception exception, string tenant, string model, int version);

    [LoggerMessage(EventId = WorkerLogEvents.StatisticsStopTimedOut, Level = LogLevel.Warning, Message = "Stopped before {Count} statistics windows could be published")]
    private static partial void LogStopFlushTimedOut(ILogger logger, int count);
}
