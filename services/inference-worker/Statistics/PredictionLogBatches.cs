using Orbit.Contracts.Drift;

namespace Orbit.InferenceWorker.Statistics;

/// <summary>
/// The logged requests of one collection pass, gathered per model version into <see cref="PredictionsLogged"/> entries:
/// one stream publish (and one broker confirm) per version and pass instead of one per request. An entry is handed out
/// as soon as it holds <c>maxRows</c> rows (a request is never split), and the rest at the end of the pass.
/// </summary>
internal sealed class PredictionLogBatches(int maxRows)
{
    private readonly Dictionary<(string Tenant, string Model, int Version), Batch> _batches = [];

    /// <summary>Adds a request's entry; returns the version's batch when it is full, to be published now.</summary>
    public PredictionsLogged? Add(ServedRequest served, VersionProfile profile, LoggedRequest request)
    {
        var key = (served.Request.TenantId, served.Request.ModelName, served.Version);
        if (!_batches.TryGetValue(key, out var batch))
        {
            _batches[key] = batch = new Batch(profile.FeatureNames);
        }

        batch.Requests.Add(request);
        batch.Rows += request.Rows.Count;
        if (batch.Rows < maxRows)
        {
            return null;
        }

        _batches.Remove(key);
        return ToMessage(key, batch);
    }

    /// <summary>Every batch not yet handed out, emptied.</summary>
    public List<PredictionsLogged> TakeAll()
    {
        var messages = new List<PredictionsLogged>(_batches.Count);
        foreach (var (key, batch) in _batches)
        {
            messages.Add(ToMessage(key, batch));
        }

        _batches.Clear();
        return messages;
    }

    private static PredictionsLogged ToMessage((string Tenant, string Model, int Version) key, Batch batch) =>
        new(key.Tenant, key.Model, key.Version, batch.FeatureNames, batch.Requests);

    private sealed class Batch(IReadOnlyList<string> featureNames)
    {
        public IReadOnlyList<string> FeatureNames { get; } = featureNames;

        public List<LoggedRequest> Requests { get; } = [];

        public int Rows { get; set; }
    }
}
