using System.Collections.Concurrent;
using MassTransit;
using Microsoft.Extensions.Options;
using Orbit.Contracts.Models;
using Orbit.Contracts.Wire;
using Orbit.InferenceWorker.BatchChunks;
using Orbit.InferenceWorker.Heartbeats;
using Orbit.InferenceWorker.Models;
using Orbit.Routing;

namespace Orbit.InferenceWorker.Serving;

/// <summary>
/// Decides what this worker serves: it is the routing module's applier, so it receives every routing
/// table newer than the one in effect (read from Redis at start, periodically and after a bus
/// reconnect, or from a <see cref="DeploymentChanged"/>). For each deployed model it warms every
/// version in the routes (download, verify, load), then consumes queue <c>infer.{tenant}.{model}</c>
/// (and its <c>.batch</c> queue, the asynchronous <c>.async</c> and <c>.async.batch</c> queues, and its batch-job queue <c>batch.{tenant}.{model}</c>); when the routes become empty it stops consuming. A table is recorded
/// as applied only once its queues are connected, so one that failed is applied again by the next
/// read. On stop it stops every queue first (in-flight requests finish), then drains the batchers.
/// </summary>
internal sealed partial class ServingCoordinator(
    RoutingTables routes,
    HeartbeatSignal heartbeat,
    ModelStore models,
    BatcherPool batchers,
    IReceiveEndpointConnector connector,
    IOptions<WorkerOptions> options,
    IOptions<HostOptions> hostOptions,
    TimeProvider time,
    ILogger<ServingCoordinator> logger) : BackgroundService, IRoutingTableApplier
{
    private readonly ConcurrentDictionary<(string Tenant, string Model), HostReceiveEndpointHandle[]> _endpoints = new();
    private readonly ConcurrentDictionary<(string Tenant, string Model), SemaphoreSlim> _locks = new();
    private readonly ConcurrentDictionary<string, LoadedModel> _warm = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, (int Attempts, DateTimeOffset Next)> _rewarm = new(StringComparer.Ordinal);
    private volatile bool _stopping;

    /// <summary>Queue names this worker consumes now.</summary>
    public IReadOnlyCollection<string> Queues => [.. _endpoints.Keys.Select(k => InferenceAddresses.Queue(k.Tenant, k.Model))];

    /// <summary>Digests whose last load succeeded, with the session they got (its provider and batching verdict).</summary>
    public IReadOnlyDictionary<string, LoadedModel> Warm => _warm;

    protected override Task ExecuteAsync(CancellationToken stoppingToken) => RewarmAsync(stoppingToken);

    /// <summary>
    /// Retries, every few seconds, the versions whose warm-up failed (the registry was down, say):
    /// the gateway sends a version no traffic until a worker reports it loaded, so waiting for a
    /// request to retry the load would wait forever.
    /// </summary>
    private async Task RewarmAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await Task.Delay(TimeSpan.FromSeconds(10), time, stoppingToken);
            }
            catch (OperationCanceledException)
            {
                return;
            }

            try
            {
                await RewarmOnceAsync(stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex)
            {
                // The loop outlives any one failure: the next pass retries what is still cold.
                LogLoopFailed(logger, ex);
            }
        }
    }

    private async Task RewarmOnceAsync(CancellationToken stoppingToken)
    {
        var now = time.GetUtcNow();
        foreach (var table in routes.All)
        {
            foreach (var route in table.Routes.Where(r => !_warm.ContainsKey(r.Digest)))
            {
                // Backs off per artifact (10 s, 20 s, … 5 min), so one that stays missing does not flood the log.
                var (attempts, next) = _rewarm.GetValueOrDefault(route.Digest, (0, now));
                if (next > now)
                {
                    continue;
                }

                await WarmAsync(table, route, stoppingToken);
                _rewarm[route.Digest] = (attempts + 1, now + TimeSpan.FromSeconds(Math.Min(300, 10 * Math.Pow(2, attempts))));
            }
        }
    }

    /// <summary>Applies a routing table: warms its versions, then consumes or stops consuming its queue.</summary>
    public async Task ApplyAsync(DeploymentChanged change, CancellationToken cancellationToken)
    {
        if (_stopping || !options.Value.Serves(change.TenantId, change.ModelName))
        {
            return;
        }

        var key = (change.TenantId, change.ModelName);
        var gate = _locks.GetOrAdd(key, _ => new SemaphoreSlim(1, 1));
        await gate.WaitAsync(cancellationToken);
        try
        {
            if (!routes.IsNewer(change))
            {
                LogStale(logger, change.TenantId, change.ModelName, change.Revision);
                return;
            }

            LogApplying(logger, change.TenantId, change.ModelName, change.Revision, string.Join(", ", change.Routes.Select(r => $"v{r.Version}:{r.Weight}%")));
            var versions = change.Routes.Select(r => r.Version).ToHashSet();
            await batchers.RetireAsync(change.TenantId, change.ModelName, versions, cancellationToken);
            if (change.Routes.Count == 0)
            {
                await DisconnectAsync(key, cancellationToken);
                routes.TryApply(change);
                return;
            }

            await Task.WhenAll(change.Routes.Select(r => WarmAsync(change, r, cancellationToken)));
            if (!_stopping && !_endpoints.ContainsKey(key))
            {
                await ConnectAsync(key, cancellationToken);
            }

            // Only now in effect: a table whose queues failed to connect is applied again by the next read.
            routes.TryApply(change);
        }
        finally
        {
            gate.Release();
            heartbeat.Raise();
        }
    }

    private async Task WarmAsync(DeploymentChanged change, DeploymentRoute route, CancellationToken cancellationToken)
    {
        try
        {
            var model = await models.LoadAsync(route.Digest, cancellationToken);
            _warm[route.Digest] = model;
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            _warm.TryRemove(route.Digest, out _);
            LogWarmFailed(logger, change.TenantId, change.ModelName, route.Version, ex.Message);
        }
    }

    private async Task ConnectAsync((string Tenant, string Model) key, CancellationToken cancellationToken)
    {
        var queue = InferenceAddresses.Queue(key.Tenant, key.Model);
        // Prefetch, concurrency and retry come from the consumers' definitions.
        var single = connector.ConnectReceiveEndpoint(queue, (context, endpoint) => endpoint.ConfigureConsumer<InferenceConsumer>(context));
        var batches = connector.ConnectReceiveEndpoint(InferenceAddresses.BatchQueue(key.Tenant, key.Model),
            (context, endpoint) => endpoint.ConfigureConsumer<InferenceBatchConsumer>(context));
        var asyncQueue = InferenceAddresses.AsyncQueue(key.Tenant, key.Model);
        var asyncSingle = connector.ConnectReceiveEndpoint(asyncQueue,
            (context, endpoint) => AsynchronousQueue.Configure(endpoint, options.Value, single: true, () => endpoint.ConfigureConsumer<InferenceConsumer>(context)));
        var asyncBatches = connector.ConnectReceiveEndpoint(asyncQueue + InferenceAddresses.BatchSuffix,
            (context, endpoint) => AsynchronousQueue.Configure(endpoint, options.Value, single: false, () => endpoint.ConfigureConsumer<InferenceBatchConsumer>(context)));
        var chunks = connector.ConnectReceiveEndpoint(BatchAddresses.Queue(key.Tenant, key.Model),
            (context, endpoint) => endpoint.ConfigureConsumer<BatchChunkConsumer>(context));
        await Task.WhenAll(single.Ready, batches.Ready, asyncSingle.Ready, asyncBatches.Ready, chunks.Ready).WaitAsync(cancellationToken);
        // Recorded once consuming: heartbeats report a model as served from this moment, not before.
        _endpoints[key] = [single, batches, asyncSingle, asyncBatches, chunks];
        LogConnected(logger, queue);
    }

    private async Task DisconnectAsync((string Tenant, string Model) key, CancellationToken cancellationToken)
    {
        if (_endpoints.TryRemove(key, out var handles))
        {
            await Task.WhenAll(handles.Select(h => h.StopAsync(cancellationToken)));
            LogDisconnected(logger, InferenceAddresses.Queue(key.Tenant, key.Model));
        }
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        _stopping = true;
        await base.StopAsync(cancellationToken);

        // Leave a margin of the host's shutdown time for answering what could not finish.
        var grace = hostOptions.Value.ShutdownTimeout * 0.8;
        using var finish = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        finish.CancelAfter(grace);
        var keys = _endpoints.Keys.ToList();
        LogStopping(logger, keys.Count);
        try
        {
            // Stopping an endpoint waits for its in-flight messages, which the batchers still run.
            await Task.WhenAll(keys.Select(k => DisconnectAsync(k, finish.Token)));
        }
        catch (OperationCanceledException)
        {
            LogStopTimedOut(logger);
        }

        await batchers.DrainAllAsync(finish.Token);
    }

    [LoggerMessage(EventId = WorkerLogEvents.Stale, Level = LogLevel.Debug, Message = "Ignored routing table {Tenant}/{Model} revision {Revision}: a newer one is applied")]
    private static partial void LogStale(ILogger logger, string tenant, string model, long revision);

    [LoggerMessage(EventId = WorkerLogEvents.Applying, Level = LogLevel.Information, Message = "Applying routing table {Tenant}/{Model} revision {Revision}: {Routes}")]
    private static partial void LogApplying(ILogger logger, string tenant, string model, long revision, string routes);

    [LoggerMessage(EventId = WorkerLogEvents.WarmFailed, Level = LogLevel.Error, Message = "Could not warm {Tenant}/{Model} v{Version}: {Reason}; requests for it will retry the load")]
    private static partial void LogWarmFailed(ILogger logger, string tenant, string model, int version, string reason);

    [LoggerMessage(EventId = WorkerLogEvents.LoopFailed, Level = LogLevel.Error, Message = "The rewarm pass failed; the next pass retries")]
    private static partial void LogLoopFailed(ILogger logger, Exception exception);

    [LoggerMessage(EventId = WorkerLogEvents.Connected, Level = LogLevel.Information, Message = "Consuming {Queue}")]
    private static partial void LogConnected(ILogger logger, string queue);

    [LoggerMessage(EventId = WorkerLogEvents.Disconnected, Level = LogLevel.Information, Message = "Stopped consuming {Queue}")]
    private static partial void LogDisconnected(ILogger logger, string queue);

    [LoggerMessage(EventId = WorkerLogEvents.Stopping, Level = LogLevel.Information, Message = "Stopping: no new requests from {Queues} queues; finishing what is queued")]
    private static partial void LogStopping(ILogger logger, int queues);

    [LoggerMessage(EventId = WorkerLogEvents.StopTimedOut, Level = LogLevel.Warning, Message = "In-flight requests did not finish in time; what is left is answered ShuttingDown")]
    private static partial void LogStopTimedOut(ILogger logger);
}
