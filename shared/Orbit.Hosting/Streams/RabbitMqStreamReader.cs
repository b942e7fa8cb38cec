using System.Runtime.CompilerServices;
using System.Text.Json;
using System.Threading.Channels;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using RabbitMQ.Client;
using RabbitMQ.Client.Events;

namespace Orbit.Hosting.Streams;

/// <summary>
/// Reads a stream queue from an offset with an AMQP 0.9.1 consumer (a prefetch and manual acks, as
/// streams require; <c>x-stream-offset</c> to start). Each read has its own connection. When the connection
/// or the consumer is lost it reconnects and resumes after the last offset it handed out, so the caller
/// sees every offset once and in order. A body that does not parse is handed out with its error.
/// </summary>
internal sealed partial class RabbitMqStreamReader(
    StreamConnections connections,
    StreamDeclarations declarations,
    IOptions<StreamOptions> options,
    TimeProvider time,
    ILogger<RabbitMqStreamReader> logger) : IStreamReader
{
    public async IAsyncEnumerable<StreamRecord<T>> ReadAsync<T>(
        string stream, long fromOffset, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(stream);
        ArgumentOutOfRangeException.ThrowIfNegative(fromOffset);
        var buffer = Channel.CreateBounded<StreamRecord<T>>(new BoundedChannelOptions(options.Value.PrefetchCount)
        {
            SingleReader = true,
            FullMode = BoundedChannelFullMode.Wait,
        });
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var position = new Position(fromOffset);
        var pump = Task.Run(() => PumpAsync(stream, position, buffer.Writer, stop.Token), CancellationToken.None);
        try
        {
            await foreach (var record in buffer.Reader.ReadAllAsync(cancellationToken))
            {
                yield return record;
            }
        }
        finally
        {
            await stop.CancelAsync();
            await pump;
        }
    }

    /// <summary>Consumes until stopped, one connection after another.</summary>
    private async Task PumpAsync<T>(string stream, Position position, ChannelWriter<StreamRecord<T>> writer, CancellationToken stop)
    {
        var lost = false;
        while (!stop.IsCancellationRequested)
        {
            try
            {
                await ConsumeOnceAsync(stream, position, writer, () => lost, stop);
                if (!stop.IsCancellationRequested)
                {
                    LogConsumerLost(logger, stream, position.Next);
                }
            }
            catch (OperationCanceledException) when (stop.IsCancellationRequested)
            {
                break;
            }
            catch (Exception ex)
            {
                LogReadFailed(logger, ex, stream, position.Next);
            }

            lost = true;
            try
            {
                await Task.Delay(TimeSpan.FromMilliseconds(options.Value.ReconnectDelayMilliseconds), time, stop);
            }
            catch (OperationCanceledException)
            {
                break;
            }
        }

        writer.TryComplete();
    }

    private async Task ConsumeOnceAsync<T>(
        string stream, Position position, ChannelWriter<StreamRecord<T>> writer, Func<bool> reconnecting, CancellationToken stop)
    {
        await using var connection = await connections.OpenAsync("reader " + stream, stop);
        var channel = await connection.CreateChannelAsync(cancellationToken: stop);
        try
        {
            (channel, var differs) = await declarations.DeclareAsync(connection, channel, stream, null, stop);
            if (differs)
            {
                LogRetentionDiffers(logger, stream);
            }

            await channel.BasicQosAsync(0, (ushort)Math.Min(options.Value.PrefetchCount, ushort.MaxValue), false, stop);
            var ended = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            var consumer = new AsyncEventingBasicConsumer(channel);
            consumer.ReceivedAsync += async (_, delivery) =>
            {
                var offset = OffsetOf(delivery);
                if (offset is { } known)
                {
                    await position.HandOutAsync(known, () => Parse<T>(known, delivery.Body.Span), writer, stop);
                }

                await channel.BasicAckAsync(delivery.DeliveryTag, multiple: false, stop);
            };
            consumer.ShutdownAsync += (_, _) =>
            {
                ended.TrySetResult();
                return Task.CompletedTask;
            };
            consumer.UnregisteredAsync += (_, _) =>
            {
                ended.TrySetResult();
                return Task.CompletedTask;
            };

            var start = position.Next;
            await channel.BasicConsumeAsync(stream, autoAck: false, consumerTag: "", noLocal: false, exclusive: false,
                new Dictionary<string, object?> { ["x-stream-offset"] = start }, consumer, stop);
            if (reconnecting())
            {
                LogResumed(logger, stream, start);
            }

            await ended.Task.WaitAsync(stop);
        }
        finally
        {
            await RabbitMqStreamPublisher.Quietly(channel);
        }
    }

    private static long? OffsetOf(BasicDeliverEventArgs delivery) =>
        delivery.BasicProperties.Headers?.TryGetValue("x-stream-offset", out var value) == true
            ? value switch
            {
                long l => l,
                int i => i,
                _ => null,
            }
            : null;

    private static StreamRecord<T> Parse<T>(long offset, ReadOnlySpan<byte> body)
    {
        try
        {
            var message = JsonSerializer.Deserialize<T>(body, StreamJson.Options);
            return message is null
                ? new StreamRecord<T>(offset, default, "the body is JSON null")
                : new StreamRecord<T>(offset, message, null);
        }
        catch (JsonException ex)
        {
            return new StreamRecord<T>(offset, default, ex.Message);
        }
    }

    /// <summary>
    /// The next offset to hand out. Deliveries before it are skipped: the broker starts a consumer at the
    /// chunk that holds the requested offset, and a consumer of a lost connection may still be finishing one.
    /// </summary>
    private sealed class Position(long next)
    {
        private readonly SemaphoreSlim _gate = new(1, 1);

        public long Next => Interlocked.Read(ref next);

        public async Task HandOutAsync<T>(long offset, Func<StreamRecord<T>> parse, ChannelWriter<StreamRecord<T>> writer, CancellationToken stop)
        {
            await _gate.WaitAsync(stop);
            try
            {
                if (offset < Next)
                {
                    return;
                }

                await writer.WriteAsync(parse(), stop);
                Interlocked.Exchange(ref next, offset + 1);
            }
            finally
            {
                _gate.Release();
            }
        }
    }

    [LoggerMessage(EventId = HostingLogEvents.StreamReadFailed, Level = LogLevel.Warning, Message = "Reading stream {Stream} failed at offset {Offset}; reconnecting")]
    private static partial void LogReadFailed(ILogger logger, Exception exception, string stream, long offset);

    [LoggerMessage(EventId = HostingLogEvents.StreamConsumerLost, Level = LogLevel.Warning, Message = "The consumer of stream {Stream} was closed at offset {Offset}; reconnecting")]
    private static partial void LogConsumerLost(ILogger logger, string stream, long offset);

    [LoggerMessage(EventId = HostingLogEvents.StreamResumed, Level = LogLevel.Information, Message = "Reading stream {Stream} again from offset {Offset}")]
    private static partial void LogResumed(ILogger logger, string stream, long offset);

    [LoggerMessage(EventId = HostingLogEvents.StreamRetentionDiffers, Level = LogLevel.Warning,
        Message = "Stream {Stream} exists with other arguments than the configured retention; using it as it is (change retention with a RabbitMQ policy)")]
    private static partial void LogRetentionDiffers(ILogger logger, string stream);
}
