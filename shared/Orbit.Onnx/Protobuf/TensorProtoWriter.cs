using System.Runtime.InteropServices;
using Google.Protobuf;
using Orbit.Onnx.Tensors;

namespace Orbit.Onnx.Protobuf;

/// <summary>Writes ONNX TensorProto messages.</summary>
public static class TensorProtoWriter
{
    public static byte[] Write(TensorProto tensor, TensorProtoEncoding encoding = TensorProtoEncoding.RawData)
    {
        using var buffer = new MemoryStream();
        var output = new CodedOutputStream(buffer);
        WriteTo(output, tensor, encoding);
        output.Flush();
        return buffer.ToArray();
    }

    public static void WriteFile(string path, TensorProto tensor, TensorProtoEncoding encoding = TensorProtoEncoding.RawData) =>
        File.WriteAllBytes(path, Write(tensor, encoding));

    internal static void WriteTo(CodedOutputStream output, TensorProto tensor, TensorProtoEncoding encoding)
    {
        foreach (var dim in tensor.Dims)
        {
            output.WriteTag(TensorProtoField.Dims, WireFormat.WireType.Varint);
            output.WriteInt64(dim);
        }
        output.WriteTag(TensorProtoField.DataType, WireFormat.WireType.Varint);
        output.WriteInt32((int)tensor.ElementType);
        if (tensor.Name.Length > 0)
        {
            output.WriteTag(TensorProtoField.Name, WireFormat.WireType.LengthDelimited);
            output.WriteString(tensor.Name);
        }
        if (tensor.ElementType == TensorElementType.String)
        {
            foreach (var value in tensor.Strings)
            {
                output.WriteTag(TensorProtoField.StringData, WireFormat.WireType.LengthDelimited);
                output.WriteBytes(ByteString.CopyFromUtf8(value));
            }
        }
        else if (encoding == TensorProtoEncoding.RawData)
        {
            output.WriteTag(TensorProtoField.RawData, WireFormat.WireType.LengthDelimited);
            output.WriteBytes(UnsafeByteOperations.UnsafeWrap(tensor.RawData));
        }
        else if (tensor.RawData.Length > 0)
        {
            WriteTyped(output, tensor);
        }
    }

    private static void WriteTyped(CodedOutputStream output, TensorProto tensor)
    {
        var raw = tensor.RawData;
        switch (tensor.ElementType)
        {
            case TensorElementType.Float:
                WriteFixed(output, TensorProtoField.FloatData, raw);
                break;
            case TensorElementType.Double:
                WriteFixed(output, TensorProtoField.DoubleData, raw);
                break;
            case TensorElementType.Int64:
                WriteVarints(output, TensorProtoField.Int64Data, MemoryMarshal.Cast<byte, long>(raw).ToArray().Select(v => (ulong)v));
                break;
            case TensorElementType.UInt64:
                WriteVarints(output, TensorProtoField.UInt64Data, MemoryMarshal.Cast<byte, ulong>(raw).ToArray());
                break;
            case TensorElementType.UInt32:
                WriteVarints(output, TensorProtoField.UInt64Data, MemoryMarshal.Cast<byte, uint>(raw).ToArray().Select(v => (ulong)v));
                break;
            case TensorElementType.Int32:
                // int32 varints sign-extend to 64 bits on the wire, as protobuf's int32 does.
                WriteVarints(output, TensorProtoField.Int32Data, MemoryMarshal.Cast<byte, int>(raw).ToArray().Select(v => (ulong)(long)v));
                break;
            case TensorElementType.Int16:
                WriteVarints(output, TensorProtoField.Int32Data, MemoryMarshal.Cast<byte, short>(raw).ToArray().Select(v => (ulong)(long)v));
                break;
            case TensorElementType.Int8:
                WriteVarints(output, TensorProtoField.Int32Data, MemoryMarshal.Cast<byte, sbyte>(raw).ToArray().Select(v => (ulong)(long)v));
                break;
            case TensorElementType.UInt16 or TensorElementType.Float16 or TensorElementType.BFloat16:
                WriteVarints(output, TensorProtoField.Int32Data, MemoryMarshal.Cast<byte, ushort>(raw).ToArray().Select(v => (ulong)v));
                break;
            case TensorElementType.UInt8 or TensorElementType.Bool:
                WriteVarints(output, TensorProtoField.Int32Data, raw.Select(v => (ulong)v));
                break;
            default:
                throw new NotSupportedException($"Element type {ElementTypes.Name(tensor.ElementType)} is not supported.");
        }
    }

    private static void WriteFixed(CodedOutputStream output, int field, byte[] littleEndian)
    {
        output.WriteTag(field, WireFormat.WireType.LengthDelimited);
        output.WriteBytes(UnsafeByteOperations.UnsafeWrap(littleEndian));
    }

    private static void WriteVarints(CodedOutputStream output, int field, IEnumerable<ulong> values)
    {
        var list = values as IReadOnlyCollection<ulong> ?? values.ToArray();
        var length = list.Sum(v => CodedOutputStream.ComputeUInt64Size(v));
        output.WriteTag(field, WireFormat.WireType.LengthDelimited);
        output.WriteLength(length);
        foreach (var value in list)
        {
            output.WriteUInt64(value);
        }
    }
}
