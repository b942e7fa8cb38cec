using MassTransit;
using Microsoft.Extensions.Options;
using Orbit.Hosting.Security;
using Orbit.Registry.Api;
using Orbit.Registry.Deployments;
using Orbit.Registry.Rollouts.Analysis;
using Orbit.Registry.Rollouts.Evidence;
using Orbit.Registry.Rollouts.Shadow;

namespace Orbit.Registry.Rollouts;

/// <summary>
/// Evaluates every running rollout once per its interval: collects what candidate and stable each served in the
/// interval, judges it (<see cref="CanaryAnalysis"/>, <see cref="CanaryJudge"/>), stores the decision, and moves
/// the deployment: the next weight, promotion, or all traffic back to stable. A shadow is left to the
/// <see cref="ShadowEvaluator"/>. Its state lives in the store, so a restarted registry picks every rollout up where it stood.
/// </summary>
internal sealed partial class RolloutController(
    RolloutStore store,
    DeploymentRepository deployments,
    ServingEvidence evidence,
    ShadowEvaluator shadows,
    IBusControl bus,
    TimeProvider time,
    IOptions<RolloutOptions> options,
    ILogger<RolloutController> logger) : BackgroundService
{
    /// <summary>The identity the controller's deployment changes and audit rows carry.</summary>
    public static Caller Actor(string tenant) => new("rollout-controller", tenant, Role.Admin);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(options.Value.TickSeconds), time);
        do
        {
            try
            {
                await EvaluateDueAsync(stoppingToken);
            }
            catch (Exception ex) when (!stoppingToken.IsCancellationRequested)
            {
                LogTickFailed(logger, ex);
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }

    public async Task EvaluateDueAsync(CancellationToken cancellationToken)
    {
        foreach (var rollout in await store.RunningAsync(cancellationToken))
        {
            if (rollout.IsShadow)
            {
                if (shadows.Due(rollout, time.GetUtcNow()))
                {
                    await shadows.EvaluateAsync(rollout, cancellationToken);
                }
            }
            else if (time.GetUtcNow() - rollout.EvaluatedAt >= rollout.Interval)
            {
                await EvaluateAsync(rollout, cancellationToken);
            }
        }
    }

    private async Task EvaluateAsync(Rollout rollout, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var actor = Actor(rollout.TenantId);
        var deployment = await deployments.GetAsync(rollout.TenantId, rollout.Model, cancellationToken);
        if (deployment?.StableVersion != rollout.StableVersion || deployment.CandidateVersion != rollout.CandidateVersion)
        {
            var reason = $"the deployment was changed outside the rollout (now stable {Show(deployment?.StableVersion)}, candidate {Show(deployment?.CandidateVersion)})";
            await store.SaveAsync(rollout.Ended(Rollout.Aborted, reason, now), null, actor, cancellationToken);
            LogEnded(logger, rollout.Model, rollout.Id, Rollout.Aborted, reason);
            return;
        }

        if (deployment.CandidateWeight != rollout.Weight)
        {
            // A registry that stopped between storing a step and applying it: apply it now.
            await ApplyWeightAsync(rollout, rollout.Weight, cancellationToken);
        }

        var health = bus.CheckHealth();
        var sourceError = health.Status == BusHealthStatus.Healthy ? null : $"the registry's bus connection is {health.Status.ToString().ToLowerInvariant()}, so serving windows cannot arrive: {health.Description}";
        var results = sourceError is null
            ? CanaryAnalysis.Evaluate(
                evidence.Collect(rollout.TenantId, rollout.Model, rollout.CandidateVersion, rollout.EvaluatedAt, now),
                evidence.Collect(rollout.TenantId, rollout.Model, rollout.StableVersion, StableSince(rollout), now),
                rollout.Analysis)
            : [];
        Verdict? verdict = sourceError is null ? CanaryAnalysis.Overall(results) : null;
        var judged = CanaryJudge.Decide(rollout.Progress, verdict, sourceError, rollout.EvaluatedAt, now, rollout.Bake, rollout.OnLastStep, rollout.Analysis);
        var decision = new RolloutDecision(now, rollout.Progress.Step, rollout.Weight, rollout.EvaluatedAt, now,
            verdict?.ToString().ToLowerInvariant() ?? "unreadable", judged.Action, judged.Reason, results);
        var next = rollout with { Progress = judged.Progress, EvaluatedAt = now };
        switch (judged.Action)
        {
            case RolloutAction.Advance:
                next = next with { Progress = StepProgress.Start(rollout.Progress.Step + 1, now) };
                await store.SaveAsync(next, decision, actor, cancellationToken);
                await ApplyWeightAsync(next, next.Weight, cancellationToken);
                LogAdvanced(logger, rollout.Model, rollout.Id, next.Weight);
                break;
            case RolloutAction.Promote:
                // The deployment first: a registry stopping in between leaves a running rollout whose next
                // evaluation sees the promoted deployment and ends it, never traffic that disagrees with the record.
                await deployments.ApplyAsync(actor, rollout.Model, "rollout-promoted", DeploymentRules.Promote, cancellationToken);
                await store.SaveAsync(next.Ended(Rollout.Promoted, judged.Reason, now), decision, actor, cancellationToken);
                LogEnded(logger, rollout.Model, rollout.Id, Rollout.Promoted, judged.Reason);
                break;
            case RolloutAction.Rollback:
                await deployments.ApplyAsync(actor, rollout.Model, "rollout-rolled-back", DeploymentRules.Rollback, cancellationToken);
                await store.SaveAsync(next.Ended(Rollout.RolledBack, judged.Reason, now), decision, actor, cancellationToken);
                LogEnded(logger, rollout.Model, rollout.Id, Rollout.RolledBack, judged.Reason);
                break;
            default:
                await store.SaveAsync(next, decision, actor, cancellationToken);
                break;
        }
    }

    /// <summary>
    /// Where stable's evidence starts: this interval, or at a 100 % step, where stable serves nothing, the two
    /// intervals before the step began: the candidate taking all traffic is judged against what stable served last.
    /// </summary>
    private static DateTimeOffset StableSince(Rollout rollout) =>
        rollout.Weight >= 100 ? Min(rollout.EvaluatedAt, rollout.Progress.StepStartedAt - (2 * rollout.Interval)) : rollout.EvaluatedAt;

    private static DateTimeOffset Min(DateTimeOffset a, DateTimeOffset b) => a < b ? a : b;

    public Task<Outcome<Orbit.Contracts.Registry.DeploymentView>> ApplyWeightAsync(Rollout rollout, int weight, CancellationToken cancellationToken) =>
        deployments.ApplyAsync(Actor(rollout.TenantId), rollout.Model, "rollout-step",
            current => DeploymentRules.CanaryStep(current, rollout.StableVersion, rollout.CandidateVersion, weight), cancellationToken);

    private static string Show(int? version) => version?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "none";

    [LoggerMessage(EventId = RegistryLogEvents.RolloutAdvanced, Level = LogLevel.Information, Message = "Rollout {RolloutId} of {Model}: candidate now at {Weight} %")]
    private static partial void LogAdvanced(ILogger logger, string model, string rolloutId, int weight);

    [LoggerMessage(EventId = RegistryLogEvents.RolloutEnded, Level = LogLevel.Information, Message = "Rollout {RolloutId} of {Model} {State}: {Reason}")]
    private static partial void LogEnded(ILogger logger, string model, string rolloutId, string state, string reason);

    [LoggerMessage(EventId = RegistryLogEvents.RolloutTickFailed, Level = LogLevel.Warning, Message = "Rollout evaluation failed; the next tick tries again")]
    private static partial void LogTickFailed(ILogger logger, Exception exception);
}
