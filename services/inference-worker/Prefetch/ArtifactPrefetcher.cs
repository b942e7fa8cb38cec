using Microsoft.Extensions.Options;
using Orbit.Contracts.Models;
using Orbit.InferenceWorker.Models;
using Orbit.Routing;

namespace Orbit.InferenceWorker.Prefetch;

/// <summary>
/// Downloads and verifies a newly registered version's artifact into the model cache before anyone
/// deploys it, so that a deploy only opens a session. Only for models this worker serves
/// (<c>Models</c>), only when <c>PrefetchRegisteredVersions</c> is on, and only for an artifact that
/// fits <c>CacheMaxBytes</c>; room is made by evicting the least recently used files that no loaded
/// session and no deployed version uses. Idempotent: a file already cached is only marked used, and
/// concurrent asks share one download. A failure is logged and never thrown: the load at deploy time
/// (or the first request) tries again.
/// </summary>
internal sealed partial class ArtifactPrefetcher(
    ModelCache cache,
    ModelStore models,
    RoutingTables routes,
    IOptions<WorkerOptions> options,
    TimeProvider time,
    ILogger<ArtifactPrefetcher> logger)
{
    public async Task PrefetchAsync(ModelVersionRegistered registered, CancellationToken cancellationToken)
    {
        var settings = options.Value;
        if (!settings.PrefetchRegisteredVersions || !settings.Serves(registered.TenantId, registered.ModelName))
        {
            return;
        }

        if (registered.SizeBytes > settings.CacheMaxBytes)
        {
            LogTooLarge(logger, registered.TenantId, registered.ModelName, registered.Version, registered.SizeBytes, settings.CacheMaxBytes);
            return;
        }

        var started = time.GetTimestamp();
        try
        {
            var cached = cache.Contains(registered.Digest);
            await cache.EnsureAsync(registered.Digest, InUse, cancellationToken);
            LogPrefetched(logger, registered.TenantId, registered.ModelName, registered.Version, registered.Digest,
                cached ? "already cached" : "downloaded and verified", time.GetElapsedTime(started).TotalMilliseconds);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Stopping; the download itself finishes for whoever else waits on it.
        }
        catch (Exception ex)
        {
            // The registry may be down, the bytes may not match: deploying retries the download.
            LogFailed(logger, registered.TenantId, registered.ModelName, registered.Version, registered.Digest, ex.Message);
        }
    }

    /// <summary>What eviction must keep: files with a session open and files of versions deployed now.</summary>
    private IReadOnlySet<string> InUse()
    {
        var keep = new HashSet<string>(models.LoadedDigests(), StringComparer.Ordinal);
        foreach (var table in routes.All)
        {
            foreach (var route in table.Routes)
            {
                keep.Add(route.Digest);
            }
        }

        return keep;
    }

    [LoggerMessage(EventId = WorkerLogEvents.Prefetched, Level = LogLevel.Information,
        Message = "Prefetched {Tenant}/{Model} v{Version} ({Digest}): {How} in {Milliseconds:0.0} ms")]
    private static partial void LogPrefetched(ILogger logger, string tenant, string model, int version, string digest, string how, double milliseconds);

    [LoggerMessage(EventId = WorkerLogEvents.PrefetchFailed, Level = LogLevel.Warning,
        Message = "Could not prefetch {Tenant}/{Model} v{Version} ({Digest}): {Reason}; it is downloaded when it is deployed")]
    private static partial void LogFailed(ILogger logger, string tenant, string model, int version, string digest, string reason);

    [LoggerMessage(EventId = WorkerLogEvents.PrefetchTooLarge, Level = LogLevel.Information,
        Message = "Not prefetching {Tenant}/{Model} v{Version}: {Bytes} bytes is over Orbit:Worker:CacheMaxBytes {Max}")]
    private static partial void LogTooLarge(ILogger logger, string tenant, string model, int version, long bytes, long max);
}
