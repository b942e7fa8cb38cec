using System.Net.Mime;
using System.Runtime.Serialization;
using MassTransit;
using MassTransit.Serialization;

namespace Orbit.Hosting.Messaging.InferenceWire;

/// <summary>
/// MassTransit's side of <see cref="InferenceWireFormat"/>: registered on every Orbit bus, never
/// as the default. A sender opts in per message (<see cref="InferenceWireSend.UseInferenceWire"/>);
/// a receiver picks it by the message's content type, so the same endpoints still take plain JSON.
/// MassTransit's headers (request id, response address...) travel as transport headers, as with raw JSON.
/// A body that cannot be read fails as a <see cref="SerializationException"/>: the message goes to the
/// endpoint's error queue with the reason in <c>MT-Fault-Message</c>.
/// </summary>
internal sealed class InferenceWireSerializer(RawSerializerOptions rawOptions) : RawMessageSerializer, IMessageSerializer, IMessageDeserializer
{
    public ContentType ContentType => InferenceWireFormat.ContentType;

    public MessageBody GetMessageBody<T>(SendContext<T> context)
        where T : class
    {
        if (!InferenceWireFormat.Supports(typeof(T)))
        {
            throw new SerializationException($"{typeof(T).Name} has no {InferenceWireFormat.MediaType} form");
        }

        if (rawOptions.HasFlag(RawSerializerOptions.AddTransportHeaders))
        {
            SetRawMessageHeaders(context);
        }

        return new BytesMessageBody(InferenceWireFormat.Encode(context.Message));
    }

    public ConsumeContext Deserialize(ReceiveContext receiveContext) =>
        new BodyConsumeContext(receiveContext, Deserialize(receiveContext.Body, receiveContext.TransportHeaders, receiveContext.InputAddress));

    public SerializerContext Deserialize(MessageBody body, Headers headers, Uri? destinationAddress = null)
    {
        object message;
        try
        {
            message = InferenceWireFormat.Decode(body.GetBytes());
        }
        catch (InferenceWireException ex)
        {
            throw new SerializationException($"a {InferenceWireFormat.MediaType} message could not be read: {ex.Message}", ex);
        }

        return new InferenceWireSerializerContext(new RawMessageContext(headers, destinationAddress, rawOptions), message, rawOptions);
    }

    public MessageBody GetMessageBody(string text) => new Base64MessageBody(text);

    public void Probe(ProbeContext context)
    {
        var scope = context.CreateScope("orbit-inference-wire");
        scope.Add("contentType", ContentType.MediaType);
    }
}
