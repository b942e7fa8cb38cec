using System.Text.Json;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace Orbit.Routing;

/// <summary>
/// Keeps the routing tables from going stale: reads every table from Redis at start (retrying until
/// Redis answers), then again every <see cref="RoutingOptions.RefreshSeconds"/> and whenever the bus
/// reconnects, applying each table that is newer than the one in effect. Events keep tables current
/// between reads; the reads recover any event that was missed.
/// </summary>
public sealed partial class RoutingRefresher(
    RoutingTables tables,
    IRoutingTableApplier applier,
    RoutingTableReader reader,
    RefreshSignal signal,
    IOptions<RoutingOptions> options,
    TimeProvider time,
    ILogger<RoutingRefresher> logger) : BackgroundService
{
    /// <summary>The last read's failure, or null once a read succeeded.</summary>
    public string? LastError { get; private set; }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var failures = 0;
        while (!stoppingToken.IsCancellationRequested)
        {
            TimeSpan wait;
            try
            {
                var (read, applied) = await RefreshAsync(stoppingToken);
                tables.MarkLoaded();
                LastError = null;
                failures = 0;
                LogRefreshed(logger, read, applied);
                wait = TimeSpan.FromSeconds(options.Value.RefreshSeconds);
            }
            catch (Exception ex) when (ex is RedisException or TimeoutException or JsonException)
            {
                LastError = ex.Message;
                LogRefreshFailed(logger, ex.Message);
                wait = TimeSpan.FromSeconds(Math.Min(15, Math.Pow(2, failures++)));
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex)
            {
                // A table that failed to apply is not recorded, so the next read applies it again.
                LastError = ex.Message;
                LogApplyFailed(logger, ex);
                wait = TimeSpan.FromSeconds(Math.Min(15, Math.Pow(2, failures++)));
            }

            try
            {
                await signal.WaitAsync(wait, time, stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
        }
    }

    private async Task<(int Read, int Applied)> RefreshAsync(CancellationToken cancellationToken)
    {
        var read = await reader.ReadAllAsync(cancellationToken);
        var newer = read.Where(tables.IsNewer).ToList();
        await Task.WhenAll(newer.Select(t => applier.ApplyAsync(t, cancellationToken)));
        return (read.Count, newer.Count);
    }

    [LoggerMessage(EventId = RoutingLogEvents.Refreshed, Level = LogLevel.Debug, Message = "Read {Read} routing tables from Redis; applied {Applied} newer ones")]
    private static partial void LogRefreshed(ILogger logger, int read, int applied);

    [LoggerMessage(EventId = RoutingLogEvents.RefreshFailed, Level = LogLevel.Warning, Message = "Could not read the routing tables from Redis ({Reason}); retrying")]
    private static partial void LogRefreshFailed(ILogger logger, string reason);

    [LoggerMessage(EventId = RoutingLogEvents.ApplyFailed, Level = LogLevel.Error, Message = "A routing table read from Redis could not be applied; the next read retries it")]
    private static partial void LogApplyFailed(ILogger logger, Exception exception);
}
