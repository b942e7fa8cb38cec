using System.Security.Claims;
using Orbit.Contracts.Registry;
using Orbit.Hosting.Errors;
using Orbit.Hosting.Security;
using Orbit.Registry.Api;
using Orbit.Registry.Auth;
using Orbit.Registry.Storage;

namespace Orbit.Registry.Audit;

internal static class AuditEndpoints
{
    /// <summary>
    /// <c>GET /v1/audit?model=&amp;actor=&amp;from=&amp;to=&amp;limit=&amp;cursor=</c>, newest first. A tenant reads
    /// its own entries; a platform admin reads every tenant's, or one with <c>tenant=</c>.
    /// </summary>
    public static void MapAuditEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapGet("/v1/audit", ReadAsync).RequireAuthorization(Policies.Viewer).WithTags("Audit");
    }

    private static async Task<IResult> ReadAsync(
        ClaimsPrincipal user,
        RegistryDatabase database,
        string? model,
        string? actor,
        DateTimeOffset? from,
        DateTimeOffset? to,
        string? tenant,
        int? limit,
        string? cursor,
        CancellationToken cancellationToken)
    {
        var (take, after, problem) = Paging.Read(limit, cursor);
        if (problem is not null)
        {
            return problem;
        }

        long? beforeId = null;
        if (after is not null)
        {
            if (!long.TryParse(after, out var id))
            {
                return FieldProblem.For("cursor", "is not a cursor this API returned");
            }

            beforeId = id;
        }

        if (from is not null && to is not null && from >= to)
        {
            return FieldProblem.For("to", "must be after 'from'");
        }

        var caller = Caller.From(user);
        var scope = caller.IsPlatformAdmin ? tenant : caller.TenantId;
        if (!caller.IsPlatformAdmin && tenant is not null && tenant != caller.TenantId)
        {
            return Problems.NotFound($"tenant '{tenant}' not found");
        }

        await using var connection = await database.OpenAsync(cancellationToken);
        var keyId = actor is not null && actor.StartsWith("key:", StringComparison.Ordinal) ? actor[4..] : actor;
        var page = await AuditLog.ReadAsync(connection, new AuditLog.Query(scope, model, keyId, from?.ToUnixTimeMilliseconds(), to?.ToUnixTimeMilliseconds(), beforeId, take));
        return Results.Ok(new Page<AuditEntry>(page, Paging.Next(page, take, e => e.Id.ToString(System.Globalization.CultureInfo.InvariantCulture))));
    }
}
