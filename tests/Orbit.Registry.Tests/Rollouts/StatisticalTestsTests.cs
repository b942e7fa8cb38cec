using System.Text.Json;
using Orbit.Registry.Rollouts.Analysis;

namespace Orbit.Registry.Tests.Rollouts;

/// <summary>Against scipy: tools/rollout-vectors/make_vectors.py wrote rollout-vectors.json.</summary>
public sealed class StatisticalTestsTests
{
    private static readonly JsonElement Vectors = JsonDocument.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Rollouts", "rollout-vectors.json"))).RootElement;

    public static TheoryData<string> MannWhitneyCases => Cases("mannWhitney");

    public static TheoryData<string> ProportionCases => Cases("proportions");

    [Theory]
    [MemberData(nameof(MannWhitneyCases))]
    public void Mann_Whitney_U_and_its_one_sided_p_values_match_scipy(string name)
    {
        var v = Case("mannWhitney", name);

        var result = StatisticalTests.MannWhitney(Doubles(v, "candidate"), Doubles(v, "stable"), v.GetProperty("margin").GetDouble());

        Assert.Equal(v.GetProperty("u").GetDouble(), result.Difference, 1e-9);
        Assert.Equal(v.GetProperty("pLess").GetDouble(), result.PNonInferior, 1e-9);
        Assert.Equal(v.GetProperty("pGreater").GetDouble(), result.PHarm, 1e-9);
    }

    [Theory]
    [MemberData(nameof(ProportionCases))]
    public void The_Agresti_Caffo_proportion_test_matches_scipy(string name)
    {
        var v = Case("proportions", name);

        var result = StatisticalTests.Proportions(
            v.GetProperty("candidateEvents").GetInt64(), v.GetProperty("candidateTotal").GetInt64(),
            v.GetProperty("stableEvents").GetInt64(), v.GetProperty("stableTotal").GetInt64(), v.GetProperty("margin").GetDouble());

        Assert.Equal(v.GetProperty("difference").GetDouble(), result.Difference, 1e-9);
        Assert.Equal(v.GetProperty("pNonInferior").GetDouble(), result.PNonInferior, 1e-9);
        Assert.Equal(v.GetProperty("pHarm").GetDouble(), result.PHarm, 1e-9);
    }

    private static TheoryData<string> Cases(string kind)
    {
        var data = new TheoryData<string>();
        foreach (var item in Vectors.GetProperty(kind).EnumerateArray())
        {
            data.Add(item.GetProperty("case").GetString()!);
        }

        return data;
    }

    private static JsonElement Case(string kind, string name) =>
        Vectors.GetProperty(kind).EnumerateArray().Single(e => e.GetProperty("case").GetString() == name);

    private static double[] Doubles(JsonElement element, string property) =>
        element.GetProperty(property).EnumerateArray().Select(e => e.GetDouble()).ToArray();
}
