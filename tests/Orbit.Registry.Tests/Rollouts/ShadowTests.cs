using System.Net;
using System.Net.Http.Json;
using MassTransit;
using Microsoft.Extensions.DependencyInjection;
using Orbit.Contracts.Registry;
using Orbit.Contracts.Rollouts;
using Orbit.Registry.Rollouts.Evidence;
using Orbit.Registry.Tests.Support;
using Orbit.Testing;
using Xunit.Abstractions;

namespace Orbit.Registry.Tests.Rollouts;

/// <summary>
/// Shadow rollouts on a real registry (SQLite or PostgreSQL, RabbitMQ, Redis) whose controller ticks every 100 ms; the
/// test stands in for the gateways, publishing the shadow windows they would (over the bus, or into the evidence).
/// </summary>
public sealed class ShadowTests(ITestOutputHelper output)
{
    private static readonly Dictionary<string, string?> FastController = new()
    {
        ["Orbit:Registry:Rollouts:TickSeconds"] = "0.1",
        ["Orbit:Registry:Rollouts:WindowSettleSeconds"] = "0.5",
    };
    private static readonly TimeSpan Within = TimeSpan.FromSeconds(60);

    [Theory]
    [InlineData(StoreKind.Sqlite)]
    [InlineData(StoreKind.Postgres)]
    public async Task A_shadow_mirrors_without_answering_and_completes_with_a_passing_report_that_leaves_the_candidate_ready_to_promote(StoreKind kind)
    {
        await using var store = await TestStore.CreateAsync(kind);
        await using var host = RegistryHost.Start(store, FastController);
        using var admin = host.Client();
        var model = await DeployedWithCandidateAsync(admin);

        var started = await StartAsync(admin, model, new StartRollout(2, "shadow", IntervalSeconds: 1, MirrorPercent: 50, DurationSeconds: 3));
        Assert.Equal(("shadow", "running", 0), (started.Strategy, started.State, started.Weight));
        Assert.Equal((50, 0.95, 3), (started.Shadow!.MirrorPercent, started.Shadow.AgreementThreshold, started.Shadow.DurationSeconds));
        var deployment = await DeploymentAsync(admin, model);
        Assert.Equal(("shadow", 1, (int?)2, 0), (deployment.Strategy, deployment.StableVersion!.Value, deployment.CandidateVersion, deployment.CandidateWeight));
        Assert.Equal([(1, 100, (int?)null), (2, 0, (int?)50)], deployment.Routes.Select(r => (r.Version, r.Weight, r.MirrorPercent)));

        // Over the real bus, as gateways publish them: 40 mirrored requests a window, 39 of 40 rows agreeing.
        using var feeding = Publish(host, model, mirrored: 40, agreed: 39);
        var done = await WaitForStateAsync(admin, model, "completed");

        output.WriteLine(System.Text.Json.JsonSerializer.Serialize(done, RegistryClient.Json));
        var shadow = done.Shadow!;
        Assert.Equal("pass", shadow.Verdict);
        Assert.True(shadow.Mirrored >= 50, $"{shadow.Mirrored} mirrored requests were folded in");
        Assert.Equal(39.0 / 40, shadow.Agreement!.Value, 6);
        Assert.Equal((0.0, 0.0), (shadow.ShadowErrorRate!.Value, shadow.StableErrorRate!.Value));
        Assert.True(shadow.ShadowLatency.P95Ms > shadow.StableLatency.P95Ms, "the shadow's sampled latencies are its own");
        var verdict = Assert.Single(done.Decisions);
        Assert.Equal(("pass", "hold"), (verdict.Verdict, verdict.Action));
        Assert.Contains(verdict.Metrics, m => m.Metric == "agreement" && m.Verdict == "pass");
        Assert.Contains("stays routed at 0 %", done.Reason);

        deployment = await DeploymentAsync(admin, model);
        Assert.Equal(("manual", (int?)2, 0), (deployment.Strategy, deployment.CandidateVersion, deployment.CandidateWeight));
        Assert.All(deployment.Routes, r => Assert.Null(r.MirrorPercent));
        var audit = (await admin.AuditAsync(model)).Select(a => a.Action).ToList();
        Assert.Contains("rollout.start", audit);
        Assert.Contains("rollout.decision.hold", audit);
        Assert.Contains("deployment.shadow-started", audit);
        Assert.Contains("deployment.shadow-completed", audit);

        using var promote = await admin.Http.PostAsync($"/v1/models/{model}/deployment/promote", null);
        await RegistryClient.ExpectAsync(promote, HttpStatusCode.OK);
        Assert.Equal((2, "manual"), ((await DeploymentAsync(admin, model)).StableVersion!.Value, (await DeploymentAsync(admin, model)).Strategy));
    }

