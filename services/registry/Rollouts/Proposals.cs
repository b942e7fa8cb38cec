using System.Security.Claims;
using Orbit.Contracts.Rollouts;
using Orbit.Hosting.Security;
using Orbit.Registry.Api;

namespace Orbit.Registry.Rollouts;

/// <summary>
/// <c>POST /v1/models/{name}/proposals</c>: a version someone (the retrainer) proposes for production is rolled out
/// by the model's <see cref="RolloutPolicy"/> — a canary against stable, with the registry's defaults where the
/// policy is silent. A call, not an event, so the proposer learns at once whether a rollout started and why not.
/// A proposal that starts nothing (the policy says no, a rollout is in flight) is still recorded in the audit log.
/// </summary>
internal static partial class Proposals
{
    public static void MapProposalEndpoints(this IEndpointRouteBuilder app) =>
        app.MapPost("/v1/models/{name}/proposals", ProposeAsync).WithTags("Rollouts").RequireAuthorization(Policies.Deployer).AddEndpointFilter(TenantScope.OwnTenantWrites);

    private static async Task<IResult> ProposeAsync(string name, ProposeVersion proposal, ClaimsPrincipal user, RolloutStore store, RolloutStarter starter,
        Models.ModelRepository models, ILoggerFactory loggers, CancellationToken cancellationToken)
    {
        var caller = Caller.From(user);
        if (await models.GetModelAsync(caller.TenantId, name, cancellationToken) is null)
        {
            return Problems.NotFound($"model '{name}' not found");
        }

        var logger = loggers.CreateLogger(typeof(Proposals));
        var policy = await store.PolicyAsync(caller.TenantId, name, cancellationToken) ?? new RolloutPolicy();
        if (!policy.AutoStart)
        {
            const string reason = "the model's rollout policy leaves proposals to a person (autoStart: false)";
            await store.NoteAsync(caller, caller.TenantId, name, "rollout.proposal-left", new { proposal.Version, proposal.Reference, reason }, cancellationToken);
            return Results.Ok(new ProposalAnswer(false, null, reason));
        }

        var started = await starter.StartAsync(caller, name,
            new StartRollout(proposal.Version, policy.Strategy, policy.Steps, policy.BakeSeconds, policy.IntervalSeconds, policy.Analysis),
            proposal.Reference is null ? caller.Actor : $"{caller.Actor} ({proposal.Reference})", cancellationToken);
        switch (started.Kind)
        {
            case OutcomeKind.Ok:
                LogStarted(logger, name, proposal.Version, started.Value!.Id);
                return Results.Ok(new ProposalAnswer(true, started.Value.Id, started.Value.Shadow is { } shadow
                    ? $"shadow started, mirroring {shadow.MirrorPercent} % of stable's requests"
                    : $"canary started at {started.Value.Weight} %"));
            case OutcomeKind.Conflict or OutcomeKind.NotFound:
                LogLeft(logger, name, proposal.Version, started.Detail!);
                await store.NoteAsync(caller, caller.TenantId, name, "rollout.proposal-left", new { proposal.Version, proposal.Reference, reason = started.Detail }, cancellationToken);
                return Results.Ok(new ProposalAnswer(false, null, started.Detail!));
            default:
                return started.ToResult(Results.Ok);
        }
    }

    [LoggerMessage(EventId = RegistryLogEvents.ProposalStarted, Level = LogLevel.Information, Message = "Proposed version {Version} of {Model}: rollout {RolloutId} started")]
    private static partial void LogStarted(ILogger logger, string model, int version, string rolloutId);

    [LoggerMessage(EventId = RegistryLogEvents.ProposalLeft, Level = LogLevel.Warning, Message = "Proposed version {Version} of {Model} was not rolled out: {Reason}")]
    private static partial void LogLeft(ILogger logger, string model, int version, string reason);
}
