using System.Text.Json;

namespace Orbit.Contracts.Registry;

/// <summary>One mutation: who (key and tenant), when, what, and the target before and after.</summary>
public sealed record AuditEntry(
    long Id,
    DateTimeOffset At,
    string ActorKeyId,
    string ActorTenantId,
    string TenantId,
    string Action,
    string Target,
    string? Model,
    JsonElement? Before,
    JsonElement? After);
