using System.Runtime.InteropServices;
using Google.Protobuf;

namespace Orbit.Onnx.Protobuf;

internal static class ProtoInput
{
    /// <summary>A stream over a length-delimited field's bytes, without copying them again.</summary>
    public static CodedInputStream Nested(ByteString bytes)
    {
        if (MemoryMarshal.TryGetArray(bytes.Memory, out var segment) && segment.Array is not null)
        {
            return new CodedInputStream(segment.Array, segment.Offset, segment.Count);
        }
        return new CodedInputStream(bytes.ToByteArray());
    }

    /// <summary>Reads a repeated scalar field that may come packed (one length-delimited run) or one value per tag.</summary>
    public static void ReadRepeated<T>(CodedInputStream input, uint tag, List<T> into, Func<CodedInputStream, T> readOne)
    {
        if (WireFormat.GetTagWireType(tag) == WireFormat.WireType.LengthDelimited)
        {
            var packed = Nested(input.ReadBytes());
            while (!packed.IsAtEnd)
            {
                into.Add(readOne(packed));
            }
        }
        else
        {
            into.Add(readOne(input));
        }
    }
}
