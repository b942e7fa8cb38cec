using System.Buffers.Binary;
using System.Runtime.InteropServices;
using System.Text;
using System.Text.Json;
using Orbit.Contracts.Inference;
using Orbit.Onnx.Tensors;

namespace Orbit.InferenceWorker.Tensors;

/// <summary>
/// Turns an <see cref="InferenceTensor"/> into element bytes (or strings): <c>rawData</c> is taken
/// as it is (BYTES as 4-byte little-endian length + bytes per element), <c>data</c> (a flat or
/// nested JSON array) is converted element by element.
/// </summary>
internal static class TensorDecoder
{
    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    public static DecodedTensor? Decode(InferenceTensor tensor, TensorElementType type, int index, out InputError? error)
    {
        var field = $"inputs[{index}]";
        error = null;
        var elementSize = type == TensorElementType.String ? 1 : ElementTypes.SizeOf(type);
        if (ShapeProblem(tensor.Shape, elementSize) is { } problem)
        {
            error = new InputError($"{field}.shape", $"input '{tensor.Name}' has shape {Format(tensor.Shape)}: {problem}");
            return null;
        }

        var count = ElementTypes.ElementCount(tensor.Shape);
        var hasData = tensor.Data is { ValueKind: not JsonValueKind.Null and not JsonValueKind.Undefined };
        if (tensor.RawData is not null == hasData)
        {
            error = new InputError(field, $"input '{tensor.Name}' must set exactly one of data and rawData");
            return null;
        }

        try
        {
            if (tensor.RawData is { } raw)
            {
                return FromRaw(tensor, type, raw, count, field, out error);
            }

            return FromJson(tensor, type, tensor.Data!.Value, count, field, out error);
        }
        catch (Exception ex) when (ex is FormatException or InvalidOperationException or OverflowException or DecoderFallbackException)
        {
            error = new InputError($"{field}.{(tensor.RawData is null ? "data" : "rawData")}",
                $"input '{tensor.Name}' holds a value that is not {OipElementTypes.Name(type)}: {ex.Message}");
            return null;
        }
    }

    private static DecodedTensor? FromRaw(InferenceTensor tensor, TensorElementType type, byte[] raw, long count, string field, out InputError? error)
    {
        error = null;
        if (type == TensorElementType.String)
        {
            // Each element takes at least its 4-byte length, so the declared count is checked against the bytes sent before an array is sized by it.
            if (count > raw.Length / 4)
            {
                error = new InputError($"{field}.rawData",
                    $"input '{tensor.Name}' BYTES {Format(tensor.Shape)} declares {count} elements, but its {raw.Length} bytes of rawData hold at most {raw.Length / 4}");
                return null;
            }

            var strings = new string[count];
            var offset = 0;
            for (var i = 0; i < count; i++)
            {
                if (raw.Length - offset < 4)
                {
                    error = new InputError($"{field}.rawData", $"input '{tensor.Name}' BYTES rawData ends before element {i} of {count}");
                    return null;
                }

                var length = BinaryPrimitives.ReadUInt32LittleEndian(raw.AsSpan(offset));
                offset += 4;
                if (length > (uint)(raw.Length - offset))
                {
                    error = new InputError($"{field}.rawData", $"input '{tensor.Name}' BYTES element {i} claims {length} bytes; {raw.Length - offset} remain");
                    return null;
                }

                strings[i] = StrictUtf8.GetString(raw, offset, (int)length);
                offset += (int)length;
            }

            if (offset != raw.Length)
            {
                error = new InputError($"{field}.rawData", $"input '{tensor.Name}' BYTES rawData has {raw.Length - offset} bytes after its {count} elements");
                return null;
            }

            return new DecodedTensor(tensor.Name, type, tensor.Shape, ReadOnlyMemory<byte>.Empty, strings);
        }

        var expected = count * ElementTypes.SizeOf(type);
        if (raw.Length != expected)
        {
            error = new InputError($"{field}.rawData",
                $"input '{tensor.Name}' {OipElementTypes.Name(type)} {Format(tensor.Shape)} needs {expected} bytes of rawData, got {raw.Length}");
            return null;
        }

        return new DecodedTensor(tensor.Name, type, tensor.Shape, raw, null);
    }

