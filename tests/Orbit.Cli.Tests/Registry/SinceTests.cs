using Orbit.Cli.Registry;

namespace Orbit.Cli.Tests.Registry;

public sealed class SinceTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 22, 12, 0, 0, TimeSpan.Zero);

    [Theory]
    [InlineData("90s", "2026-11-22T11:58:30+00:00")]
    [InlineData("30m", "2026-11-22T11:30:00+00:00")]
    [InlineData("1h", "2026-11-22T11:00:00+00:00")]
    [InlineData("7d", "2026-11-15T12:00:00+00:00")]
    [InlineData("2026-11-01T08:00:00Z", "2026-11-01T08:00:00+00:00")]
    [InlineData("2026-11-01", "2026-11-01T00:00:00+00:00")]
    public void A_duration_counts_back_from_now_and_a_time_is_taken_as_given(string text, string expected)
    {
        var (at, error) = Since.Parse(text, Now);

        Assert.Null(error);
        Assert.Equal(DateTimeOffset.Parse(expected, System.Globalization.CultureInfo.InvariantCulture), at);
    }

    [Fact]
    public void Anything_else_is_an_error_that_shows_both_forms()
    {
        var (at, error) = Since.Parse("yesterday", Now);

        Assert.Null(at);
        Assert.Contains("30m", error);
        Assert.Contains("ISO 8601", error);
    }
}
