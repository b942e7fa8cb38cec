using System.Runtime.InteropServices;
using Google.Protobuf;
using Orbit.Onnx.Tensors;

namespace Orbit.Onnx.Protobuf;

/// <summary>Reads ONNX TensorProto messages, from raw_data or from the typed fields.</summary>
public static class TensorProtoReader
{
    public static TensorProto ReadFile(string path) => Read(File.ReadAllBytes(path));

    public static TensorProto Read(byte[] bytes) => Read(new CodedInputStream(bytes));

    internal static TensorProto Read(CodedInputStream input)
    {
        var name = "";
        var type = TensorElementType.Undefined;
        var dims = new List<long>();
        ByteString? raw = null;
        var floats = new List<float>();
        var int32s = new List<int>();
        var int64s = new List<long>();
        var doubles = new List<double>();
        var uint64s = new List<ulong>();
        var strings = new List<string>();
        uint tag;
        while ((tag = input.ReadTag()) != 0)
        {
            switch (WireFormat.GetTagFieldNumber(tag))
            {
                case TensorProtoField.Dims: ProtoInput.ReadRepeated(input, tag, dims, i => i.ReadInt64()); break;
                case TensorProtoField.DataType: type = (TensorElementType)input.ReadInt32(); break;
                case TensorProtoField.FloatData: ProtoInput.ReadRepeated(input, tag, floats, i => i.ReadFloat()); break;
                case TensorProtoField.Int32Data: ProtoInput.ReadRepeated(input, tag, int32s, i => i.ReadInt32()); break;
                case TensorProtoField.StringData: strings.Add(input.ReadBytes().ToStringUtf8()); break;
                case TensorProtoField.Int64Data: ProtoInput.ReadRepeated(input, tag, int64s, i => i.ReadInt64()); break;
                case TensorProtoField.Name: name = input.ReadString(); break;
                case TensorProtoField.RawData: raw = input.ReadBytes(); break;
                case TensorProtoField.DoubleData: ProtoInput.ReadRepeated(input, tag, doubles, i => i.ReadDouble()); break;
                case TensorProtoField.UInt64Data: ProtoInput.ReadRepeated(input, tag, uint64s, i => i.ReadUInt64()); break;
                case TensorProtoField.DataLocation:
                    if (input.ReadInt32() != 0)
                    {
                        throw new NotSupportedException($"Tensor '{name}' keeps its data in an external file, which is not supported.");
                    }
                    break;
                case TensorProtoField.Segment:
                    throw new NotSupportedException($"Tensor '{name}' is segmented, which is not supported.");
                default: input.SkipLastField(); break;
            }
        }
        var shape = dims.ToArray();
        if (type == TensorElementType.String)
        {
            return TensorProto.FromStrings(name, strings, shape);
        }
        if (ElementTypes.SizeOf(type) == 0)
        {
            throw new NotSupportedException($"Tensor '{name}' has element type {ElementTypes.Name(type)}, which is not supported.");
        }
        var bytes = raw is not null ? raw.ToByteArray() : FromTypedFields(type, floats, int32s, int64s, doubles, uint64s);
        return TensorProto.FromBytes(name, type, bytes, shape);
    }

    private static byte[] FromTypedFields(
        TensorElementType type, List<float> floats, List<int> int32s, List<long> int64s, List<double> doubles, List<ulong> uint64s) => type switch
    {
        TensorElementType.Float => Bytes<float>(CollectionsMarshal.AsSpan(floats)),
        TensorElementType.Double => Bytes<double>(CollectionsMarshal.AsSpan(doubles)),
        TensorElementType.Int64 => Bytes<long>(CollectionsMarshal.AsSpan(int64s)),
        TensorElementType.UInt64 => Bytes<ulong>(CollectionsMarshal.AsSpan(uint64s)),
        TensorElementType.UInt32 => Bytes(uint64s.Select(v => (uint)v).ToArray().AsSpan()),
        TensorElementType.Int32 => Bytes<int>(CollectionsMarshal.AsSpan(int32s)),
        TensorElementType.Int16 => Bytes(int32s.Select(v => (short)v).ToArray().AsSpan()),
        TensorElementType.Int8 => Bytes(int32s.Select(v => (sbyte)v).ToArray().AsSpan()),
        TensorElementType.UInt16 or TensorElementType.Float16 or TensorElementType.BFloat16 =>
            Bytes(int32s.Select(v => (ushort)v).ToArray().AsSpan()),
        TensorElementType.UInt8 => Bytes(int32s.Select(v => (byte)v).ToArray().AsSpan()),
        TensorElementType.Bool => Bytes(int32s.Select(v => (byte)(v != 0 ? 1 : 0)).ToArray().AsSpan()),
        _ => throw new NotSupportedException($"Element type {ElementTypes.Name(type)} is not supported."),
    };

    private static byte[] Bytes<T>(Span<T> values)
        where T : unmanaged => MemoryMarshal.AsBytes(values).ToArray();
}
