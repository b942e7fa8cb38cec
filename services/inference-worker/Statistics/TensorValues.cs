using System.Buffers.Binary;
using System.Globalization;
using System.Text;
using System.Text.Json;
using Orbit.Contracts.Inference;

namespace Orbit.InferenceWorker.Statistics;

/// <summary>
/// A served tensor's elements as numbers (and as text, for categories), read off the hot path from the
/// request or the answer: <c>rawData</c> by its datatype (little-endian; BYTES length-prefixed), or <c>data</c>
/// flat or nested. A value that is not a number reads as NaN.
/// </summary>
internal sealed class TensorValues
{
    private readonly byte[]? _raw;
    private readonly Element _element;
    private readonly double[]? _numbers;
    private readonly string?[]? _texts;
    private readonly bool _single;
    private readonly long _count;

    private TensorValues(long[] shape, long count, byte[]? raw, Element element, double[]? numbers, string?[]? texts, bool single)
    {
        Shape = shape;
        _count = count;
        _raw = raw;
        _element = element;
        _numbers = numbers;
        _texts = texts;
        _single = single;
        Width = Rows == 0 ? 0 : count / Rows;
    }

    /// <summary>How the elements of <c>rawData</c> are read; numeric tensors are read in place, not copied.</summary>
    private enum Element
    {
        None,
        Float32,
        Float64,
        Float16,
        BFloat16,
        Int8,
        UInt8,
        Int16,
        UInt16,
        Int32,
        UInt32,
        Int64,
        UInt64,
    }

    public long[] Shape { get; }

    /// <summary>Whether the elements are strings (BYTES).</summary>
    public bool IsText => _texts is not null;

    public long Count => _count;

    /// <summary>Rows along dimension 0 (a scalar is one row).</summary>
    public long Rows => Shape.Length == 0 ? 1 : Shape[0];

    /// <summary>Elements per row.</summary>
    public long Width { get; }

    public double Number(long index)
    {
        if (_raw is { } raw)
        {
            var at = (int)index;
            return _element switch
            {
                Element.Float32 => BinaryPrimitives.ReadSingleLittleEndian(raw.AsSpan(at * 4, 4)),
                Element.Float64 => BinaryPrimitives.ReadDoubleLittleEndian(raw.AsSpan(at * 8, 8)),
                Element.Float16 => (double)BinaryPrimitives.ReadHalfLittleEndian(raw.AsSpan(at * 2, 2)),
                Element.BFloat16 => BitConverter.Int32BitsToSingle(BinaryPrimitives.ReadUInt16LittleEndian(raw.AsSpan(at * 2, 2)) << 16),
                Element.Int8 => (sbyte)raw[at],
                Element.UInt8 => raw[at],
                Element.Int16 => BinaryPrimitives.ReadInt16LittleEndian(raw.AsSpan(at * 2, 2)),
                Element.UInt16 => BinaryPrimitives.ReadUInt16LittleEndian(raw.AsSpan(at * 2, 2)),
                Element.Int32 => BinaryPrimitives.ReadInt32LittleEndian(raw.AsSpan(at * 4, 4)),
                Element.UInt32 => BinaryPrimitives.ReadUInt32LittleEndian(raw.AsSpan(at * 4, 4)),
                Element.Int64 => BinaryPrimitives.ReadInt64LittleEndian(raw.AsSpan(at * 8, 8)),
                Element.UInt64 => BinaryPrimitives.ReadUInt64LittleEndian(raw.AsSpan(at * 8, 8)),
                _ => double.NaN,
            };
        }

        return _numbers is { } numbers ? numbers[index]
            : double.TryParse(_texts![index], NumberStyles.Float, CultureInfo.InvariantCulture, out var parsed) ? parsed : double.NaN;
    }

    /// <summary>The element as a category name: text as it is, a number in its shortest invariant form (a float as a float: <c>0.1</c>, not <c>0.10000000149011612</c>).</summary>
    public string? Text(long index)
    {
        if (_texts is { } texts)
        {
            return texts[index];
        }

        var value = Number(index);
        return double.IsNaN(value) ? null
            : _single ? ((float)value).ToString(CultureInfo.InvariantCulture)
            : value.ToString(CultureInfo.InvariantCulture);
    }

    /// <summary>The values, or null when the tensor's bytes do not match its datatype and shape (the request was served anyway).</summary>
    public static TensorValues? Read(InferenceTensor tensor)
    {
        var count = 1L;
        foreach (var dimension in tensor.Shape)
        {
            count *= dimension;
        }

        var single = tensor.Datatype is "FP32" or "FP16" or "BF16";
        if (tensor.RawData is { } raw)
        {
            return tensor.Datatype == "BYTES" ? FromStrings(tensor.Shape, raw, count) : FromRaw(tensor.Shape, tensor.Datatype, raw, count, single);
        }

        if (tensor.Data is { ValueKind: JsonValueKind.Array } data)
        {
            var numbers = new List<double>();
            var texts = new List<string?>();
            Flatten(data, numbers, texts);
            // Each element went to both lists: as a number and as text.
            if (numbers.Count != count)
            {
                return null;
            }

            return tensor.Datatype == "BYTES"
                ? new TensorValues(tensor.Shape, count, null, Element.None, null, [.. texts], false)
                : new TensorValues(tensor.Shape, count, null, Element.None, [.. numbers], null, single);
        }

        return null;
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
                    numbers.Add(item.ValueKind == JsonValueKind.True ? 1 : 0);
                    texts.Add(item.ValueKind == JsonValueKind.True ? "true" : "false");
                    break;
                case JsonValueKind.String:
                    var text = item.GetString();
                    numbers.Add(double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var parsed) ? parsed : double.NaN);
                    texts.Add(text);
                    break;
                default:
                    numbers.Add(double.NaN);
                    texts.Add(null);
                    break;
            }
        }
    }

    private static TensorValues? FromRaw(long[] shape, string datatype, byte[] raw, long count, bool single)
    {
        var (element, size) = datatype switch
        {
            "FP32" => (Element.Float32, 4),
            "FP64" => (Element.Float64, 8),
            "FP16" => (Element.Float16, 2),
            "BF16" => (Element.BFloat16, 2),
            "INT8" => (Element.Int8, 1),
            "UINT8" or "BOOL" => (Element.UInt8, 1),
            "INT16" => (Element.Int16, 2),
            "UINT16" => (Element.UInt16, 2),
            "INT32" => (Element.Int32, 4),
            "UINT32" => (Element.UInt32, 4),
            "INT64" => (Element.Int64, 8),
            "UINT64" => (Element.UInt64, 8),
            _ => (Element.None, 0),
        };
        return size == 0 || raw.LongLength != count * size ? null : new TensorValues(shape, count, raw, element, null, null, single);
    }

    private static TensorValues? FromStrings(long[] shape, byte[] raw, long count)
    {
        if (count > raw.Length / 4)
        {
            return null;
        }

        var texts = new string?[count];
        var offset = 0;
        for (var i = 0; i < texts.Length; i++)
        {
            if (raw.Length - offset < 4)
            {
                return null;
            }

            var length = BinaryPrimitives.ReadUInt32LittleEndian(raw.AsSpan(offset));
            offset += 4;
            if (length > (uint)(raw.Length - offset))
            {
                return null;
            }

            texts[i] = Encoding.UTF8.GetString(raw, offset, (int)length);
            offset += (int)length;
        }

        return new TensorValues(shape, count, null, Element.None, null, texts, false);
    }
}
