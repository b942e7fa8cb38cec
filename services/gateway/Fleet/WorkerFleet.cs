using System.Collections.Frozen;
using System.Text.Json;
using Orbit.Contracts.Wire;
using Orbit.Contracts.Workers;
using StackExchange.Redis;

namespace Orbit.Gateway.Fleet;

/// <summary>
/// The live inference workers, as their heartbeats in Redis (<c>orbit:workers:{id}</c>, expiring
/// unless renewed) say, refreshed every second: which model versions have a worker right now.
/// A failed refresh keeps the last snapshot, is logged, and backs off (up to 10 s); nothing it
/// throws stops the loop or the host. A version counts as served for <see cref="Grace"/> after a
/// heartbeat last listed it: a worker starved of CPU can miss its heartbeat's expiry (a soak run on a
/// loaded machine answered 3,375 requests 503 that way), and a request then waits for its timeout
/// instead of being refused while the worker is in fact working. Heartbeats the bus brings
/// (<see cref="WorkerHeartbeatConsumer"/>) are applied at once, between reads.
/// </summary>
internal sealed partial class WorkerFleet(IConnectionMultiplexer redis, TimeProvider time, ILogger<WorkerFleet> logger) : BackgroundService
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public static readonly TimeSpan Grace = TimeSpan.FromSeconds(30);

    private readonly Lock _lock = new();
    private volatile Snapshot _snapshot = new([], FrozenDictionary<(string, string, int), DateTimeOffset>.Empty);

    public IReadOnlyList<WorkerHeartbeat> Workers => _snapshot.Workers;

    public bool Serves(string tenant, string model, int version) =>
        _snapshot.LastSeen.TryGetValue((tenant, model, version), out var seen) && time.GetUtcNow() - seen <= Grace;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var failures = 0;
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await RefreshAsync();
                failures = 0;
            }
            catch (Exception ex) when (!stoppingToken.IsCancellationRequested)
            {
                failures++;
                LogRefreshFailed(logger, ex, failures);
            }

            try
            {
                await Task.Delay(TimeSpan.FromSeconds(Math.Min(10, 1 << Math.Min(failures, 4))), time, stoppingToken);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    public async Task RefreshAsync()
    {
        var database = redis.GetDatabase();
        var keys = new List<RedisKey>();
        foreach (var server in redis.GetServers())
        {
            if (server.IsReplica || !server.IsConnected)
            {
                continue;
            }

            await foreach (var key in server.KeysAsync(database.Database, RedisKeys.WorkersPattern, pageSize: 500))
            {
                keys.Add(key);
            }
        }

        var values = keys.Count == 0 ? [] : await database.StringGetAsync([.. keys]);
        var workers = values.Where(v => !v.IsNullOrEmpty)
            .Select(v => JsonSerializer.Deserialize<WorkerHeartbeat>(v.ToString(), Json)!)
            .OrderBy(w => w.WorkerId, StringComparer.Ordinal)
            .ToList();
        lock (_lock)
        {
            var now = time.GetUtcNow();
            var lastSeen = _snapshot.LastSeen.Where(e => now - e.Value <= Grace).ToDictionary();
            foreach (var served in workers.SelectMany(w => w.LoadedModels))
            {
                lastSeen[(served.TenantId, served.ModelName, served.Version)] = now;
            }

            _snapshot = new Snapshot(workers, lastSeen.ToFrozenDictionary());
        }
    }

    /// <summary>Applies one worker's heartbeat now; the next read of Redis brings the whole fleet again.</summary>
    public void Observe(WorkerHeartbeat heartbeat)
    {
        lock (_lock)
        {
            var now = time.GetUtcNow();
            var snapshot = _snapshot;
            var workers = snapshot.Workers.Where(w => w.WorkerId != heartbeat.WorkerId).Append(heartbeat)
                .OrderBy(w => w.WorkerId, StringComparer.Ordinal)
                .ToList();
            var lastSeen = snapshot.LastSeen.ToDictionary();
            foreach (var served in heartbeat.LoadedModels)
            {
                lastSeen[(served.TenantId, served.ModelName, served.Version)] = now;
            }

            _snapshot = new Snapshot(workers, lastSeen.ToFrozenDictionary());
        }
    }

    private sealed record Snapshot(IReadOnlyList<WorkerHeartbeat> Workers, FrozenDictionary<(string, string, int), DateTimeOffset> LastSeen);

    [LoggerMessage(EventId = GatewayLogEvents.FleetRefreshFailed, Level = LogLevel.Warning, Message = "Worker heartbeats could not be read from Redis ({Failures} times in a row); keeping the last snapshot")]
    private static partial void LogRefreshFailed(ILogger logger, Exception exception, int failures);
}
