using System.Globalization;
using Orbit.Contracts.Drift;
using Orbit.Retrainer.Training;

namespace Orbit.Retrainer.Data;

/// <summary>Reads an outcome as a training label: class 1 or 0 for classifiers, the value for regressors.</summary>
internal static class OutcomeLabels
{
    /// <summary>The task the outcomes imply: labels mean a classifier, values a regressor.</summary>
    public static LearningTask TaskOf(OutcomeObserved outcome) =>
        outcome.Label is not null ? LearningTask.BinaryClassification : LearningTask.Regression;

    public static double? ToLabel(OutcomeObserved outcome, LearningTask task, string positiveLabel)
    {
        if (task == LearningTask.Regression)
        {
            if (outcome.Value is { } value && double.IsFinite(value))
            {
                return value;
            }

            return double.TryParse(outcome.Label, NumberStyles.Float, CultureInfo.InvariantCulture, out var parsed) && double.IsFinite(parsed)
                ? parsed
                : null;
        }

        if (outcome.Label is { } label)
        {
            return IsPositive(label, positiveLabel) ? 1 : 0;
        }

        return outcome.Value is { } number && double.IsFinite(number) ? (number >= 0.5 ? 1 : 0) : null;
    }

    public static bool IsPositive(string label, string positiveLabel) =>
        string.Equals(label, positiveLabel, StringComparison.OrdinalIgnoreCase)
        || string.Equals(label, "true", StringComparison.OrdinalIgnoreCase)
        || label == "1";
}
