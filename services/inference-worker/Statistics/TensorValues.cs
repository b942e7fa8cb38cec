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
    private readonly double[]? _numbers;
    private readonly string?[]? _texts;
    private readonly bool _single;

    private TensorValues(long[] shape, double[]? numbers, string?[]? texts, bool single)
    {
        Shape = shape;
        _numbers = numbers;
        _texts = texts;
        _single = single;
    }

    public long[] Shape { get; }

    /// <summary>Whether the elements are strings (BYTES).</summary>
    public bool IsText => _texts is not null;

    public long Count => _numbers?.LongLength ?? _texts!.LongLength;

    /// <summary>Rows along dimension 0 (a scalar is one row).</summary>
    public long Rows => Shape.Length == 0 ? 1 : Shape[0];

    /// <summary>Elements per row.</summary>
    public long Width => Rows == 0 ? 0 : Count / Rows;

    public double Number(long index) =>
        _numbers is { } numbers ? numbers[index]
        : double.TryParse(_texts![index], NumberStyles.Float, CultureInfo.InvariantCulture, out var parsed) ? parsed : double.NaN;

    /// <summary>The element as a category name: text as it is, a number in its shortest invariant form (a float as a float: <c>0.1</c>, not <c>0.10000000149011612</c>).</summary>
    public string? Text(long index)
    {
        if (_texts is { } texts)
        {
            return texts[index];
        }

        var value = _numbers![index];
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

            return tensor.Datatype == "BYTES" ? new TensorValues(tensor.Shape, null, [.. texts], false) : new TensorValues(tensor.Shape, [.. numbers], null, single);
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
        var size = Orbit.Contracts.Wire.OipDatatypes.SizeOf(datatype);
        if (size <= 0 || raw.LongLength != count * size)
        {
            return null;
        }

        var values = new double[count];
        var bytes = raw.AsSpan();
        for (var i = 0; i < values.Length; i++)
        {
            var element = bytes.Slice(i * size, size);
            values[i] = datatype switch
            {
                "FP32" => BinaryPrimitives.ReadSingleLittleEndian(element),
                "FP64" => BinaryPrimitives.ReadDoubleLittleEndian(element),
                "FP16" => (double)BinaryPrimitives.ReadHalfLittleEndian(element),
                "BF16" => BitConverter.Int32BitsToSingle(BinaryPrimitives.ReadUInt16LittleEndian(element) << 16),
                "INT8" => (sbyte)element[0],
                "UINT8" or "BOOL" => element[0],
                "INT16" => BinaryPrimitives.ReadInt16LittleEndian(element),
                "UINT16" => BinaryPrimitives.ReadUInt16LittleEndian(element),
                "INT32" => BinaryPrimitives.ReadInt32LittleEndian(element),
                "UINT32" => BinaryPrimitives.ReadUInt32LittleEndian(element),
                "INT64" => BinaryPrimitives.ReadInt64LittleEndian(element),
                "UINT64" => BinaryPrimitives.ReadUInt64LittleEndian(element),
                _ => double.NaN,
            };
        }

        return new TensorValues(shape, values, null, single);
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

        return new TensorValues(shape, null, texts, false);
    }
}