    [Fact]
    public async Task A_shadow_that_disagrees_fails_and_its_route_is_dropped_while_one_that_agrees_with_promote_on_pass_is_promoted()
    {
        await using var store = await TestStore.CreateAsync(StoreKind.Sqlite);
        await using var host = RegistryHost.Start(store, FastController);
        using var admin = host.Client();
        var failing = await DeployedWithCandidateAsync(admin);
        var passing = await DeployedWithCandidateAsync(admin);
        using var feedFailing = Feed(host, failing, mirrored: 40, agreed: 30);
        using var feedPassing = Feed(host, passing, mirrored: 40, agreed: 40);

        await StartAsync(admin, failing, new StartRollout(2, "shadow", IntervalSeconds: 1, DurationSeconds: 2));
        await StartAsync(admin, passing, new StartRollout(2, "shadow", IntervalSeconds: 1, DurationSeconds: 2, PromoteOnPass: true));
        var failed = await WaitForStateAsync(admin, failing, "completed");
        var promoted = await WaitForStateAsync(admin, passing, "promoted");

        Assert.Equal("fail", failed.Shadow!.Verdict);
        Assert.Contains("agreement", failed.Reason);
        Assert.Equal((1, (int?)null, "manual"), ((await DeploymentAsync(admin, failing)).StableVersion!.Value, (await DeploymentAsync(admin, failing)).CandidateVersion,
            (await DeploymentAsync(admin, failing)).Strategy));
        Assert.Equal("pass", promoted.Shadow!.Verdict);
        Assert.Equal("promote", promoted.Decisions[0].Action);
        var deployment = await DeploymentAsync(admin, passing);
        Assert.Equal((2, (int?)1, "manual"), (deployment.StableVersion!.Value, deployment.PreviousStableVersion, deployment.Strategy));
    }

