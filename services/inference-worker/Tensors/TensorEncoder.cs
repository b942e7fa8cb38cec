using System.Buffers.Binary;
using System.Text;
using Orbit.Contracts.Inference;
using Orbit.Onnx.Tensors;

namespace Orbit.InferenceWorker.Tensors;

/// <summary>Model outputs as <see cref="InferenceTensor"/>s with <c>rawData</c> (BYTES length-prefixed).</summary>
internal static class TensorEncoder
{
    public static InferenceTensor Encode(string name, TensorElementType type, long[] shape, ReadOnlySpan<byte> bytes) =>
        new(name, OipElementTypes.Name(type), shape, RawData: bytes.ToArray());

    public static InferenceTensor EncodeStrings(string name, long[] shape, ReadOnlySpan<string> values) =>
        new(name, OipElementTypes.Name(TensorElementType.String), shape, RawData: PackStrings(values));

    public static byte[] PackStrings(ReadOnlySpan<string> values)
    {
        var total = 0;
        foreach (var value in values)
        {
            total += 4 + Encoding.UTF8.GetByteCount(value);
        }

        var bytes = new byte[total];
        var offset = 0;
        foreach (var value in values)
        {
            var length = Encoding.UTF8.GetBytes(value, bytes.AsSpan(offset + 4));
            BinaryPrimitives.WriteUInt32LittleEndian(bytes.AsSpan(offset), (uint)length);
            offset += 4 + length;
        }

        return bytes;
    }
}
