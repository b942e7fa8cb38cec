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

    [Fact]
    public void Float32_values_are_written_byte_for_byte_as_the_json_writer_writes_them()
    {
        var random = new Random(5);
        var served = Enumerable.Range(0, 20_000).Select(i => i % 2 == 0 ? (float)random.NextDouble() * 100 - 50 : BitConverter.Int32BitsToSingle(random.Next())).Where(float.IsFinite).ToArray();
        var row = new LoggedRow([.. served.Select(f => (double)f)], [], null);

        var json = JsonSerializer.SerializeToUtf8Bytes(row, StreamJson.Options);

        var expected = new ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(expected))
        {
            writer.WriteStartArray();
            foreach (var value in served)
            {
                writer.WriteNumberValue(value);
            }

            writer.WriteEndArray();
        }

        Assert.Equal("""{"features":""" + Encoding.UTF8.GetString(expected.WrittenSpan) + ""","prediction":[],"label":null}""", Encoding.UTF8.GetString(json));
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
