namespace Orbit.Contracts.Drift;

/// <summary>
/// A batch of one model version's logged requests on the <c>orbit.predictions</c> stream: what the inference workers
/// publish, one entry per version and collection pass instead of one <see cref="PredictionLogged"/> per request.
/// Readers take both forms (Orbit.Hosting's <c>PredictionLogEntry</c>): <see cref="PredictionLogged"/> stays the
/// form any other publisher may write.
/// </summary>
/// <param name="FeatureNames">The feature names, in the order of each row's <see cref="LoggedRow.Features"/>.</param>
public sealed record PredictionsLogged(
    string TenantId,
    string ModelName,
    int ModelVersion,
    IReadOnlyList<string> FeatureNames,
    IReadOnlyList<LoggedRequest> Requests);

/// <summary>One request of a <see cref="PredictionsLogged"/>: its id (outcomes are posted under it), when it was served, and its rows.</summary>
public sealed record LoggedRequest(string RequestId, DateTimeOffset At, IReadOnlyList<LoggedRow> Rows);
