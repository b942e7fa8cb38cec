using System.Text.Json;
using Dapper;
using MassTransit;
using Orbit.Contracts.Models;
using Orbit.Registry.Deployments;
using Orbit.Registry.Storage;

namespace Orbit.Registry.Outbox;

/// <summary>
/// Delivers outbox rows in order: a <see cref="DeploymentChanged"/> is written to the Redis
/// routing table and published; a <see cref="ModelVersionRegistered"/> is published. A row is
/// marked dispatched only after every step succeeded; on failure the dispatcher waits and tries
/// again, so delivery is at-least-once and in order.
/// </summary>
internal sealed partial class OutboxDispatcher(
    RegistryDatabase database,
    RoutingTable routing,
    IBus bus,
    TimeProvider time,
    ILogger<OutboxDispatcher> logger) : BackgroundService
{
    private readonly SemaphoreSlim _signal = new(0);

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

    private async Task DeliverAsync(string type, string payload, CancellationToken cancellationToken)
    {
        switch (type)
        {
            case nameof(DeploymentChanged):
                var change = JsonSerializer.Deserialize<DeploymentChanged>(payload, Outbox.Json)!;
                await routing.WriteAsync(change);
                await bus.Publish(change, cancellationToken);
                break;
            case nameof(ModelVersionRegistered):
                await bus.Publish(JsonSerializer.Deserialize<ModelVersionRegistered>(payload, Outbox.Json)!, cancellationToken);
                break;
            default:
                throw new InvalidOperationException($"Outbox row of unknown type '{type}'.");
        }
    }

    [LoggerMessage(EventId = RegistryLogEvents.DispatchFailed, Level = LogLevel.Warning, Message = "Outbox dispatch failed; retrying in {DelayMs} ms")]
    private static partial void LogDispatchFailed(ILogger logger, Exception exception, double delayMs);
}
