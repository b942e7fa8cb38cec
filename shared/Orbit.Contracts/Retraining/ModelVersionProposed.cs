namespace Orbit.Contracts.Retraining;

/// <summary>
/// A retrained version passed the validation gate (or was forced past it: <see cref="ForcedPastGate"/>) and is
/// registered; the registry's rollout controller may start a canary with it against <see cref="StableVersion"/>.
/// <see cref="Metrics"/> and <see cref="StableMetrics"/> were computed on the same held-out recent rows.
/// </summary>
public sealed record ModelVersionProposed(
    string TenantId,
    string ModelName,
    int Version,
    int? StableVersion,
    string DataSnapshotHash,
    string Trainer,
    IReadOnlyDictionary<string, double> Metrics,
    IReadOnlyDictionary<string, double>? StableMetrics,
    string AttemptId,
    bool ForcedPastGate,
    DateTimeOffset ProposedAt);
