using System.Diagnostics.CodeAnalysis;
using System.Text.Json;
using MassTransit;
using MassTransit.Serialization;

namespace Orbit.Hosting.Messaging.InferenceWire;

/// <summary>
/// A message already read from its binary body. It is only ever the one type its body names; a copy
/// MassTransit makes of it (forward, redeliver, outbox) is written as plain JSON, which every endpoint reads.
/// </summary>
internal sealed class InferenceWireSerializerContext(MessageContext context, object message, RawSerializerOptions rawOptions)
    : BaseSerializerContext(new SystemTextJsonMessageSerializer(SystemTextJsonRawMessageSerializer.JsonContentType), context, [MessageUrn.ForTypeString(message.GetType())])
{
    private readonly object _message = message;

    private static JsonSerializerOptions Json => SystemTextJsonMessageSerializer.Options;

    public override bool TryGetMessage<T>(out T? message)
        where T : class
    {
        message = _message as T;
        return message is not null;
    }

    public override bool TryGetMessage(Type messageType, [NotNullWhen(true)] out object? message)
    {
        message = messageType.IsInstanceOfType(_message) ? _message : null;
        return message is not null;
    }

    public override bool IsSupportedMessageType(Type messageType) => messageType.IsInstanceOfType(_message);

    public override IMessageSerializer GetMessageSerializer() =>
        new SystemTextJsonBodyMessageSerializer(_message, SystemTextJsonRawMessageSerializer.JsonContentType, Json, rawOptions, SupportedMessageTypes);

    public override IMessageSerializer GetMessageSerializer<T>(MessageEnvelope envelope, T message)
    {
        var serializer = new SystemTextJsonBodyMessageSerializer(envelope, SystemTextJsonRawMessageSerializer.JsonContentType, Json, SupportedMessageTypes);
        serializer.Overlay(message);
        return serializer;
    }

    public override IMessageSerializer GetMessageSerializer(object message, string[] messageTypes) =>
        new SystemTextJsonBodyMessageSerializer(message, SystemTextJsonRawMessageSerializer.JsonContentType, Json, rawOptions, messageTypes);

    public override Dictionary<string, object> ToDictionary<T>(T? message)
        where T : class =>
        message is null
            ? new Dictionary<string, object>(StringComparer.OrdinalIgnoreCase)
            : JsonSerializer.Deserialize<Dictionary<string, object>>(JsonSerializer.SerializeToUtf8Bytes(message, Json), Json)!;
}
