using System.Runtime.InteropServices;
using Google.Protobuf;
using Orbit.Onnx.Tensors;

namespace Orbit.Onnx.Protobuf;

/// <summary>Writes ONNX TensorProto messages (ONNX's generated schema).</summary>
public static class TensorProtoWriter
{
    public static byte[] Write(TensorProto tensor, TensorProtoEncoding encoding = TensorProtoEncoding.RawData) =>
        ToSchema(tensor, encoding).ToByteArray();

    public static void WriteFile(string path, TensorProto tensor, TensorProtoEncoding encoding = TensorProtoEncoding.RawData) =>
        File.WriteAllBytes(path, Write(tensor, encoding));

    internal static Schema.TensorProto ToSchema(TensorProto tensor, TensorProtoEncoding encoding)
    {
        ArgumentNullException.ThrowIfNull(tensor);
        var proto = new Schema.TensorProto { DataType = (int)tensor.ElementType };
        proto.Dims.AddRange(tensor.Dims);
        if (tensor.Name.Length > 0)
        {
            proto.Name = tensor.Name;
        }
        if (tensor.ElementType == TensorElementType.String)
        {
            proto.StringData.AddRange(tensor.Strings.Select(ByteString.CopyFromUtf8));
        }
        else if (encoding == TensorProtoEncoding.RawData)
        {
            proto.RawData = UnsafeByteOperations.UnsafeWrap(tensor.RawData);
        }
        else
        {
            WriteTyped(proto, tensor);
        }
        return proto;
    }

    // Which typed field holds which element type is ONNX's rule (onnx-ml.proto, TensorProto): narrow integers
    // and 16-bit floats go to int32_data, uint32 to uint64_data.
    private static void WriteTyped(Schema.TensorProto proto, TensorProto tensor)
    {
        var raw = tensor.RawData;
        switch (tensor.ElementType)
        {
            case TensorElementType.Float:
                proto.FloatData.AddRange(MemoryMarshal.Cast<byte, float>(raw).ToArray());
                break;
            case TensorElementType.Double:
                proto.DoubleData.AddRange(MemoryMarshal.Cast<byte, double>(raw).ToArray());
                break;
            case TensorElementType.Int64:
                proto.Int64Data.AddRange(MemoryMarshal.Cast<byte, long>(raw).ToArray());
                break;
            case TensorElementType.UInt64:
                proto.Uint64Data.AddRange(MemoryMarshal.Cast<byte, ulong>(raw).ToArray());
                break;
            case TensorElementType.UInt32:
                proto.Uint64Data.AddRange(MemoryMarshal.Cast<byte, uint>(raw).ToArray().Select(v => (ulong)v));
                break;
            case TensorElementType.Int32:
                proto.Int32Data.AddRange(MemoryMarshal.Cast<byte, int>(raw).ToArray());
                break;
            case TensorElementType.Int16:
                proto.Int32Data.AddRange(MemoryMarshal.Cast<byte, short>(raw).ToArray().Select(v => (int)v));
                break;
            case TensorElementType.Int8:
                proto.Int32Data.AddRange(MemoryMarshal.Cast<byte, sbyte>(raw).ToArray().Select(v => (int)v));
                break;
            case TensorElementType.UInt16 or TensorElementType.Float16 or TensorElementType.BFloat16:
                proto.Int32Data.AddRange(MemoryMarshal.Cast<byte, ushort>(raw).ToArray().Select(v => (int)v));
                break;
            case TensorElementType.UInt8 or TensorElementType.Bool:
                proto.Int32Data.AddRange(raw.Select(v => (int)v));
                break;
            default:
                throw new NotSupportedException($"Element type {ElementTypes.Name(tensor.ElementType)} is not supported.");
        }
    }
}
