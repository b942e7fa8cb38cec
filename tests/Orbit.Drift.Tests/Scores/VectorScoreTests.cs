using Orbit.Drift.Comparison;
using Orbit.Drift.Scores;

namespace Orbit.Drift.Tests.Scores;

/// <summary>Every statistic against numpy/scipy's values from tools/drift-vectors/make_vectors.py.</summary>
public sealed class VectorScoreTests
{
    [Theory]
    [MemberData(nameof(NumericCases))]
    public void Numeric_scores_match_scipy(string name)
    {
        var vector = Vectors.Case("numeric", name);
        var expected = vector["expected"]!;
        var scores = SampleComparison.Numeric(Vectors.Doubles(vector["baseline"]), Vectors.Doubles(vector["live"]));

        Assert.Equal("numeric", scores.Kind);
        Vectors.Near(expected["psi"], scores.Psi, "psi");
        Vectors.Near(expected["kl"], scores.Kl, "kl");
        Vectors.Near(expected["js"], scores.Js, "js");
        Vectors.Near(expected["ks"], scores.Ks, "ks");
        Vectors.Near(expected["ks_raw"], scores.KsRaw, "ks_raw");
        Vectors.Near(expected["ks_pvalue"], scores.KsPValue, "ks_pvalue");
        Vectors.Near(expected["wasserstein"], scores.Wasserstein, "wasserstein");
        Vectors.Near(expected["wasserstein_binned"], scores.WassersteinBinned, "wasserstein_binned");
    }

    [Theory]
    [MemberData(nameof(CategoricalCases))]
    public void Categorical_scores_match_scipy(string name)
    {
        var vector = Vectors.Case("categorical", name);
        var expected = vector["expected"]!;
        var scores = SampleComparison.Categorical(Vectors.Strings(vector["baseline"]), Vectors.Strings(vector["live"]));

        Assert.Equal("categorical", scores.Kind);
        Vectors.Near(expected["psi"], scores.Psi, "psi");
        Vectors.Near(expected["kl"], scores.Kl, "kl");
        Vectors.Near(expected["js"], scores.Js, "js");
        Vectors.Near(expected["ks"], scores.Ks, "ks");
        Vectors.Near(expected["chi2"], scores.ChiSquared, "chi2");
        Vectors.Near(expected["chi2_pvalue"], scores.ChiSquaredPValue, "chi2_pvalue");
    }

    [Fact]
    public void Large_samples_use_the_asymptotic_p_value_and_smaller_ones_the_exact()
    {
        var large = Vectors.Case("numeric", "large_asymptotic");
        Assert.Equal("asymptotic", (string)large["expected"]!["ks_method"]!);
        var limit = Vectors.Case("numeric", "exact_at_the_limit");
        Assert.Equal("exact", (string)limit["expected"]!["ks_method"]!);

        var a = Vectors.Doubles(large["live"]);
        var b = Vectors.Doubles(large["baseline"]);
        Array.Sort(a);
        Array.Sort(b);
        Assert.False(KolmogorovSmirnov.TwoSample(a, b).Exact);
        Assert.True(KolmogorovSmirnov.TwoSample(a.AsSpan(0, 5000), b.AsSpan(0, 10000)).Exact);
    }

    [Fact]
    public void Kolmogorov_survival_matches_scipy_special_kolmogorov()
    {
        foreach (var node in Vectors.Section("kolmogorov"))
        {
            var x = (double)node!["x"]!;
            Vectors.Near(node["survival"], Kolmogorov.Survival(x), $"Q({x})");
        }
    }

    [Fact]
    public void Chi_squared_upper_tail_matches_scipy()
    {
        foreach (var node in Vectors.Section("chi2_tail"))
        {
            var x = (double)node!["x"]!;
            var dof = (int)node["dof"]!;
            Vectors.Near(node["p"], ChiSquared.UpperTail(x, dof), $"chi2.sf({x}, {dof})");
        }
    }

    public static IEnumerable<object[]> NumericCases() => Vectors.Names("numeric");

    public static IEnumerable<object[]> CategoricalCases() => Vectors.Names("categorical");
}
