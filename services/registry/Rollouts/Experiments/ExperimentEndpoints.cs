using System.Security.Claims;
using Orbit.Contracts.Rollouts;
using Orbit.Hosting.Security;
using Orbit.Registry.Api;

namespace Orbit.Registry.Rollouts.Experiments;

internal static class ExperimentEndpoints
{
    public static void MapExperimentEndpoints(this IEndpointRouteBuilder app)
    {
        var experiments = app.MapGroup("/v1/models/{name}/experiments").WithTags("Experiments").AddEndpointFilter(TenantScope.OwnTenantWrites);
        experiments.MapPost("", StartAsync).RequireAuthorization(Policies.Deployer);
        experiments.MapGet("/{id}", GetAsync).RequireAuthorization(Policies.Viewer);
        experiments.MapPost("/{id}/stop", StopAsync).RequireAuthorization(Policies.Deployer);
    }

    private static async Task<IResult> StartAsync(string name, StartExperiment request, ClaimsPrincipal user, ExperimentController controller, CancellationToken cancellationToken)
    {
        var started = await controller.StartAsync(Caller.From(user), name, request, cancellationToken);
        return started.ToResult(e => Results.Created($"/v1/models/{name}/experiments/{e.Id}", ExperimentReport.View(e)));
    }

    private static async Task<IResult> GetAsync(string name, string id, string? tenant, ClaimsPrincipal user, ExperimentStore store, CancellationToken cancellationToken) =>
        TenantScope.Of(Caller.From(user), tenant) is { } scope && await store.GetAsync(scope, name, id, cancellationToken) is { } experiment
            ? Results.Ok(ExperimentReport.View(experiment))
            : Problems.NotFound($"model '{name}' has no experiment '{id}' (or does not exist)");

    private static async Task<IResult> StopAsync(string name, string id, ClaimsPrincipal user, ExperimentController controller, CancellationToken cancellationToken) =>
        (await controller.StopAsync(Caller.From(user), name, id, cancellationToken)).ToResult(e => Results.Ok(ExperimentReport.View(e)));
}
