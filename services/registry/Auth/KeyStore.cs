using System.Collections.Concurrent;
using System.Data.Common;
using System.Net;
using Dapper;
using Orbit.Contracts.Registry;
using Orbit.Hosting.Security;
using Orbit.Registry.Storage;

namespace Orbit.Registry.Auth;

internal sealed class KeyStore(RegistryDatabase database, TimeProvider time) : IApiKeyResolver
{
    // A short cache spares the store a query per request; a revocation here evicts at once, and one
    // made by another registry instance takes effect within this.
    private static readonly TimeSpan CacheFor = TimeSpan.FromSeconds(1);
    private readonly ConcurrentDictionary<string, (Caller? Caller, DateTimeOffset Until)> _cache = new(StringComparer.Ordinal);

    public async Task<KeyResolution> ResolveAsync(string key, IPAddress? client, CancellationToken cancellationToken)
    {
        try
        {
            var caller = await AuthenticateAsync(key, cancellationToken);
            return caller is null ? KeyResolution.Invalid : KeyResolution.Valid(caller);
        }
        catch (DbException)
        {
            return KeyResolution.Unavailable;
        }
    }

    private async Task<Caller?> AuthenticateAsync(string key, CancellationToken cancellationToken)
    {
        var hash = ApiKeys.Hash(key);
        var now = time.GetUtcNow();
        if (_cache.TryGetValue(hash, out var cached) && cached.Until > now)
        {
            return cached.Caller;
        }

        await using var connection = await database.OpenAsync(cancellationToken);
        var row = await connection.QuerySingleOrDefaultAsync<(string Id, string TenantId, string Role)>(
            "SELECT id, tenant_id, role FROM api_keys WHERE key_hash = @hash AND revoked_at_ms IS NULL", new { hash });
        var caller = row.Id is null ? null : new Caller(row.Id, row.TenantId, Enum.Parse<Role>(row.Role, ignoreCase: true));
        if (_cache.Count > 10_000)
        {
            _cache.Clear();
        }

        _cache[hash] = (caller, now + CacheFor);
        return caller;
    }

    /// <summary>Forgets a revoked key's cached answer (called after the revocation committed).</summary>
    public void Evict(string keyId)
    {
        foreach (var (hash, entry) in _cache)
        {
            if (entry.Caller?.KeyId == keyId)
            {
                _cache.TryRemove(hash, out _);
            }
        }
    }

    public static async Task InsertAsync(DbConnection connection, DbTransaction transaction, string id, string tenantId, Role role, string key, string? description, long atMs, string createdBy) =>
        await connection.ExecuteAsync(
            """
            INSERT INTO api_keys (id, tenant_id, role, key_hash, description, created_at_ms, created_by)
            VALUES (@id, @tenantId, @role, @hash, @description, @atMs, @createdBy)
            """,
            new { id, tenantId, role = Roles.Name(role), hash = ApiKeys.Hash(key), description, atMs, createdBy }, transaction);

    public static async Task<ApiKeyView?> FindAsync(DbConnection connection, string id, DbTransaction? transaction = null)
    {
        var row = await connection.QuerySingleOrDefaultAsync<KeyRow>(
            "SELECT id, tenant_id AS TenantId, role, description, created_at_ms AS CreatedAtMs, created_by AS CreatedBy, revoked_at_ms AS RevokedAtMs FROM api_keys WHERE id = @id",
            new { id }, transaction);
        return row?.ToView();
    }

    public static async Task<IReadOnlyList<ApiKeyView>> ListAsync(DbConnection connection, string tenantId, string? after, int limit) =>
        (await connection.QueryAsync<KeyRow>(
            """
            SELECT id, tenant_id AS TenantId, role, description, created_at_ms AS CreatedAtMs, created_by AS CreatedBy, revoked_at_ms AS RevokedAtMs
            FROM api_keys WHERE tenant_id = @tenantId AND (@after IS NULL OR id > @after) ORDER BY id LIMIT @limit
            """,
            new { tenantId, after, limit })).Select(r => r.ToView()).ToList();

    internal sealed record KeyRow(string Id, string TenantId, string Role, string? Description, long CreatedAtMs, string CreatedBy, long? RevokedAtMs)
    {
        public ApiKeyView ToView() => new(Id, TenantId, Role, Description, DateTimeOffset.FromUnixTimeMilliseconds(CreatedAtMs), CreatedBy,
            RevokedAtMs is { } revoked ? DateTimeOffset.FromUnixTimeMilliseconds(revoked) : null);
    }
}
