using System.Text.Json;
using Orbit.Retrainer.Registration;

namespace Orbit.Retrainer.Tests.Registration;

/// <summary>Against tools/retrainer-vectors/baseline.json (numpy.quantile type 7, numpy.unique, numpy.searchsorted side='right').</summary>
public sealed class BaselineBuilderTests
{
    public static TheoryData<string> Cases() => [.. Load().Select(c => c.GetProperty("name").GetString()!)];

    [Theory]
    [MemberData(nameof(Cases))]
    public void Decile_edges_and_counts_match_numpy(string name)
    {
        var vector = Load().Single(c => c.GetProperty("name").GetString() == name);
        var values = vector.GetProperty("values").EnumerateArray().Select(e => e.GetDouble()).ToArray();

        var baseline = BaselineBuilder.Numeric(values);

        var edges = vector.GetProperty("binEdges").EnumerateArray().Select(e => e.GetDouble()).ToArray();
        Assert.Equal(edges.Length, baseline.BinEdges.Count);
        for (var i = 0; i < edges.Length; i++)
        {
            Assert.Equal(edges[i], baseline.BinEdges[i], 1e-12);
        }

        Assert.Equal(vector.GetProperty("counts").EnumerateArray().Select(e => e.GetDouble()), baseline.Counts);
    }

    [Fact]
    public void Edges_increase_strictly_and_missing_values_are_left_out()
    {
        var baseline = BaselineBuilder.Numeric([1, 1, 1, 1, 2, double.NaN, 2, 3]);

        Assert.True(baseline.BinEdges.Zip(baseline.BinEdges.Skip(1)).All(p => p.First < p.Second));
        Assert.Equal(7, baseline.Counts.Sum());
        Assert.Equal(baseline.BinEdges.Count + 1, baseline.Counts.Count);
    }

    private static JsonElement[] Load() =>
        [.. JsonDocument.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Registration", "baseline.json"))).RootElement.EnumerateArray()];
}
