using System.Security.Claims;
using System.Text.RegularExpressions;
using Dapper;
using Orbit.Contracts.Registry;
using Orbit.Hosting.Errors;
using Orbit.Hosting.Security;
using Orbit.Registry.Api;
using Orbit.Registry.Audit;
using Orbit.Registry.Outbox;
using Orbit.Registry.Storage;

namespace Orbit.Registry.Auth;

internal static partial class AuthEndpoints
{
    public static void MapAuthEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapGet("/v1/auth/whoami", (ClaimsPrincipal user) =>
        {
            var caller = Caller.From(user);
            return Results.Ok(new CallerIdentity(caller.KeyId, caller.TenantId, Roles.Name(caller.Role)));
        }).RequireAuthorization(Policies.Viewer).WithTags("Auth");

        var tenants = app.MapGroup("/v1/tenants").WithTags("Tenants").RequireAuthorization(Policies.Admin);
        tenants.MapPost("", CreateTenantAsync);
        tenants.MapGet("", ListTenantsAsync);

        var keys = app.MapGroup("/v1/keys").WithTags("Keys").RequireAuthorization(Policies.Admin);
        keys.MapPost("", CreateKeyAsync);
        keys.MapGet("", ListKeysAsync);
        keys.MapDelete("/{id}", RevokeKeyAsync);
    }

    private static async Task<IResult> CreateTenantAsync(CreateTenant request, ClaimsPrincipal user, RegistryDatabase database, TimeProvider time, CancellationToken cancellationToken)
    {
        var caller = Caller.From(user);
        if (!caller.IsPlatformAdmin)
        {
            return Forbidden("only an admin of the platform tenant may create tenants");
        }

        if (request.Id is null || !TenantId().IsMatch(request.Id))
        {
            return FieldProblem.For("id", "a tenant id is 1 to 63 lowercase letters, digits and '-', starting with a letter or digit");
        }

        var displayName = string.IsNullOrWhiteSpace(request.DisplayName) ? request.Id : request.DisplayName.Trim();
        if (displayName.Length > 200)
        {
            return FieldProblem.For("displayName", "must be at most 200 characters");
        }

        var now = time.GetUtcNow();
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        var inserted = await connection.ExecuteAsync(
            "INSERT INTO tenants (id, display_name, created_at_ms) VALUES (@Id, @displayName, @at) ON CONFLICT DO NOTHING",
            new { request.Id, displayName, at = now.ToUnixTimeMilliseconds() }, transaction);
        if (inserted == 0)
        {
            return Results.Problem(statusCode: StatusCodes.Status409Conflict, type: ProblemTypes.Conflict, title: "Conflict", detail: $"tenant '{request.Id}' already exists");
        }

        var view = new TenantView(request.Id, displayName, now);
        await AuditLog.AppendAsync(connection, transaction, caller, now.ToUnixTimeMilliseconds(), request.Id, "tenant.created", $"tenants/{request.Id}", null, null, view);
        await transaction.CommitAsync(cancellationToken);
        return Results.Created($"/v1/tenants/{request.Id}", view);
    }

    private static async Task<IResult> ListTenantsAsync(ClaimsPrincipal user, RegistryDatabase database, int? limit, string? cursor, CancellationToken cancellationToken)
    {
        if (!Caller.From(user).IsPlatformAdmin)
        {
            return Forbidden("only an admin of the platform tenant may list tenants");
        }

        var (take, after, problem) = Paging.Read(limit, cursor);
        if (problem is not null)
        {
            return problem;
        }

        await using var connection = await database.OpenAsync(cancellationToken);
        var rows = await connection.QueryAsync<(string Id, string DisplayName, long AtMs)>(
            "SELECT id, display_name, created_at_ms FROM tenants WHERE (@after IS NULL OR id > @after) ORDER BY id LIMIT @take", new { after, take });
        var page = rows.Select(r => new TenantView(r.Id, r.DisplayName, DateTimeOffset.FromUnixTimeMilliseconds(r.AtMs))).ToList();
        return Results.Ok(new Page<TenantView>(page, Paging.Next(page, take, t => t.Id)));
    }

    private static async Task<IResult> CreateKeyAsync(CreateApiKey request, ClaimsPrincipal user, RegistryDatabase database, TimeProvider time, CancellationToken cancellationToken)
    {
        var caller = Caller.From(user);
        if (!Roles.TryParse(request.Role, out var role))
        {
            return FieldProblem.For("role", "must be viewer, predictor, deployer or admin");
        }

        if (request.Description is { Length: > 200 })
        {
            return FieldProblem.For("description", "must be at most 200 characters");
        }

        var tenant = request.TenantId ?? caller.TenantId;
        if (tenant != caller.TenantId && !caller.IsPlatformAdmin)
        {
            return Problems.NotFound($"tenant '{tenant}' not found");
        }

        var now = time.GetUtcNow();
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        if (await connection.ExecuteScalarAsync<string>("SELECT id FROM tenants WHERE id = @tenant", new { tenant }, transaction) is null)
        {
            return Problems.NotFound($"tenant '{tenant}' not found");
        }

        var key = ApiKeys.Generate();
        var id = ApiKeys.NewId();
        await KeyStore.InsertAsync(connection, transaction, id, tenant, role, key, request.Description, now.ToUnixTimeMilliseconds(), caller.Actor);
        var view = await KeyStore.FindAsync(connection, id, transaction);
        await AuditLog.AppendAsync(connection, transaction, caller, now.ToUnixTimeMilliseconds(), tenant, "key.created", $"keys/{id}", null, null, view);
        await transaction.CommitAsync(cancellationToken);
        return Results.Created($"/v1/keys/{id}", new ApiKeyCreated(id, key, tenant, Roles.Name(role), request.Description, now));
    }

    private static async Task<IResult> ListKeysAsync(ClaimsPrincipal user, RegistryDatabase database, string? tenant, int? limit, string? cursor, CancellationToken cancellationToken)
    {
        var caller = Caller.From(user);
        var scope = tenant ?? caller.TenantId;
        if (scope != caller.TenantId && !caller.IsPlatformAdmin)
        {
            return Problems.NotFound($"tenant '{scope}' not found");
        }

        var (take, after, problem) = Paging.Read(limit, cursor);
        if (problem is not null)
        {
            return problem;
        }

        await using var connection = await database.OpenAsync(cancellationToken);
        var page = await KeyStore.ListAsync(connection, scope, after, take);
        return Results.Ok(new Page<ApiKeyView>(page, Paging.Next(page, take, k => k.KeyId)));
    }

    /// <summary>
    /// Revokes in the store, announces <see cref="ApiKeyRevoked"/> through the outbox (every gateway
    /// evicts the key at once), and evicts it from this registry's own cache after the commit.
    /// </summary>
    private static async Task<IResult> RevokeKeyAsync(
        string id, ClaimsPrincipal user, RegistryDatabase database, KeyStore keyStore, OutboxDispatcher outbox, TimeProvider time, CancellationToken cancellationToken)
    {
        var caller = Caller.From(user);
        var now = time.GetUtcNow().ToUnixTimeMilliseconds();
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        var before = await KeyStore.FindAsync(connection, id, transaction);
        if (before is null || (before.TenantId != caller.TenantId && !caller.IsPlatformAdmin))
        {
            return Problems.NotFound($"key '{id}' not found");
        }

        if (before.RevokedAt is null)
        {
            await connection.ExecuteAsync("UPDATE api_keys SET revoked_at_ms = @now WHERE id = @id", new { now, id }, transaction);
            var after = await KeyStore.FindAsync(connection, id, transaction);
            await AuditLog.AppendAsync(connection, transaction, caller, now, before.TenantId, "key.revoked", $"keys/{id}", null, before, after);
            await Outbox.Outbox.EnqueueAsync(connection, transaction, new ApiKeyRevoked(id, before.TenantId, DateTimeOffset.FromUnixTimeMilliseconds(now), caller.Actor), now);
        }

        await transaction.CommitAsync(cancellationToken);
        keyStore.Evict(id);
        outbox.Notify();
        return Results.NoContent();
    }

    private static IResult Forbidden(string detail) =>
        Results.Problem(statusCode: StatusCodes.Status403Forbidden, type: ProblemTypes.Forbidden, title: "Forbidden", detail: detail);

    [GeneratedRegex("^[a-z0-9][a-z0-9-]{0,62}$")]
    private static partial Regex TenantId();
}
