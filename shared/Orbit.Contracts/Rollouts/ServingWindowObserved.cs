namespace Orbit.Contracts.Rollouts;

/// <summary>
/// What one gateway answered for one model version during one short window: the rollout controller's evidence,
/// kept per version so a candidate is never blended with stable. <see cref="Errors"/> are server-side failures
/// (5xx); <see cref="LatencySampleMs"/> is a uniform sample (every request, up to a cap) of successful requests'
/// latencies.
/// </summary>
public sealed record ServingWindowObserved(
    string TenantId,
    string ModelName,
    int ModelVersion,
    string Source,
    DateTimeOffset WindowStart,
    DateTimeOffset WindowEnd,
    long Requests,
    long Errors,
    IReadOnlyList<double> LatencySampleMs);
