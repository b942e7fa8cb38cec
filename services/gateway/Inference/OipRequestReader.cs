using System.Buffers.Binary;
using System.Text;
using System.Text.Json;
using Orbit.Contracts.Inference;
using Orbit.Contracts.Wire;

namespace Orbit.Gateway.Inference;

/// <summary>
/// Reads an OIP v2 infer request body into bus tensors: each input's <c>data</c> (flat or nested,
/// row-major) becomes little-endian bytes of its datatype, checked against its shape. Nothing is
/// allocated from a declared shape: the shape is checked against the body's size and the data's
/// structure first, so what a request allocates is bounded by the bytes it actually sent.
/// Under the binary tensor data extension (<see cref="BinaryTensorData"/>), an input may instead
/// declare <c>parameters.binary_data_size</c>: its bytes follow the JSON, and are read by <see cref="BinaryRequestBody"/>.
/// </summary>
internal static class OipRequestReader
{
    /// <param name="LogPrediction">The <c>log_prediction</c> parameter: put this request on the prediction log whatever the sampling.</param>
    /// <param name="BinaryOutputs">Which outputs to answer as binary data; null for none.</param>
    internal sealed record Request(
        string? Id,
        IReadOnlyList<InferenceTensor> Inputs,
        IReadOnlyList<string>? Outputs,
        string? RoutingKey,
        int? TimeoutMilliseconds,
        bool LogPrediction = false,
        BinaryOutputs? BinaryOutputs = null);

    /// <summary>An input whose bytes follow the JSON header: the <paramref name="Index"/>th of the request's inputs, of <paramref name="Size"/> bytes and <paramref name="Count"/> elements.</summary>
    internal sealed record BinaryInput(int Index, long Size, long Count);

    /// <summary>A plain JSON body: an input that declares binary data is refused, as there is no header to find its bytes by.</summary>
    /// <param name="bodyBytes">The size of the body <paramref name="root"/> was read from: no input can hold more elements than it has bytes.</param>
    public static (Request? Request, string? Error) Read(JsonElement root, long bodyBytes) => Read(root, bodyBytes, null);

    /// <summary>
    /// The JSON header of a binary tensor data body. Its binary inputs come back without <c>RawData</c>, listed in
    /// body order with their sizes, each already checked against its shape; nothing is allocated for them here.
    /// </summary>
    /// <param name="bodyBytes">The most the whole body can be (its Content-Length, or the body-size limit).</param>
    public static (Request? Request, IReadOnlyList<BinaryInput> Binary, string? Error) ReadHeader(JsonElement root, long bodyBytes)
    {
        var binary = new List<BinaryInput>();
        var (request, error) = Read(root, bodyBytes, binary);
        return (request, binary, error);
    }

