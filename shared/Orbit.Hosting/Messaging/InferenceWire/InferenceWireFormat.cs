using System.Buffers.Binary;
using System.Net.Mime;
using Orbit.Contracts.Batch;
using Orbit.Contracts.Inference;

namespace Orbit.Hosting.Messaging.InferenceWire;

/// <summary>
/// The internal wire format of the four inference messages between gateway and worker
/// (<see cref="InferenceRequested"/>, <see cref="InferenceBatchRequested"/>, <see cref="InferenceCompleted"/>,
/// <see cref="InferenceBatchCompleted"/>) and of the two batch-job chunk messages between registry and worker
/// (<see cref="BatchChunkRequested"/>, <see cref="BatchChunkCompleted"/>): tensors travel as their raw bytes, never as base64.
/// <code>
/// "OIB1" | kind (1 byte) | header length (uint32 LE) | header (UTF-8 JSON) | tensor bytes
/// </code>
/// The header is the message in camelCase JSON, except that a tensor's <c>rawData</c> is replaced
/// by <c>rawDataBytes</c> (its length); the tensors' bytes follow the header, one after the other,
/// in the order their tensors appear in it, and nothing else follows them.
/// </summary>
public static class InferenceWireFormat
{
    public const string MediaType = "application/vnd.orbit.inference+binary";

    public static readonly ContentType ContentType = new(MediaType);

    internal static ReadOnlySpan<byte> Magic => "OIB1"u8;

    /// <summary>Magic, kind and header length.</summary>
    internal const int PreambleLength = 9;

    /// <summary>Whether messages of this type have a binary form.</summary>
    public static bool Supports(Type messageType) => KindOf(messageType) is not null;

    /// <summary>The message's bytes; <see cref="NotSupportedException"/> for a type other than the six.</summary>
    public static byte[] Encode(object message) => InferenceWireWriter.Write(message,
        KindOf(message.GetType()) ?? throw new NotSupportedException($"{message.GetType().Name} has no {MediaType} form"));

    /// <summary>The message these bytes hold; <see cref="InferenceWireException"/> saying why when they are not one.</summary>
    public static object Decode(ReadOnlyMemory<byte> body)
    {
        var span = body.Span;
        if (span.Length < PreambleLength || !span[..Magic.Length].SequenceEqual(Magic))
        {
            throw new InferenceWireException($"the body does not start with the {MediaType} preamble (\"OIB1\", kind, header length)");
        }

        var kind = (InferenceWireKind)span[Magic.Length];
        if (!Enum.IsDefined(kind))
        {
            throw new InferenceWireException($"unknown message kind {(byte)kind}");
        }

        var headerLength = BinaryPrimitives.ReadUInt32LittleEndian(span[(Magic.Length + 1)..]);
        if (headerLength > (uint)(span.Length - PreambleLength))
        {
            throw new InferenceWireException($"the header claims {headerLength} bytes; {span.Length - PreambleLength} remain");
        }

        return InferenceWireReader.Read(kind, body.Slice(PreambleLength, (int)headerLength), body[(PreambleLength + (int)headerLength)..]);
    }

    private static InferenceWireKind? KindOf(Type type) =>
        type == typeof(InferenceRequested) ? InferenceWireKind.Requested
        : type == typeof(InferenceBatchRequested) ? InferenceWireKind.BatchRequested
        : type == typeof(InferenceCompleted) ? InferenceWireKind.Completed
        : type == typeof(InferenceBatchCompleted) ? InferenceWireKind.BatchCompleted
        : type == typeof(BatchChunkRequested) ? InferenceWireKind.ChunkRequested
        : type == typeof(BatchChunkCompleted) ? InferenceWireKind.ChunkCompleted
        : null;
}
