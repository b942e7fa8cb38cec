namespace Orbit.Retrainer.Training;

/// <summary>
/// A trainer's result: the ONNX bytes, the metrics it reported on its training data, and who made it
/// (<c>ml.net/logistic-regression</c>, <c>external:/opt/train.py</c>). <see cref="ReferenceScores"/> are the
/// trainer's own predictions for the training rows (probability of class 1, or the value), when it has them:
/// the exported ONNX must reproduce them.
/// </summary>
internal sealed record TrainedModel(
    byte[] Onnx,
    IReadOnlyDictionary<string, double> Metrics,
    string Trainer,
    double[]? ReferenceScores = null);
