using System.Text.Json;
using MassTransit;
using Microsoft.Extensions.Options;
using Orbit.Contracts.Wire;
using Orbit.Contracts.Workers;
using Orbit.Hosting;
using StackExchange.Redis;

namespace Orbit.InferenceWorker.Heartbeats;

/// <summary>
/// Every <c>HeartbeatSeconds</c>: publishes <see cref="WorkerHeartbeat"/> and writes the same JSON to
/// Redis <c>orbit:workers:{workerId}</c> with a TTL of three intervals, so a worker that dies
/// drops out by itself. The key is deleted on a graceful stop.
/// </summary>
internal sealed partial class HeartbeatService(
    HeartbeatBuilder builder,
    HeartbeatSignal signal,
    IBus bus,
    IConnectionMultiplexer redis,
    OrbitServiceInfo service,
    IOptions<WorkerOptions> options,
    TimeProvider time,
    ILogger<HeartbeatService> logger) : BackgroundService
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var interval = TimeSpan.FromSeconds(options.Value.HeartbeatSeconds);
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await BeatAsync(interval, stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex)
            {
                // Whatever failed, the next interval tries again: a missed heartbeat must not stop the worker.
                LogBeatFailed(logger, ex.Message);
            }

            try
            {
                await Task.WhenAny(Task.Delay(interval, time, stoppingToken), signal.WaitAsync().WaitAsync(stoppingToken));
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    private async Task BeatAsync(TimeSpan interval, CancellationToken cancellationToken)
    {
        var heartbeat = builder.Build();
        var json = JsonSerializer.Serialize(heartbeat, Json);
        await redis.GetDatabase().StringSetAsync(RedisKeys.Worker(service.InstanceId), json, interval * 3);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(interval);
        await bus.Publish(heartbeat, timeout.Token);
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken);
        try
        {
            await redis.GetDatabase().KeyDeleteAsync(RedisKeys.Worker(service.InstanceId));
        }
        catch (Exception ex) when (ex is RedisException or TimeoutException)
        {
            LogBeatFailed(logger, ex.Message);
        }
    }

    [LoggerMessage(EventId = WorkerLogEvents.BeatFailed, Level = LogLevel.Warning, Message = "Heartbeat not sent: {Reason}")]
    private static partial void LogBeatFailed(ILogger logger, string reason);
}
