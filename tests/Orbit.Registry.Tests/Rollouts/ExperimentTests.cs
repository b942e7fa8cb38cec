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
/// A/B experiments on a real registry (SQLite, RabbitMQ, Redis) whose controller ticks every 100 ms; the test stands in
/// for the gateways and the drift monitor, putting serving and accuracy windows into the evidence the controller folds.
/// </summary>
public sealed class ExperimentTests(ITestOutputHelper output)
{
    private static readonly Dictionary<string, string?> FastController = new() { ["Orbit:Registry:Rollouts:TickSeconds"] = "0.1", ["Orbit:Registry:Rollouts:WindowSettleSeconds"] = "0.5" };
    private static readonly TimeSpan Within = TimeSpan.FromSeconds(60);

    private static readonly ExperimentArm[] ThreeArms = [new(1, 50), new(2, 25), new(3, 25)];

    [Theory]
    [InlineData(StoreKind.Sqlite)]
    [InlineData(StoreKind.Postgres)]
    public async Task Three_arms_split_the_traffic_and_the_final_report_shows_the_worse_arm_with_an_interval_excluding_zero(StoreKind kind)
    {
        await using var store = await TestStore.CreateAsync(kind);
        await using var host = RegistryHost.Start(store, FastController);
        using var admin = host.Client();
        var model = await DeployedWithThreeVersionsAsync(admin);
        // Version 3 fails 30 % of its requests, answers about 60 % slower and is right less often.
        using var feeding = Feed(host, model, new()
        {
            [1] = (100, 0, 5.0, 50, 45),
            [2] = (100, 0, 5.0, 50, 45),
            [3] = (100, 30, 8.0, 50, 30),
        });

        var started = await StartAsync(admin, model, new StartExperiment([new(2, 25), new(1, 50), new(3, 25)], DurationSeconds: 4, IntervalSeconds: 1));
        Assert.Equal(("running", 1), (started.State, started.ControlVersion));
        Assert.Equal([1, 2, 3], started.Arms.Select(a => a.Version));
        var routes = (await DeploymentAsync(admin, model)).Routes;
        Assert.Equal([(1, 50), (2, 25), (3, 25)], routes.Select(r => (r.Version, r.Weight)).Order());
        Assert.Equal("ab", (await DeploymentAsync(admin, model)).Strategy);

        var done = await Eventually.GetAsync(async () => await GetAsync(admin, model, started.Id) is { State: "completed" } v ? v : null, Within, "the experiment to complete");

        output.WriteLine(System.Text.Json.JsonSerializer.Serialize(done, RegistryClient.Json));
        var (control, same, worse) = (done.Arms[0], done.Arms[1], done.Arms[2]);
        Assert.True(control.Control && control.VsControl.Count == 0);
        Assert.All(done.Arms, a => Assert.True(a.Requests >= 1000, $"version {a.Version} served {a.Requests} requests in the report"));
        Assert.Equal(0.3, Math.Round(worse.ErrorRate, 2));
        var errors = worse.VsControl.Single(c => c.Metric == "error_rate");
        Assert.True(errors.Significant && errors.PValue < 0.05 && errors.CiLow > 0, $"the worse arm's error rate: {errors.Note}");
        Assert.Equal(0.3, Math.Round(errors.Difference!.Value, 2));
        var latency = worse.VsControl.Single(c => c.Metric == "latency_p99_ms");
        Assert.True(latency.Significant && latency.CiLow > 0, $"the worse arm's latency: {latency.Note}");
        var accuracy = worse.VsControl.Single(c => c.Metric == "accuracy");
        Assert.True(accuracy.Significant && accuracy.CiHigh < 0, $"the worse arm's accuracy: {accuracy.Note}");
        var sameErrors = same.VsControl.Single(c => c.Metric == "error_rate");
        Assert.False(sameErrors.Significant, sameErrors.Note);
        Assert.True(sameErrors.CiLow < 0 && sameErrors.CiHigh > 0, $"an arm like the control: [{sameErrors.CiLow}, {sameErrors.CiHigh}]");

        var deployment = await DeploymentAsync(admin, model);
        Assert.Equal((1, (int?)null, 1), (deployment.StableVersion!.Value, deployment.CandidateVersion, deployment.Routes.Count));
        var audit = (await admin.AuditAsync(model)).Select(a => a.Action).ToList();
        Assert.Contains("experiment.start", audit);
        Assert.Contains("experiment.completed", audit);
    }

