using Microsoft.Extensions.Options;
using RabbitMQ.Client;
using RabbitMQ.Client.Exceptions;

namespace Orbit.Hosting.Streams;

/// <summary>Declares a stream queue with its configured retention, or uses the one that exists with other arguments.</summary>
internal sealed class StreamDeclarations(IOptions<StreamOptions> options)
{
    public static Dictionary<string, object?> Arguments(StreamRetention retention) => new()
    {
        ["x-queue-type"] = "stream",
        ["x-max-length-bytes"] = retention.MaxLengthBytes,
        ["x-max-age"] = retention.MaxAge,
        ["x-stream-max-segment-size-bytes"] = retention.MaxSegmentSizeBytes,
    };

    /// <summary>
    /// Declares <paramref name="stream"/> on <paramref name="channel"/>. Returns the channel to go on with:
    /// when the stream exists with other arguments the broker closes the channel (406), so a new one is
    /// opened on <paramref name="connection"/> and the caller gets <c>true</c> in <c>Differs</c> to log it.
    /// </summary>
    public async Task<(IChannel Channel, bool Differs)> DeclareAsync(
        IConnection connection, IChannel channel, string stream, CreateChannelOptions? channelOptions, CancellationToken cancellationToken)
    {
        try
        {
            await channel.QueueDeclareAsync(stream, durable: true, exclusive: false, autoDelete: false,
                Arguments(options.Value.RetentionOf(stream)), cancellationToken: cancellationToken);
            return (channel, false);
        }
        catch (OperationInterruptedException ex) when (ex.ShutdownReason?.ReplyCode == 406)
        {
            await channel.DisposeAsync();
            var fresh = await connection.CreateChannelAsync(channelOptions, cancellationToken);
            await fresh.QueueDeclarePassiveAsync(stream, cancellationToken);
            return (fresh, true);
        }
    }
}
