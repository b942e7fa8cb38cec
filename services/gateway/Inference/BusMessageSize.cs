using System.Text;
using Orbit.Contracts.Inference;

namespace Orbit.Gateway.Inference;

/// <summary>
/// An upper estimate of an inference's size as a bus message in the binary wire format
/// (<see cref="Orbit.Hosting.Messaging.InferenceWire.InferenceWireFormat"/>), without serializing it:
/// raw tensor bytes travel as they are, strings in the JSON header may be escaped up to six bytes a
/// character, and the headers (ids, addresses, message types) are allowed a fixed amount.
/// </summary>
internal static class BusMessageSize
{
    public const long Envelope = 4096;

    private const int PerTensor = 96;
    private const int PerDimension = 21;
    private const int EscapedCharacter = 6;

    public static long Of(InferenceRequested request)
    {
        long size = Envelope + Text(request.RequestId) + Text(request.TenantId) + Text(request.ModelName) + Text(request.RoutingKey);
        foreach (var tensor in request.Inputs)
        {
            size += PerTensor + Text(tensor.Name) + Text(tensor.Datatype) + (tensor.Shape.Length * PerDimension)
                + (tensor.RawData?.LongLength ?? 0) + (tensor.Data is { } data ? Encoding.UTF8.GetByteCount(data.GetRawText()) : 0);
        }

        foreach (var output in request.RequestedOutputs ?? [])
        {
            size += 4 + Text(output);
        }

        foreach (var (key, value) in request.Parameters ?? new Dictionary<string, string>())
        {
            size += 8 + Text(key) + Text(value);
        }

        return size;
    }

    private static long Text(string? text) => text is null ? 4 : 2 + ((long)text.Length * EscapedCharacter);
}
