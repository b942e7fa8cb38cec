using System.Runtime.InteropServices;
using Orbit.Onnx.Tensors;

namespace Orbit.Onnx.Protobuf;

/// <summary>Reads ONNX TensorProto messages (ONNX's generated schema), from raw_data or from the typed fields.</summary>
public static class TensorProtoReader
{
    public static TensorProto ReadFile(string path) => Read(File.ReadAllBytes(path));

    public static TensorProto Read(byte[] bytes) => FromSchema(Schema.TensorProto.Parser.ParseFrom(bytes));

    internal static TensorProto FromSchema(Schema.TensorProto proto)
    {
        var name = proto.Name;
        var type = (TensorElementType)proto.DataType;
        if (proto.DataLocation != Schema.TensorProto.Types.DataLocation.Default)
        {
            throw new NotSupportedException($"Tensor '{name}' keeps its data in an external file, which is not supported.");
        }
        if (proto.Segment is not null)
        {
            throw new NotSupportedException($"Tensor '{name}' is segmented, which is not supported.");
        }
        var shape = proto.Dims.ToArray();
        if (type == TensorElementType.String)
        {
            return TensorProto.FromStrings(name, proto.StringData.Select(s => s.ToStringUtf8()).ToArray(), shape);
        }
        if (ElementTypes.SizeOf(type) == 0)
        {
            throw new NotSupportedException($"Tensor '{name}' has element type {ElementTypes.Name(type)}, which is not supported.");
        }
        var bytes = proto.HasRawData ? proto.RawData.ToByteArray() : FromTypedFields(type, proto);
        return TensorProto.FromBytes(name, type, bytes, shape);
    }

    private static byte[] FromTypedFields(TensorElementType type, Schema.TensorProto proto) => type switch
    {
        TensorElementType.Float => Bytes<float>(proto.FloatData.ToArray()),
        TensorElementType.Double => Bytes<double>(proto.DoubleData.ToArray()),
        TensorElementType.Int64 => Bytes<long>(proto.Int64Data.ToArray()),
        TensorElementType.UInt64 => Bytes<ulong>(proto.Uint64Data.ToArray()),
        TensorElementType.UInt32 => Bytes(proto.Uint64Data.Select(v => (uint)v).ToArray()),
        TensorElementType.Int32 => Bytes<int>(proto.Int32Data.ToArray()),
        TensorElementType.Int16 => Bytes(proto.Int32Data.Select(v => (short)v).ToArray()),
        TensorElementType.Int8 => Bytes(proto.Int32Data.Select(v => (sbyte)v).ToArray()),
        TensorElementType.UInt16 or TensorElementType.Float16 or TensorElementType.BFloat16 =>
            Bytes(proto.Int32Data.Select(v => (ushort)v).ToArray()),
        TensorElementType.UInt8 => Bytes(proto.Int32Data.Select(v => (byte)v).ToArray()),
        TensorElementType.Bool => Bytes(proto.Int32Data.Select(v => (byte)(v != 0 ? 1 : 0)).ToArray()),
        _ => throw new NotSupportedException($"Element type {ElementTypes.Name(type)} is not supported."),
    };

    private static byte[] Bytes<T>(T[] values)
        where T : unmanaged => MemoryMarshal.AsBytes(values.AsSpan()).ToArray();
}
