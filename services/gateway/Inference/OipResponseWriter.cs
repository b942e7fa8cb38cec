using System.Buffers.Binary;
using System.Globalization;
using System.Text;
using System.Text.Json;
using Orbit.Contracts.Inference;
using Orbit.Hosting.Buffers;

namespace Orbit.Gateway.Inference;

/// <summary>
/// Writes an OIP v2 infer response straight to the response body, each output's bytes as a flat JSON array, or,
/// for outputs asked for as binary data, as the raw bytes that follow the JSON header (<see cref="BinaryTensorData"/>).
/// </summary>
internal static class OipResponseWriter
{
    public static async Task WriteAsync(HttpResponse response, string model, InferenceCompleted completed, string? id, BinaryOutputs? binaryOutputs = null)
    {
        if (binaryOutputs is not null && completed.Outputs.Any(o => IsBinary(o, binaryOutputs)))
        {
            await WriteBinaryAsync(response, model, completed, id, binaryOutputs);
            return;
        }

        response.ContentType = "application/json";
        await using var json = new Utf8JsonWriter(response.BodyWriter);
        Write(json, model, completed, id, null);
        await json.FlushAsync();
    }

    /// <summary>The JSON header (its length in <see cref="BinaryTensorData.HeaderLength"/>), then each binary output's bytes in output order.</summary>
    private static async Task WriteBinaryAsync(HttpResponse response, string model, InferenceCompleted completed, string? id, BinaryOutputs binaryOutputs)
    {
        using var header = new PooledBufferWriter(1024);
        using (var json = new Utf8JsonWriter(header))
        {
            Write(json, model, completed, id, binaryOutputs);
        }

        var binary = completed.Outputs.Where(o => IsBinary(o, binaryOutputs)).Select(o => o.RawData!).ToList();
        response.ContentType = BinaryTensorData.ContentType;
        response.Headers[BinaryTensorData.HeaderLength] = header.WrittenCount.ToString(CultureInfo.InvariantCulture);
        response.ContentLength = header.WrittenCount + binary.Sum(b => (long)b.Length);
        await response.BodyWriter.WriteAsync(header.WrittenMemory);
        foreach (var bytes in binary)
        {
            await response.BodyWriter.WriteAsync(bytes);
        }
    }

    // An output a worker sent as JSON (none do today) stays JSON: the extension lets each output choose.
    private static bool IsBinary(InferenceTensor output, BinaryOutputs binaryOutputs) => output.RawData is not null && binaryOutputs.IsBinary(output.Name);

    /// <summary>The same response as bytes, for answers that are stored or published rather than returned at once.</summary>
    public static byte[] ToBytes(string model, InferenceCompleted completed, string? id)
    {
        var buffer = new System.Buffers.ArrayBufferWriter<byte>();
        using (var json = new Utf8JsonWriter(buffer))
        {
            Write(json, model, completed, id, null);
        }

        return buffer.WrittenSpan.ToArray();
    }

    private static void Write(Utf8JsonWriter json, string model, InferenceCompleted completed, string? id, BinaryOutputs? binaryOutputs)
    {
        json.WriteStartObject();
        json.WriteString("model_name", model);
        json.WriteString("model_version", completed.ModelVersion.ToString(CultureInfo.InvariantCulture));
        if (id is not null)
        {
            json.WriteString("id", id);
        }

        json.WriteStartObject("parameters");
        json.WriteString("worker_id", completed.WorkerId);
        json.WriteNumber("batch_size", completed.BatchSize);
        json.WriteNumber("queue_ms", Math.Round(completed.QueueMilliseconds, 3));
        json.WriteNumber("compute_ms", Math.Round(completed.ComputeMilliseconds, 3));
        json.WriteEndObject();
        json.WriteStartArray("outputs");
        foreach (var output in completed.Outputs)
        {
            json.WriteStartObject();
            json.WriteString("name", output.Name);
            json.WriteString("datatype", output.Datatype);
            json.WriteStartArray("shape");
            foreach (var dim in output.Shape)
            {
                json.WriteNumberValue(dim);
            }

            json.WriteEndArray();
            if (binaryOutputs is not null && IsBinary(output, binaryOutputs))
            {
                json.WriteStartObject("parameters");
                json.WriteNumber(BinaryTensorData.SizeParameter, output.RawData!.Length);
                json.WriteEndObject();
                json.WriteEndObject();
                continue;
            }

            json.WritePropertyName("data");
            if (output.RawData is { } raw)
            {
                WriteData(json, output.Datatype, raw);
            }
            else if (output.Data is { } data)
            {
                data.WriteTo(json);
            }
            else
            {
                json.WriteStartArray();
                json.WriteEndArray();
            }

            json.WriteEndObject();
        }

        json.WriteEndArray();
        json.WriteEndObject();
    }

