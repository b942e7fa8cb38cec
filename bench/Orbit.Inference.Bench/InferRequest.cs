using System.Buffers.Binary;
using System.Net.Http.Headers;
using System.Text.Json;

namespace Orbit.Inference.Bench;

/// <summary>The OIP v2 request body the bench sends, built once per model, and a reader for the first output of an answer.</summary>
internal static class InferRequest
{
    public static byte[] Body(BenchModel model)
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteStartArray("inputs");
            json.WriteStartObject();
            json.WriteString("name", model.InputName);
            json.WriteString("datatype", "FP32");
            json.WriteStartArray("shape");
            foreach (var dim in model.InputShape)
            {
                json.WriteNumberValue(dim);
            }
            json.WriteEndArray();
            json.WriteStartArray("data");
            for (var i = 0; i < model.InputCount; i++)
            {
                json.WriteNumberValue(Value(i));
            }
            json.WriteEndArray();
            json.WriteEndObject();
            json.WriteEndArray();
            json.WriteEndObject();
        }
        return buffer.ToArray();
    }

    /// <summary>The request's i-th input element (the same over REST and gRPC).</summary>
    public static float Value(int i) => (i % 17 - 8) * 0.125f;

    /// <summary>
    /// The same request under the OIP binary tensor data extension: a JSON header, then the input's FP32 values as
    /// raw little-endian bytes. Outputs are still asked for as JSON, so both sides' answers read alike.
    /// </summary>
    public static (byte[] Body, int HeaderLength) BinaryBody(BenchModel model)
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteStartArray("inputs");
            json.WriteStartObject();
            json.WriteString("name", model.InputName);
            json.WriteString("datatype", "FP32");
            json.WriteStartArray("shape");
            foreach (var dim in model.InputShape)
            {
                json.WriteNumberValue(dim);
            }
            json.WriteEndArray();
            json.WriteStartObject("parameters");
            json.WriteNumber("binary_data_size", model.InputCount * 4);
            json.WriteEndObject();
            json.WriteEndObject();
            json.WriteEndArray();
            json.WriteEndObject();
        }
        var headerLength = (int)buffer.Length;
        var value = new byte[4];
        for (var i = 0; i < model.InputCount; i++)
        {
            BinaryPrimitives.WriteSingleLittleEndian(value, Value(i));
            buffer.Write(value);
        }
        return (buffer.ToArray(), headerLength);
    }

    /// <summary>A POST of the body: JSON, or binary tensor data when <paramref name="headerLength"/> is given.</summary>
    public static HttpRequestMessage Message(string path, byte[] body, int? headerLength)
    {
        var content = new ByteArrayContent(body);
        content.Headers.ContentType = new MediaTypeHeaderValue(headerLength is null ? "application/json" : "application/octet-stream");
        var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = content };
        if (headerLength is { } length)
        {
            request.Headers.Add("Inference-Header-Content-Length", length.ToString(System.Globalization.CultureInfo.InvariantCulture));
        }
        return request;
    }

    public static float[] FirstOutput(string responseBody)
    {
        using var document = JsonDocument.Parse(responseBody);
        var output = document.RootElement.GetProperty("outputs")[0];
        return output.GetProperty("data").EnumerateArray().Select(e => e.GetSingle()).ToArray();
    }
}
