using Orbit.Drift.Binning;

namespace Orbit.Drift.Tests.Binning;

public sealed class QuantileAndBinTests
{
    [Fact]
    public void Deciles_are_numpy_linear_quantiles_bit_for_bit()
    {
        foreach (var node in Vectors.Section("quantiles"))
        {
            var values = Vectors.Doubles(node!["values"]);
            Array.Sort(values);
            var expected = Vectors.Doubles(node["deciles"]);
            Assert.Equal(expected, BinEdges.Deciles(values));
        }
    }

    [Theory]
    [MemberData(nameof(NumericCases))]
    public void Bin_counts_follow_searchsorted_right_with_repeated_edges(string name)
    {
        var vector = Vectors.Case("numeric", name);
        var baseline = Vectors.Doubles(vector["baseline"]);
        Array.Sort(baseline);
        var edges = BinEdges.Deciles(baseline);
        Assert.Equal(Vectors.Doubles(vector["edges"]), edges);
        Assert.Equal(Vectors.Doubles(vector["baseline_counts"]), BinEdges.Count(edges, baseline).Select(c => (double)c));
        Assert.Equal(Vectors.Doubles(vector["live_counts"]), BinEdges.Count(edges, Vectors.Doubles(vector["live"])).Select(c => (double)c));
    }

    [Fact]
    public void A_value_equal_to_repeated_edges_falls_after_all_of_them()
    {
        double[] edges = [1, 2, 2, 2, 3];
        Assert.Equal(0, BinEdges.IndexOf(edges, 0.5));
        Assert.Equal(1, BinEdges.IndexOf(edges, 1));
        Assert.Equal(4, BinEdges.IndexOf(edges, 2));
        Assert.Equal(5, BinEdges.IndexOf(edges, 3));
        Assert.Equal(5, BinEdges.IndexOf(edges, 1e300));
    }

    [Fact]
    public void Edges_must_be_finite_and_ascending()
    {
        Assert.True(BinEdges.AreValid([1, 1, 2]));
        Assert.False(BinEdges.AreValid([2, 1]));
        Assert.False(BinEdges.AreValid([1, double.NaN]));
    }

    public static IEnumerable<object[]> NumericCases() => Vectors.Names("numeric");
}
