using Orbit.Contracts.Drift;

namespace Orbit.InferenceWorker.Statistics;

/// <summary>One version's accumulators for the current window: one per feature with a baseline, and one for the predictions.</summary>
internal sealed class VersionWindow
{
    private readonly VersionProfile _profile;
    private readonly NumericAccumulator?[] _numeric;
    private readonly CategoricalAccumulator?[] _categorical;
    private readonly NumericAccumulator? _numericPredictions;
    private readonly CategoricalAccumulator? _classPredictions;
    private readonly int[] _columns;

    public VersionWindow(VersionProfile profile, int maxUnseenCategories)
    {
        _profile = profile;
        _columns = [.. profile.Tracked.Select(t => t.ColumnIndex)];
        _numeric = new NumericAccumulator?[profile.Tracked.Count];
        _categorical = new CategoricalAccumulator?[profile.Tracked.Count];
        for (var i = 0; i < profile.Tracked.Count; i++)
        {
            var feature = profile.Tracked[i];
            if (feature.BinEdges is { } edges)
            {
                _numeric[i] = new NumericAccumulator(edges);
            }
            else
            {
                _categorical[i] = new CategoricalAccumulator(feature.Categories ?? [], maxUnseenCategories);
            }
        }

        if (profile.Prediction is { } prediction)
        {
            if (prediction is { Kind: PredictionKind.Numeric, BinEdges: { } edges })
            {
                _numericPredictions = new NumericAccumulator(edges);
            }
            else if (prediction is { Kind: PredictionKind.Argmax or PredictionKind.Label, BaselineCategories: { } categories })
            {
                _classPredictions = new CategoricalAccumulator(categories, maxUnseenCategories);
            }
        }
    }

    public long Rows { get; private set; }

    public void Add(ServedRows rows)
    {
        Rows += rows.Rows;
        for (var i = 0; i < _columns.Length; i++)
        {
            var column = _columns[i];
            for (var row = 0L; row < rows.Rows; row++)
            {
                if (_numeric[i] is { } numeric)
                {
                    numeric.Add(rows.Number(column, row));
                }
                else
                {
                    _categorical[i]!.Add(rows.Text(column, row));
                }
            }
        }

        if (_profile.Prediction is not { } reader || (_numericPredictions is null && _classPredictions is null))
        {
            return;
        }

        for (var row = 0L; row < rows.Rows; row++)
        {
            var (label, value) = rows.PredictionOf(reader, row);
            _numericPredictions?.Add(value);
            _classPredictions?.Add(label);
        }
    }

    public FeatureStatsObserved ToMessage(string windowId, string tenant, string model, int version, string worker, DateTimeOffset start, DateTimeOffset end)
    {
        var features = new Dictionary<string, FeatureWindow>(_profile.Tracked.Count, StringComparer.Ordinal);
        for (var i = 0; i < _profile.Tracked.Count; i++)
        {
            features[_profile.Tracked[i].Name] = _numeric[i]?.ToWindow() ?? _categorical[i]!.ToWindow();
        }

        return new FeatureStatsObserved(windowId, tenant, model, version, worker, start, end, Rows, features,
            _numericPredictions?.ToWindow() ?? _classPredictions?.ToWindow(), _profile.Unmapped);
    }
}
