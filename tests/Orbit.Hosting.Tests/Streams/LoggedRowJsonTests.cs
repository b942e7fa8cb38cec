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
