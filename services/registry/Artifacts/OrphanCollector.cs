using Microsoft.Extensions.Options;
using Orbit.Registry.Models;

namespace Orbit.Registry.Artifacts;

/// <summary>
/// Removes objects that no version references once they are older than the grace period: a crash
/// between an upload's move into the store and its database commit leaves such an object behind.
/// </summary>
internal sealed partial class OrphanCollector(
    ArtifactStore store,
    ModelRepository models,
    IOptions<ArtifactOptions> options,
    TimeProvider time,
    ILogger<OrphanCollector> logger) : BackgroundService
{
    /// <summary>One sweep; returns how many objects it removed.</summary>
    public Task<int> CollectAsync(CancellationToken cancellationToken)
    {
        var cutoff = time.GetUtcNow() - TimeSpan.FromMinutes(options.Value.OrphanGraceMinutes);
        return store.CollectOrphansAsync(cutoff, (digest, ct) => models.DigestVisibleAsync(null, digest, ct), cancellationToken);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromMinutes(options.Value.OrphanSweepMinutes), time);
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            try
            {
                await CollectAsync(stoppingToken);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                LogSweepFailed(logger, ex);
            }
        }
    }

    [LoggerMessage(EventId = RegistryLogEvents.OrphanSweepFailed, Level = LogLevel.Warning, Message = "The sweep for unreferenced artifacts failed; it runs again at the next interval")]
    private static partial void LogSweepFailed(ILogger logger, Exception error);
}
