namespace Orbit.Contracts.Registry;

/// <summary>
/// Published by the registry when a key is revoked, so every gateway forgets it at once rather than
/// when its cache would have expired. Carries the key's id, never the key or its hash.
/// </summary>
public sealed record ApiKeyRevoked(string KeyId, string TenantId, DateTimeOffset RevokedAt, string RevokedBy);