    private static (Request? Request, string? Error) Read(JsonElement root, long bodyBytes, List<BinaryInput>? binary)
    {
        if (root.ValueKind != JsonValueKind.Object)
        {
            return (null, "the body must be a JSON object with 'inputs'");
        }

        string? id = null;
        if (root.TryGetProperty("id", out var idElement))
        {
            if (idElement.ValueKind != JsonValueKind.String)
            {
                return (null, "'id' must be a string");
            }

            id = idElement.GetString();
        }

        string? routingKey = null;
        int? timeout = null;
        var logPrediction = false;
        var allOutputsBinary = false;
        if (root.TryGetProperty("parameters", out var parameters) && parameters.ValueKind == JsonValueKind.Object)
        {
            if (parameters.TryGetProperty("routing_key", out var key))
            {
                routingKey = key.ValueKind == JsonValueKind.String ? key.GetString() : key.GetRawText();
            }

            if (parameters.TryGetProperty("timeout", out var t))
            {
                if (t.ValueKind != JsonValueKind.Number || !t.TryGetInt32(out var ms) || ms <= 0)
                {
                    return (null, "parameters.timeout must be a positive number of milliseconds");
                }

                timeout = ms;
            }

            if (parameters.TryGetProperty("log_prediction", out var log))
            {
                if (log.ValueKind is not (JsonValueKind.True or JsonValueKind.False))
                {
                    return (null, "parameters.log_prediction must be true or false");
                }

                logPrediction = log.ValueKind == JsonValueKind.True;
            }

            if (parameters.TryGetProperty(BinaryTensorData.AllOutputsParameter, out var all))
            {
                if (all.ValueKind is not (JsonValueKind.True or JsonValueKind.False))
                {
                    return (null, $"parameters.{BinaryTensorData.AllOutputsParameter} must be true or false");
                }

                allOutputsBinary = all.ValueKind == JsonValueKind.True;
            }
        }

        if (!root.TryGetProperty("inputs", out var inputs) || inputs.ValueKind != JsonValueKind.Array || inputs.GetArrayLength() == 0)
        {
            return (null, "'inputs' must be a non-empty array");
        }

        var tensors = new List<InferenceTensor>(inputs.GetArrayLength());
        var names = new HashSet<string>(StringComparer.Ordinal);
        var index = 0;
        foreach (var input in inputs.EnumerateArray())
        {
            var (tensor, error) = ReadInput(input, index, bodyBytes, binary);
            if (error is not null)
            {
                return (null, error);
            }

            if (!names.Add(tensor!.Name))
            {
                return (null, $"input '{tensor.Name}' is given twice");
            }

            tensors.Add(tensor);
            index++;
        }

        List<string>? outputs = null;
        Dictionary<string, bool>? binaryOutputs = null;
        if (root.TryGetProperty("outputs", out var requested) && requested.ValueKind != JsonValueKind.Null)
        {
            if (requested.ValueKind != JsonValueKind.Array)
            {
                return (null, "'outputs' must be an array of {\"name\": …}");
            }

            outputs = [];
            foreach (var output in requested.EnumerateArray())
            {
                if (output.ValueKind != JsonValueKind.Object || !output.TryGetProperty("name", out var name) || name.ValueKind != JsonValueKind.String)
                {
                    return (null, "each entry of 'outputs' needs a string 'name'");
                }

                outputs.Add(name.GetString()!);
                if (output.TryGetProperty("parameters", out var outputParameters) && outputParameters.ValueKind == JsonValueKind.Object
                    && outputParameters.TryGetProperty(BinaryTensorData.OutputParameter, out var binaryData))
                {
                    if (binaryData.ValueKind is not (JsonValueKind.True or JsonValueKind.False))
                    {
                        return (null, $"output '{name.GetString()}' parameters.{BinaryTensorData.OutputParameter} must be true or false");
                    }

                    (binaryOutputs ??= new(StringComparer.Ordinal))[name.GetString()!] = binaryData.ValueKind == JsonValueKind.True;
                }
            }
        }

        return (new Request(id, tensors, outputs, routingKey, timeout, logPrediction, BinaryOutputs.From(allOutputsBinary, binaryOutputs)), null);
    }

