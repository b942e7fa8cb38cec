using Microsoft.Extensions.Options;
using Orbit.Contracts.Wire;
using Orbit.Contracts.Workers;
using Orbit.Hosting;
using Orbit.InferenceWorker.Batching;
using ModelStore = Orbit.InferenceWorker.Models.ModelStore;
using Orbit.InferenceWorker.Serving;
using Orbit.Routing;

namespace Orbit.InferenceWorker.Heartbeats;

/// <summary>
/// What this worker reports: the model versions it serves now (deployed, and loaded at least
/// once: the gateway routes only to those), its queue depth, batches run, mean batch size, and
/// the share of the time since the last heartbeat that batches spent in ONNX Runtime, and why a
/// configured provider (cuda:0) did not start, if one did not.
/// </summary>
internal sealed class HeartbeatBuilder(
    RoutingTables routes,
    ServingCoordinator coordinator,
    BatcherPool batchers,
    ModelStore models,
    WorkerStatistics statistics,
    OrbitServiceInfo service,
    IOptions<WorkerOptions> options,
    TimeProvider time)
{
    private readonly Lock _lock = new();
    private long _lastTimestamp = time.GetTimestamp();
    private TimeSpan _lastBusy;

    public WorkerHeartbeat Build()
    {
        var warm = coordinator.Warm;
        var serving = coordinator.Queues.ToHashSet(StringComparer.Ordinal);
        var loaded = routes.All
            .Where(t => serving.Contains(InferenceAddresses.Queue(t.TenantId, t.ModelName)))
            .SelectMany(t => t.Routes
                .Where(r => warm.ContainsKey(r.Digest))
                .Select(r => Describe(t.TenantId, t.ModelName, r, warm[r.Digest])))
            .OrderBy(m => m.TenantId, StringComparer.Ordinal).ThenBy(m => m.ModelName, StringComparer.Ordinal).ThenBy(m => m.Version)
            .ToList();
        var device = options.Value.Device;
        var provider = loaded.Count > 0 ? loaded[0].Provider : device == "cpu" ? "cpu" : "unknown";
        var fallbackReason = models.Loaded.Select(m => m.Session.ProviderFallbackReason).FirstOrDefault(r => r is not null);

        double busyFraction;
        lock (_lock)
        {
            var now = time.GetTimestamp();
            var elapsed = time.GetElapsedTime(_lastTimestamp, now);
            var busy = statistics.Busy;
            busyFraction = elapsed > TimeSpan.Zero ? Math.Clamp((busy - _lastBusy) / elapsed, 0, 1) : 0;
            _lastTimestamp = now;
            _lastBusy = busy;
        }

        return new WorkerHeartbeat(
            service.InstanceId,
            Environment.MachineName,
            device,
            provider,
            loaded,
            batchers.QueueDepth,
            statistics.BatchesRun,
            Math.Round(statistics.MeanBatchSize, 3),
            Math.Round(busyFraction, 4),
            service.StartedAt,
            time.GetUtcNow(),
            fallbackReason);
    }

    /// <summary>A served version, with whether its requests are merged and why.</summary>
    private LoadedModel Describe(string tenant, string model, Orbit.Contracts.Models.DeploymentRoute route, Models.LoadedModel session)
    {
        var limit = route.MaxBatchSize is { } own ? Math.Min(own, options.Value.MaxBatchSize) : options.Value.MaxBatchSize;
        var (batching, reason) = route.MaxBatchSize == 0
            ? (false, "the version's serving.maxBatchSize is 0")
            : (session.Batching.CanBatch, session.Batching.Reason);
        return new LoadedModel(tenant, model, route.Version, route.Digest, session.Provider, batching, reason, batching ? limit : null);
    }
}
