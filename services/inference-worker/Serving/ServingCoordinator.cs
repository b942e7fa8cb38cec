using System.Collections.Concurrent;
using System.Text.Json;
using MassTransit;
using Microsoft.Extensions.Options;
using Orbit.Contracts.Models;
using Orbit.InferenceWorker.Heartbeats;
using Orbit.InferenceWorker.Models;
using StackExchange.Redis;

namespace Orbit.InferenceWorker.Serving;

/// <summary>
/// Decides what this worker serves. At start it reads every routing table in Redis
/// (<c>orbit:routes:*</c>); afterwards it applies each <see cref="DeploymentChanged"/>, ignoring
/// revisions older than what it applied. For each deployed model it warms every version in the
/// routes (download, verify, load), then consumes queue <c>infer.{tenant}.{model}</c>; when the
/// routes become empty it stops consuming. On stop it stops every queue first (in-flight requests
/// finish), then drains the batchers.
/// </summary>
internal sealed partial class ServingCoordinator(
    RoutingTables routes,
    HeartbeatSignal heartbeat,
    ModelStore models,
    BatcherPool batchers,
    IReceiveEndpointConnector connector,
    IConnectionMultiplexer redis,
    IOptions<WorkerOptions> options,
    IOptions<HostOptions> hostOptions,
    TimeProvider time,
    ILogger<ServingCoordinator> logger) : BackgroundService
{
    public const string RoutesPattern = "orbit:routes:*";

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    private readonly ConcurrentDictionary<(string Tenant, string Model), HostReceiveEndpointHandle[]> _endpoints = new();
    private readonly ConcurrentDictionary<(string Tenant, string Model), SemaphoreSlim> _locks = new();
    private readonly ConcurrentDictionary<string, string> _warm = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, (int Attempts, DateTimeOffset Next)> _rewarm = new(StringComparer.Ordinal);
    private volatile bool _stopping;

    /// <summary>True once the routing tables in Redis were read and applied.</summary>
    public bool InitialScanCompleted { get; private set; }

    public string? LastScanError { get; private set; }

    /// <summary>Queue names this worker consumes now.</summary>
    public IReadOnlyCollection<string> Queues => [.. _endpoints.Keys.Select(k => QueueName(k.Tenant, k.Model))];

    /// <summary>Digests whose last load succeeded, with the provider they got.</summary>
    public IReadOnlyDictionary<string, string> Warm => _warm;

    public static string QueueName(string tenantId, string modelName) => $"infer.{tenantId}.{modelName}";

    /// <summary>
    /// Gateways' coalesced batches have a queue of their own: a message with no type header (any
    /// language may publish one) on the main queue must reach exactly one consumer.
    /// </summary>
    public static string BatchQueueName(string tenantId, string modelName) => QueueName(tenantId, modelName) + ".batch";

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var delay = TimeSpan.FromSeconds(1);
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                var applied = await ScanAsync(stoppingToken);
                InitialScanCompleted = true;
                LastScanError = null;
                LogScanned(logger, applied, _endpoints.Count);
                await RewarmAsync(stoppingToken);
                return;
            }
            catch (Exception ex) when (ex is RedisException or TimeoutException or JsonException)
            {
                LastScanError = ex.Message;
                LogScanFailed(logger, ex.Message);
                await Task.Delay(delay, time, stoppingToken).ContinueWith(_ => { }, TaskScheduler.Default);
                delay = TimeSpan.FromSeconds(Math.Min(delay.TotalSeconds * 2, 15));
            }
        }
    }

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
    }

    private async Task<int> ScanAsync(CancellationToken cancellationToken)
    {
        var tables = new List<DeploymentChanged>();
        var database = redis.GetDatabase();
        foreach (var endpoint in redis.GetEndPoints())
        {
            var server = redis.GetServer(endpoint);
            if (server.IsReplica || !server.IsConnected)
            {
                continue;
            }

            // IServer.Keys pages with SCAN; it blocks, so it runs off the caller's thread.
            var keys = await Task.Run(() => server.Keys(database.Database, RoutesPattern, pageSize: 500).ToList(), cancellationToken);
            foreach (var key in keys)
            {
                var json = await database.HashGetAsync(key, "table");
                if (json.IsNullOrEmpty)
                {
                    continue;
                }

                var table = JsonSerializer.Deserialize<DeploymentChanged>(json.ToString(), Json);
                if (table is not null && options.Value.Serves(table.TenantId, table.ModelName))
                {
                    tables.Add(table);
                }
            }
        }

        await Task.WhenAll(tables.Select(t => ApplyAsync(t, cancellationToken)));
        return tables.Count;
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
            if (!routes.TryApply(change))
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
                return;
            }

            await Task.WhenAll(change.Routes.Select(r => WarmAsync(change, r, cancellationToken)));
            if (!_stopping && !_endpoints.ContainsKey(key))
            {
                await ConnectAsync(key, cancellationToken);
            }
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
            _warm[route.Digest] = model.Provider;
        }
        catch (ModelUnavailableException ex)
        {
            _warm.TryRemove(route.Digest, out _);
            LogWarmFailed(logger, change.TenantId, change.ModelName, route.Version, ex.Message);
        }
    }

    private async Task ConnectAsync((string Tenant, string Model) key, CancellationToken cancellationToken)
    {
        var settings = options.Value;
        var prefetch = Math.Max(16, settings.MaxBatchSize * settings.Concurrency * 2);
        var queue = QueueName(key.Tenant, key.Model);
        var single = connector.ConnectReceiveEndpoint(queue, (context, endpoint) =>
        {
            // Bound to no type exchange: requests are sent to this queue's own exchange by name.
            endpoint.ConfigureConsumeTopology = false;
            endpoint.PrefetchCount = prefetch;
            endpoint.ConcurrentMessageLimit = prefetch;
            endpoint.ConfigureConsumer<InferenceConsumer>(context);
        });
        var batches = connector.ConnectReceiveEndpoint(BatchQueueName(key.Tenant, key.Model), (context, endpoint) =>
        {
            endpoint.ConfigureConsumeTopology = false;
            endpoint.PrefetchCount = Math.Max(4, settings.Concurrency * 4);
            endpoint.ConcurrentMessageLimit = Math.Max(4, settings.Concurrency * 4);
            endpoint.ConfigureConsumer<InferenceBatchConsumer>(context);
        });
        await Task.WhenAll(single.Ready, batches.Ready).WaitAsync(cancellationToken);
        // Recorded once consuming: heartbeats report a model as served from this moment, not before.
        _endpoints[key] = [single, batches];
        LogConnected(logger, queue);
    }

    private async Task DisconnectAsync((string Tenant, string Model) key, CancellationToken cancellationToken)
    {
        if (_endpoints.TryRemove(key, out var handles))
        {
            await Task.WhenAll(handles.Select(h => h.StopAsync(cancellationToken)));
            LogDisconnected(logger, QueueName(key.Tenant, key.Model));
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

    [LoggerMessage(EventId = 4301, Level = LogLevel.Information, Message = "Read {Tables} routing tables from Redis; consuming {Queues} queues")]
    private static partial void LogScanned(ILogger logger, int tables, int queues);

    [LoggerMessage(EventId = 4302, Level = LogLevel.Warning, Message = "Could not read the routing tables from Redis ({Reason}); retrying")]
    private static partial void LogScanFailed(ILogger logger, string reason);

    [LoggerMessage(EventId = 4303, Level = LogLevel.Debug, Message = "Ignored routing table {Tenant}/{Model} revision {Revision}: a newer one is applied")]
    private static partial void LogStale(ILogger logger, string tenant, string model, long revision);

    [LoggerMessage(EventId = 4304, Level = LogLevel.Information, Message = "Applying routing table {Tenant}/{Model} revision {Revision}: {Routes}")]
    private static partial void LogApplying(ILogger logger, string tenant, string model, long revision, string routes);

    [LoggerMessage(EventId = 4305, Level = LogLevel.Error, Message = "Could not warm {Tenant}/{Model} v{Version}: {Reason}; requests for it will retry the load")]
    private static partial void LogWarmFailed(ILogger logger, string tenant, string model, int version, string reason);

    [LoggerMessage(EventId = 4306, Level = LogLevel.Information, Message = "Consuming {Queue}")]
    private static partial void LogConnected(ILogger logger, string queue);

    [LoggerMessage(EventId = 4307, Level = LogLevel.Information, Message = "Stopped consuming {Queue}")]
    private static partial void LogDisconnected(ILogger logger, string queue);

    [LoggerMessage(EventId = 4308, Level = LogLevel.Information, Message = "Stopping: no new requests from {Queues} queues; finishing what is queued")]
    private static partial void LogStopping(ILogger logger, int queues);

    [LoggerMessage(EventId = 4309, Level = LogLevel.Warning, Message = "In-flight requests did not finish in time; what is left is answered ShuttingDown")]
    private static partial void LogStopTimedOut(ILogger logger);
}
