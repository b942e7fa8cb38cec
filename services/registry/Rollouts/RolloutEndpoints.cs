using System.Security.Claims;
using Microsoft.Extensions.Options;
using Orbit.Contracts.Rollouts;
using Orbit.Hosting.Security;
using Orbit.Registry.Api;
using Orbit.Registry.Deployments;
using Orbit.Registry.Models;

namespace Orbit.Registry.Rollouts;

internal static class RolloutEndpoints
{
    private const int DecisionsShown = 50;

    public static void MapRolloutEndpoints(this IEndpointRouteBuilder app)
    {
        var rollout = app.MapGroup("/v1/models/{name}/rollout").WithTags("Rollouts").AddEndpointFilter(TenantScope.OwnTenantWrites);
        rollout.MapPost("", StartAsync).RequireAuthorization(Policies.Deployer);
        rollout.MapGet("", GetAsync).RequireAuthorization(Policies.Viewer);
        rollout.MapPost("/pause", (string name, ClaimsPrincipal user, RolloutStore store, TimeProvider time, CancellationToken ct) =>
            ChangeAsync(name, user, store, time, Rollout.Running, r => r with { State = Rollout.Paused }, ct)).RequireAuthorization(Policies.Deployer);
        rollout.MapPost("/resume", (string name, ClaimsPrincipal user, RolloutStore store, TimeProvider time, CancellationToken ct) =>
            ChangeAsync(name, user, store, time, Rollout.Paused, r => r with
            {
                State = Rollout.Running,
                EvaluatedAt = time.GetUtcNow(),
                Progress = r.Progress with { PassingSince = null },
            }, ct)).RequireAuthorization(Policies.Deployer);
        rollout.MapPost("/abort", AbortAsync).RequireAuthorization(Policies.Deployer);
        var policy = app.MapGroup("/v1/models/{name}/rollout-policy").WithTags("Rollouts").AddEndpointFilter(TenantScope.OwnTenantWrites);
        policy.MapGet("", GetPolicyAsync).RequireAuthorization(Policies.Viewer);
        policy.MapPut("", SetPolicyAsync).RequireAuthorization(Policies.Deployer);
    }

    private static async Task<IResult> StartAsync(string name, StartRollout request, ClaimsPrincipal user, RolloutStarter starter, CancellationToken cancellationToken)
    {
        var caller = Caller.From(user);
        var started = await starter.StartAsync(caller, name, request, caller.Actor, cancellationToken);
        return started.Kind == OutcomeKind.Conflict && started.Detail!.StartsWith("rollout ", StringComparison.Ordinal)
            ? Conflict(started.Detail)
            : started.ToResult(rollout => Results.Created($"/v1/models/{name}/rollout", View(rollout, [])));
    }

    private static async Task<IResult> GetPolicyAsync(string name, string? tenant, ClaimsPrincipal user, RolloutStore store, CancellationToken cancellationToken) =>
        TenantScope.Of(Caller.From(user), tenant) is { } scope
            ? Results.Ok(await store.PolicyAsync(scope, name, cancellationToken) ?? new RolloutPolicy())
            : Problems.NotFound($"model '{name}' not found");

    private static async Task<IResult> SetPolicyAsync(string name, RolloutPolicy policy, ClaimsPrincipal user, RolloutStore store, ModelRepository models,
        IOptions<RolloutOptions> options, CancellationToken cancellationToken)
    {
        var caller = Caller.From(user);
        if (await models.GetModelAsync(caller.TenantId, name, cancellationToken) is null)
        {
            return Problems.NotFound($"model '{name}' not found");
        }

        if (RolloutRules.Settings(policy.Strategy, policy.Steps, policy.BakeSeconds, policy.IntervalSeconds, policy.Analysis, options.Value) is { Kind: not OutcomeKind.Ok } invalid)
        {
            return invalid.ToResult(Results.Ok);
        }

        await store.SetPolicyAsync(caller, name, policy, cancellationToken);
        return Results.Ok(policy);
    }

