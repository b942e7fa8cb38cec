using System.Globalization;
using System.Runtime.InteropServices;
using System.Text.Json;
using Orbit.Onnx.Sessions;
using Orbit.Onnx.Tensors;

namespace Orbit.Inference.Baseline;

/// <summary>
/// OIP v2 infer for FP32 tensors: parse the JSON body (or, under the binary tensor data extension, the JSON header and
/// the raw bytes after it), run the session, write the outputs as flat JSON arrays.
/// </summary>
internal static class InferEndpoint
{
    public static async Task InferAsync(string model, HttpContext context, ServedModels models)
    {
        if (models.Find(model) is not { } session)
        {
            await ErrorAsync(context, StatusCodes.Status404NotFound, $"model '{model}' is not served");
            return;
        }

        // The OIP binary tensor data extension: the JSON header's length is given, FP32 inputs' bytes follow it.
        var headerLength = context.Request.Headers["Inference-Header-Content-Length"].ToString();
        JsonDocument document;
        try
        {
            document = headerLength.Length == 0
                ? await JsonDocument.ParseAsync(context.Request.Body, cancellationToken: context.RequestAborted)
                : JsonDocument.Parse(await ReadExactlyAsync(context.Request.Body, int.Parse(headerLength, CultureInfo.InvariantCulture), context.RequestAborted));
        }
        catch (JsonException ex)
        {
            await ErrorAsync(context, StatusCodes.Status400BadRequest, "the body is not valid JSON: " + ex.Message);
            return;
        }

        using var _ = document;
        var (inputs, error) = await ReadInputsAsync(document.RootElement, session, context.Request.Body, context.RequestAborted);
        if (error is not null)
        {
            await ErrorAsync(context, StatusCodes.Status400BadRequest, error);
            return;
        }

        try
        {
            using var result = session.Run(inputs);
            await WriteAsync(context.Response, model, session, result);
        }
        finally
        {
            foreach (var input in inputs)
            {
                input.Dispose();
            }
        }
    }

    private static async Task<byte[]> ReadExactlyAsync(Stream body, int length, CancellationToken cancellationToken)
    {
        var bytes = new byte[length];
        await body.ReadExactlyAsync(bytes, cancellationToken);
        return bytes;
    }

    private static async Task<(OnnxTensor[] Inputs, string? Error)> ReadInputsAsync(JsonElement root, OnnxSession session, Stream body, CancellationToken cancellationToken)
    {
        if (!root.TryGetProperty("inputs", out var inputs) || inputs.ValueKind != JsonValueKind.Array || inputs.GetArrayLength() != session.Inputs.Count)
        {
            return ([], $"'inputs' must be an array of {session.Inputs.Count} tensors");
        }

        // In the session's input order, so Run can take them positionally.
        var tensors = new OnnxTensor[session.Inputs.Count];
        foreach (var input in inputs.EnumerateArray())
        {
            var name = input.GetProperty("name").GetString();
            var index = IndexOf(session, name);
            if (index < 0 || input.GetProperty("datatype").GetString() != "FP32")
            {
                return ([], $"input '{name}' is not an FP32 input of the model");
            }

            var shape = input.GetProperty("shape").EnumerateArray().Select(d => d.GetInt64()).ToArray();
            float[] values;
            if (input.TryGetProperty("parameters", out var parameters) && parameters.TryGetProperty("binary_data_size", out var size))
            {
                var bytes = await ReadExactlyAsync(body, size.GetInt32(), cancellationToken);
                values = MemoryMarshal.Cast<byte, float>(bytes).ToArray();
            }
            else
            {
                var data = input.GetProperty("data");
                values = new float[data.GetArrayLength()];
                var i = 0;
                foreach (var value in data.EnumerateArray())
                {
                    values[i++] = value.GetSingle();
                }
            }

            if (values.Length != shape.Aggregate(1L, (a, b) => a * b))
            {
                return ([], $"input '{name}' has {values.Length} values for shape [{string.Join(",", shape)}]");
            }

            tensors[index] = OnnxTensor.FromArray(values, shape);
        }
        return (tensors, null);
    }

    private static int IndexOf(OnnxSession session, string? name)
    {
        for (var i = 0; i < session.Inputs.Count; i++)
        {
            if (session.Inputs[i].Name == name)
            {
                return i;
            }
        }
        return -1;
    }

    private static async Task WriteAsync(HttpResponse response, string model, OnnxSession session, RunResult result)
    {
        response.ContentType = "application/json";
        await using var json = new Utf8JsonWriter(response.BodyWriter);
        json.WriteStartObject();
        json.WriteString("model_name", model);
        json.WriteString("model_version", "1");
        json.WriteStartArray("outputs");
        for (var o = 0; o < result.Count; o++)
        {
            var output = result[o];
            json.WriteStartObject();
            json.WriteString("name", session.Outputs[o].Name);
            json.WriteString("datatype", "FP32");
            json.WriteStartArray("shape");
            foreach (var dim in output.Shape)
            {
                json.WriteNumberValue(dim);
            }
            json.WriteEndArray();
            json.WriteStartArray("data");
            foreach (var value in output.AsSpan<float>())
            {
                json.WriteNumberValue(value);
            }
            json.WriteEndArray();
            json.WriteEndObject();
        }
        json.WriteEndArray();
        json.WriteEndObject();
        await json.FlushAsync();
    }

    private static async Task ErrorAsync(HttpContext context, int status, string message)
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = "application/json";
        await using var json = new Utf8JsonWriter(context.Response.BodyWriter);
        json.WriteStartObject();
        json.WriteString("error", message);
        json.WriteEndObject();
        await json.FlushAsync();
    }
}