    private static DecodedTensor? FromJson(InferenceTensor tensor, TensorElementType type, JsonElement data, long count, string field, out InputError? error)
    {
        error = null;
        if (NestingProblem(data, tensor.Shape) is { } nesting)
        {
            error = new InputError($"{field}.data", $"input '{tensor.Name}' has shape {Format(tensor.Shape)} but its nested data {nesting}");
            return null;
        }

        var items = new List<JsonElement>();
        Flatten(data, items);
        if (items.Count != count)
        {
            error = new InputError($"{field}.data", $"input '{tensor.Name}' has shape {Format(tensor.Shape)} ({count} elements) but data holds {items.Count}");
            return null;
        }

        if (type == TensorElementType.String)
        {
            var strings = items.Select(e => e.GetString() ?? throw new FormatException("null is not a string")).ToArray();
            return new DecodedTensor(tensor.Name, type, tensor.Shape, ReadOnlyMemory<byte>.Empty, strings);
        }

        byte[] bytes = type switch
        {
            TensorElementType.Bool => Pack(items, e => e.ValueKind switch
            {
                JsonValueKind.True => true,
                JsonValueKind.False => false,
                _ => e.GetInt32() switch { 0 => false, 1 => true, _ => throw new FormatException($"{e} is not a boolean") },
            }),
            TensorElementType.UInt8 => Pack(items, e => e.GetByte()),
            TensorElementType.UInt16 => Pack(items, e => e.GetUInt16()),
            TensorElementType.UInt32 => Pack(items, e => e.GetUInt32()),
            TensorElementType.UInt64 => Pack(items, e => e.GetUInt64()),
            TensorElementType.Int8 => Pack(items, e => e.GetSByte()),
            TensorElementType.Int16 => Pack(items, e => e.GetInt16()),
            TensorElementType.Int32 => Pack(items, e => e.GetInt32()),
            TensorElementType.Int64 => Pack(items, e => e.GetInt64()),
            TensorElementType.Float16 => Pack(items, e => (Half)e.GetDouble()),
            TensorElementType.BFloat16 => Pack(items, e => (BFloat16)e.GetSingle()),
            TensorElementType.Float => Pack(items, e => e.GetSingle()),
            TensorElementType.Double => Pack(items, e => e.GetDouble()),
            _ => throw new InvalidOperationException($"element type {ElementTypes.Name(type)} is not served"),
        };
        return new DecodedTensor(tensor.Name, type, tensor.Shape, bytes, null);
    }

    /// <summary>
    /// Why a declared shape cannot be taken at its word, or null: a negative dimension, or an element
    /// count or byte size past what 64-bit arithmetic (and so any buffer) can hold. Zero dimensions
    /// are counted as one, so an empty tensor with an impossible row is refused too.
    /// </summary>
    private static string? ShapeProblem(long[]? shape, int elementSize)
    {
        if (shape is null)
        {
            return "no shape";
        }

        long bytes = elementSize;
        foreach (var dim in shape)
        {
            if (dim < 0)
            {
                return $"dimension {dim} is negative";
            }

            if (dim > 0 && bytes > long.MaxValue / dim)
            {
                return "its element count or byte size overflows 64 bits";
            }

            bytes *= Math.Max(dim, 1);
        }

        return null;
    }

    /// <summary>
    /// Data may be flat, or nested exactly as the shape says; nesting that says otherwise (three rows
    /// of two for a shape [2,3]) contradicts the shape. Returns why, or null.
    /// </summary>
    private static string? NestingProblem(JsonElement data, long[] shape)
    {
        if (data.ValueKind != JsonValueKind.Array)
        {
            return null;
        }

        var nested = false;
        foreach (var item in data.EnumerateArray())
        {
            nested = item.ValueKind == JsonValueKind.Array;
            break;
        }

        return nested ? Nesting(data, shape, 0) : null;
    }

    private static string? Nesting(JsonElement element, long[] shape, int depth)
    {
        if (element.ValueKind != JsonValueKind.Array)
        {
            return depth == shape.Length ? null : $"has a value at depth {depth}, not {shape.Length}";
        }

        if (depth == shape.Length)
        {
            return $"is nested deeper than its {shape.Length} dimensions";
        }

        if (element.GetArrayLength() != shape[depth])
        {
            return $"has {element.GetArrayLength()} entries at depth {depth}, not {shape[depth]}";
        }

        foreach (var item in element.EnumerateArray())
        {
            if (Nesting(item, shape, depth + 1) is { } problem)
            {
                return problem;
            }
        }

        return null;
    }

    private static void Flatten(JsonElement element, List<JsonElement> items)
    {
        if (element.ValueKind != JsonValueKind.Array)
        {
            items.Add(element);
            return;
        }

        foreach (var item in element.EnumerateArray())
        {
            Flatten(item, items);
        }
    }

    private static byte[] Pack<T>(List<JsonElement> items, Func<JsonElement, T> read)
        where T : unmanaged
    {
        var values = new T[items.Count];
        for (var i = 0; i < values.Length; i++)
        {
            values[i] = read(items[i]);
        }

        // Element bytes are little-endian on every platform .NET runs Orbit on (x64, arm64).
        return MemoryMarshal.AsBytes(values.AsSpan()).ToArray();
    }

    public static string Format(long[] shape) => "[" + string.Join(",", shape) + "]";
}