    private static (InferenceTensor? Tensor, string? Error) ReadInput(JsonElement input, int index, long bodyBytes, List<BinaryInput>? binary)
    {
        if (input.ValueKind != JsonValueKind.Object)
        {
            return (null, $"inputs[{index}] must be an object");
        }

        if (!input.TryGetProperty("name", out var nameElement) || nameElement.ValueKind != JsonValueKind.String || nameElement.GetString() is not { Length: > 0 } name)
        {
            return (null, $"inputs[{index}] needs a 'name'");
        }

        if (!input.TryGetProperty("datatype", out var datatypeElement) || datatypeElement.ValueKind != JsonValueKind.String
            || datatypeElement.GetString() is not { } datatype || OipDatatypes.SizeOf(datatype) == 0)
        {
            return (null, $"input '{name}' needs a 'datatype', one of {OipDatatypes.Known}");
        }

        if (!input.TryGetProperty("shape", out var shapeElement) || shapeElement.ValueKind != JsonValueKind.Array)
        {
            return (null, $"input '{name}' needs a 'shape' (an array of sizes)");
        }

        var (shape, count, shapeError) = TensorShape.Read(shapeElement, name, datatype, bodyBytes);
        if (shapeError is not null)
        {
            return (null, shapeError);
        }

        var (binarySize, sizeError) = BinarySize(input, name);
        if (sizeError is not null)
        {
            return (null, sizeError);
        }

        if (binarySize is { } size)
        {
            return BinaryInputOf(input, index, name, datatype, shape!, count, size, binary);
        }

        if (!input.TryGetProperty("data", out var data))
        {
            return (null, $"input '{name}' needs 'data'");
        }

        if (TensorShape.CheckData(data, shape!, count, name) is { } dataError)
        {
            return (null, dataError);
        }

        // The data now has exactly count elements, each at least one byte of the body: the allocation is bounded by the body.
        var size1 = OipDatatypes.SizeOf(datatype);
        var bytes = size1 > 0 ? new byte[count * size1] : null;
        var strings = size1 < 0 ? new List<byte[]>((int)count) : null;
        long written = 0;
        var error = Flatten(data, datatype, bytes, strings, ref written, count, name);
        if (error is not null)
        {
            return (null, error);
        }

        return (new InferenceTensor(name, datatype, shape!, RawData: bytes ?? Concatenate(strings!)), null);
    }

    private static (long? Size, string? Error) BinarySize(JsonElement input, string name)
    {
        if (!input.TryGetProperty("parameters", out var parameters) || parameters.ValueKind != JsonValueKind.Object
            || !parameters.TryGetProperty(BinaryTensorData.SizeParameter, out var size))
        {
            return (null, null);
        }

        return size.ValueKind == JsonValueKind.Number && size.TryGetInt64(out var bytes) && bytes >= 0
            ? (bytes, null)
            : (null, $"input '{name}' parameters.{BinaryTensorData.SizeParameter} must be a number of bytes (0 or more)");
    }

    /// <summary>An input whose bytes follow the JSON header: its declared size must be what its shape and datatype take.</summary>
    private static (InferenceTensor? Tensor, string? Error) BinaryInputOf(
        JsonElement input, int index, string name, string datatype, long[] shape, long count, long size, List<BinaryInput>? binary)
    {
        if (binary is null)
        {
            return (null, $"input '{name}' has parameters.{BinaryTensorData.SizeParameter} but the request has no {BinaryTensorData.HeaderLength} header to say where its JSON ends");
        }

        if (input.TryGetProperty("data", out _))
        {
            return (null, $"input '{name}' has both 'data' and parameters.{BinaryTensorData.SizeParameter}");
        }

        var elementSize = OipDatatypes.SizeOf(datatype);
        if (elementSize > 0 && size != count * elementSize)
        {
            return (null, $"input '{name}' has {BinaryTensorData.SizeParameter} {size} but its shape [{TensorShape.Describe(shape)}] of {datatype} takes {count * elementSize} bytes ({count} × {elementSize})");
        }

        if (elementSize < 0 && size < count * 4)
        {
            return (null, $"input '{name}' has {BinaryTensorData.SizeParameter} {size} but its shape [{TensorShape.Describe(shape)}] of BYTES takes at least {count * 4} bytes (a 4-byte length per element)");
        }

        binary.Add(new BinaryInput(index, size, count));
        return (new InferenceTensor(name, datatype, shape), null);
    }

