using Orbit.Contracts.Drift;

namespace Orbit.Hosting.Streams;

/// <summary>
/// A record of <c>orbit.predictions</c> in either form a producer writes: one request (<see cref="PredictionLogged"/>:
/// <c>requestId</c>, <c>rows</c>, <c>at</c>), or a batch of one version's requests (<see cref="PredictionsLogged"/>:
/// <c>requests</c>), which is what the workers publish. Readers read the stream as this type and take
/// <see cref="TryExpand"/>'s requests, so entries written before the workers batched them still read.
/// </summary>
public sealed record PredictionLogEntry(
    string TenantId,
    string ModelName,
    int ModelVersion,
    IReadOnlyList<string> FeatureNames,
    string? RequestId = null,
    IReadOnlyList<LoggedRow>? Rows = null,
    DateTimeOffset? At = null,
    IReadOnlyList<LoggedRequest>? Requests = null)
{
    /// <summary>The entry's requests, one <see cref="PredictionLogged"/> each, in order; false with the reason when the entry is incomplete.</summary>
    public bool TryExpand(out IReadOnlyList<PredictionLogged> requests, out string? error)
    {
        requests = [];
        if (string.IsNullOrWhiteSpace(TenantId) || string.IsNullOrWhiteSpace(ModelName) || ModelVersion < 1)
        {
            error = "tenantId, modelName and a modelVersion ≥ 1 are required";
            return false;
        }

        if (Requests is { } batch)
        {
            if (RequestId is not null || Rows is not null)
            {
                error = "an entry has either requests, or one request's requestId, rows and at, not both";
                return false;
            }

            var expanded = new PredictionLogged[batch.Count];
            for (var i = 0; i < batch.Count; i++)
            {
                var request = batch[i];
                if (request is null || string.IsNullOrWhiteSpace(request.RequestId) || request.Rows is null)
                {
                    error = $"requests[{i}] needs a requestId, at and rows";
                    return false;
                }

                expanded[i] = new PredictionLogged(request.RequestId, TenantId, ModelName, ModelVersion, FeatureNames, request.Rows, request.At);
            }

            requests = expanded;
            error = null;
            return true;
        }

        if (string.IsNullOrWhiteSpace(RequestId) || Rows is null || At is not { } at)
        {
            error = "requestId, rows and at (or requests) are required";
            return false;
        }

        requests = [new PredictionLogged(RequestId, TenantId, ModelName, ModelVersion, FeatureNames, Rows, at)];
        error = null;
        return true;
    }
}
