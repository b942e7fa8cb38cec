namespace Orbit.Retrainer.Training;

/// <summary>What the model predicts: a binary class (label 0 or 1) or a number.</summary>
internal enum LearningTask
{
    BinaryClassification,
    Regression,
}