    [Fact]
    public async Task A_restarted_registry_continues_the_experiment_from_its_stored_tallies_and_stop_sends_traffic_back_to_the_control()
    {
        await using var store = await TestStore.CreateAsync(StoreKind.Sqlite);
        string model, id;
        long before;
        await using (var first = RegistryHost.Start(store, FastController))
        {
            using var admin = first.Client();
            model = await DeployedWithThreeVersionsAsync(admin);
            using var feeding = Feed(first, model, Even());
            id = (await StartAsync(admin, model, new StartExperiment(ThreeArms, DurationSeconds: 600, IntervalSeconds: 1))).Id;
            before = (await Eventually.GetAsync(async () => await GetAsync(admin, model, id) is { } v && v.Arms[0].Requests > 0 ? v : null, Within, "a first fold")).Arms[0].Requests;
        }

        await using var second = RegistryHost.Start(store, FastController);
        using var again = second.Client();
        var resumed = (await GetAsync(again, model, id))!;
        Assert.Equal("running", resumed.State);
        Assert.True(resumed.Arms[0].Requests >= before, $"{resumed.Arms[0].Requests} requests after the restart, {before} before");
        using var feedingAgain = Feed(second, model, Even());
        await Eventually.GetAsync(async () => await GetAsync(again, model, id) is { } v && v.Arms[0].Requests > resumed.Arms[0].Requests ? v : null, Within, "a fold after the restart");

        using var stop = await again.Http.PostAsync($"/v1/models/{model}/experiments/{id}/stop", null);
        await RegistryClient.ExpectAsync(stop, HttpStatusCode.OK);
        var stopped = (await stop.Content.ReadFromJsonAsync<ExperimentView>(RegistryClient.Json))!;
        Assert.Equal("stopped", stopped.State);
        Assert.NotNull(stopped.EndedAt);
        var deployment = await DeploymentAsync(again, model);
        Assert.Equal((1, "manual", 1), (deployment.StableVersion!.Value, deployment.Strategy, deployment.Routes.Count));
        using var twice = await again.Http.PostAsync($"/v1/models/{model}/experiments/{id}/stop", null);
        Assert.Equal(HttpStatusCode.Conflict, twice.StatusCode);
        Assert.Contains("experiment.stopped", (await again.AuditAsync(model)).Select(a => a.Action));
    }

    [Fact]
    public async Task A_start_request_is_checked_field_by_field_and_another_tenant_sees_nothing()
    {
        await using var store = await TestStore.CreateAsync(StoreKind.Sqlite);
        await using var host = RegistryHost.Start(store, FastController);
        using var admin = host.Client();
        var model = await DeployedWithThreeVersionsAsync(admin);

        await ExpectFieldAsync(admin, model, new StartExperiment(null, 60), "arms");
        await ExpectFieldAsync(admin, model, new StartExperiment([new(1, 100)], 60), "arms");
        await ExpectFieldAsync(admin, model, new StartExperiment([new(1, 50), new(2, 40)], 60), "arms");
        await ExpectFieldAsync(admin, model, new StartExperiment([new(1, 50), new(1, 50)], 60), "arms");
        await ExpectFieldAsync(admin, model, new StartExperiment([new(2, 50), new(3, 50)], 60), "arms");
        await ExpectFieldAsync(admin, model, new StartExperiment([new(1, 50), new(0, 50)], 60), "arms[1].version");
        await ExpectFieldAsync(admin, model, new StartExperiment([new(1, 50), new(2, 0)], 60), "arms[1].weight");
        await ExpectFieldAsync(admin, model, new StartExperiment([new(1, 50), new(9, 50)], 60), "arms");
        await ExpectFieldAsync(admin, model, new StartExperiment(ThreeArms, null), "durationSeconds");
        await ExpectFieldAsync(admin, model, new StartExperiment(ThreeArms, 0), "durationSeconds");
        await ExpectFieldAsync(admin, model, new StartExperiment(ThreeArms, 60, IntervalSeconds: 0), "intervalSeconds");
        await ExpectFieldAsync(admin, model, new StartExperiment(ThreeArms, 60, Alpha: 1), "alpha");
        await ExpectFieldAsync(admin, model, new StartExperiment(ThreeArms, 60, OnEnd: "shrug"), "onEnd");
        using var undeployed = await admin.Http.PostAsJsonAsync("/v1/models/nothing-here/experiments", new StartExperiment(ThreeArms, 60), RegistryClient.Json);
        Assert.Equal(HttpStatusCode.NotFound, undeployed.StatusCode);
        Assert.Equal((1, (int?)null), ((await DeploymentAsync(admin, model)).StableVersion!.Value, (await DeploymentAsync(admin, model)).CandidateVersion));

        var started = await StartAsync(admin, model, new StartExperiment(ThreeArms, 600));
        using var twice = await admin.Http.PostAsJsonAsync($"/v1/models/{model}/experiments", new StartExperiment(ThreeArms, 600), RegistryClient.Json);
        Assert.Equal(HttpStatusCode.Conflict, twice.StatusCode);
        using var rollout = await admin.Http.PostAsJsonAsync($"/v1/models/{model}/rollout", new StartRollout(2), RegistryClient.Json);
        Assert.Equal(HttpStatusCode.Conflict, rollout.StatusCode);

        await admin.CreateTenantAsync("experiment-other");
        var other = await admin.CreateKeyAsync("admin", "experiment-other");
        using var stranger = host.Client(other.Key);
        using var peek = await stranger.Http.GetAsync($"/v1/models/{model}/experiments/{started.Id}");
        using var meddle = await stranger.Http.PostAsync($"/v1/models/{model}/experiments/{started.Id}/stop", null);
        Assert.Equal((HttpStatusCode.NotFound, HttpStatusCode.NotFound), (peek.StatusCode, meddle.StatusCode));
        using var unknown = await admin.Http.GetAsync($"/v1/models/{model}/experiments/ex_nothing");
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
        Assert.Equal("running", (await GetAsync(admin, model, started.Id))!.State);
    }

