using System.Text.Json;
using System.Text.Json.Nodes;
using Orbit.Retrainer.Training;

namespace Orbit.Retrainer.Registration;

/// <summary>The metadata part of a retrained version's upload (see docs/registry.md): features, metrics, baseline, lineage.</summary>
internal static class VersionMetadataBuilder
{
    public static JsonElement Build(
        TrainingTable training,
        double[] trainingScores,
        string target,
        IReadOnlyDictionary<string, double> metrics,
        int? parentVersion,
        string snapshotHash,
        string trainer,
        string attemptId,
        DateTimeOffset trainedAt)
    {
        var features = new JsonArray();
        var baselines = new JsonObject();
        for (var k = 0; k < training.Width; k++)
        {
            var name = training.FeatureNames[k];
            features.Add(new JsonObject { ["name"] = name, ["type"] = "numeric", ["role"] = "feature" });
            baselines[name] = ToJson(BaselineBuilder.Numeric(training.Features.Select(row => (double)row[k])));
        }

        features.Add(new JsonObject
        {
            ["name"] = target,
            ["type"] = training.Task == LearningTask.BinaryClassification ? "categorical" : "numeric",
            ["role"] = "target",
        });
        var metadata = new JsonObject
        {
            ["trainingDate"] = trainedAt.ToString("O"),
            ["datasetVersion"] = snapshotHash,
            ["metrics"] = new JsonObject(metrics.Where(m => double.IsFinite(m.Value)).Select(m => KeyValuePair.Create(m.Key, (JsonNode?)m.Value))),
            ["features"] = features,
            ["baseline"] = new JsonObject
            {
                ["rows"] = training.Rows,
                ["features"] = baselines,
                ["predictions"] = ToJson(BaselineBuilder.Numeric(trainingScores)),
            },
            ["lineage"] = Lineage(parentVersion, snapshotHash, trainer),
            ["description"] = $"retrained by orbit-retrainer (attempt {attemptId})",
            ["tags"] = new JsonArray("retrained"),
        };
        return JsonSerializer.SerializeToElement(metadata);
    }

    private static JsonObject Lineage(int? parentVersion, string snapshotHash, string trainer)
    {
        var lineage = new JsonObject { ["dataSnapshotHash"] = snapshotHash, ["trainer"] = trainer };
        if (parentVersion is { } parent)
        {
            lineage["parentVersion"] = parent;
        }

        return lineage;
    }

    private static JsonObject ToJson(NumericBaseline baseline) => new()
    {
        ["binEdges"] = new JsonArray([.. baseline.BinEdges.Select(e => (JsonNode?)e)]),
        ["counts"] = new JsonArray([.. baseline.Counts.Select(c => (JsonNode?)c)]),
    };
}
