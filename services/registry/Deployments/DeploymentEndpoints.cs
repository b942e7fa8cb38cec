using System.Security.Claims;
using Orbit.Contracts.Registry;
using Orbit.Hosting.Security;
using Orbit.Registry.Api;
using Orbit.Registry.Auth;

namespace Orbit.Registry.Deployments;

internal static class DeploymentEndpoints
{
    public static void MapDeploymentEndpoints(this IEndpointRouteBuilder app)
    {
        var deployment = app.MapGroup("/v1/models/{name}/deployment").WithTags("Deployments").AddEndpointFilter(TenantScope.OwnTenantWrites);
        deployment.MapGet("", GetAsync).RequireAuthorization(Policies.Viewer);
        deployment.MapPut("", SetAsync).RequireAuthorization(Policies.Deployer);
        deployment.MapDelete("", (string name, ClaimsPrincipal user, DeploymentRepository deployments, CancellationToken ct) =>
            ApplyAsync(name, user, deployments, "removed", DeploymentRules.Remove, ct)).RequireAuthorization(Policies.Deployer);
        deployment.MapPost("/promote", (string name, ClaimsPrincipal user, DeploymentRepository deployments, CancellationToken ct) =>
            ApplyAsync(name, user, deployments, "promoted", DeploymentRules.Promote, ct)).RequireAuthorization(Policies.Deployer);
        deployment.MapPost("/rollback", (string name, ClaimsPrincipal user, DeploymentRepository deployments, CancellationToken ct) =>
            ApplyAsync(name, user, deployments, "rolled-back", DeploymentRules.Rollback, ct)).RequireAuthorization(Policies.Deployer);
        deployment.MapGet("/history", HistoryAsync).RequireAuthorization(Policies.Viewer);
    }

    private static async Task<IResult> GetAsync(string name, string? tenant, ClaimsPrincipal user, DeploymentRepository deployments, CancellationToken cancellationToken) =>
        TenantScope.Of(Caller.From(user), tenant) is { } scope && await deployments.GetAsync(scope, name, cancellationToken) is { } view
            ? Results.Ok(view)
            : Problems.NotFound($"model '{name}' is not deployed (or does not exist)");

    private static Task<IResult> SetAsync(string name, SetDeployment request, ClaimsPrincipal user, DeploymentRepository deployments, CancellationToken cancellationToken)
    {
        if (request.StableVersion < 1)
        {
            return Task.FromResult(Orbit.Hosting.Errors.FieldProblem.For("stableVersion", "must be a version number (1 or more)"));
        }

        return ApplyAsync(name, user, deployments, "set",
            current => DeploymentRules.Set(current, request.StableVersion, request.CandidateVersion, request.CandidateWeight, request.Strategy ?? DeploymentRules.Manual),
            cancellationToken);
    }

    private static async Task<IResult> ApplyAsync(
        string name,
        ClaimsPrincipal user,
        DeploymentRepository deployments,
        string action,
        Func<DeploymentState?, Outcome<DeploymentState>> change,
        CancellationToken cancellationToken) =>
        (await deployments.ApplyAsync(Caller.From(user), name, action, change, cancellationToken)).ToResult(Results.Ok);

    private static async Task<IResult> HistoryAsync(
        string name, string? tenant, ClaimsPrincipal user, DeploymentRepository deployments, int? limit, string? cursor, CancellationToken cancellationToken)
    {
        var (take, after, problem) = Paging.Read(limit, cursor);
        if (problem is not null)
        {
            return problem;
        }

        long? before = after is null ? null : long.TryParse(after, out var revision) ? revision : -1;
        if (before == -1)
        {
            return Orbit.Hosting.Errors.FieldProblem.For("cursor", "is not a cursor this API returned");
        }

        if (TenantScope.Of(Caller.From(user), tenant) is not { } scope)
        {
            return Problems.NotFound($"model '{name}' not found");
        }

        var page = await deployments.HistoryAsync(scope, name, before, take, cancellationToken);
        return Results.Ok(new Page<DeploymentHistoryEntry>(page, Paging.Next(page, take, e => e.Revision.ToString(System.Globalization.CultureInfo.InvariantCulture))));
    }
}
