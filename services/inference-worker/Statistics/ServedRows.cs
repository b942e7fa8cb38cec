using Orbit.Contracts.Inference;
using Orbit.InferenceWorker.Tensors;

namespace Orbit.InferenceWorker.Statistics;

/// <summary>
/// One served request's rows as a version's profile sees them: each feature's column and the prediction
/// output, read in place. <see cref="Read"/> returns null when the inputs the profile names are missing or their
/// row counts disagree (then the request is not summarised, and counted).
/// </summary>
internal sealed class ServedRows
{
    private readonly TensorValues[] _features;
    private readonly long[] _columns;

    private ServedRows(long rows, TensorValues[] features, long[] columns, TensorValues? prediction)
    {
        Rows = rows;
        _features = features;
        _columns = columns;
        Prediction = prediction;
    }

    public long Rows { get; }

    /// <summary>The prediction output, when the answer has it (a request may ask for other outputs only).</summary>
    public TensorValues? Prediction { get; }

    public double Number(int feature, long row) => _features[feature].Number(row * _features[feature].Width + _columns[feature]);

    public string? Text(int feature, long row) => _features[feature].Text(row * _features[feature].Width + _columns[feature]);

    public static ServedRows? Read(ServedRequest served, VersionProfile profile)
    {
        var columns = profile.Columns;
        var features = new TensorValues[columns.Count];
        var offsets = new long[columns.Count];
        long? rows = null;
        for (var i = 0; i < columns.Count; i++)
        {
            var column = columns[i];
            // Features usually share one input: each input is wrapped once.
            var values = i > 0 && columns[i - 1].Input == column.Input ? features[i - 1] : Wrap(served.Inputs, column.Input, features, columns, i);
            if (values is null || column.Column >= values.Width || (rows is { } known && known != values.Rows))
            {
                return null;
            }

            rows = values.Rows;
            features[i] = values;
            offsets[i] = column.Column;
        }

        TensorValues? prediction = null;
        if (profile.Prediction is { } reader && Find(served.Outputs, reader.Output) is { } output)
        {
            prediction = TensorValues.Read(output);
            rows ??= prediction?.Rows;
            if (prediction is not null && prediction.Rows != rows)
            {
                prediction = null;
            }
        }

        return rows is { } count ? new ServedRows(count, features, offsets, prediction) : null;
    }

    private static TensorValues? Wrap(IReadOnlyList<DecodedTensor> inputs, string name, TensorValues[] wrapped, IReadOnlyList<FeatureColumn> columns, int upTo)
    {
        for (var j = 0; j < upTo; j++)
        {
            if (columns[j].Input == name)
            {
                return wrapped[j];
            }
        }

        for (var i = 0; i < inputs.Count; i++)
        {
            if (inputs[i].Name == name)
            {
                return TensorValues.Of(inputs[i]);
            }
        }

        return null;
    }

    private static InferenceTensor? Find(IReadOnlyList<InferenceTensor> tensors, string name)
    {
        for (var i = 0; i < tensors.Count; i++)
        {
            if (tensors[i].Name == name)
            {
                return tensors[i];
            }
        }

        return null;
    }

    /// <summary>Row <paramref name="row"/>'s predicted class (argmax or label) or number; null when there is no prediction for it.</summary>
    public (string? Class, double Value) PredictionOf(PredictionReader reader, long row)
    {
        if (Prediction is not { } values || values.Width == 0)
        {
            return (null, double.NaN);
        }

        var start = row * values.Width;
        switch (reader.Kind)
        {
            case PredictionKind.Argmax:
                var best = -1L;
                var max = double.NegativeInfinity;
                for (var c = 0L; c < values.Width; c++)
                {
                    var score = values.Number(start + c);
                    if (score > max)
                    {
                        (best, max) = (c, score);
                    }
                }

                return (best < 0 ? null : reader.ClassName(best), best);
            case PredictionKind.Label when values.IsText:
                return (values.Text(start), double.NaN);
            case PredictionKind.Label:
                var number = values.Number(start);
                return double.IsFinite(number) && Math.Floor(number) == number
                    ? (reader.ClassName((long)number), number)
                    : (values.Text(start), number);
            default:
                return (null, values.Number(start));
        }
    }
}
