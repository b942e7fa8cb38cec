using System.Text.Json;
using Orbit.Registry.Rollouts.Analysis;
using Orbit.Registry.Rollouts.Experiments;

namespace Orbit.Registry.Tests.Rollouts;

/// <summary>The A/B report's statistics against scipy (tools/experiment-vectors/make_vectors.py wrote experiment-vectors.json), and the report's shape.</summary>
public sealed class ExperimentStatisticsTests
{
    private static readonly JsonElement Vectors = JsonDocument.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Rollouts", "experiment-vectors.json"))).RootElement;

    public static TheoryData<string> MannWhitneyCases => Cases("mannWhitney");

    public static TheoryData<string> ProportionCases => Cases("proportions");

    [Theory]
    [MemberData(nameof(MannWhitneyCases))]
    public void The_two_sided_Mann_Whitney_p_value_matches_scipy(string name)
    {
        var v = Case("mannWhitney", name);

        var p = ExperimentStatistics.MannWhitneyP(Doubles(v, "arm"), Doubles(v, "control"));

        Assert.Equal(v.GetProperty("pValue").GetDouble(), p, 1e-9);
    }

    [Theory]
    [MemberData(nameof(ProportionCases))]
    public void The_Agresti_Caffo_interval_and_its_two_sided_p_value_match_scipy(string name)
    {
        var v = Case("proportions", name);

        var interval = ExperimentStatistics.Proportions(
            v.GetProperty("armEvents").GetInt64(), v.GetProperty("armTotal").GetInt64(),
            v.GetProperty("controlEvents").GetInt64(), v.GetProperty("controlTotal").GetInt64(), v.GetProperty("alpha").GetDouble());

        Assert.Equal(v.GetProperty("difference").GetDouble(), interval.Difference, 1e-9);
        Assert.Equal(v.GetProperty("low").GetDouble(), interval.Low, 1e-9);
        Assert.Equal(v.GetProperty("high").GetDouble(), interval.High, 1e-9);
        Assert.Equal(v.GetProperty("pValue").GetDouble(), interval.PValue, 1e-9);
        Assert.Equal(interval.PValue < v.GetProperty("alpha").GetDouble(), interval.Low > 0 || interval.High < 0);
    }

    [Fact]
    public void The_bootstrap_interval_on_the_p99_difference_is_reproducible_and_separates_a_slower_arm()
    {
        var control = Enumerable.Range(0, 500).Select(i => 5.0 * (0.7 + (0.6 * ((i * 7919) % 1000) / 1000.0))).ToArray();
        var slower = control.Select(x => x * 1.5).ToArray();
        var alike = control.Reverse().ToArray();

        var first = ExperimentStatistics.P99Difference(slower, control, 0.05);
        var again = ExperimentStatistics.P99Difference(slower, control, 0.05);
        var same = ExperimentStatistics.P99Difference(alike, control, 0.05);

        Assert.Equal(first, again);
        Assert.True(first.Low > 0 && first.Low <= first.Difference && first.Difference <= first.High, $"{first}");
        Assert.Equal(CanaryAnalysis.P99(slower) - CanaryAnalysis.P99(control), first.Difference, 1e-12);
        Assert.True(same.Low <= 0 && same.High >= 0, $"{same}");
    }

    [Fact]
    public void An_arm_reservoir_keeps_every_count_and_at_most_its_capacity_of_latencies()
    {
        var arm = ArmTally.Empty(2, 25);
        for (var i = 0; i < 30; i++)
        {
            arm = arm.Add(new ArmSample(2, 10, 1, Enumerable.Repeat((double)i, 9).ToArray(), Labelled: 4, Correct: 3), capacity: 100);
        }

        Assert.Equal((300L, 30L, 120L, 90L, 270L, 100), (arm.Requests, arm.Errors, arm.Labelled, arm.Correct, arm.LatencySeen, arm.Latencies.Count));
        Assert.Contains(arm.Latencies, l => l >= 20);
    }

    [Fact]
    public void Without_evidence_an_arm_s_comparisons_say_why_instead_of_inventing_numbers()
    {
        var comparisons = ExperimentReport.Compare(ArmTally.Empty(2, 50), ArmTally.Empty(1, 50), 0.05);

        Assert.Equal(["error_rate", "latency_p99_ms", "accuracy"], comparisons.Select(c => c.Metric));
        Assert.All(comparisons, c => Assert.True(c.PValue is null && c.Difference is null && !c.Significant && c.Note.Length > 0));
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
