using System.Buffers;
using System.Text;
using System.Text.Json;
using Orbit.Contracts.Drift;
using Orbit.Hosting.Streams;

namespace Orbit.Hosting.Tests.Streams;

/// <summary>A prediction log row's values on the stream: float32 values in float32's shortest form, others as doubles.</summary>
public sealed class LoggedRowJsonTests
{
    [Fact]
    public void Float32_values_are_written_in_their_shortest_form_and_read_back_as_the_same_float32()
    {
        var served = new[] { 0.1f, -2.75f, 1e-7f, 3.4028235e38f, 0f };
        var row = new LoggedRow([.. served.Select(f => (double)f)], [0.3f], "yes");

        var json = JsonSerializer.Serialize(row, StreamJson.Options);

        Assert.Equal("""{"features":[0.1,-2.75,1E-07,3.4028235E+38,0],"prediction":[0.3],"label":"yes"}""", json);
        var back = JsonSerializer.Deserialize<LoggedRow>(json, StreamJson.Options)!;
        Assert.Equal(served, back.Features.Select(d => (float)d));
        Assert.Equal("yes", back.Label);
    }

    [Theory]
    [InlineData(30)]
    [InlineData(20_000)]
    public void Rows_are_written_byte_for_byte_as_the_json_writer_writes_each_value(int count)
    {
        var random = new Random(count);
        var values = Enumerable.Range(0, count).Select(i => (i % 4) switch
        {
            0 => (float)random.NextDouble() * 100 - 50,
            1 => BitConverter.Int32BitsToSingle(random.Next() | (random.Next(2) << 31)),
            2 => random.NextDouble() * Math.Pow(10, random.Next(-300, 300)),
            _ => i % 32 == 3 ? double.NaN : i % 32 == 7 ? double.NegativeInfinity : i % 32 == 11 ? double.PositiveInfinity : BitConverter.Int64BitsToDouble(random.NextInt64()),
        }).ToArray();
        var row = new LoggedRow(values, [1.5f, 0.1], "x");

        var json = JsonSerializer.SerializeToUtf8Bytes(row, StreamJson.Options);

        var expected = new ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(expected))
        {
            writer.WriteStartObject();
            writer.WritePropertyName("features");
            WriteEachValue(writer, values);
            writer.WritePropertyName("prediction");
            WriteEachValue(writer, [1.5f, 0.1]);
            writer.WriteString("label", "x");
            writer.WriteEndObject();
        }

        Assert.Equal(Encoding.UTF8.GetString(expected.WrittenSpan), Encoding.UTF8.GetString(json));
        var back = JsonSerializer.Deserialize<LoggedRow>(json, StreamJson.Options)!;
        Assert.Equal(values.Select(v => (double)(float)v == v ? (float)v : v), back.Features.Select((v, i) => (double)(float)values[i] == values[i] ? (float)v : v));
    }

    /// <summary>The writer's own element by element: float32 values as floats, other values as doubles, NaN and infinities as strings.</summary>
    private static void WriteEachValue(Utf8JsonWriter writer, IReadOnlyList<double> values)
    {
        writer.WriteStartArray();
        foreach (var value in values)
        {
            if (!double.IsFinite(value))
            {
                writer.WriteStringValue(double.IsNaN(value) ? "NaN" : value > 0 ? "Infinity" : "-Infinity");
            }
            else if ((double)(float)value == value)
            {
                writer.WriteNumberValue((float)value);
            }
            else
            {
                writer.WriteNumberValue(value);
            }
        }

        writer.WriteEndArray();
    }

    [Fact]
    public void Values_a_float32_cannot_hold_are_written_as_doubles_and_nan_and_infinities_as_strings()
    {
        var row = new LoggedRow([0.1, 1e300, double.NaN, double.PositiveInfinity, double.NegativeInfinity], [], null);

        var json = JsonSerializer.Serialize(row, StreamJson.Options);

        Assert.Equal("""{"features":[0.1,1E+300,"NaN","Infinity","-Infinity"],"prediction":[],"label":null}""", json);
        var back = JsonSerializer.Deserialize<LoggedRow>(json, StreamJson.Options)!;
        Assert.Equal(0.1, back.Features[0]);
        Assert.Equal(1e300, back.Features[1]);
        Assert.True(double.IsNaN(back.Features[2]));
        Assert.Equal([double.PositiveInfinity, double.NegativeInfinity], back.Features.Skip(3));
        Assert.Null(back.Label);
    }

    [Fact]
    public void A_row_without_its_features_does_not_read()
    {
        Assert.Throws<JsonException>(() => JsonSerializer.Deserialize<LoggedRow>("""{"prediction":[1]}""", StreamJson.Options));
    }
}
