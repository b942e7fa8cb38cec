using Orbit.Registry.Api;

namespace Orbit.Registry.Deployments;

/// <summary>
/// The deployment state machine, without storage: set, promote, roll back, remove. Each returns
/// the next state or the reason the change is refused.
/// </summary>
internal static class DeploymentRules
{
    public const string Manual = "manual";
    public const string Canary = "canary";
    public const string Ab = "ab";
    public const string Shadow = "shadow";

    public static Outcome<DeploymentState> Set(DeploymentState? current, int stable, int? candidate, int weight, string strategy)
    {
        if (strategy != Manual)
        {
            return Failure.Invalid("strategy", $"'{strategy}' is not set here: use 'manual', or start a canary with POST /v1/models/{{name}}/rollout (./orbit rollout start)");
        }

        if (weight is < 0 or > 100)
        {
            return Failure.Invalid("candidateWeight", "must be from 0 to 100");
        }

        if (candidate is null && weight != 0)
        {
            return Failure.Invalid("candidateWeight", "a weight needs a candidateVersion");
        }

        if (candidate == stable)
        {
            return Failure.Invalid("candidateVersion", "must differ from stableVersion");
        }

        var previous = current?.StableVersion is { } old && old != stable ? old : current?.PreviousStableVersion;
        // Rolling back to the version that is already stable would change nothing.
        return new DeploymentState(NextRevision(current), stable, candidate, weight, strategy, previous == stable ? null : previous);
    }

    /// <summary>A rollout's step: the candidate at <paramref name="weight"/> percent beside the stable version the rollout started from.</summary>
    public static Outcome<DeploymentState> CanaryStep(DeploymentState? current, int stable, int candidate, int weight)
    {
        if (current?.Strategy == Ab)
        {
            return Failure.Conflict("an A/B experiment is running on this model: stop it first (./orbit experiment stop)");
        }

        if (current?.StableVersion != stable || (current.CandidateVersion is { } other && other != candidate))
        {
            return Failure.Conflict($"the deployment no longer has stable version {stable} with candidate {candidate}");
        }

        return current with { Revision = NextRevision(current), CandidateVersion = candidate, CandidateWeight = weight, Strategy = Canary, MirrorPercent = null };
    }

    public static Outcome<DeploymentState> Promote(DeploymentState? current)
    {
        if (current?.CandidateVersion is not { } candidate)
        {
            return Failure.Conflict("there is no candidate to promote");
        }

        return new DeploymentState(NextRevision(current), candidate, null, 0, current.Strategy == Shadow ? Manual : current.Strategy, current.StableVersion);
    }

    /// <summary>
    /// With a candidate, rolling back drops it and sends all traffic to stable; without one, it
    /// restores the stable version that the current one replaced.
    /// </summary>
    public static Outcome<DeploymentState> Rollback(DeploymentState? current)
    {
        if (current is null || current.StableVersion is null)
        {
            return Failure.Conflict("the model is not deployed");
        }

        if (current.CandidateVersion is not null)
        {
            return current with
            {
                Revision = NextRevision(current),
                CandidateVersion = null,
                CandidateWeight = 0,
                ExtraRoutes = null,
                MirrorPercent = null,
                Strategy = current.Strategy == Shadow ? Manual : current.Strategy,
            };
        }

        if (current.PreviousStableVersion is not { } previous)
        {
            return Failure.Conflict("there is no previous stable version to roll back to");
        }

        return current with { Revision = NextRevision(current), StableVersion = previous, PreviousStableVersion = null };
    }

