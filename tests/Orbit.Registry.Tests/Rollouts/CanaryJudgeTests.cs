using Orbit.Registry.Rollouts.Analysis;

using Orbit.Contracts.Rollouts;

namespace Orbit.Registry.Tests.Rollouts;

public sealed class CanaryJudgeTests
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 30, 12, 0, 0, TimeSpan.Zero);
    private static readonly TimeSpan Interval = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan Bake = TimeSpan.FromMinutes(2);
    private static readonly RolloutAnalysis Defaults = new();

    [Fact]
    public void A_step_advances_only_once_its_checks_have_passed_for_the_whole_bake_time()
    {
        var (actions, _) = Run(StepProgress.Start(0, T0), Defaults, Verdict.Pass, Verdict.Pass, Verdict.Pass, Verdict.Pass);

        Assert.Equal([RolloutAction.Hold, RolloutAction.Hold, RolloutAction.Hold, RolloutAction.Advance], actions);
    }

    [Fact]
    public void An_inconclusive_interval_holds_and_restarts_the_bake_time()
    {
        var (actions, progress) = Run(StepProgress.Start(0, T0), Defaults, Verdict.Pass, Verdict.Pass, Verdict.Inconclusive, Verdict.Pass, Verdict.Pass, Verdict.Pass);

        Assert.All(actions, a => Assert.Equal(RolloutAction.Hold, a));
        Assert.Equal(T0 + (3 * Interval), progress.PassingSince);
    }

    [Fact]
    public void Inconclusive_rolls_back_when_so_configured()
    {
        var (actions, _) = Run(StepProgress.Start(0, T0), Defaults with { OnInconclusive = RolloutAnalysis.Rollback }, Verdict.Pass, Verdict.Inconclusive);

        Assert.Equal([RolloutAction.Hold, RolloutAction.Rollback], actions);
    }

    [Fact]
    public void The_second_failing_interval_in_a_step_rolls_back_and_a_pass_between_them_does_not_forgive_the_first()
    {
        var (actions, progress) = Run(StepProgress.Start(0, T0), Defaults, Verdict.Fail, Verdict.Pass, Verdict.Fail);

        Assert.Equal([RolloutAction.Hold, RolloutAction.Hold, RolloutAction.Rollback], actions);
        Assert.Equal(2, progress.Failures);
    }

    [Fact]
    public void Four_unreadable_intervals_in_a_row_roll_back_but_a_readable_one_resets_the_count()
    {
        var progress = StepProgress.Start(0, T0);
        var actions = new List<RolloutAction>();
        Verdict?[] verdicts = [null, null, null, Verdict.Pass, null, null, null, null];
        for (var i = 0; i < verdicts.Length; i++)
        {
            var decision = CanaryJudge.Decide(progress, verdicts[i], verdicts[i] is null ? "drift monitor: connection refused" : null, T0 + (i * Interval), T0 + ((i + 1) * Interval), Bake, lastStep: false, Defaults);
            actions.Add(decision.Action);
            progress = decision.Progress;
        }

        Assert.Equal([RolloutAction.Hold, RolloutAction.Hold, RolloutAction.Hold, RolloutAction.Hold, RolloutAction.Hold, RolloutAction.Hold, RolloutAction.Hold, RolloutAction.Rollback], actions);
    }

    [Fact]
    public void The_last_step_promotes_instead_of_advancing()
    {
        var decision = CanaryJudge.Decide(StepProgress.Start(3, T0) with { PassingSince = T0 }, Verdict.Pass, null, T0 + Bake - Interval, T0 + Bake, Bake, lastStep: true, Defaults);

        Assert.Equal(RolloutAction.Promote, decision.Action);
    }

    private static (List<RolloutAction> Actions, StepProgress Progress) Run(StepProgress progress, RolloutAnalysis settings, params Verdict[] verdicts)
    {
        var actions = new List<RolloutAction>();
        for (var i = 0; i < verdicts.Length; i++)
        {
            var decision = CanaryJudge.Decide(progress, verdicts[i], null, T0 + (i * Interval), T0 + ((i + 1) * Interval), Bake, lastStep: false, settings);
            actions.Add(decision.Action);
            progress = decision.Progress;
        }

        return (actions, progress);
    }
}
