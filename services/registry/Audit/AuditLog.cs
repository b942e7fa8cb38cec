using System.Data.Common;
using System.Text.Json;
using Dapper;
using Orbit.Contracts.Registry;
using Orbit.Hosting.Security;
using Orbit.Registry.Auth;

namespace Orbit.Registry.Audit;

/// <summary>
/// Appends one row per mutation, inside the mutation's own transaction: the change and its audit
/// row commit together or not at all.
/// </summary>
internal static class AuditLog
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public static Task AppendAsync(
        DbConnection connection,
        DbTransaction transaction,
        Caller actor,
        long atMs,
        string tenantId,
        string action,
        string target,
        string? model,
        object? before,
        object? after) =>
        connection.ExecuteAsync(
            """
            INSERT INTO audit_log (at_ms, actor_key_id, actor_tenant_id, tenant_id, action, target, model_name, before_json, after_json)
            VALUES (@atMs, @keyId, @actorTenant, @tenantId, @action, @target, @model, @before, @after)
            """,
            new
            {
                atMs,
                keyId = actor.KeyId,
                actorTenant = actor.TenantId,
                tenantId,
                action,
                target,
                model,
                before = before is null ? null : JsonSerializer.Serialize(before, Json),
                after = after is null ? null : JsonSerializer.Serialize(after, Json),
            },
            transaction);

    public sealed record Query(string? TenantId, string? Model, string? ActorKeyId, long? FromMs, long? ToMs, long? BeforeId, int Limit);

    public static async Task<IReadOnlyList<AuditEntry>> ReadAsync(DbConnection connection, Query query)
    {
        var rows = await connection.QueryAsync<Row>(
            """
            SELECT id, at_ms AS AtMs, actor_key_id AS ActorKeyId, actor_tenant_id AS ActorTenantId, tenant_id AS TenantId,
                   action, target, model_name AS Model, before_json AS BeforeJson, after_json AS AfterJson
            FROM audit_log
            WHERE (@TenantId IS NULL OR tenant_id = @TenantId)
              AND (@Model IS NULL OR model_name = @Model)
              AND (@ActorKeyId IS NULL OR actor_key_id = @ActorKeyId)
              AND (@FromMs IS NULL OR at_ms >= @FromMs)
              AND (@ToMs IS NULL OR at_ms < @ToMs)
              AND (@BeforeId IS NULL OR id < @BeforeId)
            ORDER BY id DESC
            LIMIT @Limit
            """,
            query);
        return rows.Select(r => new AuditEntry(
            r.Id,
            DateTimeOffset.FromUnixTimeMilliseconds(r.AtMs),
            r.ActorKeyId,
            r.ActorTenantId,
            r.TenantId,
            r.Action,
            r.Target,
            r.Model,
            Parse(r.BeforeJson),
            Parse(r.AfterJson))).ToList();
    }

    private static JsonElement? Parse(string? json) => json is null ? null : JsonDocument.Parse(json).RootElement.Clone();

    private sealed record Row(long Id, long AtMs, string ActorKeyId, string ActorTenantId, string TenantId, string Action, string Target, string? Model, string? BeforeJson, string? AfterJson);
}
