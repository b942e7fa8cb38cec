using System.Text.Json.Serialization;

using Orbit.Contracts.Rollouts;

namespace Orbit.Registry.Rollouts.Analysis;

[JsonConverter(typeof(JsonStringEnumConverter<RolloutAction>))]
internal enum RolloutAction
{
    /// <summary>Stay on this step: checks are baking, or a failure or inconclusive interval did not reach a limit.</summary>
    Hold,

    /// <summary>The step passed for its bake time: go to the next weight.</summary>
    Advance,

    /// <summary>The last step passed for its bake time: the candidate becomes stable.</summary>
    Promote,

    /// <summary>All traffic back to stable.</summary>
    Rollback,
}

/// <summary>Where a canary is within its current step; stored with the rollout so a restarted registry resumes it.</summary>
/// <param name="PassingSince">Start of the run of passing intervals that the bake time is counted from; null after any other verdict.</param>
internal sealed record StepProgress(int Step, DateTimeOffset StepStartedAt, DateTimeOffset? PassingSince, int Failures, int SourceErrorsInRow)
{
    public static StepProgress Start(int step, DateTimeOffset at) => new(step, at, null, 0, 0);
}

internal sealed record JudgeDecision(RolloutAction Action, StepProgress Progress, string Reason);

/// <summary>
/// The canary's decision semantics, without storage or clocks: what an interval's verdict does to the step.
/// A step is promoted when its checks have passed, interval after interval, for its bake time; it is rolled
/// back at <see cref="RolloutAnalysis.FailureLimit"/> failing intervals within the step, or after
/// <see cref="RolloutAnalysis.SourceErrorLimit"/> intervals in a row whose metrics could not be read.
/// </summary>
internal static class CanaryJudge
{
    public static JudgeDecision Decide(
        StepProgress progress, Verdict? verdict, string? sourceError, DateTimeOffset intervalStart, DateTimeOffset now,
        TimeSpan bake, bool lastStep, RolloutAnalysis settings)
    {
        if (sourceError is not null || verdict is null)
        {
            var errors = progress.SourceErrorsInRow + 1;
            var held = progress with { SourceErrorsInRow = errors, PassingSince = null };
            return errors >= settings.SourceErrorLimit
                ? new JudgeDecision(RolloutAction.Rollback, held, $"the metrics could not be read {errors} times in a row: {sourceError}")
                : new JudgeDecision(RolloutAction.Hold, held, $"the metrics could not be read ({errors} of {settings.SourceErrorLimit} in a row before a rollback): {sourceError}");
        }

        progress = progress with { SourceErrorsInRow = 0 };
        switch (verdict)
        {
            case Verdict.Fail:
            {
                var failures = progress.Failures + 1;
                var failed = progress with { Failures = failures, PassingSince = null };
                return failures >= settings.FailureLimit
                    ? new JudgeDecision(RolloutAction.Rollback, failed, $"{failures} failing intervals in this step (limit {settings.FailureLimit})")
                    : new JudgeDecision(RolloutAction.Hold, failed, $"failing interval {failures} of {settings.FailureLimit} allowed in this step");
            }

            case Verdict.Inconclusive:
                return settings.OnInconclusive == RolloutAnalysis.Rollback
                    ? new JudgeDecision(RolloutAction.Rollback, progress with { PassingSince = null }, "inconclusive interval and onInconclusive is rollback")
                    : new JudgeDecision(RolloutAction.Hold, progress with { PassingSince = null }, "inconclusive interval: holding the step until the data decides");

            default:
            {
                var since = progress.PassingSince ?? intervalStart;
                var passing = progress with { PassingSince = since };
                if (now - since < bake)
                {
                    return new JudgeDecision(RolloutAction.Hold, passing, $"passing for {Seconds(now - since)} of the {Seconds(bake)} bake time");
                }

                return lastStep
                    ? new JudgeDecision(RolloutAction.Promote, passing, $"passed for the {Seconds(bake)} bake time on the last step")
                    : new JudgeDecision(RolloutAction.Advance, passing, $"passed for the {Seconds(bake)} bake time");
            }
        }
    }

    private static string Seconds(TimeSpan span) => $"{Math.Round(span.TotalSeconds):0} s";
}
