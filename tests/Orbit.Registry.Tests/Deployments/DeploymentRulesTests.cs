using Orbit.Registry.Api;
using Orbit.Registry.Deployments;

namespace Orbit.Registry.Tests.Deployments;

public sealed class DeploymentRulesTests
{
    private static readonly DeploymentState Canary = new(Revision: 4, StableVersion: 1, CandidateVersion: 2, CandidateWeight: 20, Strategy: "manual", PreviousStableVersion: null);

    [Fact]
    public void A_first_deployment_starts_at_revision_1_with_all_traffic_on_stable()
    {
        var state = DeploymentRules.Set(null, stable: 3, candidate: null, weight: 0, "manual").Value!;

        Assert.Equal(1, state.Revision);
        Assert.Equal([(3, 100)], DeploymentRules.Routes(state));
    }

    [Fact]
    public void Changing_stable_remembers_the_one_it_replaced()
    {
        var state = DeploymentRules.Set(Canary, stable: 5, candidate: null, weight: 0, "manual").Value!;

        Assert.Equal(1, state.PreviousStableVersion);
        Assert.Equal(5, state.Revision);
    }

    [Fact]
    public void Redeploying_the_previous_stable_after_removal_leaves_nothing_to_roll_back_to()
    {
        var removed = DeploymentRules.Remove(Canary with { CandidateVersion = null, CandidateWeight = 0 }).Value!;

        var redeployed = DeploymentRules.Set(removed, stable: 1, candidate: null, weight: 0, "manual").Value!;

        Assert.Null(redeployed.PreviousStableVersion);
        Assert.Equal(OutcomeKind.Conflict, DeploymentRules.Rollback(redeployed).Kind);
    }

    [Fact]
    public void The_candidate_gets_its_weight_and_stable_the_rest() =>
        Assert.Equal([(1, 80), (2, 20)], DeploymentRules.Routes(Canary));

    [Fact]
    public void Promote_swaps_candidate_into_stable()
    {
        var state = DeploymentRules.Promote(Canary).Value!;

        Assert.Equal((2, (int?)null, 0, (int?)1), (state.StableVersion!.Value, state.CandidateVersion, state.CandidateWeight, state.PreviousStableVersion));
    }

    [Fact]
    public void Promote_without_a_candidate_is_a_conflict() =>
        Assert.Equal(OutcomeKind.Conflict, DeploymentRules.Promote(Canary with { CandidateVersion = null, CandidateWeight = 0 }).Kind);

    [Fact]
    public void Rollback_without_a_candidate_or_a_previous_stable_is_a_conflict() =>
        Assert.Equal(OutcomeKind.Conflict, DeploymentRules.Rollback(Canary with { CandidateVersion = null, CandidateWeight = 0 }).Kind);

    [Fact]
    public void Remove_leaves_no_routes_and_keeps_counting_revisions()
    {
        var state = DeploymentRules.Remove(Canary).Value!;

        Assert.Empty(DeploymentRules.Routes(state));
        Assert.Equal(5, state.Revision);
    }

    [Theory]
    [InlineData(-1, 2, "candidateWeight")]
    [InlineData(101, 2, "candidateWeight")]
    [InlineData(10, null, "candidateWeight")]
    [InlineData(10, 1, "candidateVersion")]
    public void Invalid_settings_name_their_field(int weight, int? candidate, string field)
    {
        var outcome = DeploymentRules.Set(null, stable: 1, candidate, weight, "manual");

        Assert.Equal((OutcomeKind.Invalid, field), (outcome.Kind, outcome.Field));
    }

    [Fact]
    public void An_experiment_routes_every_arm_and_stable_keeps_the_control_s_share()
    {
        var split = DeploymentRules.Experiment(Canary with { CandidateVersion = null, CandidateWeight = 0 }, 1, [(2, 30), (3, 20)]).Value!;

        Assert.Equal([(1, 50), (2, 30), (3, 20)], DeploymentRules.Routes(split));
        Assert.Equal(("ab", 2, 30), (split.Strategy, split.CandidateVersion!.Value, split.CandidateWeight));
    }

    [Fact]
    public void Ending_or_rolling_back_an_experiment_drops_every_other_arm()
    {
        var split = DeploymentRules.Experiment(Canary, 1, [(2, 30), (3, 20)]).Value!;

        Assert.Equal([(1, 100)], DeploymentRules.Routes(DeploymentRules.EndExperiment(split).Value!));
        Assert.Equal("manual", DeploymentRules.EndExperiment(split).Value!.Strategy);
        Assert.Equal([(1, 100)], DeploymentRules.Routes(DeploymentRules.Rollback(split).Value!));
    }

    [Fact]
    public void An_experiment_refuses_a_changed_stable_or_a_canary_in_flight_and_a_canary_step_refuses_an_experiment()
    {
        var split = DeploymentRules.Experiment(Canary, 1, [(2, 50)]).Value!;

        Assert.Equal(OutcomeKind.Conflict, DeploymentRules.Experiment(Canary, 3, [(2, 50)]).Kind);
        Assert.Equal(OutcomeKind.Conflict, DeploymentRules.Experiment(Canary with { Strategy = "canary" }, 1, [(2, 50)]).Kind);
        Assert.Equal(OutcomeKind.Conflict, DeploymentRules.CanaryStep(split, 1, 2, 25).Kind);
    }
}
