using System.Text.Json;
using Orbit.Retrainer.Gate;

namespace Orbit.Retrainer.Tests.Gate;

/// <summary>Against tools/retrainer-vectors/metrics.json, computed with numpy (AUC by the trapezoid rule, as sklearn does).</summary>
public sealed class ModelMetricsTests
{
    public static TheoryData<string> Cases() => [.. Load().Select(c => c.GetProperty("name").GetString()!)];

    [Theory]
    [MemberData(nameof(Cases))]
    public void Metrics_match_the_numpy_reference(string name)
    {
        var vector = Load().Single(c => c.GetProperty("name").GetString() == name);
        var labels = vector.GetProperty("labels").EnumerateArray().Select(e => e.GetDouble()).ToArray();
        var predictions = vector.GetProperty("predictions").EnumerateArray().Select(e => e.GetDouble()).ToArray();

        var metrics = vector.GetProperty("kind").GetString() == "classification"
            ? ModelMetrics.Classification(labels, predictions)
            : ModelMetrics.Regression(labels, predictions);

        Assert.NotEmpty(metrics);
        foreach (var (metric, value) in metrics)
        {
            Assert.Equal(vector.GetProperty(metric).GetDouble(), value, 1e-12);
        }
    }

    [Fact]
    public void AUC_of_a_single_class_is_not_a_number()
    {
        Assert.True(double.IsNaN(ModelMetrics.RocAuc([1, 1, 1], [0.2, 0.5, 0.9])));
    }

    [Fact]
    public void Metrics_refuse_mismatched_lengths()
    {
        Assert.Throws<ArgumentException>(() => ModelMetrics.RmseOf([1, 2], [1]));
    }

    private static JsonElement[] Load() =>
        [.. JsonDocument.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Gate", "metrics.json"))).RootElement.EnumerateArray()];
}
