using Microsoft.Extensions.Options;
using Orbit.Registry.Storage;

namespace Orbit.Registry.Deployments;

/// <summary>
/// Rewrites every model's routing table into Redis at start and then periodically, so a Redis
/// that restarted empty is repaired without anyone deploying again. Writes never go back a revision.
/// </summary>
internal sealed partial class RoutingResync(
    DeploymentRepository deployments,
    RoutingTable routing,
    IOptions<RegistryOptions> options,
    TimeProvider time,
    ILogger<RoutingResync> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var period = TimeSpan.FromSeconds(options.Value.RoutingResyncSeconds);
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                var written = 0;
                foreach (var table in await deployments.AllRoutingTablesAsync(stoppingToken))
                {
                    written += await routing.WriteAsync(table) ? 1 : 0;
                }

                if (written > 0)
                {
                    LogRepaired(logger, written);
                }
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                LogFailed(logger, ex);
            }

            try
            {
                await Task.Delay(period, time, stoppingToken);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    [LoggerMessage(EventId = RegistryLogEvents.Repaired, Level = LogLevel.Information, Message = "Rewrote {Count} routing tables that Redis had lost or held stale")]
    private static partial void LogRepaired(ILogger logger, int count);

    [LoggerMessage(EventId = RegistryLogEvents.Failed, Level = LogLevel.Warning, Message = "Routing table resync failed; it runs again next period")]
    private static partial void LogFailed(ILogger logger, Exception exception);
}
