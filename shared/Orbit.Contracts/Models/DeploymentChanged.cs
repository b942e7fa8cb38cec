namespace Orbit.Contracts.Models;

/// <summary>
/// Published by the registry on every change of a model's deployment. <see cref="Revision"/>
/// grows with each change, so a consumer ignores one older than what it already applied.
/// <see cref="Routes"/> is the whole routing table for the model, weights summing to 100;
/// an empty list means the model is no longer deployed.
/// </summary>
public sealed record DeploymentChanged(
    string TenantId,
    string ModelName,
    long Revision,
    int? StableVersion,
    int? CandidateVersion,
    int CandidateWeight,
    DeploymentStrategy Strategy,
    IReadOnlyList<DeploymentRoute> Routes,
    DateTimeOffset ChangedAt,
    string ChangedBy,
    string Reason);

/// <summary>One version in a routing table, its traffic share (0–100) and the artifact to load.</summary>
/// <param name="MaxBatchSize">
/// The version's <c>serving.maxBatchSize</c> metadata: the most rows a worker may merge into one run, 0 for never.
/// Optional: null (older registries, or metadata that sets none) leaves it to the worker's own limit.
/// </param>
/// <param name="MirrorPercent">
/// Set only on a shadow's route (weight 0): the share (1–100) of the requests stable answers that gateways also send,
/// as a copy, to this version, whose answers are compared and discarded. Null on every other route.
/// </param>
public sealed record DeploymentRoute(int Version, int Weight, string Digest, int? MaxBatchSize = null, int? MirrorPercent = null);
