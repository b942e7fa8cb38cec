using Orbit.Contracts.Drift;

namespace Orbit.InferenceWorker.Statistics;

/// <summary>
/// A categorical feature's (or a classifier's predictions') window: a count per baseline category (zeros
/// included), unseen categories by name up to <c>maxUnseen</c>, and the rest under <c>__other__</c>.
/// A null or empty category is missing.
/// </summary>
internal sealed class CategoricalAccumulator
{
    private readonly Dictionary<string, long> _counts = new(StringComparer.Ordinal);
    private readonly int _maxUnseen;
    private int _unseen;
    private long _count;
    private long _missing;

    public CategoricalAccumulator(IEnumerable<string> baselineCategories, int maxUnseen)
    {
        foreach (var category in baselineCategories)
        {
            _counts[category] = 0;
        }

        _maxUnseen = maxUnseen;
    }

    public void Add(string? category)
    {
        if (string.IsNullOrEmpty(category))
        {
            _missing++;
            return;
        }

        _count++;
        if (_counts.TryGetValue(category, out var seen))
        {
            _counts[category] = seen + 1;
        }
        else if (_unseen < _maxUnseen && category != FeatureWindow.OtherCategory)
        {
            _unseen++;
            _counts[category] = 1;
        }
        else
        {
            _counts[FeatureWindow.OtherCategory] = _counts.GetValueOrDefault(FeatureWindow.OtherCategory) + 1;
        }
    }

    public void AddMissing() => _missing++;

    public FeatureWindow ToWindow() => new(FeatureWindow.Categorical, _count, _missing, Categories: new Dictionary<string, long>(_counts, StringComparer.Ordinal));
}
