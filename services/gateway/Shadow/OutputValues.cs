using System.Buffers.Binary;
using System.Globalization;
using System.Text;
using System.Text.Json;
using Orbit.Contracts.Inference;
using Orbit.Contracts.Wire;

namespace Orbit.Gateway.Shadow;

/// <summary>
/// An answer's output tensor as numbers or, for BYTES, text: <c>rawData</c> read by its datatype (little-endian,
/// BYTES length-prefixed), or <c>data</c> flat or nested. Null when the elements do not match the shape.
/// </summary>
internal sealed record OutputValues(long[] Shape, string Datatype, double[]? Numbers, string?[]? Texts)
{
    public long Count => Numbers?.Length ?? Texts!.Length;

    /// <summary>Rows along dimension 0 (a scalar is one row).</summary>
    public long Rows => Shape.Length == 0 ? 1 : Shape[0];

    public long Width => Rows == 0 ? 0 : Count / Rows;

    public bool IsFloat => Datatype is "FP32" or "FP64" or "FP16" or "BF16";

    public static OutputValues? Read(InferenceTensor tensor)
    {
        var count = 1L;
        foreach (var dimension in tensor.Shape)
        {
            count *= dimension;
        }

        if (count is < 0 or > int.MaxValue)
        {
            return null;
        }

        if (tensor.RawData is { } raw)
        {
            return tensor.Datatype == "BYTES" ? Strings(tensor, raw, count) : Raw(tensor, raw, count);
        }

        if (tensor.Data is not { ValueKind: JsonValueKind.Array } data)
        {
            return null;
        }

        var numbers = new List<double>();
        var texts = new List<string?>();
        Flatten(data, numbers, texts);
        if (texts.Count != count)
        {
            return null;
        }

        return tensor.Datatype == "BYTES" ? new OutputValues(tensor.Shape, tensor.Datatype, null, [.. texts]) : new OutputValues(tensor.Shape, tensor.Datatype, [.. numbers], null);
    }

    private static void Flatten(JsonElement element, List<double> numbers, List<string?> texts)
    {
        foreach (var item in element.EnumerateArray())
        {
            switch (item.ValueKind)
            {
                case JsonValueKind.Array:
                    Flatten(item, numbers, texts);
                    break;
                case JsonValueKind.Number:
                    numbers.Add(item.GetDouble());
                    texts.Add(item.GetRawText());
                    break;
                case JsonValueKind.True or JsonValueKind.False:
                    numbers.Add(item.GetBoolean() ? 1 : 0);
                    texts.Add(item.GetBoolean() ? "true" : "false");
                    break;
                case JsonValueKind.String:
                    numbers.Add(double.TryParse(item.GetString(), NumberStyles.Float, CultureInfo.InvariantCulture, out var parsed) ? parsed : double.NaN);
                    texts.Add(item.GetString());
                    break;
                default:
                    numbers.Add(double.NaN);
                    texts.Add(null);
                    break;
            }
        }
    }

    private static OutputValues? Raw(InferenceTensor tensor, byte[] raw, long count)
    {
        // -1 for BYTES (read by Strings) and 0 for a name that is not a datatype.
        var size = OipDatatypes.SizeOf(tensor.Datatype);
        if (size <= 0 || raw.Length != count * size)
        {
            return null;
        }

        var numbers = new double[count];
        for (var i = 0; i < numbers.Length; i++)
        {
            var at = raw.AsSpan(i * size, size);
            numbers[i] = tensor.Datatype switch
            {
                "FP64" => BinaryPrimitives.ReadDoubleLittleEndian(at),
                "FP32" => BinaryPrimitives.ReadSingleLittleEndian(at),
                "FP16" => (double)BinaryPrimitives.ReadHalfLittleEndian(at),
                "BF16" => BitConverter.Int32BitsToSingle(BinaryPrimitives.ReadUInt16LittleEndian(at) << 16),
                "INT64" => BinaryPrimitives.ReadInt64LittleEndian(at),
                "UINT64" => BinaryPrimitives.ReadUInt64LittleEndian(at),
                "INT32" => BinaryPrimitives.ReadInt32LittleEndian(at),
                "UINT32" => BinaryPrimitives.ReadUInt32LittleEndian(at),
                "INT16" => BinaryPrimitives.ReadInt16LittleEndian(at),
                "UINT16" => BinaryPrimitives.ReadUInt16LittleEndian(at),
                "INT8" => (sbyte)at[0],
                _ => at[0],
            };
        }

        return new OutputValues(tensor.Shape, tensor.Datatype, numbers, null);
    }

    /// <summary>BYTES in <c>rawData</c>: each element a 4-byte little-endian length and its UTF-8 bytes.</summary>
    private static OutputValues? Strings(InferenceTensor tensor, byte[] raw, long count)
    {
        var texts = new string?[count];
        var offset = 0;
        for (var i = 0; i < texts.Length; i++)
        {
            if (raw.Length - offset < 4)
            {
                return null;
            }

            var length = BinaryPrimitives.ReadInt32LittleEndian(raw.AsSpan(offset, 4));
            offset += 4;
            if (length < 0 || raw.Length - offset < length)
            {
                return null;
            }

            texts[i] = Encoding.UTF8.GetString(raw, offset, length);
            offset += length;
        }

        return offset == raw.Length ? new OutputValues(tensor.Shape, tensor.Datatype, null, texts) : null;
    }
}
