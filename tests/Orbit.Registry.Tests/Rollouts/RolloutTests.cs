using System.Net;
using System.Net.Http.Json;
using Microsoft.Extensions.DependencyInjection;
using Orbit.Contracts.Drift;
using Orbit.Contracts.Registry;
using Orbit.Contracts.Rollouts;
using Orbit.Registry.Rollouts.Evidence;
using Orbit.Registry.Tests.Support;
using Orbit.Testing;
using Xunit.Abstractions;

namespace Orbit.Registry.Tests.Rollouts;

/// <summary>
/// A real registry (SQLite, RabbitMQ, Redis) whose controller evaluates every second; the test stands in for the
/// gateways, putting serving windows into the evidence the controller reads.
/// </summary>
public sealed class RolloutTests(ITestOutputHelper output)
{
    private static readonly Dictionary<string, string?> FastController = new() { ["Orbit:Registry:Rollouts:TickSeconds"] = "0.1" };
    private static readonly TimeSpan Within = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task A_healthy_canary_advances_through_its_steps_and_is_promoted_with_every_decision_recorded()
    {
        await using var store = await TestStore.CreateAsync(StoreKind.Sqlite);
        await using var host = RegistryHost.Start(store, FastController);
        using var admin = host.Client();
        var model = await DeployedWithCandidateAsync(admin);
        // As gateways would: stable serves nothing once the candidate takes 100 %, so the last step is judged against what stable served before it.
        // A window of stable (40 requests) is under minSamples (50): a stray one after the last advance cannot decide alone.
        using var feeding = Feed(host, model, candidate: (200, 0, 5.0), stable: (40, 0, 5.0), weights: admin);

        var started = await StartAsync(admin, model, new StartRollout(2, Steps: [10, 50, 100], BakeSeconds: 0, IntervalSeconds: 1));
        Assert.Equal(("running", 10), (started.State, started.Weight));
        Assert.Equal(10, (await DeploymentAsync(admin, model)).CandidateWeight);

        var done = await WaitForStateAsync(admin, model, "promoted");

        var deployment = await DeploymentAsync(admin, model);
        Assert.Equal((2, (int?)null, (int?)1), (deployment.StableVersion!.Value, deployment.CandidateVersion, deployment.PreviousStableVersion));
        Assert.Equal(["promote", "advance", "advance"], done.Decisions.Where(d => d.Action != "hold").Select(d => d.Action));
        var promotion = done.Decisions.First();
        Assert.Equal(("pass", 100), (promotion.Verdict, promotion.Weight));
        var errors = promotion.Metrics.Single(m => m.Metric == "error_rate");
        Assert.Equal("pass", errors.Verdict);
        Assert.True(errors.CandidateSamples >= 50, $"the error rate was judged on {errors.CandidateSamples} requests");
        Assert.True(errors.StableSamples >= 50, $"stable's reference at 100 % had {errors.StableSamples} requests");
        Assert.Contains("two-proportion", errors.Test);
        Assert.NotNull(errors.PValue);
        Assert.Contains((await admin.AuditAsync(model)).Select(a => a.Action), a => a == "rollout.decision.promote");
    }

    [Fact]
    public async Task A_candidate_failing_its_requests_is_rolled_back_and_the_decision_names_the_metric()
    {
        await using var store = await TestStore.CreateAsync(StoreKind.Sqlite);
        await using var host = RegistryHost.Start(store, FastController);
        using var admin = host.Client();
        var model = await DeployedWithCandidateAsync(admin);
        using var feeding = Feed(host, model, candidate: (200, 80, 5.0), stable: (200, 0, 5.0));

        await StartAsync(admin, model, new StartRollout(2, Steps: [10, 100], BakeSeconds: 0, IntervalSeconds: 1));
        var done = await WaitForStateAsync(admin, model, "rolled-back");

        Assert.Contains("failing intervals", done.Reason);
        var last = done.Decisions.First();
        Assert.Equal(("fail", "rollback"), (last.Verdict, last.Action));
        var errors = last.Metrics.Single(m => m.Metric == "error_rate");
        Assert.Equal("fail", errors.Verdict);
        Assert.True(errors.Candidate > 0.3, $"candidate error rate {errors.Candidate}");
        var deployment = await DeploymentAsync(admin, model);
        Assert.Equal((1, (int?)null), (deployment.StableVersion!.Value, deployment.CandidateVersion));
    }