    private static void WriteData(Utf8JsonWriter json, string datatype, ReadOnlySpan<byte> raw)
    {
        json.WriteStartArray();
        switch (datatype)
        {
            case "FP32":
                for (var i = 0; i + 4 <= raw.Length; i += 4)
                {
                    WriteFloat(json, BinaryPrimitives.ReadSingleLittleEndian(raw[i..]));
                }

                break;
            case "FP64":
                for (var i = 0; i + 8 <= raw.Length; i += 8)
                {
                    WriteFloat(json, BinaryPrimitives.ReadDoubleLittleEndian(raw[i..]));
                }

                break;
            case "FP16":
                for (var i = 0; i + 2 <= raw.Length; i += 2)
                {
                    WriteFloat(json, (double)BinaryPrimitives.ReadHalfLittleEndian(raw[i..]));
                }

                break;
            case "INT64":
                for (var i = 0; i + 8 <= raw.Length; i += 8)
                {
                    json.WriteNumberValue(BinaryPrimitives.ReadInt64LittleEndian(raw[i..]));
                }

                break;
            case "UINT64":
                for (var i = 0; i + 8 <= raw.Length; i += 8)
                {
                    json.WriteNumberValue(BinaryPrimitives.ReadUInt64LittleEndian(raw[i..]));
                }

                break;
            case "INT32":
                for (var i = 0; i + 4 <= raw.Length; i += 4)
                {
                    json.WriteNumberValue(BinaryPrimitives.ReadInt32LittleEndian(raw[i..]));
                }

                break;
            case "UINT32":
                for (var i = 0; i + 4 <= raw.Length; i += 4)
                {
                    json.WriteNumberValue(BinaryPrimitives.ReadUInt32LittleEndian(raw[i..]));
                }

                break;
            case "INT16":
                for (var i = 0; i + 2 <= raw.Length; i += 2)
                {
                    json.WriteNumberValue(BinaryPrimitives.ReadInt16LittleEndian(raw[i..]));
                }

                break;
            case "UINT16":
                for (var i = 0; i + 2 <= raw.Length; i += 2)
                {
                    json.WriteNumberValue(BinaryPrimitives.ReadUInt16LittleEndian(raw[i..]));
                }

                break;
            case "INT8":
                foreach (var b in raw)
                {
                    json.WriteNumberValue((sbyte)b);
                }

                break;
            case "UINT8":
                foreach (var b in raw)
                {
                    json.WriteNumberValue(b);
                }

                break;
            case "BOOL":
                foreach (var b in raw)
                {
                    json.WriteBooleanValue(b != 0);
                }

                break;
            case "BYTES":
                for (var i = 0; i + 4 <= raw.Length;)
                {
                    var length = BinaryPrimitives.ReadInt32LittleEndian(raw[i..]);
                    json.WriteStringValue(Encoding.UTF8.GetString(raw.Slice(i + 4, length)));
                    i += 4 + length;
                }

                break;
        }

        json.WriteEndArray();
    }

    // JSON has no NaN or infinities: they are written as strings, as System.Text.Json's named literals do.
    private static void WriteFloat(Utf8JsonWriter json, double value)
    {
        if (double.IsFinite(value))
        {
            json.WriteNumberValue(value);
        }
        else
        {
            json.WriteStringValue(value.ToString(CultureInfo.InvariantCulture));
        }
    }

    private static void WriteFloat(Utf8JsonWriter json, float value)
    {
        if (float.IsFinite(value))
        {
            json.WriteNumberValue(value);
        }
        else
        {
            json.WriteStringValue(value.ToString(CultureInfo.InvariantCulture));
        }
    }
}
