using Orbit.InferenceWorker.Statistics;
using static Orbit.InferenceWorker.Tests.Statistics.StatisticsTestData;

namespace Orbit.InferenceWorker.Tests.Statistics;

public sealed class VersionProfileBuilderTests
{
    private const string Baseline = """
        "baseline": {
          "features": {
            "age": { "binEdges": [18, 30, 50], "counts": [1, 2, 3, 4] },
            "plan": { "frequencies": { "basic": 0.6, "pro": 0.4 } }
          },
          "predictions": { "frequencies": { "stay": 0.8, "leave": 0.2 } }
        }
        """;

    [Fact]
    public void Features_are_columns_of_the_only_2D_input_by_their_position_among_the_role_feature_entries()
    {
        var metadata = Json($$"""
            {
              "features": [
                { "name": "id", "type": "categorical", "role": "identifier" },
                { "name": "age", "type": "numeric" },
                { "name": "churned", "type": "categorical", "role": "target" },
                { "name": "plan", "type": "categorical", "role": "feature" },
                { "name": "income", "type": "numeric" }
              ],
              "classes": ["stay", "leave"],
              {{Baseline}}
            }
            """);

        var profile = VersionProfileBuilder.Build(metadata, Signature([Tensor("x", "float", "batch", "3")], Tensor("probabilities", "float", "batch", "2")));

        Assert.Null(profile.Unmapped);
        Assert.Equal(["age", "plan", "income"], profile.FeatureNames);
        Assert.Equal([("x", 0), ("x", 1), ("x", 2)], profile.Columns.Select(c => (c.Input, c.Column)));
        Assert.Equal(["age", "plan"], profile.Tracked.Select(t => t.Name));
        Assert.Equal([18.0, 30, 50], profile.Tracked[0].BinEdges!);
        Assert.Equal(["basic", "pro"], profile.Tracked[1].Categories!);
        Assert.Equal(PredictionKind.Argmax, profile.Prediction!.Kind);
        Assert.Equal("probabilities", profile.Prediction.Output);
        Assert.Equal("leave", profile.Prediction.ClassName(1));
        Assert.Equal("7", profile.Prediction.ClassName(7));
        Assert.True(profile.HasBaseline);
    }

    [Fact]
    public void A_feature_is_its_own_input_when_one_has_its_name_and_shape_batch_or_batch_by_1()
    {
        var metadata = Json("""{ "features": [ { "name": "age", "type": "numeric" }, { "name": "plan", "type": "categorical" } ] }""");

        var profile = VersionProfileBuilder.Build(metadata,
            Signature([Tensor("age", "float", "batch"), Tensor("plan", "string", "batch", "1")], Tensor("score", "float", "batch", "1")));

        Assert.Null(profile.Unmapped);
        Assert.Equal([("age", 0), ("plan", 0)], profile.Columns.Select(c => (c.Input, c.Column)));
        Assert.False(profile.HasBaseline);
        Assert.Null(profile.Prediction!.Kind);
    }

    [Fact]
    public void Without_a_features_list_the_baseline_features_stand_for_it()
    {
        var profile = VersionProfileBuilder.Build(Json($$"""{ {{Baseline}} }"""),
            Signature([Tensor("x", "float", "batch", "2")], Tensor("label", "int64", "batch")));

        Assert.Equal(["age", "plan"], profile.FeatureNames);
        Assert.Equal(PredictionKind.Label, profile.Prediction!.Kind);
    }

    [Fact]
    public void A_numeric_prediction_baseline_reads_the_first_one_number_per_row_output()
    {
        var profile = VersionProfileBuilder.Build(
            Json("""{ "baseline": { "predictions": { "binEdges": [0.5, 1.5], "counts": [1, 1, 1] } } }"""),
            Signature([Tensor("x", "float", "batch", "4")], Tensor("embedding", "float", "batch", "16"), Tensor("value", "double", "batch", "1")));

        Assert.Equal(PredictionKind.Numeric, profile.Prediction!.Kind);
        Assert.Equal("value", profile.Prediction.Output);
        Assert.True(profile.HasBaseline);
    }

    [Theory]
    [InlineData("""[{"name":"a","type":"float","shape":["batch","4"]},{"name":"b","type":"float","shape":["batch","4"]}]""", "the model has 2 2-D inputs")]
    [InlineData("""[{"name":"x","type":"float","shape":["batch","1"]}]""", "input 'x' has 1 columns")]
    [InlineData("""[{"name":"age","type":"float","shape":["batch","3"]}]""", "input 'age' has shape [batch,3]")]
    [InlineData("""[{"name":"x","type":"float","shape":["3","4","5"]}]""", "the model has 0 2-D inputs")]
    public void A_version_whose_features_cannot_be_mapped_is_unmapped_with_the_reason(string inputs, string reason)
    {
        var signature = Signature([.. System.Text.Json.JsonSerializer.Deserialize<List<Input>>(inputs)!.Select(i => Tensor(i.name, i.type, i.shape))],
            Tensor("y", "float", "batch", "2"));

        var profile = VersionProfileBuilder.Build(Json($$"""{ "features": [ { "name": "age", "type": "numeric" }, { "name": "plan", "type": "categorical" } ], {{Baseline}} }"""), signature);

        Assert.Contains(reason, profile.Unmapped);
        Assert.Empty(profile.Columns);
        Assert.Empty(profile.Tracked);
        Assert.True(profile.HasBaseline);
    }

    private sealed record Input(string name, string type, string[] shape);
}
