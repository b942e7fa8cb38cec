using System.Text.Json;
using Orbit.Retrainer.Training;

namespace Orbit.Retrainer.Registration;

/// <summary>
/// What a version's metadata says about its data: the <c>role: feature</c> entries (role absent means feature) in
/// order — the k-th is the k-th column of the model's input — and the target, whose type gives the task
/// (<c>categorical</c>: binary classification, <c>numeric</c>: regression).
/// </summary>
internal sealed record ModelSchema(IReadOnlyList<string> Features, string? Target, LearningTask? Task)
{
    public static ModelSchema From(JsonElement metadata)
    {
        if (metadata.ValueKind != JsonValueKind.Object || !metadata.TryGetProperty("features", out var features) || features.ValueKind != JsonValueKind.Array)
        {
            return new ModelSchema([], null, null);
        }

        var names = new List<string>();
        string? target = null;
        LearningTask? task = null;
        foreach (var feature in features.EnumerateArray())
        {
            var name = feature.TryGetProperty("name", out var n) ? n.GetString() : null;
            var role = feature.TryGetProperty("role", out var r) ? r.GetString() : null;
            var type = feature.TryGetProperty("type", out var t) ? t.GetString() : null;
            if (name is null)
            {
                continue;
            }

            if (role is null or "feature")
            {
                names.Add(name);
            }
            else if (role == "target")
            {
                target = name;
                task = type == "numeric" ? LearningTask.Regression : LearningTask.BinaryClassification;
            }
        }

        return new ModelSchema(names, target, task);
    }
}
