using System.Text.Json;
using Dapper;
using MassTransit;
using Microsoft.Extensions.Options;
using Orbit.Contracts.Models;
using Orbit.Contracts.Registry;
using Orbit.Registry.Deployments;
using Orbit.Registry.Storage;
using StackExchange.Redis;

namespace Orbit.Registry.Outbox;

/// <summary>
/// Delivers outbox rows in order: a <see cref="DeploymentChanged"/> is written to the Redis
/// routing table and published; <see cref="ModelVersionRegistered"/> and <see cref="ApiKeyRevoked"/>
/// are published. A row is marked dispatched only after it was published; on failure the
/// dispatcher waits and tries again, so delivery is at-least-once and in order. Redis is not
/// allowed to hold the bus up: while it is unreachable the event is still published (gateways apply
/// it from the bus) and <see cref="RoutingResync"/> repairs Redis as soon as it answers again.
/// Dispatched rows older than <see cref="OutboxOptions.RetentionHours"/> are deleted.
/// </summary>
internal sealed partial class OutboxDispatcher(
    RegistryDatabase database,
    RoutingTable routing,
    IBus bus,
    IOptions<OutboxOptions> options,
    TimeProvider time,
    ILogger<OutboxDispatcher> logger) : BackgroundService
{
    private readonly SemaphoreSlim _signal = new(0);
    private DateTimeOffset _nextPrune = DateTimeOffset.MinValue;

    /// <summary>Wakes the dispatcher after a commit, so events leave within milliseconds rather than at the next poll.</summary>
    public void Notify()
    {
        if (_signal.CurrentCount == 0)
        {
            _signal.Release();
        }
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var failures = 0;
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await DispatchPendingAsync(stoppingToken);
                await PruneIfDueAsync(stoppingToken);
                failures = 0;
                await _signal.WaitAsync(TimeSpan.FromSeconds(1), stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex)
            {
                failures++;
                var delay = TimeSpan.FromMilliseconds(Math.Min(10_000, 100 * Math.Pow(2, Math.Min(failures, 7))));
                LogDispatchFailed(logger, ex, delay.TotalMilliseconds);
                try
                {
                    await Task.Delay(delay, time, stoppingToken);
                }
                catch (OperationCanceledException)
                {
                    return;
                }
            }
        }
    }

    public async Task DispatchPendingAsync(CancellationToken cancellationToken)
    {
        while (true)
        {
            await using var connection = await database.OpenAsync(cancellationToken);
            var rows = (await connection.QueryAsync<(long Id, string MessageType, string Payload)>(
                "SELECT id, message_type, payload FROM outbox WHERE dispatched_at_ms IS NULL ORDER BY id LIMIT 100")).ToList();
            if (rows.Count == 0)
            {
                return;
            }

            foreach (var (id, type, payload) in rows)
            {
                await DeliverAsync(type, payload, cancellationToken);
                await connection.ExecuteAsync(
                    "UPDATE outbox SET dispatched_at_ms = @at WHERE id = @id",
                    new { id, at = time.GetUtcNow().ToUnixTimeMilliseconds() });
            }
        }
    }

    /// <summary>Deletes dispatched rows older than the retention; pending rows are never deleted.</summary>
    public async Task<int> PruneAsync(CancellationToken cancellationToken)
    {
        var before = (time.GetUtcNow() - TimeSpan.FromHours(options.Value.RetentionHours)).ToUnixTimeMilliseconds();
        await using var connection = await database.OpenAsync(cancellationToken);
        var deleted = await connection.ExecuteAsync(
            "DELETE FROM outbox WHERE dispatched_at_ms IS NOT NULL AND dispatched_at_ms < @before", new { before });
        if (deleted > 0)
        {
            LogPruned(logger, deleted, options.Value.RetentionHours);
        }

        return deleted;
    }

    private async Task PruneIfDueAsync(CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        if (now < _nextPrune)
        {
            return;
        }

        _nextPrune = now + TimeSpan.FromSeconds(options.Value.PruneIntervalSeconds);
        await PruneAsync(cancellationToken);
    }

    private async Task DeliverAsync(string type, string payload, CancellationToken cancellationToken)
    {
        switch (type)
        {
            case nameof(DeploymentChanged):
                var change = JsonSerializer.Deserialize<DeploymentChanged>(payload, Outbox.Json)!;
                await WriteRoutingAsync(change);
                await bus.Publish(change, cancellationToken);
                break;
            case nameof(ModelVersionRegistered):
                await bus.Publish(JsonSerializer.Deserialize<ModelVersionRegistered>(payload, Outbox.Json)!, cancellationToken);
                break;
            case nameof(ApiKeyRevoked):
                await bus.Publish(JsonSerializer.Deserialize<ApiKeyRevoked>(payload, Outbox.Json)!, cancellationToken);
                break;
            default:
                throw new InvalidOperationException($"Outbox row of unknown type '{type}'.");
        }
    }

    private async Task WriteRoutingAsync(DeploymentChanged change)
    {
        try
        {
            await routing.WriteAsync(change);
        }
        catch (Exception ex) when (ex is RedisException or TimeoutException)
        {
            LogRoutingDeferred(logger, ex, change.TenantId, change.ModelName, change.Revision);
            routing.RequestRepair();
        }
    }

    [LoggerMessage(EventId = RegistryLogEvents.DispatchFailed, Level = LogLevel.Warning, Message = "Outbox dispatch failed; retrying in {DelayMs} ms")]
    private static partial void LogDispatchFailed(ILogger logger, Exception exception, double delayMs);

    [LoggerMessage(EventId = RegistryLogEvents.RoutingDeferred, Level = LogLevel.Warning,
        Message = "Redis is unreachable: routing table of {TenantId}/{Model} revision {Revision} published on the bus only; Redis is repaired when it answers")]
    private static partial void LogRoutingDeferred(ILogger logger, Exception exception, string tenantId, string model, long revision);

    [LoggerMessage(EventId = RegistryLogEvents.OutboxPruned, Level = LogLevel.Information, Message = "Deleted {Count} dispatched outbox rows older than {Hours} h")]
    private static partial void LogPruned(ILogger logger, int count, int hours);
}
