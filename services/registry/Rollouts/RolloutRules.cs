using Orbit.Contracts.Registry;
using Orbit.Contracts.Rollouts;
using Orbit.Registry.Api;
using Orbit.Registry.Rollouts.Analysis;

namespace Orbit.Registry.Rollouts;

/// <summary>Checks a start request field by field and builds the rollout it asks for, defaults filled in.</summary>
internal static class RolloutRules
{
    public static Outcome<Rollout> Start(StartRollout request, DeploymentView? deployment, string tenant, string model, RolloutOptions defaults, string startedBy, DateTimeOffset now)
    {
        if (request.Strategy == Rollout.ShadowStrategy)
        {
            return Shadow.ShadowRules.Start(request, deployment, tenant, model, defaults, startedBy, now);
        }

        if (Shadow.ShadowRules.OnlyForShadow(request) is { } shadowOnly)
        {
            return Failure.Invalid(shadowOnly, "only a shadow takes this (strategy: shadow)");
        }

        var settings = Settings(request.Strategy, request.Steps, request.BakeSeconds, request.IntervalSeconds, request.Analysis, defaults);
        if (settings.Kind != OutcomeKind.Ok)
        {
            return new Outcome<Rollout>(settings.Kind, null, settings.Field, settings.Detail);
        }

        if (CandidateProblem(request, deployment, model) is { } problem)
        {
            return problem;
        }

        var stable = deployment!.StableVersion!.Value;
        var s = settings.Value!;
        return new Rollout(
            "ro_" + Guid.NewGuid().ToString("N")[..16], tenant, model, stable, request.CandidateVersion, s.Strategy, s.Steps, s.BakeSeconds, s.IntervalSeconds,
            s.Analysis, Rollout.Running, StepProgress.Start(0, now), now, now, startedBy);
    }

    /// <summary>Null when the deployment has a stable version and the candidate is another version.</summary>
    public static Failure? CandidateProblem(StartRollout request, DeploymentView? deployment, string model)
    {
        if (deployment?.StableVersion is not { } stable)
        {
            return Failure.Conflict($"model '{model}' has no stable version deployed: deploy one first (./orbit deploy {model} --stable VERSION)");
        }

        if (request.CandidateVersion < 1)
        {
            return Failure.Invalid("candidateVersion", "must be a version number (1 or more)");
        }

        return request.CandidateVersion == stable ? Failure.Invalid("candidateVersion", $"version {stable} is already stable") : null;
    }

    /// <summary>A rollout's settings, checked field by field, with the registry's defaults where left out.</summary>
    public static Outcome<RolloutSettings> Settings(string? strategy, IReadOnlyList<int>? steps, int? bakeSeconds, int? intervalSeconds, RolloutAnalysis? analysis, RolloutOptions defaults)
    {
        strategy ??= Rollout.Canary;
        if (strategy is not (Rollout.Canary or Rollout.ShadowStrategy))
        {
            return Failure.Invalid("strategy", $"'{strategy}' is not available: use 'canary' or 'shadow' (an A/B split: POST /v1/models/{{name}}/experiments)");
        }

        if (strategy == Rollout.ShadowStrategy)
        {
            if (steps is not null || bakeSeconds is not null)
            {
                return Failure.Invalid(steps is not null ? "steps" : "bakeSeconds", "a shadow has no steps: the candidate answers nobody");
            }

            steps = [];
            bakeSeconds = 0;
            intervalSeconds ??= defaults.DefaultExperimentIntervalSeconds;
        }

        steps ??= defaults.DefaultSteps;
        if (strategy == Rollout.Canary && StepsProblem(steps) is { } stepsProblem)
        {
            return Failure.Invalid("steps", stepsProblem);
        }

        var bake = bakeSeconds ?? defaults.DefaultBakeSeconds;
        if (bake is < 0 or > 86_400)
        {
            return Failure.Invalid("bakeSeconds", "must be from 0 to 86400");
        }

        var interval = intervalSeconds ?? defaults.DefaultIntervalSeconds;
        if (interval is < 1 or > 3_600)
        {
            return Failure.Invalid("intervalSeconds", "must be from 1 to 3600");
        }

        analysis ??= new RolloutAnalysis();
        if (AnalysisProblem(analysis) is { } problem)
        {
            return Failure.Invalid("analysis." + problem.Field, problem.Problem);
        }

        return new RolloutSettings(strategy, steps.ToList(), bake, interval, analysis);
    }

    private static string? StepsProblem(IReadOnlyList<int> steps)
    {
        if (steps.Count is 0 or > 20)
        {
            return "give 1 to 20 weights, e.g. [5, 25, 50, 100]";
        }

        for (var i = 0; i < steps.Count; i++)
        {
            if (steps[i] is < 1 or > 100 || (i > 0 && steps[i] <= steps[i - 1]))
            {
                return "weights must be percentages from 1 to 100, each larger than the one before";
            }
        }

        return steps[^1] == 100 ? null : "the last weight must be 100 (the candidate takes all traffic before it is promoted)";
    }

    private static (string Field, string Problem)? AnalysisProblem(RolloutAnalysis a) =>
        a.Alpha is <= 0 or > 0.5 ? ("alpha", "must be above 0 and at most 0.5")
        : a.MinSamples is < 1 or > 1_000_000 ? ("minSamples", "must be from 1 to 1000000")
        : !(a.ErrorRateMargin is >= 0 and <= 1) ? ("errorRateMargin", "must be from 0 to 1")
        : !(a.LatencyMargin is >= 0 and <= 10) ? ("latencyMargin", "must be from 0 to 10 (relative: 0.1 is 10 %)")
        : !(a.AccuracyMargin is >= 0 and <= 1) ? ("accuracyMargin", "must be from 0 to 1")
        : a.FailureLimit is < 1 or > 100 ? ("failureLimit", "must be from 1 to 100")
        : a.SourceErrorLimit is < 1 or > 100 ? ("sourceErrorLimit", "must be from 1 to 100")
        : a.OnInconclusive is not (RolloutAnalysis.Hold or RolloutAnalysis.Rollback) ? ("onInconclusive", "must be 'hold' or 'rollback'")
        : null;
}

internal sealed record RolloutSettings(string Strategy, List<int> Steps, int BakeSeconds, int IntervalSeconds, RolloutAnalysis Analysis);
