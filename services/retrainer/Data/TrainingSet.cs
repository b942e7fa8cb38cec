using System.Security.Cryptography;
using System.Text;
using Orbit.Retrainer.Training;

namespace Orbit.Retrainer.Data;

/// <summary>
/// The rows of one attempt: <see cref="All"/> (the dataset's rows, then the logged labelled rows in time order: what
/// the snapshot hashes), <see cref="Training"/> and <see cref="Holdout"/>. The holdout is drawn from the logged rows
/// only (recent, as served), each row by a hash of its request id and row number, so the split is the same every time.
/// With no logged rows (a first version trained from its dataset alone) it is drawn from the dataset, by row number.
/// </summary>
internal sealed record TrainingSet(TrainingTable All, TrainingTable Training, TrainingTable Holdout, int DatasetRows)
{
    public static TrainingSet Build(
        LearningTask task, IReadOnlyList<string> featureNames, IReadOnlyList<LabelledExample> logged,
        (float[][] Features, double[] Labels)? dataset, int holdoutPercent)
    {
        var datasetRows = dataset?.Labels.Length ?? 0;
        var features = new List<float[]>(datasetRows + logged.Count);
        var labels = new List<double>(datasetRows + logged.Count);
        if (dataset is { } d)
        {
            features.AddRange(d.Features);
            labels.AddRange(d.Labels);
        }

        var holdoutIndexes = new List<int>();
        var trainIndexes = new List<int>();
        foreach (var i in Enumerable.Range(0, datasetRows))
        {
            (logged.Count == 0 && IsHeldOut(new LabelledExample("dataset", i, default, 0, [], 0), holdoutPercent) ? holdoutIndexes : trainIndexes).Add(i);
        }

        foreach (var example in logged)
        {
            (IsHeldOut(example, holdoutPercent) ? holdoutIndexes : trainIndexes).Add(features.Count);
            features.Add(example.Features);
            labels.Add(example.Label);
        }

        var all = new TrainingTable(task, featureNames, [.. features], [.. labels]);
        return new TrainingSet(all, all.Select(trainIndexes), all.Select(holdoutIndexes), datasetRows);
    }

    public static bool IsHeldOut(LabelledExample example, int holdoutPercent)
    {
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes($"{example.RequestId}\n{example.Row}"));
        return BitConverter.ToUInt32(hash, 0) % 100 < holdoutPercent;
    }
}
