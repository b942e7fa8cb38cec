using Microsoft.Extensions.Options;
using Orbit.Contracts.Registry;
using Orbit.Hosting.Security;
using Orbit.Registry.Api;
using Orbit.Registry.Deployments;
using Orbit.Registry.Rollouts.Analysis;
using Orbit.Registry.Rollouts.Evidence;

namespace Orbit.Registry.Rollouts.Shadow;

/// <summary>
/// Runs a shadow rollout for the <see cref="RolloutController"/>: once per interval it folds the gateways' shadow windows
/// into the stored tallies, lagging <see cref="RolloutOptions.WindowSettleSeconds"/> behind so that each gateway's
/// window has arrived before its time is folded; when its time is up (and settled) it judges them (<see cref="ShadowJudge"/>), stops the mirror, stores the
/// verdict as the rollout's decision, and ends it <c>completed</c> — or <c>promoted</c> when it passed and asked for that.
/// The answers clients get never change: stable answers every request throughout.
/// </summary>
internal sealed partial class ShadowEvaluator(
    RolloutStore store,
    DeploymentRepository deployments,
    ServingEvidence evidence,
    TimeProvider time,
    IOptions<RolloutOptions> options,
    ILogger<ShadowEvaluator> logger)
{
    private TimeSpan Settle => options.Value.WindowSettle;

    public bool Due(Rollout rollout, DateTimeOffset now) =>
        now - rollout.EvaluatedAt >= rollout.Interval || now >= rollout.Shadow!.EndsAt + Settle;

    public async Task EvaluateAsync(Rollout rollout, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var actor = RolloutController.Actor(rollout.TenantId);
        var run = rollout.Shadow!;
        var to = now - Settle < run.EndsAt ? now - Settle : run.EndsAt;
        var folded = rollout with { EvaluatedAt = now, Shadow = Fold(rollout, run, to) };
        var deployment = await deployments.GetAsync(rollout.TenantId, rollout.Model, cancellationToken);
        if (!Matches(deployment, rollout))
        {
            var reason = $"the deployment was changed outside the shadow (now {deployment?.Strategy ?? "not deployed"}, stable {Show(deployment?.StableVersion)}, candidate {Show(deployment?.CandidateVersion)})";
            await store.SaveAsync(folded.Ended(Rollout.Aborted, reason, now), null, actor, cancellationToken);
            LogEnded(logger, rollout.Model, rollout.Id, Rollout.Aborted, reason);
            return;
        }

        if (now < run.EndsAt + Settle)
        {
            await store.SaveProgressAsync(folded, cancellationToken);
            return;
        }

        var judged = ShadowJudge.Judge(folded.Shadow!.Tally, run, rollout.Analysis);
        var promote = judged.Verdict == Verdict.Pass && run.PromoteOnPass;
        // The deployment first: a registry stopping in between finds a running shadow whose deployment changed, and ends it.
        await deployments.ApplyAsync(actor, rollout.Model, promote ? "shadow-promoted" : "shadow-completed",
            promote ? DeploymentRules.Promote : current => DeploymentRules.EndShadow(current, keepCandidate: judged.Verdict == Verdict.Pass), cancellationToken);
        var verdict = judged.Verdict.ToString().ToLowerInvariant();
        var summary = $"shadow {verdict}: {judged.Reason}" + (promote ? "; promoted (promoteOnPass)"
            : judged.Verdict == Verdict.Pass ? $"; version {rollout.CandidateVersion} stays routed at 0 % for ./orbit promote {rollout.Model}"
            : $"; version {rollout.CandidateVersion} is no longer routed");
        var decision = new RolloutDecision(now, 0, 0, rollout.StartedAt, run.EndsAt, verdict, promote ? RolloutAction.Promote : RolloutAction.Hold, summary, judged.Metrics);
        var ended = folded with { Shadow = folded.Shadow with { Verdict = verdict, Findings = judged.Findings } };
        await store.SaveAsync(ended.Ended(promote ? Rollout.Promoted : Rollout.Completed, summary, now), decision, actor, cancellationToken);
        LogEnded(logger, rollout.Model, rollout.Id, promote ? Rollout.Promoted : Rollout.Completed, summary);
    }

    /// <summary>Stops a shadow at once (an abort): the mirror and the shadow's route go, stable is untouched.</summary>
    public Task<Outcome<DeploymentView>> RemoveRouteAsync(Caller caller, Rollout rollout, CancellationToken cancellationToken) =>
        deployments.ApplyAsync(caller, rollout.Model, "shadow-stopped", current => DeploymentRules.EndShadow(current, keepCandidate: false), cancellationToken);

    private ShadowRun Fold(Rollout rollout, ShadowRun run, DateTimeOffset to)
    {
        if (to <= run.CollectedTo)
        {
            return run;
        }

        var tally = run.Tally;
        foreach (var window in evidence.CollectShadow(rollout.TenantId, rollout.Model, rollout.StableVersion, rollout.CandidateVersion, run.CollectedTo, to))
        {
            tally = tally.Add(window, options.Value.ExperimentLatencySampleSize);
        }

        return run with { Tally = tally, CollectedTo = to };
    }

    /// <summary>Whether the deployment is still this shadow: the same stable, the candidate mirrored.</summary>
    public static bool Matches(DeploymentView? deployment, Rollout rollout) =>
        deployment is { Strategy: DeploymentRules.Shadow } d && d.StableVersion == rollout.StableVersion && d.CandidateVersion == rollout.CandidateVersion;

    private static string Show(int? version) => version?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "none";

    [LoggerMessage(EventId = RegistryLogEvents.ShadowEnded, Level = LogLevel.Information, Message = "Shadow {RolloutId} of {Model} {State}: {Reason}")]
    private static partial void LogEnded(ILogger logger, string model, string rolloutId, string state, string reason);
}
