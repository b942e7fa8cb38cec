using MassTransit;

namespace Orbit.Hosting.Messaging.InferenceWire;

/// <summary>Choosing <see cref="InferenceWireFormat"/> for one message: the gateway for its requests, a worker for its answer to one that came so.</summary>
public static class InferenceWireSend
{
    /// <summary>Sends this message binary; a bus without the serializer keeps its default (JSON).</summary>
    public static void UseInferenceWire(this SendContext context)
    {
        if (context.Serialization.TryGetMessageSerializer(InferenceWireFormat.ContentType, out var serializer))
        {
            context.Serializer = serializer;
        }
    }

    /// <summary>Sends this answer binary when its request came binary: a JSON request, from an older gateway, gets JSON.</summary>
    public static void UseInferenceWireIf(this SendContext context, bool binary)
    {
        if (binary)
        {
            context.UseInferenceWire();
        }
    }

    /// <summary>Whether the message being consumed came binary, so that its answer goes back binary too.</summary>
    public static bool CameAsInferenceWire(this ConsumeContext context) =>
        string.Equals(context.ReceiveContext.ContentType?.MediaType, InferenceWireFormat.MediaType, StringComparison.OrdinalIgnoreCase);
}
