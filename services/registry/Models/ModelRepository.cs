using System.Data.Common;
using System.Text.Json;
using Dapper;
using Orbit.Contracts.Models;
using Orbit.Contracts.Registry;
using Orbit.Hosting.Security;
using Orbit.Registry.Api;
using Orbit.Registry.Audit;
using Orbit.Registry.Auth;
using Orbit.Registry.Deployments;
using Orbit.Registry.Storage;

namespace Orbit.Registry.Models;

/// <summary>
/// Models and their versions, always scoped to one tenant (another tenant's model does not exist here), except the
/// listing of every tenant's models that platform keys read.
/// </summary>
internal sealed class ModelRepository(RegistryDatabase database, TimeProvider time)
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    private const string VersionColumns =
        "model_name AS Model, version, digest, size_bytes AS SizeBytes, status, description, tags, metadata, signature, created_at_ms AS CreatedAtMs, created_by AS CreatedBy";

    public sealed record NewVersion(string Digest, long SizeBytes, string MetadataJson, VersionMetadata Metadata, ModelSignature Signature);

    /// <summary>Numbers and records a version whose bytes are already stored; creates the model on its first version.</summary>
    public async Task<Outcome<VersionView>> RegisterAsync(Caller caller, string model, NewVersion version, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow().ToUnixTimeMilliseconds();
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        var tenant = caller.TenantId;
        await connection.ExecuteAsync(
            "INSERT INTO models (tenant_id, name, next_version, created_at_ms) VALUES (@tenant, @model, 1, @now) ON CONFLICT DO NOTHING",
            new { tenant, model, now }, transaction);
        if (version.Metadata.Lineage?.ParentVersion is { } parent
            && await connection.ExecuteScalarAsync<long?>(
                "SELECT version FROM model_versions WHERE tenant_id = @tenant AND model_name = @model AND version = @parent",
                new { tenant, model, parent = (long)parent }, transaction) is null)
        {
            return Failure.Invalid("metadata.lineage.parentVersion", $"model '{model}' has no version {parent}");
        }

        var number = await connection.ExecuteScalarAsync<long>(
            "UPDATE models SET next_version = next_version + 1 WHERE tenant_id = @tenant AND name = @model RETURNING next_version - 1",
            new { tenant, model }, transaction);
        await connection.ExecuteAsync(
            "INSERT INTO artifacts (digest, size_bytes, created_at_ms) VALUES (@Digest, @SizeBytes, @now) ON CONFLICT DO NOTHING",
            new { version.Digest, version.SizeBytes, now }, transaction);
        var tags = JsonSerializer.Serialize(version.Metadata.Tags ?? [], Json);
        await connection.ExecuteAsync(
            """
            INSERT INTO model_versions (tenant_id, model_name, version, digest, size_bytes, status, description, tags, metadata, signature, created_at_ms, created_by)
            VALUES (@tenant, @model, @number, @Digest, @SizeBytes, 'active', @description, @tags, @metadata, @signature, @now, @actor)
            """,
            new
            {
                tenant,
                model,
                number,
                version.Digest,
                version.SizeBytes,
                description = version.Metadata.Description,
                tags,
                metadata = version.MetadataJson,
                signature = JsonSerializer.Serialize(version.Signature, Json),
                now,
                actor = caller.Actor,
            },
            transaction);

        var view = (await GetVersionAsync(connection, transaction, tenant, model, (int)number))!;
        await AuditLog.AppendAsync(connection, transaction, caller, now, tenant, "version.registered", VersionTarget(model, view.Version), model,
            before: null, after: Summary(view));
        await Outbox.Outbox.EnqueueAsync(connection, transaction, new ModelVersionRegistered(
            tenant, model, view.Version, view.Digest, view.SizeBytes, view.CreatedAt, caller.Actor,
            version.Metadata.TrainingDate, version.Metadata.DatasetVersion, version.Metadata.Lineage?.ParentVersion), now);
        await transaction.CommitAsync(cancellationToken);
        return view;
    }

    public async Task<Outcome<VersionView>> UpdateAsync(Caller caller, string model, int number, UpdateVersion update, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        var before = await GetVersionAsync(connection, transaction, caller.TenantId, model, number, lockRow: true);
        if (before is null)
        {
            return Failure.NotFound($"model '{model}' has no version {number}");
        }

        var description = update.Description ?? before.Description;
        var tags = update.Tags ?? before.Tags;
        await connection.ExecuteAsync(
            "UPDATE model_versions SET description = @description, tags = @tags WHERE tenant_id = @tenant AND model_name = @model AND version = @number",
            new { description, tags = JsonSerializer.Serialize(tags, Json), tenant = caller.TenantId, model, number = (long)number }, transaction);
        var after = (await GetVersionAsync(connection, transaction, caller.TenantId, model, number))!;
        await AuditLog.AppendAsync(connection, transaction, caller, time.GetUtcNow().ToUnixTimeMilliseconds(), caller.TenantId,
            "version.updated", VersionTarget(model, number), model, Summary(before), Summary(after));
        await transaction.CommitAsync(cancellationToken);
        return after;
    }

    /// <summary>Retires a version no deployment references: kept for audit and lineage, never deployed again.</summary>
    public async Task<Outcome<VersionView>> RetireAsync(Caller caller, string model, int number, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        var before = await GetVersionAsync(connection, transaction, caller.TenantId, model, number, lockRow: true);
        if (before is null)
        {
            return Failure.NotFound($"model '{model}' has no version {number}");
        }

        if (before.Status == VersionStatus.Retired)
        {
            return before;
        }

        var deployment = await DeploymentRepository.GetStateAsync(connection, transaction, caller.TenantId, model, lockRow: false);
        if (deployment is not null && (deployment.StableVersion == number || deployment.CandidateVersion == number))
        {
            return Failure.Conflict($"version {number} of '{model}' is deployed ({(deployment.StableVersion == number ? "stable" : "candidate")}); change the deployment first");
        }

        await connection.ExecuteAsync(
            "UPDATE model_versions SET status = 'retired' WHERE tenant_id = @tenant AND model_name = @model AND version = @number",
            new { tenant = caller.TenantId, model, number = (long)number }, transaction);
        var after = (await GetVersionAsync(connection, transaction, caller.TenantId, model, number))!;
        await AuditLog.AppendAsync(connection, transaction, caller, time.GetUtcNow().ToUnixTimeMilliseconds(), caller.TenantId,
            "version.retired", VersionTarget(model, number), model, Summary(before), Summary(after));
        await transaction.CommitAsync(cancellationToken);
        return after;
    }

    public async Task<VersionView?> GetVersionAsync(string tenant, string model, int number, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        return await GetVersionAsync(connection, null, tenant, model, number);
    }

    public async Task<IReadOnlyList<VersionView>> ListVersionsAsync(string tenant, string model, int? afterVersion, int limit, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        var rows = await connection.QueryAsync<VersionRow>(
            $"SELECT {VersionColumns} FROM model_versions WHERE tenant_id = @tenant AND model_name = @model AND (@after IS NULL OR version > @after) ORDER BY version LIMIT @limit",
            new { tenant, model, after = (long?)afterVersion, limit });
        return rows.Select(r => r.ToView()).ToList();
    }

    public async Task<bool> ExistsAsync(string tenant, string model, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        return await connection.ExecuteScalarAsync<long?>("SELECT 1 FROM models WHERE tenant_id = @tenant AND name = @model", new { tenant, model }) is not null;
    }

    /// <summary>One tenant's models by name, or (<paramref name="tenant"/> null) every tenant's by tenant, then name.</summary>
    public async Task<IReadOnlyList<ModelView>> ListModelsAsync(string? tenant, ModelCursor? after, int limit, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        return await QueryModelsAsync(connection, tenant, after, only: null, limit);
    }

    public async Task<ModelView?> GetModelAsync(string tenant, string model, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        return (await QueryModelsAsync(connection, tenant, after: null, only: model, limit: 1)).SingleOrDefault();
    }

    private static async Task<IReadOnlyList<ModelView>> QueryModelsAsync(DbConnection connection, string? tenant, ModelCursor? after, string? only, int limit)
    {
        var rows = await connection.QueryAsync<(string Tenant, string Name, long CreatedAtMs, long VersionCount, long? Latest)>(
            """
            SELECT m.tenant_id, m.name, m.created_at_ms, COUNT(v.version), MAX(v.version)
            FROM models m LEFT JOIN model_versions v ON v.tenant_id = m.tenant_id AND v.model_name = m.name
            WHERE (@tenant IS NULL OR m.tenant_id = @tenant)
              AND (@afterName IS NULL OR m.tenant_id > @afterTenant OR (m.tenant_id = @afterTenant AND m.name > @afterName))
              AND (@only IS NULL OR m.name = @only)
            GROUP BY m.tenant_id, m.name, m.created_at_ms ORDER BY m.tenant_id, m.name LIMIT @limit
            """,
            new { tenant, afterTenant = after?.Tenant ?? tenant, afterName = after?.Name, only, limit });
        var models = new List<ModelView>();
        foreach (var row in rows)
        {
            var deployment = await DeploymentRepository.GetViewAsync(connection, null, row.Tenant, row.Name);
            models.Add(new ModelView(row.Name, (int)row.VersionCount, (int?)row.Latest, deployment, DateTimeOffset.FromUnixTimeMilliseconds(row.CreatedAtMs), row.Tenant));
        }

        return models;
    }

    /// <summary>Whether any version of <paramref name="tenant"/> (any tenant when null) is stored under the digest.</summary>
    public async Task<bool> DigestVisibleAsync(string? tenant, string digest, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        return await connection.ExecuteScalarAsync<long?>(
            "SELECT 1 FROM model_versions WHERE digest = @digest AND (@tenant IS NULL OR tenant_id = @tenant) LIMIT 1",
            new { digest, tenant }) is not null;
    }

    internal static async Task<VersionView?> GetVersionAsync(DbConnection connection, DbTransaction? transaction, string tenant, string model, int number, bool lockRow = false)
    {
        var row = await connection.QuerySingleOrDefaultAsync<VersionRow>(
            $"SELECT {VersionColumns} FROM model_versions WHERE tenant_id = @tenant AND model_name = @model AND version = @number" + (lockRow ? SqlDialect.ForUpdate(connection) : ""),
            new { tenant, model, number = (long)number }, transaction);
        return row?.ToView();
    }

    private static string VersionTarget(string model, int version) => $"models/{model}/versions/{version}";

    private static object Summary(VersionView view) => new { view.Version, view.Digest, view.SizeBytes, view.Status, view.Description, view.Tags };

    private sealed record VersionRow(string Model, long Version, string Digest, long SizeBytes, string Status, string? Description, string Tags, string Metadata, string Signature, long CreatedAtMs, string CreatedBy)
    {
        public VersionView ToView() => new(
            Model,
            (int)Version,
            Digest,
            SizeBytes,
            Status,
            Description,
            JsonSerializer.Deserialize<List<string>>(Tags, Json)!,
            JsonDocument.Parse(Metadata).RootElement.Clone(),
            JsonSerializer.Deserialize<ModelSignature>(Signature, Json)!,
            DateTimeOffset.FromUnixTimeMilliseconds(CreatedAtMs),
            CreatedBy);
    }
}

/// <summary>Where a listing of models resumes: after this tenant's model (the tenant is null for a one-tenant listing).</summary>
internal sealed record ModelCursor(string? Tenant, string Name);

internal static class VersionStatus
{
    public const string Active = "active";
    public const string Retired = "retired";
}
