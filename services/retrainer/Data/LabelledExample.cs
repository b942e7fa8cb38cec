namespace Orbit.Retrainer.Data;

/// <summary>One served row joined with its outcome: the features exactly as served, and the label (0/1 or the value).</summary>
internal sealed record LabelledExample(string RequestId, int Row, DateTimeOffset At, int ModelVersion, float[] Features, double Label);

/// <summary>What the prediction log and the outcomes gave for one model: the joined rows, and what did not join.</summary>
/// <param name="FeatureNames">The newest logged feature names; rows logged under other names are left out (<see cref="OtherSchema"/>).</param>
internal sealed record LoggedData(
    IReadOnlyList<string> FeatureNames,
    IReadOnlyList<LabelledExample> Examples,
    int PredictionRows,
    int Outcomes,
    int Unmatched,
    int OtherSchema,
    int Unparsable,
    Training.LearningTask? Task);
