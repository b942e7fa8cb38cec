using Orbit.Contracts.Registry;
using Orbit.Contracts.Rollouts;
using Orbit.Registry.Api;
using Orbit.Registry.Rollouts.Analysis;

namespace Orbit.Registry.Rollouts.Shadow;

/// <summary>Checks a shadow's start request field by field and builds the rollout it asks for, defaults filled in.</summary>
internal static class ShadowRules
{
    public const int DefaultMirrorPercent = 100;
    public const int MaxDurationSeconds = 30 * 86_400;

    public static Outcome<Rollout> Start(StartRollout request, DeploymentView? deployment, string tenant, string model, RolloutOptions defaults, string startedBy, DateTimeOffset now)
    {
        var settings = RolloutRules.Settings(Rollout.ShadowStrategy, request.Steps, request.BakeSeconds, request.IntervalSeconds, request.Analysis, defaults);
        if (settings.Kind != OutcomeKind.Ok)
        {
            return new Outcome<Rollout>(settings.Kind, null, settings.Field, settings.Detail);
        }

        var mirror = request.MirrorPercent ?? DefaultMirrorPercent;
        if (mirror is < 1 or > 100)
        {
            return Failure.Invalid("mirrorPercent", "must be a percentage from 1 to 100");
        }

        var duration = request.DurationSeconds ?? defaults.DefaultShadowSeconds;
        if (duration is < 1 or > MaxDurationSeconds)
        {
            return Failure.Invalid("durationSeconds", $"must be from 1 to {MaxDurationSeconds} (30 days)");
        }

        var agreement = request.AgreementThreshold ?? defaults.DefaultShadowAgreement;
        if (!(agreement is >= 0 and <= 1))
        {
            return Failure.Invalid("agreementThreshold", "must be from 0 to 1 (0.95: the shadow gives stable's label on 95 % of rows)");
        }

        if (request.MaxMeanAbsDiff is { } max && !(max >= 0 && double.IsFinite(max)))
        {
            return Failure.Invalid("maxMeanAbsDiff", "must be a finite number, 0 or more");
        }

        if (RolloutRules.CandidateProblem(request, deployment, model) is { } problem)
        {
            return problem;
        }

        var s = settings.Value!;
        var stable = deployment!.StableVersion!.Value;
        var run = new ShadowRun(mirror, duration, agreement, request.MaxMeanAbsDiff, request.PromoteOnPass ?? false, now.AddSeconds(duration), now,
            ShadowTally.Empty(stable, request.CandidateVersion));
        return new Rollout(
            "ro_" + Guid.NewGuid().ToString("N")[..16], tenant, model, stable, request.CandidateVersion, Rollout.ShadowStrategy, [], 0, s.IntervalSeconds,
            s.Analysis, Rollout.Running, StepProgress.Start(0, now), now, now, startedBy, Shadow: run);
    }

    /// <summary>The first shadow-only field a canary's request sets, or null.</summary>
    public static string? OnlyForShadow(StartRollout request) =>
        request.MirrorPercent is not null ? "mirrorPercent"
        : request.DurationSeconds is not null ? "durationSeconds"
        : request.AgreementThreshold is not null ? "agreementThreshold"
        : request.PromoteOnPass is not null ? "promoteOnPass"
        : request.MaxMeanAbsDiff is not null ? "maxMeanAbsDiff"
        : null;
}
