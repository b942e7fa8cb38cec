using System.Buffers.Binary;
using System.Collections;
using System.Runtime.InteropServices;
using Google.Protobuf;
using Orbit.Gateway.Grpc.Protocol;
using Orbit.Gateway.Inference;

namespace Orbit.Gateway.Grpc;

/// <summary>
/// The typed <c>InferTensorContents</c> fields and the bus's little-endian bytes, both ways. Each datatype has one
/// field (INT8/16/32 share <c>int_contents</c>, UINT8/16/32 <c>uint_contents</c>); FP16 and BF16 have none and travel
/// only as raw contents.
/// </summary>
internal static class GrpcTensorContents
{
    /// <summary>The field a datatype's elements go in, as the protocol names it; null for FP16 and BF16.</summary>
    public static string? FieldOf(string datatype) => datatype switch
    {
        "BOOL" => "bool_contents",
        "INT8" or "INT16" or "INT32" => "int_contents",
        "INT64" => "int64_contents",
        "UINT8" or "UINT16" or "UINT32" => "uint_contents",
        "UINT64" => "uint64_contents",
        "FP32" => "fp32_contents",
        "FP64" => "fp64_contents",
        "BYTES" => "bytes_contents",
        _ => null,
    };

    public static (byte[]? Bytes, string? Error) ToRaw(InferTensorContents contents, string name, string datatype, long[] shape, long count)
    {
        if (FieldOf(datatype) is not { } field)
        {
            return (null, $"input '{name}' is {datatype}, which has no 'contents' field: send it in 'raw_input_contents'");
        }

        if (Fields(contents).FirstOrDefault(f => f.Name != field && f.Values.Count > 0) is { Name: { } other })
        {
            return (null, $"input '{name}' is {datatype}: its elements go in 'contents.{field}', not 'contents.{other}'");
        }

        var values = Fields(contents).First(f => f.Name == field).Values;
        if (values.Count != count)
        {
            return (null, $"input '{name}' has {values.Count} elements in 'contents.{field}' but its shape [{TensorShape.Describe(shape)}] needs {count}");
        }

        return datatype switch
        {
            "BOOL" => (contents.BoolContents.Select(b => b ? (byte)1 : (byte)0).ToArray(), null),
            "INT32" => (Bytes<int>(contents.IntContents), null),
            "INT64" => (Bytes<long>(contents.Int64Contents), null),
            "UINT32" => (Bytes<uint>(contents.UintContents), null),
            "UINT64" => (Bytes<ulong>(contents.Uint64Contents), null),
            "FP32" => (Bytes<float>(contents.Fp32Contents), null),
            "FP64" => (Bytes<double>(contents.Fp64Contents), null),
            "BYTES" => (LengthPrefixed(contents.BytesContents), null),
            _ => Narrow(contents, name, datatype),
        };
    }

    /// <summary>The typed contents of an output's raw bytes; null for a datatype that has no field.</summary>
    public static InferTensorContents? FromRaw(string datatype, ReadOnlySpan<byte> raw)
    {
        var contents = new InferTensorContents();
        switch (datatype)
        {
            case "BOOL":
                foreach (var b in raw)
                {
                    contents.BoolContents.Add(b != 0);
                }

                break;
            case "INT8":
                foreach (var b in raw)
                {
                    contents.IntContents.Add((sbyte)b);
                }

                break;
            case "INT16":
                contents.IntContents.AddRange(Widen<short, int>(raw, v => v));
                break;
            case "INT32":
                contents.IntContents.AddRange(Values<int>(raw));
                break;
            case "INT64":
                contents.Int64Contents.AddRange(Values<long>(raw));
                break;
            case "UINT8":
                foreach (var b in raw)
                {
                    contents.UintContents.Add(b);
                }

                break;
            case "UINT16":
                contents.UintContents.AddRange(Widen<ushort, uint>(raw, v => v));
                break;
            case "UINT32":
                contents.UintContents.AddRange(Values<uint>(raw));
                break;
            case "UINT64":
                contents.Uint64Contents.AddRange(Values<ulong>(raw));
                break;
            case "FP32":
                contents.Fp32Contents.AddRange(Values<float>(raw));
                break;
            case "FP64":
                contents.Fp64Contents.AddRange(Values<double>(raw));
                break;
            case "BYTES":
                for (var at = 0; at + 4 <= raw.Length;)
                {
                    var length = BinaryPrimitives.ReadInt32LittleEndian(raw[at..]);
                    contents.BytesContents.Add(ByteString.CopyFrom(raw.Slice(at + 4, length)));
                    at += 4 + length;
                }

                break;
            default:
                return null;
        }

        return contents;
    }

