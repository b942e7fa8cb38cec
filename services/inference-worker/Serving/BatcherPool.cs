using System.Collections.Concurrent;
using Microsoft.Extensions.Options;
using Orbit.InferenceWorker.Batching;
using Orbit.InferenceWorker.Metrics;

namespace Orbit.InferenceWorker.Serving;

/// <summary>One dynamic batcher per model version, created on its first request.</summary>
internal sealed class BatcherPool(
    IOptions<WorkerOptions> options, InferenceMetrics metrics, WorkerStatistics statistics, TimeProvider time, ILoggerFactory loggers)
{
    private readonly ConcurrentDictionary<(string Tenant, string Model, int Version), Lazy<DynamicBatcher>> _batchers = new();
    private readonly ConcurrentDictionary<(string Tenant, string Model), Arrivals> _arrivals = new();
    private readonly BatchingOptions _batching = BatchingOptions.From(options.Value);

    public int QueueDepth => _batchers.Values.Where(b => b.IsValueCreated).Sum(b => b.Value.QueueDepth);

    /// <summary>The batcher of a version; <paramref name="versionMaxBatchSize"/> (its <c>serving.maxBatchSize</c>) lowers the worker's limit.</summary>
    public DynamicBatcher Get(string tenantId, string modelName, int version, int? versionMaxBatchSize = null) =>
        _batchers.GetOrAdd((tenantId, modelName, version), key => new Lazy<DynamicBatcher>(() =>
        {
            var logger = loggers.CreateLogger<DynamicBatcher>();
            var executor = new BatchExecutor(new ModelTags(key.Tenant, key.Model, key.Version), metrics, statistics, time, logger);
            return new DynamicBatcher(_batching.LimitedTo(versionMaxBatchSize), executor, time, logger, ArrivalsOf(key.Tenant, key.Model)).Start();
        })).Value;

    /// <summary>The model's requests received and not yet queued, shared by its versions' batchers (a request's version is known only once it is routed).</summary>
    public Arrivals ArrivalsOf(string tenantId, string modelName) => _arrivals.GetOrAdd((tenantId, modelName), _ => new Arrivals());

    /// <summary>Whether any version of the model has requests queued and not yet running: real-time work that batch chunks yield to.</summary>
    public bool HasQueued(string tenantId, string modelName)
    {
        foreach (var (key, batcher) in _batchers)
        {
            if (batcher.IsValueCreated && batcher.Value.QueueDepth > 0 && key.Tenant == tenantId && key.Model == modelName)
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>Stops and removes the batchers of <paramref name="modelName"/> whose version is not in <paramref name="keep"/>.</summary>
    public Task RetireAsync(string tenantId, string modelName, IReadOnlySet<int> keep, CancellationToken cancellationToken)
    {
        var retired = new List<Task>();
        foreach (var (key, batcher) in _batchers)
        {
            if (key.Tenant == tenantId && key.Model == modelName && !keep.Contains(key.Version)
                && _batchers.TryRemove(new KeyValuePair<(string, string, int), Lazy<DynamicBatcher>>(key, batcher)) && batcher.IsValueCreated)
            {
                retired.Add(batcher.Value.DrainAsync(cancellationToken));
            }
        }

        return Task.WhenAll(retired);
    }

    /// <summary>Runs what every batcher holds and stops them; past the token, what is left is answered ShuttingDown.</summary>
    public Task DrainAllAsync(CancellationToken cancellationToken) =>
        Task.WhenAll(_batchers.Values.Where(b => b.IsValueCreated).Select(b => b.Value.DrainAsync(cancellationToken)));
}
