using System.Buffers;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;
using Orbit.Contracts.Drift;

namespace Orbit.Hosting.Streams;

/// <summary>
/// A prediction log's row on the stream, written by hand: a value that is exactly a float32 (every value of an FP32
/// tensor, which is what models take) is written in float32's shortest form, <c>0.1</c> rather than the 17 digits of
/// the same value widened to double (<c>0.10000000149011612</c>). That is about half the bytes on the workers, which log
/// every request by default; read as float32 the value is exactly the one served. The text is the writer's own for a
/// float, formatted by <see cref="ShortestFloat"/> (2.7 times faster than .NET's formatting), and each array goes to
/// the writer as one raw value. Other values are written as doubles, and NaN and infinities as strings, as
/// <see cref="StreamJson"/> does.
/// Reading is the serializer's own.
/// </summary>
internal sealed class LoggedRowJson : JsonConverter<LoggedRow>
{
    /// <summary>A comma and the longest element: a double such as <c>-2.2250738585072014E-308</c>.</summary>
    private const int MaxElementLength = 25;

    private const int StackLength = 1024;

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

    /// <summary>
    /// The array as one raw value, written as the writer would write each element (the same bytes, which the tests
    /// check): the writer's bookkeeping per value (separator, depth, buffer) costs as much as formatting it.
    /// </summary>
    private static void WriteNumbers(Utf8JsonWriter writer, IReadOnlyList<double> values)
    {
        var length = 2 + (values.Count * MaxElementLength);
        byte[]? rented = null;
        var text = length <= StackLength ? stackalloc byte[StackLength] : (rented = ArrayPool<byte>.Shared.Rent(length));
        var at = 0;
        text[at++] = (byte)'[';
        for (var i = 0; i < values.Count; i++)
        {
            if (i > 0)
            {
                text[at++] = (byte)',';
            }

            var value = values[i];
            if (!double.IsFinite(value))
            {
                var name = double.IsNaN(value) ? "\"NaN\""u8 : value > 0 ? "\"Infinity\""u8 : "\"-Infinity\""u8;
                name.CopyTo(text[at..]);
                at += name.Length;
            }
            else if ((double)(float)value == value)
            {
                at += ShortestFloat.Format((float)value, text[at..]);
            }
            else
            {
                value.TryFormat(text[at..], out var written, default, CultureInfo.InvariantCulture);
                at += written;
            }
        }

        text[at++] = (byte)']';
        writer.WriteRawValue(text[..at], skipInputValidation: true);
        if (rented is not null)
        {
            ArrayPool<byte>.Shared.Return(rented);
        }
    }

    /// <summary>The row as the serializer reads it (required fields, numbers from strings), without this converter.</summary>
    private sealed record Shape(IReadOnlyList<double> Features, IReadOnlyList<double> Prediction, string? Label = null);
}
