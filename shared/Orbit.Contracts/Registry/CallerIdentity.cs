namespace Orbit.Contracts.Registry;

/// <summary>What an API key is: <c>GET /v1/auth/whoami</c>. The gateway caches it per key.</summary>
public sealed record CallerIdentity(string KeyId, string TenantId, string Role);
