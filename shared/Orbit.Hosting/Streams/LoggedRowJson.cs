using System.Text.Json;
using System.Text.Json.Serialization;
using Orbit.Contracts.Drift;

namespace Orbit.Hosting.Streams;

/// <summary>
/// A prediction log's row on the stream, written by hand: a value that is exactly a float32 (every value of an FP32
/// tensor, which is what models take) is written in float32's shortest form, <c>0.1</c> rather than the 17 digits of
/// the same value widened to double (<c>0.10000000149011612</c>). That is about half the bytes on the workers, which log
/// every request by default; read as float32 the value is exactly the one served. The text is the writer's own for a
/// float, formatted by <see cref="ShortestFloat"/>, several times faster than the writer formats it. Other values are
/// written as doubles, and NaN and infinities as strings, as <see cref="StreamJson"/> does.
/// Reading is the serializer's own.
/// </summary>
internal sealed class LoggedRowJson : JsonConverter<LoggedRow>
{
    public override LoggedRow? Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
        JsonSerializer.Deserialize<Shape>(ref reader, options) is { } shape ? new LoggedRow(shape.Features, shape.Prediction, shape.Label) : null;

    public override void Write(Utf8JsonWriter writer, LoggedRow value, JsonSerializerOptions options)
    {
        writer.WriteStartObject();
        writer.WritePropertyName("features");
        WriteNumbers(writer, value.Features);
        writer.WritePropertyName("prediction");
        WriteNumbers(writer, value.Prediction);
        writer.WriteString("label", value.Label);
        writer.WriteEndObject();
    }

    private static void WriteNumbers(Utf8JsonWriter writer, IReadOnlyList<double> values)
    {
        Span<byte> text = stackalloc byte[ShortestFloat.MaxLength];
        writer.WriteStartArray();
        for (var i = 0; i < values.Count; i++)
        {
            var value = values[i];
            if (!double.IsFinite(value))
            {
                writer.WriteStringValue(double.IsNaN(value) ? "NaN" : value > 0 ? "Infinity" : "-Infinity");
            }
            else if ((double)(float)value == value)
            {
                // The writer's own text for the value, formatted several times faster (a JSON number by construction).
                writer.WriteRawValue(text[..ShortestFloat.Format((float)value, text)], skipInputValidation: true);
            }
            else
            {
                writer.WriteNumberValue(value);
            }
        }

        writer.WriteEndArray();
    }

    /// <summary>The row as the serializer reads it (required fields, numbers from strings), without this converter.</summary>
    private sealed record Shape(IReadOnlyList<double> Features, IReadOnlyList<double> Prediction, string? Label = null);
}
