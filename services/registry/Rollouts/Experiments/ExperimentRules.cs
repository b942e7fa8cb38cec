using Orbit.Contracts.Registry;
using Orbit.Contracts.Rollouts;
using Orbit.Registry.Api;

namespace Orbit.Registry.Rollouts.Experiments;

/// <summary>Checks a start request field by field and builds the experiment it asks for, the control first.</summary>
internal static class ExperimentRules
{
    public const int MaxArms = 10;
    public const int MaxDurationSeconds = 30 * 86_400;

    public static Outcome<Experiment> Start(StartExperiment request, DeploymentView deployment, string tenant, string model, RolloutOptions defaults, string startedBy, DateTimeOffset now)
    {
        if (request.Arms is not { Count: >= 2 and <= MaxArms } arms)
        {
            return Failure.Invalid("arms", $"give 2 to {MaxArms} arms, e.g. [{{\"version\": 1, \"weight\": 50}}, {{\"version\": 2, \"weight\": 50}}]");
        }

        for (var i = 0; i < arms.Count; i++)
        {
            if (arms[i] is null)
            {
                return Failure.Invalid($"arms[{i}]", "must be an object with version and weight");
            }

            if (arms[i].Version < 1)
            {
                return Failure.Invalid($"arms[{i}].version", "must be a version number (1 or more)");
            }

            if (arms[i].Weight is < 1 or > 99)
            {
                return Failure.Invalid($"arms[{i}].weight", "must be a percentage from 1 to 99");
            }
        }

        if (arms.Select(a => a.Version).Distinct().Count() != arms.Count)
        {
            return Failure.Invalid("arms", "each version may appear in one arm only");
        }

        if (arms.Sum(a => a.Weight) is var total && total != 100)
        {
            return Failure.Invalid("arms", $"the weights must add up to 100 (they add up to {total})");
        }

        if (request.DurationSeconds is not { } duration)
        {
            return Failure.Invalid("durationSeconds", "is required: how long the split runs before the report is final");
        }

        if (duration is < 1 or > MaxDurationSeconds)
        {
            return Failure.Invalid("durationSeconds", $"must be from 1 to {MaxDurationSeconds} (30 days)");
        }

        var interval = request.IntervalSeconds ?? defaults.DefaultExperimentIntervalSeconds;
        if (interval is < 1 or > 3_600)
        {
            return Failure.Invalid("intervalSeconds", "must be from 1 to 3600");
        }

        var alpha = request.Alpha ?? 0.05;
        if (alpha is <= 0 or > 0.5 || double.IsNaN(alpha))
        {
            return Failure.Invalid("alpha", "must be above 0 and at most 0.5");
        }

        var onEnd = request.OnEnd ?? Experiment.BackToControl;
        if (onEnd is not (Experiment.BackToControl or Experiment.Keep))
        {
            return Failure.Invalid("onEnd", "must be 'control' (all traffic back to the control at the end) or 'keep' (the split stays)");
        }

        if (deployment.StableVersion is not { } stable)
        {
            return Failure.Conflict($"model '{model}' has no stable version deployed: deploy one first (./orbit deploy {model} --stable VERSION)");
        }

        if (arms.All(a => a.Version != stable))
        {
            return Failure.Invalid("arms", $"one arm must be the stable version {stable}: it is the control the others are compared with");
        }

        var ordered = arms.Where(a => a.Version == stable).Concat(arms.Where(a => a.Version != stable)).Select(a => ArmTally.Empty(a.Version, a.Weight)).ToList();
        return new Experiment(
            "ex_" + Guid.NewGuid().ToString("N")[..16], tenant, model, duration, interval, alpha, onEnd, Experiment.Running, ordered,
            now, now.AddSeconds(duration), now, startedBy);
    }
}