    [Fact]
    public async Task A_candidate_less_accurate_than_stable_on_ground_truth_is_rolled_back_on_accuracy()
    {
        await using var store = await TestStore.CreateAsync(StoreKind.Sqlite);
        await using var host = RegistryHost.Start(store, FastController);
        using var admin = host.Client();
        var model = await DeployedWithCandidateAsync(admin);
        using var feeding = Feed(host, model, candidate: (200, 0, 5.0), stable: (200, 0, 5.0), outcomes: (100, 55, 90));

        await StartAsync(admin, model, new StartRollout(2, Steps: [10, 100], BakeSeconds: 0, IntervalSeconds: 1));
        var done = await WaitForStateAsync(admin, model, "rolled-back");

        output.WriteLine(System.Text.Json.JsonSerializer.Serialize(done.Decisions.First(), RegistryClient.Json));
        var accuracy = done.Decisions.First().Metrics.Single(m => m.Metric == "accuracy");
        Assert.Equal("fail", accuracy.Verdict);
        Assert.Equal((0.55, 0.9), (Math.Round(accuracy.Candidate, 2), Math.Round(accuracy.Stable, 2)));
        Assert.Equal("pass", done.Decisions.First().Metrics.Single(m => m.Metric == "error_rate").Verdict);
    }

    [Fact]
    public async Task Without_enough_traffic_the_step_holds_as_inconclusive_instead_of_failing()
    {
        await using var store = await TestStore.CreateAsync(StoreKind.Sqlite);
        await using var host = RegistryHost.Start(store, FastController);
        using var admin = host.Client();
        var model = await DeployedWithCandidateAsync(admin);

        await StartAsync(admin, model, new StartRollout(2, Steps: [10, 100], BakeSeconds: 0, IntervalSeconds: 1));
        var view = await Eventually.GetAsync(async () => await GetAsync(admin, model) is { Decisions.Count: >= 3 } v ? v : null, Within, "three evaluations");

        Assert.Equal("running", view.State);
        Assert.All(view.Decisions, d => Assert.Equal(("inconclusive", "hold"), (d.Verdict, d.Action)));
        Assert.Contains("fewer than 50 requests", view.Decisions[0].Metrics.Single(m => m.Metric == "error_rate").Reason);
        Assert.Equal(10, (await DeploymentAsync(admin, model)).CandidateWeight);
    }

    [Fact]
    public async Task A_restarted_registry_resumes_the_rollout_from_its_stored_step()
    {
        await using var store = await TestStore.CreateAsync(StoreKind.Sqlite);
        string model;
        await using (var first = RegistryHost.Start(store, FastController))
        {
            using var admin = first.Client();
            model = await DeployedWithCandidateAsync(admin);
            using var feeding = Feed(first, model, candidate: (200, 0, 5.0), stable: (200, 0, 5.0));
            await StartAsync(admin, model, new StartRollout(2, Steps: [10, 20, 100], BakeSeconds: 0, IntervalSeconds: 1));
            await Eventually.GetAsync(async () => await GetAsync(admin, model) is { Weight: 20 } v ? v : null, Within, "the second step");
        }

        await using var second = RegistryHost.Start(store, FastController);
        using var again = second.Client();
        var resumed = await GetAsync(again, model);
        Assert.Equal(("running", 20), (resumed!.State, resumed.Weight));
        using var feedingAgain = Feed(second, model, candidate: (200, 0, 5.0), stable: (200, 0, 5.0));

        var done = await WaitForStateAsync(again, model, "promoted");

        Assert.Equal(2, (await DeploymentAsync(again, model)).StableVersion);
        Assert.Equal(resumed.Id, done.Id);
    }

