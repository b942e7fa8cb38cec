using Microsoft.Extensions.Options;
using Orbit.Registry.Storage;
using StackExchange.Redis;

namespace Orbit.Registry.Deployments;

/// <summary>
/// Rewrites every model's routing table into Redis at start and then periodically, so a Redis
/// that restarted empty is repaired without anyone deploying again. Writes never go back a revision.
/// A write that failed while Redis was unreachable (<see cref="RoutingTable.RequestRepair"/>) or a reconnection
/// brings the next pass forward; a failed pass is retried with backoff (1 s doubling, at most the
/// period) until one succeeds. Nothing a pass throws stops the loop or the host.
/// </summary>
internal sealed partial class RoutingResync(
    DeploymentRepository deployments,
    RoutingTable routing,
    IConnectionMultiplexer redis,
    IOptions<RegistryOptions> options,
    TimeProvider time,
    ILogger<RoutingResync> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        redis.ConnectionRestored += OnRestored;
        try
        {
            await RunAsync(stoppingToken);
        }
        finally
        {
            redis.ConnectionRestored -= OnRestored;
        }
    }

    private void OnRestored(object? sender, ConnectionFailedEventArgs e) => routing.RequestRepair();

    private async Task RunAsync(CancellationToken stoppingToken)
    {
        var period = TimeSpan.FromSeconds(options.Value.RoutingResyncSeconds);
        var failures = 0;
        while (!stoppingToken.IsCancellationRequested)
        {
            var repair = routing.RenewRepairRequest();
            try
            {
                var written = 0;
                foreach (var table in await deployments.AllRoutingTablesAsync(stoppingToken))
                {
                    written += await routing.WriteAsync(table) ? 1 : 0;
                }

                failures = 0;
                if (written > 0)
                {
                    LogRepaired(logger, written);
                }
            }
            catch (Exception ex) when (!stoppingToken.IsCancellationRequested)
            {
                failures++;
                LogFailed(logger, ex);
            }

            var wait = failures == 0 ? period : TimeSpan.FromSeconds(Math.Min(period.TotalSeconds, 1 << Math.Min(failures - 1, 10)));
            try
            {
                // The signal was renewed before the pass, so a repair asked for during it starts the next pass at once.
                using var delay = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
                await Task.WhenAny(repair, Task.Delay(wait, time, delay.Token));
                await delay.CancelAsync();
                stoppingToken.ThrowIfCancellationRequested();
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    [LoggerMessage(EventId = RegistryLogEvents.Repaired, Level = LogLevel.Information, Message = "Rewrote {Count} routing tables that Redis had lost or held stale")]
    private static partial void LogRepaired(ILogger logger, int count);

    [LoggerMessage(EventId = RegistryLogEvents.Failed, Level = LogLevel.Warning, Message = "Routing table resync failed; retrying with backoff")]
    private static partial void LogFailed(ILogger logger, Exception exception);
}