    /// <summary>
    /// An A/B experiment's split: the control stays stable with its weight; the first other arm is the candidate and
    /// the rest are extra routes. Refused unless <paramref name="control"/> is still stable.
    /// </summary>
    public static Outcome<DeploymentState> Experiment(DeploymentState? current, int control, IReadOnlyList<(int Version, int Weight)> others)
    {
        if (current?.StableVersion != control)
        {
            return Failure.Conflict($"the deployment no longer has stable version {control}");
        }

        if (current.Strategy is Canary or Shadow && current.CandidateVersion is not null)
        {
            return Failure.Conflict($"a {current.Strategy} of version {current.CandidateVersion} is in flight: abort it first (./orbit rollout abort)");
        }

        return current with
        {
            Revision = NextRevision(current),
            CandidateVersion = others[0].Version,
            CandidateWeight = others[0].Weight,
            ExtraRoutes = others.Count > 1 ? others.Skip(1).ToList() : null,
            Strategy = Ab,
        };
    }

    /// <summary>An experiment's end: all traffic to the control, the other arms dropped.</summary>
    public static Outcome<DeploymentState> EndExperiment(DeploymentState? current)
    {
        if (current?.StableVersion is null)
        {
            return Failure.Conflict("the model is not deployed");
        }

        return current with { Revision = NextRevision(current), CandidateVersion = null, CandidateWeight = 0, ExtraRoutes = null, Strategy = Manual };
    }

    /// <summary>
    /// A shadow: stable keeps all traffic; the candidate is routed at weight 0 (so workers load it) and gets a copy of
    /// <paramref name="mirrorPercent"/> percent of stable's requests. Refused during an experiment or another candidate's canary.
    /// </summary>
    public static Outcome<DeploymentState> ShadowOf(DeploymentState? current, int stable, int candidate, int mirrorPercent)
    {
        if (current?.Strategy == Ab)
        {
            return Failure.Conflict("an A/B experiment is running on this model: stop it first (./orbit experiment stop)");
        }

        if (current?.StableVersion != stable)
        {
            return Failure.Conflict($"the deployment no longer has stable version {stable}");
        }

        if (current.CandidateVersion is { } other && other != candidate && current.CandidateWeight > 0)
        {
            return Failure.Conflict($"version {other} takes {current.CandidateWeight} % of the traffic: promote or roll it back first");
        }

        return current with
        {
            Revision = NextRevision(current),
            CandidateVersion = candidate,
            CandidateWeight = 0,
            ExtraRoutes = null,
            Strategy = Shadow,
            MirrorPercent = mirrorPercent,
        };
    }

    /// <summary>
    /// A shadow's end: the mirror stops. The candidate stays routed at weight 0 (<paramref name="keepCandidate"/>), warm and
    /// answering nothing, so that <c>promote</c> or a canary can follow; otherwise it is dropped.
    /// </summary>
    public static Outcome<DeploymentState> EndShadow(DeploymentState? current, bool keepCandidate)
    {
        if (current?.StableVersion is null)
        {
            return Failure.Conflict("the model is not deployed");
        }

        return current with
        {
            Revision = NextRevision(current),
            CandidateVersion = keepCandidate ? current.CandidateVersion : null,
            CandidateWeight = 0,
            MirrorPercent = null,
            Strategy = Manual,
        };
    }

    public static Outcome<DeploymentState> Remove(DeploymentState? current)
    {
        if (current?.StableVersion is null)
        {
            return Failure.Conflict("the model is not deployed");
        }

        return new DeploymentState(NextRevision(current), null, null, 0, current.Strategy, current.StableVersion);
    }

    /// <summary>Traffic shares: stable gets what the candidate does not. A candidate at 0 is listed so workers warm it.</summary>
    public static IReadOnlyList<(int Version, int Weight)> Routes(DeploymentState state)
    {
        if (state.StableVersion is not { } stable)
        {
            return [];
        }

        if (state.CandidateVersion is not { } candidate)
        {
            return [(stable, 100)];
        }

        var extra = state.ExtraRoutes ?? [];
        return [(stable, 100 - state.CandidateWeight - extra.Sum(r => r.Weight)), (candidate, state.CandidateWeight), .. extra];
    }

    private static long NextRevision(DeploymentState? current) => (current?.Revision ?? 0) + 1;
}