    private static string? Flatten(JsonElement element, string datatype, byte[]? bytes, List<byte[]>? strings, ref long written, long count, string name)
    {
        if (element.ValueKind == JsonValueKind.Array)
        {
            foreach (var item in element.EnumerateArray())
            {
                if (Flatten(item, datatype, bytes, strings, ref written, count, name) is { } error)
                {
                    return error;
                }
            }

            return null;
        }

        if (written >= count)
        {
            written++;
            return null;
        }

        var ok = datatype switch
        {
            "BYTES" => AddString(element, strings!),
            "BOOL" => WriteBool(element, bytes!, written),
            _ => WriteNumber(element, datatype, bytes!.AsSpan((int)(written * OipDatatypes.SizeOf(datatype)))),
        };
        if (!ok)
        {
            return $"input '{name}' element {written} ({Describe(element)}) is not a valid {datatype}";
        }

        written++;
        return null;
    }

    private static bool AddString(JsonElement element, List<byte[]> strings)
    {
        if (element.ValueKind != JsonValueKind.String)
        {
            return false;
        }

        strings.Add(Encoding.UTF8.GetBytes(element.GetString()!));
        return true;
    }

    private static bool WriteBool(JsonElement element, byte[] bytes, long at)
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.True:
                bytes[at] = 1;
                return true;
            case JsonValueKind.False:
                bytes[at] = 0;
                return true;
            default:
                return false;
        }
    }

    private static bool WriteNumber(JsonElement element, string datatype, Span<byte> target)
    {
        if (element.ValueKind != JsonValueKind.Number)
        {
            return false;
        }

        switch (datatype)
        {
            case "FP32":
                BinaryPrimitives.WriteSingleLittleEndian(target, (float)element.GetDouble());
                return true;
            case "FP64":
                BinaryPrimitives.WriteDoubleLittleEndian(target, element.GetDouble());
                return true;
            case "FP16":
                BinaryPrimitives.WriteHalfLittleEndian(target, (Half)element.GetDouble());
                return true;
            case "INT64":
                if (!element.TryGetInt64(out var i64))
                {
                    return false;
                }

                BinaryPrimitives.WriteInt64LittleEndian(target, i64);
                return true;
            case "UINT64":
                if (!element.TryGetUInt64(out var u64))
                {
                    return false;
                }

                BinaryPrimitives.WriteUInt64LittleEndian(target, u64);
                return true;
        }

        if (!element.TryGetInt64(out var value))
        {
            return false;
        }

        switch (datatype)
        {
            case "INT32" when value is >= int.MinValue and <= int.MaxValue:
                BinaryPrimitives.WriteInt32LittleEndian(target, (int)value);
                return true;
            case "UINT32" when value is >= 0 and <= uint.MaxValue:
                BinaryPrimitives.WriteUInt32LittleEndian(target, (uint)value);
                return true;
            case "INT16" when value is >= short.MinValue and <= short.MaxValue:
                BinaryPrimitives.WriteInt16LittleEndian(target, (short)value);
                return true;
            case "UINT16" when value is >= 0 and <= ushort.MaxValue:
                BinaryPrimitives.WriteUInt16LittleEndian(target, (ushort)value);
                return true;
            case "INT8" when value is >= sbyte.MinValue and <= sbyte.MaxValue:
                target[0] = (byte)(sbyte)value;
                return true;
            case "UINT8" when value is >= 0 and <= byte.MaxValue:
                target[0] = (byte)value;
                return true;
            default:
                return false;
        }
    }

    private static string Describe(JsonElement element)
    {
        var text = element.GetRawText();
        return text.Length > 40 ? text[..40] + "…" : text;
    }

    /// <summary>BYTES travel as OIP's binary form: each element a 4-byte little-endian length and its bytes.</summary>
    private static byte[] Concatenate(List<byte[]> strings)
    {
        var result = new byte[strings.Sum(s => 4 + s.Length)];
        var at = 0;
        foreach (var s in strings)
        {
            BinaryPrimitives.WriteInt32LittleEndian(result.AsSpan(at), s.Length);
            s.CopyTo(result, at + 4);
            at += 4 + s.Length;
        }

        return result;
    }
}