    [Fact]
    public async Task A_start_request_is_checked_field_by_field()
    {
        await using var store = await TestStore.CreateAsync(StoreKind.Sqlite);
        await using var host = RegistryHost.Start(store, FastController);
        using var admin = host.Client();
        var model = await DeployedWithCandidateAsync(admin);

        await ExpectFieldAsync(admin, model, new StartRollout(2, Steps: [50, 25, 100]), "steps");
        await ExpectFieldAsync(admin, model, new StartRollout(2, Steps: [10, 50]), "steps");
        await ExpectFieldAsync(admin, model, new StartRollout(1), "candidateVersion");
        await ExpectFieldAsync(admin, model, new StartRollout(9), "candidateVersion");
        await ExpectFieldAsync(admin, model, new StartRollout(2, Strategy: "blue-green"), "strategy");
        await ExpectFieldAsync(admin, model, new StartRollout(2, IntervalSeconds: 0), "intervalSeconds");
        await ExpectFieldAsync(admin, model, new StartRollout(2, Analysis: new RolloutAnalysis(Alpha: 2)), "analysis.alpha");
        await ExpectFieldAsync(admin, model, new StartRollout(2, Analysis: new RolloutAnalysis(OnInconclusive: "shrug")), "analysis.onInconclusive");
        using var undeployed = await admin.Http.PostAsJsonAsync("/v1/models/nothing-here/rollout", new StartRollout(2), RegistryClient.Json);
        Assert.Equal(HttpStatusCode.NotFound, undeployed.StatusCode);

        await StartAsync(admin, model, new StartRollout(2));
        using var twice = await admin.Http.PostAsJsonAsync($"/v1/models/{model}/rollout", new StartRollout(2), RegistryClient.Json);
        Assert.Equal(HttpStatusCode.Conflict, twice.StatusCode);
        Assert.Contains("rollout abort", await twice.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Pause_stops_evaluation_and_abort_sends_all_traffic_back_to_stable_while_other_tenants_see_nothing()
    {
        await using var store = await TestStore.CreateAsync(StoreKind.Sqlite);
        await using var host = RegistryHost.Start(store, FastController);
        using var admin = host.Client();
        var model = await DeployedWithCandidateAsync(admin);
        await StartAsync(admin, model, new StartRollout(2, Steps: [10, 100], BakeSeconds: 0, IntervalSeconds: 1));

        using var paused = await admin.Http.PostAsync($"/v1/models/{model}/rollout/pause", null);
        await RegistryClient.ExpectAsync(paused, HttpStatusCode.OK);
        var decisionsWhenPaused = (await GetAsync(admin, model))!.Decisions.Count;
        await Task.Delay(TimeSpan.FromSeconds(2.5));
        Assert.Equal(decisionsWhenPaused, (await GetAsync(admin, model))!.Decisions.Count);

        await admin.CreateTenantAsync("rollout-other");
        var other = await admin.CreateKeyAsync("admin", "rollout-other");
        using var stranger = host.Client(other.Key);
        using var peek = await stranger.Http.GetAsync($"/v1/models/{model}/rollout");
        using var meddle = await stranger.Http.PostAsync($"/v1/models/{model}/rollout/abort", null);
        Assert.Equal((HttpStatusCode.NotFound, HttpStatusCode.NotFound), (peek.StatusCode, meddle.StatusCode));

        using var aborted = await admin.Http.PostAsync($"/v1/models/{model}/rollout/abort", null);
        await RegistryClient.ExpectAsync(aborted, HttpStatusCode.OK);
        Assert.Equal("aborted", (await GetAsync(admin, model))!.State);
        var deployment = await DeploymentAsync(admin, model);
        Assert.Equal((1, (int?)null), (deployment.StableVersion!.Value, deployment.CandidateVersion));
    }

    [Fact]
    public async Task Serving_windows_from_the_bus_become_evidence_and_a_malformed_one_does_not_stop_the_next()
    {
        await using var store = await TestStore.CreateAsync(StoreKind.Sqlite);
        await using var host = RegistryHost.Start(store, FastController);
        await using var probe = await RabbitMqProbe.ConnectAsync();
        var evidence = host.Services.GetRequiredService<ServingEvidence>();
        var model = TestModels.UniqueName("sw");
        var at = DateTimeOffset.UtcNow;
        await Eventually.HttpOkAsync(host.RawClient(), "/health/ready", Within);

        await probe.PublishJsonAsync("Orbit.Contracts.Rollouts:ServingWindowObserved", "",
            $$"""{"tenantId":"acme","modelName":"{{model}}","modelVersion":1,"source":"py","windowStart":"{{at.AddSeconds(-5):O}}","windowEnd":"{{at:O}}","requests":5,"errors":9,"latencySampleMs":[]}""");
        await probe.PublishJsonAsync("Orbit.Contracts.Rollouts:ServingWindowObserved", "",
            $$"""{"tenantId":"acme","modelName":"{{model}}","modelVersion":1,"source":"py","windowStart":"{{at.AddSeconds(-5):O}}","windowEnd":"{{at:O}}","requests":7,"errors":1,"latencySampleMs":[3.5,4.0]}""");

        var arm = await Eventually.GetAsync(
            () => Task.FromResult(evidence.Collect("acme", model, 1, at.AddMinutes(-1), at.AddMinutes(1)) is { Requests: > 0 } a ? a : null), Within, "the valid window");
        Assert.Equal((7L, 1L, 2), (arm.Requests, arm.Errors, arm.LatenciesMs.Count));
    }

    [Fact]
    public async Task A_proposed_version_starts_a_canary_by_the_model_s_policy_and_a_policy_can_leave_proposals_to_people()
    {
        await using var store = await TestStore.CreateAsync(StoreKind.Sqlite);
        await using var host = RegistryHost.Start(store, FastController);
        using var admin = host.Client();
        var model = await DeployedWithCandidateAsync(admin);

        using var badPolicy = await admin.Http.PutAsJsonAsync($"/v1/models/{model}/rollout-policy", new RolloutPolicy(Steps: [10, 50]), RegistryClient.Json);
        Assert.Equal("steps", (await RegistryClient.ProblemAsync(badPolicy)).Field);
        using var policy = await admin.Http.PutAsJsonAsync($"/v1/models/{model}/rollout-policy", new RolloutPolicy(Steps: [20, 100], BakeSeconds: 60), RegistryClient.Json);
        await RegistryClient.ExpectAsync(policy, HttpStatusCode.OK);

        var first = await ProposeAsync(admin, model, new ProposeVersion(2, "attempt-1"));
        var second = await ProposeAsync(admin, model, new ProposeVersion(2, "attempt-2"));

        Assert.True(first.Started, first.Reason);
        var rollout = (await GetAsync(admin, model))!;
        Assert.Equal((first.RolloutId, 20, 60), (rollout.Id, rollout.Weight, rollout.BakeSeconds));
        Assert.Contains("attempt-1", rollout.StartedBy);
        Assert.False(second.Started);
        Assert.Contains("abort it first", second.Reason);

        using var manual = await admin.Http.PutAsJsonAsync($"/v1/models/{model}/rollout-policy", new RolloutPolicy(AutoStart: false), RegistryClient.Json);
        using var aborted = await admin.Http.PostAsync($"/v1/models/{model}/rollout/abort", null);
        var third = await ProposeAsync(admin, model, new ProposeVersion(2, "attempt-3"));
        Assert.False(third.Started);
        Assert.Contains("autoStart: false", third.Reason);
        Assert.Equal(2, (await admin.AuditAsync(model)).Count(a => a.Action == "rollout.proposal-left"));
        using var unknown = await admin.Http.PostAsJsonAsync("/v1/models/no-such-model/proposals", new ProposeVersion(1), RegistryClient.Json);
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
    }

    private static async Task<ProposalAnswer> ProposeAsync(RegistryClient admin, string model, ProposeVersion proposal)
    {
        using var response = await admin.Http.PostAsJsonAsync($"/v1/models/{model}/proposals", proposal, RegistryClient.Json);
        await RegistryClient.ExpectAsync(response, HttpStatusCode.OK);
        return (await response.Content.ReadFromJsonAsync<ProposalAnswer>(RegistryClient.Json))!;
    }

    private static async Task<string> DeployedWithCandidateAsync(RegistryClient admin)
    {
        var model = TestModels.UniqueName("ro");
        await admin.PushAsync(model, TestModels.Add);
        await admin.PushAsync(model, TestModels.Relu);
        await admin.DeployAsync(model, 1);
        return model;
    }

    private static async Task<RolloutView> StartAsync(RegistryClient admin, string model, StartRollout request)
    {
        using var response = await admin.Http.PostAsJsonAsync($"/v1/models/{model}/rollout", request, RegistryClient.Json);
        await RegistryClient.ExpectAsync(response, HttpStatusCode.Created);
        return (await response.Content.ReadFromJsonAsync<RolloutView>(RegistryClient.Json))!;
    }

    private static async Task ExpectFieldAsync(RegistryClient admin, string model, StartRollout request, string field)
    {
        using var response = await admin.Http.PostAsJsonAsync($"/v1/models/{model}/rollout", request, RegistryClient.Json);
        var (status, named, body) = await RegistryClient.ProblemAsync(response);
        Assert.True(status == HttpStatusCode.BadRequest && named == field, $"expected 400 naming {field}, got {(int)status}: {body}");
    }

    private static async Task<RolloutView?> GetAsync(RegistryClient admin, string model)
    {
        using var response = await admin.Http.GetAsync($"/v1/models/{model}/rollout?decisions=200");
        return response.StatusCode == HttpStatusCode.OK ? await response.Content.ReadFromJsonAsync<RolloutView>(RegistryClient.Json) : null;
    }

    private static Task<RolloutView> WaitForStateAsync(RegistryClient admin, string model, string state) =>
        Eventually.GetAsync(async () => await GetAsync(admin, model) is { } v && v.State == state ? v : null, Within, $"the rollout to be {state}");

    private static async Task<DeploymentView> DeploymentAsync(RegistryClient admin, string model) =>
        (await admin.Http.GetFromJsonAsync<DeploymentView>($"/v1/models/{model}/deployment", RegistryClient.Json))!;

    /// <summary>
    /// Serving windows for both arms every 100 ms, as gateways would publish them, until disposed. With
    /// <paramref name="weights"/>, stable's windows stop while the deployment gives the candidate 100 %.
    /// </summary>
    private static CancellationTokenSource Feed(
        RegistryHost host, string model, (int Requests, int Errors, double LatencyMs) candidate, (int Requests, int Errors, double LatencyMs) stable,
        (int Labelled, int CandidateCorrect, int StableCorrect)? outcomes = null, RegistryClient? weights = null)
    {
        var evidence = host.Services.GetRequiredService<ServingEvidence>();
        var stop = new CancellationTokenSource();
        _ = Task.Run(async () =>
        {
            var last = DateTimeOffset.UtcNow;
            var n = 0;
            while (!stop.IsCancellationRequested)
            {
                await Task.Delay(100);
                var now = DateTimeOffset.UtcNow;
                var stableServes = weights is null || (await DeploymentAsync(weights, model)).CandidateWeight < 100;
                foreach (var (version, arm) in stableServes ? new[] { (2, candidate), (1, stable) } : [(2, candidate)])
                {
                    // Latencies spread ±30 % around the arm's median, deterministic: only a real difference tells the arms apart.
                    var sample = Enumerable.Range(n, arm.Requests - arm.Errors).Select(i => arm.LatencyMs * (0.7 + (0.6 * ((i * 7919) % 1000) / 1000.0))).ToArray();
                    evidence.Add(new ServingWindowObserved("admin", model, version, "test", last, now, arm.Requests, arm.Errors, sample));
                    if (outcomes is { } o)
                    {
                        evidence.Add(new AccuracyWindowObserved("admin", model, version, last, now, o.Labelled, version == 2 ? o.CandidateCorrect : o.StableCorrect));
                    }
                }

                last = now;
                n += 37;
            }
        });
        return stop;
    }
}
