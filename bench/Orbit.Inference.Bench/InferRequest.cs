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

    public static float[] FirstOutput(string responseBody)
    {
        using var document = JsonDocument.Parse(responseBody);
        var output = document.RootElement.GetProperty("outputs")[0];
        return output.GetProperty("data").EnumerateArray().Select(e => e.GetSingle()).ToArray();
    }
}