    /// <summary>How many BYTES elements (a 4-byte little-endian length, then that many bytes) fill <paramref name="raw"/> exactly; -1 if they do not.</summary>
    public static long CountLengthPrefixed(ReadOnlySpan<byte> raw)
    {
        long count = 0;
        var at = 0;
        while (at < raw.Length)
        {
            if (raw.Length - at < 4)
            {
                return -1;
            }

            var length = BinaryPrimitives.ReadInt32LittleEndian(raw[at..]);
            if (length < 0 || length > raw.Length - at - 4)
            {
                return -1;
            }

            at += 4 + length;
            count++;
        }

        return count;
    }

    private static IEnumerable<(string Name, ICollection Values)> Fields(InferTensorContents contents) =>
    [
        ("bool_contents", contents.BoolContents),
        ("int_contents", contents.IntContents),
        ("int64_contents", contents.Int64Contents),
        ("uint_contents", contents.UintContents),
        ("uint64_contents", contents.Uint64Contents),
        ("fp32_contents", contents.Fp32Contents),
        ("fp64_contents", contents.Fp64Contents),
        ("bytes_contents", contents.BytesContents),
    ];

    /// <summary>INT8, INT16, UINT8 and UINT16 arrive widened to 32 bits: each value must fit the datatype.</summary>
    private static (byte[]? Bytes, string? Error) Narrow(InferTensorContents contents, string name, string datatype)
    {
        var (values, min, max, size) = datatype switch
        {
            "INT8" => (contents.IntContents.Select(v => (long)v).ToList(), (long)sbyte.MinValue, (long)sbyte.MaxValue, 1),
            "INT16" => (contents.IntContents.Select(v => (long)v).ToList(), (long)short.MinValue, (long)short.MaxValue, 2),
            "UINT8" => (contents.UintContents.Select(v => (long)v).ToList(), (long)byte.MinValue, (long)byte.MaxValue, 1),
            _ => (contents.UintContents.Select(v => (long)v).ToList(), (long)ushort.MinValue, (long)ushort.MaxValue, 2),
        };
        var bytes = new byte[values.Count * size];
        for (var i = 0; i < values.Count; i++)
        {
            var value = values[i];
            if (value < min || value > max)
            {
                return (null, $"input '{name}' element {i} ({value}) is not a valid {datatype}");
            }

            if (size == 1)
            {
                bytes[i] = (byte)value;
            }
            else
            {
                BinaryPrimitives.WriteUInt16LittleEndian(bytes.AsSpan(i * 2), (ushort)value);
            }
        }

        return (bytes, null);
    }

    // The bus carries little-endian bytes; this host is little-endian (x64, arm64), so a cast of the span is the layout.
    private static byte[] Bytes<T>(Google.Protobuf.Collections.RepeatedField<T> values) where T : struct =>
        MemoryMarshal.AsBytes(values.ToArray().AsSpan()).ToArray();

    private static T[] Values<T>(ReadOnlySpan<byte> raw) where T : struct =>
        MemoryMarshal.Cast<byte, T>(raw[..(raw.Length / Marshal.SizeOf<T>() * Marshal.SizeOf<T>())]).ToArray();

    private static List<TWide> Widen<T, TWide>(ReadOnlySpan<byte> raw, Func<T, TWide> widen) where T : struct
    {
        var values = Values<T>(raw);
        var wide = new List<TWide>(values.Length);
        foreach (var value in values)
        {
            wide.Add(widen(value));
        }

        return wide;
    }

    private static byte[] LengthPrefixed(Google.Protobuf.Collections.RepeatedField<ByteString> elements)
    {
        var result = new byte[elements.Sum(e => 4L + e.Length)];
        var at = 0;
        foreach (var element in elements)
        {
            BinaryPrimitives.WriteInt32LittleEndian(result.AsSpan(at), element.Length);
            element.Span.CopyTo(result.AsSpan(at + 4));
            at += 4 + element.Length;
        }

        return result;
    }
}
