using System.Buffers.Binary;
using System.Globalization;
using System.Text;
using Orbit.Contracts.Inference;
using Orbit.InferenceWorker.Tensors;
using Orbit.Onnx.Tensors;

namespace Orbit.InferenceWorker.Statistics;

/// <summary>
/// A served tensor's elements as numbers (and as text, for categories), read in place off the hot path: an input
/// from the buffer the worker decoded for ONNX Runtime (<see cref="DecodedTensor"/>: element bytes in the model's
/// type, whether the request carried JSON <c>data</c> or binary <c>rawData</c>, so nothing is parsed twice), an
/// output from the answer's <c>rawData</c> (BYTES length-prefixed). Little-endian, row-major.
/// </summary>
internal sealed class TensorValues
{
    // Category codes are mostly small integers: their names are not formatted (and allocated) per value.
    private static readonly string[] SmallIntegers = [.. Enumerable.Range(0, 256).Select(i => i.ToString(CultureInfo.InvariantCulture))];

    private readonly ReadOnlyMemory<byte> _bytes;
    private readonly TensorElementType _element;
    private readonly IReadOnlyList<string?>? _texts;

    private TensorValues(long[] shape, long count, TensorElementType element, ReadOnlyMemory<byte> bytes, IReadOnlyList<string?>? texts)
    {
        Shape = shape;
        Count = count;
        _element = element;
        _bytes = bytes;
        _texts = texts;
        Width = Rows == 0 ? 0 : count / Rows;
    }

    public long[] Shape { get; }

    /// <summary>Whether the elements are strings (BYTES).</summary>
    public bool IsText => _texts is not null;

    public long Count { get; }

    /// <summary>Rows along dimension 0 (a scalar is one row).</summary>
    public long Rows => Shape.Length == 0 ? 1 : Shape[0];

    /// <summary>Elements per row.</summary>
    public long Width { get; }

    public double Number(long index)
    {
        if (_texts is { } texts)
        {
            return double.TryParse(texts[(int)index], NumberStyles.Float, CultureInfo.InvariantCulture, out var parsed) ? parsed : double.NaN;
        }

        var bytes = _bytes.Span;
        var at = (int)index;
        return _element switch
        {
            TensorElementType.Float => BinaryPrimitives.ReadSingleLittleEndian(bytes[(at * 4)..]),
            TensorElementType.Double => BinaryPrimitives.ReadDoubleLittleEndian(bytes[(at * 8)..]),
            TensorElementType.Float16 => (double)BinaryPrimitives.ReadHalfLittleEndian(bytes[(at * 2)..]),
            TensorElementType.BFloat16 => BitConverter.Int32BitsToSingle(BinaryPrimitives.ReadUInt16LittleEndian(bytes[(at * 2)..]) << 16),
            TensorElementType.Int8 => (sbyte)bytes[at],
            TensorElementType.UInt8 or TensorElementType.Bool => bytes[at],
            TensorElementType.Int16 => BinaryPrimitives.ReadInt16LittleEndian(bytes[(at * 2)..]),
            TensorElementType.UInt16 => BinaryPrimitives.ReadUInt16LittleEndian(bytes[(at * 2)..]),
            TensorElementType.Int32 => BinaryPrimitives.ReadInt32LittleEndian(bytes[(at * 4)..]),
            TensorElementType.UInt32 => BinaryPrimitives.ReadUInt32LittleEndian(bytes[(at * 4)..]),
            TensorElementType.Int64 => BinaryPrimitives.ReadInt64LittleEndian(bytes[(at * 8)..]),
            TensorElementType.UInt64 => BinaryPrimitives.ReadUInt64LittleEndian(bytes[(at * 8)..]),
            _ => double.NaN,
        };
    }

    /// <summary>The element as a category name: text as it is, a number in its shortest invariant form (a float as a float: <c>0.1</c>, not <c>0.10000000149011612</c>).</summary>
    public string? Text(long index)
    {
        if (_texts is { } texts)
        {
            return texts[(int)index];
        }

        var value = Number(index);
        return double.IsNaN(value) ? null
            : value is >= 0 and < 256 && Math.Floor(value) == value ? SmallIntegers[(int)value]
            : _element is TensorElementType.Float or TensorElementType.Float16 or TensorElementType.BFloat16 ? ((float)value).ToString(CultureInfo.InvariantCulture)
            : value.ToString(CultureInfo.InvariantCulture);
    }

    /// <summary>An input as the worker decoded it for ONNX Runtime (checked there: its bytes match its type and shape).</summary>
    public static TensorValues Of(DecodedTensor input)
    {
        var count = ElementTypes.ElementCount(input.Shape);
        return input.Strings is { } strings
            ? new TensorValues(input.Shape, count, TensorElementType.String, ReadOnlyMemory<byte>.Empty, strings)
            : new TensorValues(input.Shape, count, input.ElementType, input.Bytes, null);
    }

    /// <summary>An output's values, or null when its bytes do not match its datatype and shape (the request was answered anyway).</summary>
    public static TensorValues? Read(InferenceTensor tensor)
    {
        if (tensor.RawData is not { } raw || !OipElementTypes.TryParse(tensor.Datatype, out var element))
        {
            return null;
        }

        var count = ElementTypes.ElementCount(tensor.Shape);
        if (element == TensorElementType.String)
        {
            return FromStrings(tensor.Shape, raw, count);
        }

        var size = ElementTypes.SizeOf(element);
        return size == 0 || raw.LongLength != count * size ? null : new TensorValues(tensor.Shape, count, element, raw, null);
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

        return new TensorValues(shape, count, TensorElementType.String, ReadOnlyMemory<byte>.Empty, texts);
    }
}
