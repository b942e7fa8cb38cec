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
        long count;
        try
        {
            count = ElementTypes.ElementCount(tensor.Shape);
        }
        catch (Exception ex) when (ex is ArgumentException or OverflowException)
        {
            error = new InputError($"{field}.shape", $"input '{tensor.Name}' has shape {Format(tensor.Shape)}: {ex.Message}");
            return null;
        }

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
