namespace Orbit.Contracts.Models;

/// <summary>
/// Published by the retrainer when a newly trained version passed the validation gate against
/// production; the registry answers by starting a rollout of it.
/// </summary>
public sealed record ModelVersionProposed(
    string TenantId,
    string ModelName,
    int Version,
    int? ParentVersion,
    string Digest,
    string DataSnapshotHash,
    IReadOnlyDictionary<string, double> CandidateMetrics,
    IReadOnlyDictionary<string, double> ProductionMetrics,
    string Reason,
    DateTimeOffset ProposedAt);
