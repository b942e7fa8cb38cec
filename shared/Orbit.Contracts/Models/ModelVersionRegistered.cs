namespace Orbit.Contracts.Models;

/// <summary>Published by the registry once a version's bytes are stored and its row committed.</summary>
public sealed record ModelVersionRegistered(
    string TenantId,
    string ModelName,
    int Version,
    string Digest,
    long SizeBytes,
    DateTimeOffset RegisteredAt,
    string RegisteredBy,
    DateTimeOffset? TrainedAt = null,
    string? DatasetVersion = null,
    int? ParentVersion = null);
