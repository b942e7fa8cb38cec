using Microsoft.Extensions.Options;
using Orbit.Contracts.Wire;
using Orbit.Hosting.Configuration;
using Orbit.InferenceWorker.Serving;
using RabbitMQ.Client;
using RabbitMQ.Client.Exceptions;

namespace Orbit.InferenceWorker.BatchChunks;

/// <summary>
/// Whether real-time work for a model is waiting: requests queued in this worker's batchers, or messages ready
/// on the model's real-time queues at the broker (read with a passive declare over a connection of its own, at
/// most every <see cref="BrokerLookInterval"/>). While it is, no new batch chunk of that model starts.
/// </summary>
internal sealed class RealTimeBacklog(BatcherPool batchers, IOptions<RabbitMqOptions> rabbit, TimeProvider time) : IAsyncDisposable
{
    public static readonly TimeSpan BrokerLookInterval = TimeSpan.FromMilliseconds(20);

    private readonly SemaphoreSlim _gate = new(1, 1);
    private readonly Dictionary<string, (long At, bool Waiting)> _looks = new(StringComparer.Ordinal);
    private IConnection? _connection;
    private IChannel? _channel;

    public async Task<bool> IsWaitingAsync(string tenantId, string modelName, CancellationToken cancellationToken)
    {
        if (batchers.HasQueued(tenantId, modelName))
        {
            return true;
        }

        var key = InferenceAddresses.Queue(tenantId, modelName);
        await _gate.WaitAsync(cancellationToken);
        try
        {
            var now = time.GetTimestamp();
            if (_looks.TryGetValue(key, out var look) && time.GetElapsedTime(look.At, now) < BrokerLookInterval)
            {
                return look.Waiting;
            }

            var waiting = await ReadyAsync(key, cancellationToken) + await ReadyAsync(InferenceAddresses.BatchQueue(tenantId, modelName), cancellationToken) > 0;
            _looks[key] = (now, waiting);
            return waiting;
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>Messages ready on <paramref name="queue"/>; 0 when it does not exist or the broker cannot say (batch work is not held up by a look that failed).</summary>
    private async Task<uint> ReadyAsync(string queue, CancellationToken cancellationToken)
    {
        try
        {
            _connection ??= await new ConnectionFactory { Uri = new Uri(rabbit.Value.Url), ClientProvidedName = "orbit-realtime-backlog" }.CreateConnectionAsync(cancellationToken);
            _channel ??= await _connection.CreateChannelAsync(cancellationToken: cancellationToken);
            return (await _channel.QueueDeclarePassiveAsync(queue, cancellationToken)).MessageCount;
        }
        catch (OperationInterruptedException)
        {
            // A missing queue closes the channel; the next look opens another.
            _channel = null;
            return 0;
        }
        catch (Exception ex) when (ex is RabbitMQ.Client.Exceptions.BrokerUnreachableException or AlreadyClosedException or IOException)
        {
            _channel = null;
            _connection = null;
            return 0;
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_connection is not null)
        {
            await _connection.DisposeAsync();
        }
    }
}
