using Orbit.Contracts.Drift;

namespace Orbit.InferenceWorker.Statistics;

/// <summary>Builds the <see cref="LoggedRequest"/> of a served request (one of a <see cref="PredictionsLogged"/> batch): its features as numbers in metadata order, the primary output's values per row, and the predicted class for a classifier.</summary>
internal static class PredictionLog
{
    public static LoggedRequest Build(ServedRequest served, VersionProfile profile, ServedRows rows)
    {
        var logged = new LoggedRow[rows.Rows];
        var reader = profile.Prediction;
        for (var row = 0L; row < rows.Rows; row++)
        {
            var features = new double[profile.Columns.Count];
            for (var f = 0; f < features.Length; f++)
            {
                features[f] = rows.Number(f, row);
            }

            var prediction = Array.Empty<double>();
            string? label = null;
            if (rows.Prediction is { } output)
            {
                prediction = new double[output.Width];
                for (var c = 0L; c < output.Width; c++)
                {
                    prediction[c] = output.Number(row * output.Width + c);
                }

                if (reader?.Kind is PredictionKind.Argmax or PredictionKind.Label)
                {
                    label = rows.PredictionOf(reader, row).Class;
                }
                else if (reader?.Threshold is not null && prediction.Length == 1)
                {
                    label = reader.ClassAt(prediction[0]);
                }
            }

            logged[row] = new LoggedRow(features, prediction, label);
        }

        return new LoggedRequest(served.LoggedId, served.At, logged);
    }
}