    [Fact]
    public async Task A_start_request_is_checked_field_by_field_and_conflicts_and_strangers_are_refused()
    {
        await using var store = await TestStore.CreateAsync(StoreKind.Postgres);
        await using var host = RegistryHost.Start(store, FastController);
        using var admin = host.Client();
        var model = await DeployedWithCandidateAsync(admin);

        await ExpectFieldAsync(admin, model, new StartRollout(2, "shadow", MirrorPercent: 0), "mirrorPercent");
        await ExpectFieldAsync(admin, model, new StartRollout(2, "shadow", MirrorPercent: 101), "mirrorPercent");
        await ExpectFieldAsync(admin, model, new StartRollout(2, "shadow", DurationSeconds: 0), "durationSeconds");
        await ExpectFieldAsync(admin, model, new StartRollout(2, "shadow", AgreementThreshold: 1.5), "agreementThreshold");
        await ExpectFieldAsync(admin, model, new StartRollout(2, "shadow", Steps: [10, 100]), "steps");
        await ExpectFieldAsync(admin, model, new StartRollout(2, "shadow", MaxMeanAbsDiff: -1), "maxMeanAbsDiff");
        await ExpectFieldAsync(admin, model, new StartRollout(2, "canary", MirrorPercent: 50), "mirrorPercent");
        await ExpectFieldAsync(admin, model, new StartRollout(1, "shadow"), "candidateVersion");
        await ExpectFieldAsync(admin, model, new StartRollout(2, "blue-green"), "strategy");
        using (var unknown = await PostAsync(admin, model, new StartRollout(9, "shadow")))
        {
            Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
        }

        await admin.CreateTenantAsync("shadow-other");
        var other = await admin.CreateKeyAsync("admin", "shadow-other");
        using var stranger = host.Client(other.Key);
        using (var meddle = await PostAsync(stranger, model, new StartRollout(2, "shadow")))
        {
            Assert.Equal(HttpStatusCode.NotFound, meddle.StatusCode);
        }

        Assert.Equal(("manual", (int?)null), ((await DeploymentAsync(admin, model)).Strategy, (await DeploymentAsync(admin, model)).CandidateVersion));

        // A canary in flight: 409 as a problem detail, and the canary is untouched.
        await StartAsync(admin, model, new StartRollout(2, Steps: [10, 100], BakeSeconds: 600, IntervalSeconds: 60));
        using (var conflict = await PostAsync(admin, model, new StartRollout(2, "shadow")))
        {
            var (status, _, body) = await RegistryClient.ProblemAsync(conflict);
            Assert.True(status == HttpStatusCode.Conflict && body.Contains("abort it first", StringComparison.Ordinal), body);
        }

        using (var abort = await admin.Http.PostAsync($"/v1/models/{model}/rollout/abort", null))
        {
            await RegistryClient.ExpectAsync(abort, HttpStatusCode.OK);
        }

        // An experiment running: 409 too.
        using (var experiment = await admin.Http.PostAsJsonAsync($"/v1/models/{model}/experiments",
            new StartExperiment([new(1, 50), new(2, 50)], 600), RegistryClient.Json))
        {
            await RegistryClient.ExpectAsync(experiment, HttpStatusCode.Created);
            var id = (await experiment.Content.ReadFromJsonAsync<ExperimentView>(RegistryClient.Json))!.Id;
            using var conflict = await PostAsync(admin, model, new StartRollout(2, "shadow"));
            var (status, _, body) = await RegistryClient.ProblemAsync(conflict);
            Assert.True(status == HttpStatusCode.Conflict && body.Contains("experiment", StringComparison.Ordinal), body);
            (await admin.Http.PostAsync($"/v1/models/{model}/experiments/{id}/stop", null)).Dispose();
        }

        // A running shadow refuses a canary, an experiment and a pause; abort stops the mirror and drops the route.
        var shadow = await StartAsync(admin, model, new StartRollout(2, "shadow", DurationSeconds: 600));
        using (var canary = await PostAsync(admin, model, new StartRollout(2)))
        {
            Assert.Equal(HttpStatusCode.Conflict, canary.StatusCode);
        }

        using (var experiment = await admin.Http.PostAsJsonAsync($"/v1/models/{model}/experiments", new StartExperiment([new(1, 50), new(2, 50)], 600), RegistryClient.Json))
        {
            Assert.Equal(HttpStatusCode.Conflict, experiment.StatusCode);
        }

        using (var pause = await admin.Http.PostAsync($"/v1/models/{model}/rollout/pause", null))
        {
            Assert.Equal(HttpStatusCode.Conflict, pause.StatusCode);
        }

        using (var peek = await stranger.Http.GetAsync($"/v1/models/{model}/rollout"))
        {
            Assert.Equal(HttpStatusCode.NotFound, peek.StatusCode);
        }

        using (var abort = await admin.Http.PostAsync($"/v1/models/{model}/rollout/abort", null))
        {
            await RegistryClient.ExpectAsync(abort, HttpStatusCode.OK);
            var aborted = (await abort.Content.ReadFromJsonAsync<RolloutView>(RegistryClient.Json))!;
            Assert.Equal((shadow.Id, "aborted"), (aborted.Id, aborted.State));
        }

        var after = await DeploymentAsync(admin, model);
        Assert.Equal(("manual", 1, (int?)null), (after.Strategy, after.StableVersion!.Value, after.CandidateVersion));
        Assert.Contains("deployment.shadow-stopped", (await admin.AuditAsync(model)).Select(a => a.Action));
    }

    [Fact]
    public async Task A_restarted_registry_continues_a_shadow_from_its_stored_tallies_and_a_deployment_changed_by_hand_aborts_it()
    {
        await using var store = await TestStore.CreateAsync(StoreKind.Sqlite);
        string model;
        long before;
        await using (var first = RegistryHost.Start(store, FastController))
        {
            using var admin = first.Client();
            model = await DeployedWithCandidateAsync(admin);
            using var feeding = Feed(first, model, mirrored: 10, agreed: 10);
            await StartAsync(admin, model, new StartRollout(2, "shadow", IntervalSeconds: 1, DurationSeconds: 600));
            before = (await Eventually.GetAsync(async () => await GetAsync(admin, model) is { } v && v.Shadow!.Mirrored > 0 ? v : null, Within, "a first fold")).Shadow!.Mirrored;
        }

        await using var second = RegistryHost.Start(store, FastController);
        using var again = second.Client();
        Assert.True((await GetAsync(again, model))!.Shadow!.Mirrored >= before, "the tallies survive the restart");
        using var feedingAgain = Feed(second, model, mirrored: 10, agreed: 10);
        await Eventually.GetAsync(async () => await GetAsync(again, model) is { } v && v.Shadow!.Mirrored > before ? v : null, Within, "a fold after the restart");

        await again.DeployAsync(model, 2);

        var aborted = await WaitForStateAsync(again, model, "aborted");
        Assert.Contains("changed outside the shadow", aborted.Reason);
    }

