namespace Orbit.Retrainer.Training;

/// <summary>
/// Numeric features and a label per row, in a fixed column order (<see cref="FeatureNames"/>): the k-th
/// feature is the k-th column of the model's input. Labels are 0/1 for classifiers, the value for regressors.
/// </summary>
internal sealed record TrainingTable(LearningTask Task, IReadOnlyList<string> FeatureNames, float[][] Features, double[] Labels)
{
    public int Rows => Labels.Length;

    public int Width => FeatureNames.Count;

    /// <summary>The rows at <paramref name="indexes"/>, in that order.</summary>
    public TrainingTable Select(IReadOnlyList<int> indexes) =>
        this with { Features = [.. indexes.Select(i => Features[i])], Labels = [.. indexes.Select(i => Labels[i])] };
}
