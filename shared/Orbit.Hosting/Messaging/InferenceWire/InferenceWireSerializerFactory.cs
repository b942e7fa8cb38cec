using System.Net.Mime;
using MassTransit;

namespace Orbit.Hosting.Messaging.InferenceWire;

internal sealed class InferenceWireSerializerFactory(RawSerializerOptions rawOptions) : ISerializerFactory
{
    private readonly InferenceWireSerializer _serializer = new(rawOptions);

    public ContentType ContentType => InferenceWireFormat.ContentType;

    public IMessageSerializer CreateSerializer() => _serializer;

    public IMessageDeserializer CreateDeserializer() => _serializer;
}
