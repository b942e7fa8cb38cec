using Orbit.Contracts.Registry;
using Orbit.Contracts.Rollouts;
using Microsoft.Extensions.Options;
using Orbit.Hosting.Security;
using Orbit.Registry.Api;
using Orbit.Registry.Deployments;

namespace Orbit.Registry.Rollouts;

/// <summary>Starts a rollout, for a person (<c>POST …/rollout</c>) or for a proposal from the retrainer.</summary>
internal sealed class RolloutStarter(
    RolloutStore store,
    DeploymentRepository deployments,
    RolloutController controller,
    Models.ModelRepository models,
    Experiments.ExperimentStore experiments,
    IOptions<RolloutOptions> options,
    TimeProvider time)
{
    public async Task<Outcome<Rollout>> StartAsync(Caller caller, string model, StartRollout request, string startedBy, CancellationToken cancellationToken)
    {
        if (await store.LatestAsync(caller.TenantId, model, cancellationToken) is { Active: true } active)
        {
            return Failure.Conflict($"rollout {active.Id} of version {active.CandidateVersion} is {active.State}: abort it first (./orbit rollout abort {model})");
        }

        var deployment = await deployments.GetAsync(caller.TenantId, model, cancellationToken);
        if (deployment is null)
        {
            return Failure.NotFound($"model '{model}' is not deployed (or does not exist)");
        }

        var started = RolloutRules.Start(request, deployment, caller.TenantId, model, options.Value, startedBy, time.GetUtcNow());
        if (started.Kind != OutcomeKind.Ok)
        {
            return started;
        }

        var rollout = started.Value!;
        if (rollout.IsShadow)
        {
            if (await models.GetVersionAsync(caller.TenantId, model, rollout.CandidateVersion, cancellationToken) is null)
            {
                return Failure.NotFound($"model '{model}' has no version {rollout.CandidateVersion}");
            }

            if (await experiments.RunningAsync(caller.TenantId, model, cancellationToken) is { } experiment)
            {
                return Failure.Conflict($"experiment {experiment.Id} is running on this model: stop it first (./orbit experiment stop {model} {experiment.Id})");
            }
        }

        var applied = rollout.IsShadow
            ? await deployments.ApplyAsync(caller, model, "shadow-started",
                current => DeploymentRules.ShadowOf(current, rollout.StableVersion, rollout.CandidateVersion, rollout.Shadow!.MirrorPercent), cancellationToken)
            : await controller.ApplyWeightAsync(rollout, rollout.Weight, cancellationToken);
        if (applied.Kind != OutcomeKind.Ok)
        {
            return new Outcome<Rollout>(applied.Kind, null, applied.Field, applied.Detail);
        }

        return await store.InsertAsync(rollout, caller, cancellationToken)
            ? rollout
            : Failure.Conflict("another rollout of this model started at the same moment");
    }
}