    private static async Task<IResult> GetAsync(string name, string? tenant, ClaimsPrincipal user, RolloutStore store, int? decisions, CancellationToken cancellationToken)
    {
        if (decisions is < 0 or > 1000)
        {
            return Orbit.Hosting.Errors.FieldProblem.For("decisions", "must be from 0 to 1000");
        }

        var scope = TenantScope.Of(Caller.From(user), tenant);
        var rollout = scope is null ? null : await store.LatestAsync(scope, name, cancellationToken);
        return rollout is null
            ? Problems.NotFound($"model '{name}' has no rollout (or does not exist)")
            : Results.Ok(View(rollout, await store.DecisionsAsync(rollout.Id, decisions ?? DecisionsShown, cancellationToken)));
    }

    private static async Task<IResult> ChangeAsync(
        string name, ClaimsPrincipal user, RolloutStore store, TimeProvider time, string from, Func<Rollout, Rollout> change, CancellationToken cancellationToken)
    {
        var caller = Caller.From(user);
        var rollout = await store.LatestAsync(caller.TenantId, name, cancellationToken);
        if (rollout is null)
        {
            return Problems.NotFound($"model '{name}' has no rollout (or does not exist)");
        }

        if (rollout.State != from)
        {
            return Conflict($"rollout {rollout.Id} is {rollout.State}, not {from}");
        }

        if (rollout.IsShadow)
        {
            return Conflict($"rollout {rollout.Id} is a shadow, which cannot be paused: it answers nobody (abort it to stop the mirror: ./orbit rollout abort {name})");
        }

        var next = change(rollout);
        await store.SaveAsync(next, null, caller, cancellationToken);
        return Results.Ok(View(next, await store.DecisionsAsync(next.Id, DecisionsShown, cancellationToken)));
    }

    /// <summary>Stops the rollout and sends all traffic back to stable.</summary>
    private static async Task<IResult> AbortAsync(
        string name, ClaimsPrincipal user, RolloutStore store, DeploymentRepository deployments, Shadow.ShadowEvaluator shadows, TimeProvider time, CancellationToken cancellationToken)
    {
        var caller = Caller.From(user);
        var rollout = await store.LatestAsync(caller.TenantId, name, cancellationToken);
        if (rollout is null)
        {
            return Problems.NotFound($"model '{name}' has no rollout (or does not exist)");
        }

        if (!rollout.Active)
        {
            return Conflict($"rollout {rollout.Id} already ended ({rollout.State})");
        }

        var deployment = await deployments.GetAsync(caller.TenantId, name, cancellationToken);
        if (rollout.IsShadow)
        {
            if (Shadow.ShadowEvaluator.Matches(deployment, rollout))
            {
                await shadows.RemoveRouteAsync(caller, rollout, cancellationToken);
            }
        }
        else if (deployment?.CandidateVersion == rollout.CandidateVersion)
        {
            await deployments.ApplyAsync(caller, name, "rollout-aborted", DeploymentRules.Rollback, cancellationToken);
        }

        var ended = rollout.Ended(Rollout.Aborted, $"aborted by {caller.Actor}", time.GetUtcNow());
        await store.SaveAsync(ended, null, caller, cancellationToken);
        return Results.Ok(View(ended, await store.DecisionsAsync(ended.Id, DecisionsShown, cancellationToken)));
    }

    private static IResult Conflict(string detail) =>
        Results.Problem(statusCode: StatusCodes.Status409Conflict, type: Orbit.Hosting.Errors.ProblemTypes.Conflict, title: "Conflict", detail: detail);

    private static RolloutView View(Rollout r, IReadOnlyList<RolloutDecisionView> decisions) => new(
        r.Id, r.Model, r.StableVersion, r.CandidateVersion, r.Strategy, r.Steps, r.Progress.Step, r.Weight, r.State,
        r.BakeSeconds, r.IntervalSeconds, r.Analysis, r.StartedAt, r.StartedBy, r.EndedAt, r.Reason, decisions,
        r.Shadow is { } shadow ? Shadow.ShadowReport.View(shadow, r.Analysis) : null);
}
