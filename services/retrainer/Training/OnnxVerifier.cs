namespace Orbit.Retrainer.Training;

/// <summary>
/// Checks a trained model before it goes anywhere: it loads in Orbit's ONNX Runtime path with the workers'
/// settings, takes the table's features as its one [batch, n] float input, answers a finite score for every row,
/// and, when the trainer gave its own predictions, reproduces them within <see cref="Tolerance"/>.
/// </summary>
internal static class OnnxVerifier
{
    public const double Tolerance = 1e-5;

    /// <exception cref="InvalidModelException">Why the model cannot be used.</exception>
    public static void Verify(TrainedModel model, TrainingTable table)
    {
        using var scorer = OnnxScorer.Load(model.Onnx, table.Task, table.Width);
        var scores = scorer.Score(table.Features);
        var bad = Array.FindIndex(scores, s => !double.IsFinite(s));
        if (bad >= 0)
        {
            throw new InvalidModelException($"The model answers {scores[bad]} for row {bad} (output '{scorer.OutputName}').");
        }

        if (model.ReferenceScores is not { } reference)
        {
            return;
        }

        for (var i = 0; i < scores.Length; i++)
        {
            if (Math.Abs(scores[i] - reference[i]) > Tolerance)
            {
                throw new InvalidModelException(
                    $"The exported model answers {scores[i]} for row {i} where the trainer answered {reference[i]} (tolerance {Tolerance}).");
            }
        }
    }
}
