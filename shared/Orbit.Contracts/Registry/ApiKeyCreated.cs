namespace Orbit.Contracts.Registry;

/// <summary>The answer to creating a key: the only time <see cref="Key"/> is shown.</summary>
public sealed record ApiKeyCreated(string KeyId, string Key, string TenantId, string Role, string? Description, DateTimeOffset CreatedAt);

public sealed record ApiKeyView(string KeyId, string TenantId, string Role, string? Description, DateTimeOffset CreatedAt, string CreatedBy, DateTimeOffset? RevokedAt);

public sealed record CreateApiKey(string Role, string? TenantId = null, string? Description = null);

public sealed record TenantView(string Id, string DisplayName, DateTimeOffset CreatedAt);

public sealed record CreateTenant(string Id, string? DisplayName = null);