    private static async Task<string> DeployedWithCandidateAsync(RegistryClient admin)
    {
        var model = TestModels.UniqueName("sh");
        await admin.PushAsync(model, TestModels.Add);
        await admin.PushAsync(model, TestModels.Relu);
        await admin.DeployAsync(model, 1);
        return model;
    }

    private static Task<HttpResponseMessage> PostAsync(RegistryClient client, string model, StartRollout request) =>
        client.Http.PostAsJsonAsync($"/v1/models/{model}/rollout", request, RegistryClient.Json);

    private static async Task<RolloutView> StartAsync(RegistryClient admin, string model, StartRollout request)
    {
        using var response = await PostAsync(admin, model, request);
        await RegistryClient.ExpectAsync(response, HttpStatusCode.Created);
        return (await response.Content.ReadFromJsonAsync<RolloutView>(RegistryClient.Json))!;
    }

    private static async Task ExpectFieldAsync(RegistryClient admin, string model, StartRollout request, string field)
    {
        using var response = await PostAsync(admin, model, request);
        var (status, named, body) = await RegistryClient.ProblemAsync(response);
        Assert.True(status == HttpStatusCode.BadRequest && named == field, $"expected 400 naming {field}, got {(int)status}: {body}");
    }

    private static async Task<RolloutView?> GetAsync(RegistryClient admin, string model)
    {
        using var response = await admin.Http.GetAsync($"/v1/models/{model}/rollout");
        return response.StatusCode == HttpStatusCode.OK ? await response.Content.ReadFromJsonAsync<RolloutView>(RegistryClient.Json) : null;
    }

    private static Task<RolloutView> WaitForStateAsync(RegistryClient admin, string model, string state) =>
        Eventually.GetAsync(async () => await GetAsync(admin, model) is { } v && v.State == state ? v : null, Within, $"the rollout to be {state}");

    private static async Task<DeploymentView> DeploymentAsync(RegistryClient admin, string model) =>
        (await admin.Http.GetFromJsonAsync<DeploymentView>($"/v1/models/{model}/deployment", RegistryClient.Json))!;

    /// <summary>A gateway's shadow window every 100 ms straight into the evidence, until disposed: rows labelled, <paramref name="agreed"/> of every <paramref name="mirrored"/> agreeing.</summary>
    private static CancellationTokenSource Feed(RegistryHost host, string model, int mirrored, int agreed) =>
        Loop((from, to) => { host.Services.GetRequiredService<ServingEvidence>().Add(Window(model, from, to, mirrored, agreed)); return Task.CompletedTask; });

    /// <summary>The same, published on the real bus as a gateway does, so the registry's consumer carries it.</summary>
    private static CancellationTokenSource Publish(RegistryHost host, string model, int mirrored, int agreed) =>
        Loop((from, to) => host.Services.GetRequiredService<IBus>().Publish(Window(model, from, to, mirrored, agreed)));

    private static CancellationTokenSource Loop(Func<DateTimeOffset, DateTimeOffset, Task> send)
    {
        var stop = new CancellationTokenSource();
        _ = Task.Run(async () =>
        {
            var last = DateTimeOffset.UtcNow;
            while (!stop.IsCancellationRequested)
            {
                await Task.Delay(100);
                var now = DateTimeOffset.UtcNow;
                await send(last, now);
                last = now;
            }
        });
        return stop;
    }

    private static ShadowWindowObserved Window(string model, DateTimeOffset from, DateTimeOffset to, int mirrored, int agreed) =>
        new("admin", model, 1, 2, "test", from, to, mirrored, 0, 0, 0, mirrored, 0, mirrored, agreed, 0, 0,
            [.. Enumerable.Range(1, mirrored).Select(i => 2.0 + (i % 5))], [.. Enumerable.Range(1, mirrored).Select(i => 20.0 + (i % 5))]);
}