    [Fact]
    public async Task A_deployment_changed_by_hand_ends_the_experiment_as_aborted()
    {
        await using var store = await TestStore.CreateAsync(StoreKind.Sqlite);
        await using var host = RegistryHost.Start(store, FastController);
        using var admin = host.Client();
        var model = await DeployedWithThreeVersionsAsync(admin);
        var started = await StartAsync(admin, model, new StartExperiment(ThreeArms, 600, IntervalSeconds: 1));

        await admin.DeployAsync(model, 2);

        var aborted = await Eventually.GetAsync(async () => await GetAsync(admin, model, started.Id) is { State: "aborted" } v ? v : null, Within, "the experiment to be aborted");
        Assert.Contains("changed outside the experiment", aborted.Reason);
        Assert.Equal(2, (await DeploymentAsync(admin, model)).StableVersion);
    }

    private static Dictionary<int, (int Requests, int Errors, double LatencyMs, int Labelled, int Correct)> Even() => new()
    {
        [1] = (50, 0, 5.0, 0, 0),
        [2] = (50, 0, 5.0, 0, 0),
        [3] = (50, 0, 5.0, 0, 0),
    };

    private static async Task<string> DeployedWithThreeVersionsAsync(RegistryClient admin)
    {
        var model = TestModels.UniqueName("ab");
        await admin.PushAsync(model, TestModels.Add);
        await admin.PushAsync(model, TestModels.Relu);
        await admin.PushAsync(model, TestModels.Read("test_sigmoid"));
        await admin.DeployAsync(model, 1);
        return model;
    }

    private static async Task<ExperimentView> StartAsync(RegistryClient admin, string model, StartExperiment request)
    {
        using var response = await admin.Http.PostAsJsonAsync($"/v1/models/{model}/experiments", request, RegistryClient.Json);
        await RegistryClient.ExpectAsync(response, HttpStatusCode.Created);
        return (await response.Content.ReadFromJsonAsync<ExperimentView>(RegistryClient.Json))!;
    }

    private static async Task ExpectFieldAsync(RegistryClient admin, string model, StartExperiment request, string field)
    {
        using var response = await admin.Http.PostAsJsonAsync($"/v1/models/{model}/experiments", request, RegistryClient.Json);
        var (status, named, body) = await RegistryClient.ProblemAsync(response);
        Assert.True(status == HttpStatusCode.BadRequest && named == field, $"expected 400 naming {field}, got {(int)status}: {body}");
    }

    private static async Task<ExperimentView?> GetAsync(RegistryClient admin, string model, string id)
    {
        using var response = await admin.Http.GetAsync($"/v1/models/{model}/experiments/{id}");
        return response.StatusCode == HttpStatusCode.OK ? await response.Content.ReadFromJsonAsync<ExperimentView>(RegistryClient.Json) : null;
    }

    private static async Task<DeploymentView> DeploymentAsync(RegistryClient admin, string model) =>
        (await admin.Http.GetFromJsonAsync<DeploymentView>($"/v1/models/{model}/deployment", RegistryClient.Json))!;

    /// <summary>Serving (and, where labelled, accuracy) windows for each version every 100 ms, as gateways and the drift monitor would publish them, until disposed.</summary>
    private static CancellationTokenSource Feed(RegistryHost host, string model, Dictionary<int, (int Requests, int Errors, double LatencyMs, int Labelled, int Correct)> arms)
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
                foreach (var (version, arm) in arms)
                {
                    // Latencies spread ±30 % around the arm's median, deterministic: only a real difference tells the arms apart.
                    var sample = Enumerable.Range(n, arm.Requests - arm.Errors).Select(i => arm.LatencyMs * (0.7 + (0.6 * ((i * 7919) % 1000) / 1000.0))).ToArray();
                    evidence.Add(new ServingWindowObserved("admin", model, version, "test", last, now, arm.Requests, arm.Errors, sample));
                    if (arm.Labelled > 0)
                    {
                        evidence.Add(new AccuracyWindowObserved("admin", model, version, last, now, arm.Labelled, arm.Correct));
                    }
                }

                last = now;
                n += 37;
            }
        });
        return stop;
    }
}
