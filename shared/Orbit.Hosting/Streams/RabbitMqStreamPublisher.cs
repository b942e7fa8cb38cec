using System.Text.Json;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Orbit.Hosting.Configuration;
using Orbit.Hosting.Errors;
using RabbitMQ.Client;
using RabbitMQ.Client.Exceptions;

namespace Orbit.Hosting.Streams;

/// <summary>
/// Publishes JSON bodies to stream queues over one connection and one channel with publisher confirms;
/// concurrent publishes share the channel and wait for their own confirm. A stream is declared (with its
/// retention) the first time it is published to. A lost connection is reopened and the message sent
/// again until <see cref="StreamOptions.PublishTimeoutSeconds"/> has passed, then the publish fails with
/// <see cref="DependencyUnavailableException"/>. Delivery is at least once: a message whose confirm was lost
/// with the connection may be stored twice (windows carry ids for that).
/// </summary>
internal sealed partial class RabbitMqStreamPublisher(
    StreamConnections connections,
    StreamDeclarations declarations,
    IOptions<StreamOptions> options,
    TimeProvider time,
    ILogger<RabbitMqStreamPublisher> logger) : IStreamPublisher, IAsyncDisposable
{
    private static readonly CreateChannelOptions ConfirmedChannel = new(publisherConfirmationsEnabled: true, publisherConfirmationTrackingEnabled: true);
    private static readonly BasicProperties Properties = new() { ContentType = "application/json", DeliveryMode = DeliveryModes.Persistent };

    private readonly SemaphoreSlim _gate = new(1, 1);
    private readonly HashSet<string> _declared = new(StringComparer.Ordinal);
    private IConnection? _connection;
    private IChannel? _channel;
    private bool _disposed;

    public async Task PublishAsync<T>(string stream, T message, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(stream);
        var body = JsonSerializer.SerializeToUtf8Bytes(message, StreamJson.Options);
        var timeout = TimeSpan.FromSeconds(options.Value.PublishTimeoutSeconds);
        using var deadline = new CancellationTokenSource(timeout, time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, deadline.Token);
        Exception? last = null;
        try
        {
            while (true)
            {
                IChannel? channel = null;
                try
                {
                    channel = await ChannelForAsync(stream, linked.Token);
                    await channel.BasicPublishAsync("", stream, mandatory: true, Properties, body, linked.Token);
                    return;
                }
                catch (PublishException ex) when (ex.IsReturn)
                {
                    // Unroutable: the stream was deleted since it was declared here. Declare it again.
                    last = ex;
                    await ForgetAsync(stream);
                }
                catch (Exception ex) when (ex is not OperationCanceledException)
                {
                    last = ex;
                    LogPublishFailed(logger, ex, stream);
                    await ResetAsync(channel);
                    await Task.Delay(TimeSpan.FromMilliseconds(options.Value.ReconnectDelayMilliseconds), time, linked.Token);
                }
            }
        }
        catch (OperationCanceledException) when (deadline.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            throw new DependencyUnavailableException(
                $"The message broker did not accept the message for stream '{stream}' within {timeout.TotalSeconds:0} s; retry shortly.", last);
        }
    }

    private async Task<IChannel> ChannelForAsync(string stream, CancellationToken cancellationToken)
    {
        if (_channel is { IsOpen: true } open && Declared(stream))
        {
            return open;
        }

        await _gate.WaitAsync(cancellationToken);
        try
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            if (_connection is not { IsOpen: true } || _channel is not { IsOpen: true })
            {
                await CloseAsync();
                _connection = await connections.OpenAsync("publisher", cancellationToken);
                _channel = await _connection.CreateChannelAsync(ConfirmedChannel, cancellationToken);
            }

            if (!_declared.Contains(stream))
            {
                var (channel, differs) = await declarations.DeclareAsync(_connection, _channel, stream, ConfirmedChannel, cancellationToken);
                _channel = channel;
                if (differs)
                {
                    LogRetentionDiffers(logger, stream);
                }

                lock (_declared)
                {
                    _declared.Add(stream);
                }
            }

            return _channel;
        }
        finally
        {
            _gate.Release();
        }
    }

    private bool Declared(string stream)
    {
        lock (_declared)
        {
            return _declared.Contains(stream);
        }
    }

    private async Task ForgetAsync(string stream)
    {
        await _gate.WaitAsync();
        try
        {
            lock (_declared)
            {
                _declared.Remove(stream);
            }
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>Drops the connection the failed publish used (not one another publish has opened since).</summary>
    private async Task ResetAsync(IChannel? failed)
    {
        await _gate.WaitAsync();
        try
        {
            if (failed is null || ReferenceEquals(failed, _channel))
            {
                await CloseAsync();
            }
        }
        finally
        {
            _gate.Release();
        }
    }

    private async Task CloseAsync()
    {
        lock (_declared)
        {
            _declared.Clear();
        }

        var (channel, connection) = (_channel, _connection);
        (_channel, _connection) = (null, null);
        await Quietly(channel);
        await Quietly(connection);
    }

    internal static async Task Quietly(IAsyncDisposable? disposable)
    {
        try
        {
            if (disposable is not null)
            {
                await disposable.DisposeAsync();
            }
        }
        catch (Exception ex) when (ex is OperationInterruptedException or AlreadyClosedException or IOException or ObjectDisposedException or TimeoutException)
        {
            // Already broken: nothing to close cleanly.
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _gate.WaitAsync();
        try
        {
            _disposed = true;
            await CloseAsync();
        }
        finally
        {
            _gate.Release();
        }
    }

    [LoggerMessage(EventId = HostingLogEvents.StreamPublishFailed, Level = LogLevel.Warning, Message = "Publishing to stream {Stream} failed; reconnecting and sending again")]
    private static partial void LogPublishFailed(ILogger logger, Exception exception, string stream);

    [LoggerMessage(EventId = HostingLogEvents.StreamRetentionDiffers, Level = LogLevel.Warning,
        Message = "Stream {Stream} exists with other arguments than the configured retention; using it as it is (change retention with a RabbitMQ policy)")]
    private static partial void LogRetentionDiffers(ILogger logger, string stream);
}
