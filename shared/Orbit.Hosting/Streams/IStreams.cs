namespace Orbit.Hosting.Streams;

/// <summary>
/// The replayable streams (RabbitMQ stream queues, <c>x-queue-type: stream</c>) that carry statistics,
/// prediction logs and outcomes. Bodies are plain JSON (web defaults, camelCase) so any language can
/// publish and read them.
/// </summary>
public static class StreamNames
{
    public const string Stats = "orbit.stats";
    public const string Predictions = "orbit.predictions";
    public const string Outcomes = "orbit.outcomes";
}

/// <summary>Appends messages to a stream; returns once the broker has confirmed them.</summary>
public interface IStreamPublisher
{
    Task PublishAsync<T>(string stream, T message, CancellationToken cancellationToken);
}

/// <summary>One message read from a stream with its offset; a consumer commits <c>Offset + 1</c> to resume after it.</summary>
public sealed record StreamRecord<T>(long Offset, T? Message, string? Error);

/// <summary>
/// Reads a stream from an offset onwards, without end. A body that does not parse comes back with
/// <see cref="StreamRecord{T}.Error"/> set and a null message, so the consumer can count it and move on.
/// </summary>
public interface IStreamReader
{
    IAsyncEnumerable<StreamRecord<T>> ReadAsync<T>(string stream, long fromOffset, CancellationToken cancellationToken);
}
