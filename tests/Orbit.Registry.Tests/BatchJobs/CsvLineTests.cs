using Orbit.Registry.BatchJobs;

namespace Orbit.Registry.Tests.BatchJobs;

public sealed class CsvLineTests
{
    [Theory]
    [InlineData("a,b,c", new[] { "a", "b", "c" })]
    [InlineData("\"x, y\",2,", new[] { "x, y", "2", "" })]
    [InlineData("\"say \"\"hi\"\"\",1", new[] { "say \"hi\"", "1" })]
    [InlineData("", new[] { "" })]
    public void Fields_are_split_with_quotes_and_doubled_quotes(string line, string[] expected)
    {
        var fields = new List<string>();
        Assert.True(CsvLine.TrySplit(line, fields));
        Assert.Equal(expected, fields);
    }

    [Fact]
    public void A_quote_not_closed_on_its_line_is_refused() => Assert.False(CsvLine.TrySplit("1,\"open", []));

    [Theory]
    [InlineData("plain", "plain")]
    [InlineData("a,b", "\"a,b\"")]
    [InlineData("q\"x", "\"q\"\"x\"")]
    [InlineData(null, "")]
    public void Values_are_quoted_only_when_they_need_it(string? value, string expected) => Assert.Equal(expected, CsvLine.Quote(value));
}
