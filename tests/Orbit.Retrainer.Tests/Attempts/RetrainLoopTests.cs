using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text.Json;
using MassTransit;
using Microsoft.Extensions.DependencyInjection;
using Orbit.Contracts.Drift;
using Orbit.Contracts.Registry;
using Orbit.Contracts.Retraining;
using Orbit.Retrainer.Tests.Support;
using Orbit.Retrainer.Tests.Training;
using Orbit.Testing;
using StackExchange.Redis;

namespace Orbit.Retrainer.Tests.Attempts;

/// <summary>
/// Triggers through the real bus, data through real streams, registration in a real registry process: the retrainer
/// from trigger to registered version, and every way an attempt ends without one.
/// </summary>
public sealed class RetrainLoopTests(RetrainPlatform platform, Xunit.Abstractions.ITestOutputHelper output) : IClassFixture<RetrainPlatform>
{
    [Fact]
    public async Task Critical_drift_retrains_on_served_rows_joined_with_outcomes_and_registers_a_version_that_beats_stable()
    {
        await platform.PushStableAsync("churn");
        // The rule changed: the stable version, trained on distribution A, is wrong on what is served now.
        await platform.PublishTrafficAsync("churn", GeneratedData.Classification(600, seed: 200, flip: true));

        await Bus.Publish(new DriftDetected(platform.Tenant, "churn", 1, "x1", "psi", 0.4, 0.25, AlertLevel.Critical, AlertLevel.Warning, 600, DateTimeOffset.UtcNow));

        var attempt = await platform.FinishedAttemptAsync("churn");
        output.WriteLine(attempt.GetRawText());
        Assert.True(attempt.GetProperty("status").GetString() == "registered", attempt.GetRawText());
        Assert.Equal("drift", attempt.GetProperty("trigger").GetString());
        Assert.Equal(1, attempt.GetProperty("stableVersion").GetInt32());
        Assert.Equal(2, attempt.GetProperty("candidateVersion").GetInt32());
        Assert.StartsWith("gate passed: auc", attempt.GetProperty("reason").GetString());
        var candidateAuc = attempt.GetProperty("candidateMetrics").GetProperty("auc").GetDouble();
        var stableAuc = attempt.GetProperty("stableMetrics").GetProperty("auc").GetDouble();
        Assert.True(candidateAuc > 0.95 && candidateAuc > stableAuc + 0.005, $"candidate {candidateAuc}, stable {stableAuc}");

        using var registry = platform.Registry.Client(platform.DeployerKey);
        var version = (await registry.GetFromJsonAsync<VersionView>("v1/models/churn/versions/2", RetrainPlatform.Json))!;
        var lineage = version.Metadata.GetProperty("lineage");
        var hash = attempt.GetProperty("dataSnapshotHash").GetString()!;
        Assert.Equal(1, lineage.GetProperty("parentVersion").GetInt32());
        Assert.Equal(hash, lineage.GetProperty("dataSnapshotHash").GetString());
        Assert.Equal("ml.net/logistic-regression", lineage.GetProperty("trainer").GetString());
        Assert.Equal(candidateAuc, version.Metadata.GetProperty("metrics").GetProperty("auc").GetDouble(), 1e-12);
        var baseline = version.Metadata.GetProperty("baseline");
        var x0 = baseline.GetProperty("features").GetProperty("x0");
        Assert.Equal(9, x0.GetProperty("binEdges").GetArrayLength());
        Assert.Equal(baseline.GetProperty("rows").GetInt32(), x0.GetProperty("counts").EnumerateArray().Sum(c => c.GetDouble()));
        Assert.Equal("Features", version.Signature.Inputs.Single().Name);
        // The workers read the probability the gate scored, and name its class for the accuracy join.
        Assert.Equal("Probability.output", version.Metadata.GetProperty("prediction").GetProperty("output").GetString());
        Assert.Equal(0.5, version.Metadata.GetProperty("prediction").GetProperty("threshold").GetDouble());
        Assert.Equal(["0", "1"], version.Metadata.GetProperty("classes").EnumerateArray().Select(c => c.GetString()));
        Assert.Contains(version.Signature.Outputs, o => o.Name == "Probability.output");

        var snapshot = Path.Combine(platform.DataDirectory, "snapshots", "sha256", hash[7..9], hash[9..] + ".csv");
        Assert.Equal(hash, "sha256:" + Convert.ToHexStringLower(SHA256.HashData(await File.ReadAllBytesAsync(snapshot))));
        Assert.Equal(601, (await File.ReadAllLinesAsync(snapshot)).Length);

        var proposed = await Eventually.GetAsync(() => Task.FromResult(platform.Proposed.FirstOrDefault(p => p.ModelName == "churn")),
            TimeSpan.FromSeconds(30), "ModelVersionProposed");
        Assert.Equal(2, proposed.Version);
        Assert.Equal(1, proposed.StableVersion);
        Assert.False(proposed.ForcedPastGate);
        Assert.False(await Redis.KeyExistsAsync($"orbit:retrain-lease:{platform.Tenant}:churn"));
        using var scrape = platform.RetrainerClient();
        var metrics = await scrape.GetStringAsync("/metrics");
        Assert.Contains("orbit_retrainer_attempts_total{outcome=\"registered\",trigger=\"drift\"}", metrics);
        Assert.Contains("orbit_retrainer_attempt_duration_seconds_count{outcome=\"registered\"}", metrics);
    }

    [Fact]
    public async Task A_candidate_trained_on_shuffled_labels_fails_the_gate_and_nothing_is_registered()
    {
        await platform.PushStableAsync("steady");
        await platform.PublishTrafficAsync("steady", GeneratedData.Classification(600, seed: 300));

        using var http = platform.RetrainerClient();
        var response = await http.PostAsJsonAsync("v1/retrains/steady", new { reason = "gate test", shuffleLabels = true });
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var id = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString();

        var attempt = await platform.FinishedAttemptAsync("steady", id);
        Assert.True(attempt.GetProperty("status").GetString() == "rejected", attempt.GetRawText());
        Assert.Contains("gate failed: auc", attempt.GetProperty("reason").GetString());
        Assert.Contains("labels shuffled", attempt.GetProperty("reason").GetString());
        using var registry = platform.Registry.Client(platform.DeployerKey);
        var model = (await registry.GetFromJsonAsync<ModelView>("v1/models/steady", RetrainPlatform.Json))!;
        Assert.Equal(1, model.VersionCount);
        var published = await Eventually.GetAsync(() => Task.FromResult(platform.Attempted.FirstOrDefault(a => a.AttemptId == id)),
            TimeSpan.FromSeconds(30), "RetrainAttempted");
        Assert.Equal(RetrainAttempted.Rejected, published.Outcome);
        Assert.DoesNotContain(platform.Proposed, p => p.ModelName == "steady");
    }

    [Fact]
    public async Task A_failing_candidate_forced_past_the_gate_is_registered_and_proposed_as_forced()
    {
        await platform.PushStableAsync("forced");
        await platform.PublishTrafficAsync("forced", GeneratedData.Classification(600, seed: 500));

        await Bus.Publish(new RetrainRequested(platform.Tenant, "forced", "canary rollback test", "test", ShuffleLabels: true, ForcePastGate: true));

        var attempt = await platform.FinishedAttemptAsync("forced");
        Assert.True(attempt.GetProperty("status").GetString() == "registered", attempt.GetRawText());
        Assert.StartsWith("gate forced past the gate by configuration; failed: auc", attempt.GetProperty("reason").GetString());
        var proposed = await Eventually.GetAsync(() => Task.FromResult(platform.Proposed.FirstOrDefault(p => p.ModelName == "forced")),
            TimeSpan.FromSeconds(30), "ModelVersionProposed");
        Assert.True(proposed.ForcedPastGate);
        Assert.Equal(2, proposed.Version);
    }

    [Fact]
    public async Task A_model_configured_with_a_dataset_gets_its_first_version_trained_from_the_dataset_alone()
    {
        using var http = platform.RetrainerClient();
        var response = await http.PostAsJsonAsync("v1/retrains/fresh", new { reason = "first version" });
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);

        var attempt = await platform.FinishedAttemptAsync("fresh");
        Assert.True(attempt.GetProperty("status").GetString() == "registered", attempt.GetRawText());
        Assert.Equal(1, attempt.GetProperty("candidateVersion").GetInt32());
        Assert.Contains("no stable version yet", attempt.GetProperty("reason").GetString());
        Assert.True(attempt.GetProperty("candidateMetrics").GetProperty("auc").GetDouble() >= 0.9);
        using var registry = platform.Registry.Client(platform.DeployerKey);
        var version = (await registry.GetFromJsonAsync<VersionView>("v1/models/fresh/versions/1", RetrainPlatform.Json))!;
        var lineage = version.Metadata.GetProperty("lineage");
        Assert.False(lineage.TryGetProperty("parentVersion", out _));
        Assert.Equal("ml.net/boosted-trees", lineage.GetProperty("trainer").GetString());
        Assert.Equal(["x0", "x1", "x2", "churned"], version.Metadata.GetProperty("features").EnumerateArray().Select(f => f.GetProperty("name").GetString()));
    }

    [Fact]
    public async Task An_unknown_model_is_a_failed_attempt_naming_it()
    {
        await Bus.Publish(new RetrainRequested(platform.Tenant, "no-such-model", "test"));

        var published = await Eventually.GetAsync(
            () => Task.FromResult(platform.Attempted.FirstOrDefault(a => a.ModelName == "no-such-model")), TimeSpan.FromSeconds(60), "RetrainAttempted");
        Assert.Equal(RetrainAttempted.Failed, published.Outcome);
        Assert.Contains("unknown model", published.Reason);
    }

    [Fact]
    public async Task A_model_with_no_outcomes_fails_for_want_of_labelled_data_and_registers_nothing()
    {
        await platform.PushStableAsync("quiet");

        await Bus.Publish(new RetrainRequested(platform.Tenant, "quiet"));

        var attempt = await platform.FinishedAttemptAsync("quiet");
        Assert.Equal("failed", attempt.GetProperty("status").GetString());
        Assert.StartsWith("no labelled data: no outcomes", attempt.GetProperty("reason").GetString());
        Assert.False(await Redis.KeyExistsAsync($"orbit:retrain-lease:{platform.Tenant}:quiet"));
    }

    [Fact]
    public async Task A_trainer_that_crashes_fails_the_attempt_with_its_exit_and_the_lease_is_released()
    {
        await platform.PushStableAsync("crashy");
        await platform.PublishTrafficAsync("crashy", GeneratedData.Classification(300, seed: 400));

        await Bus.Publish(new AccuracyDegraded(platform.Tenant, "crashy", 1, "accuracy", 0.6, 0.9, AlertLevel.Critical, AlertLevel.Warning, 300, DateTimeOffset.UtcNow));

        var attempt = await platform.FinishedAttemptAsync("crashy");
        Assert.Equal("failed", attempt.GetProperty("status").GetString());
        Assert.Equal("accuracy", attempt.GetProperty("trigger").GetString());
        Assert.Contains("the trainer failed: The trainer exited with code 139 (signal 11)", attempt.GetProperty("reason").GetString());
        Assert.Contains("Segmentation fault", attempt.GetProperty("reason").GetString());
        Assert.False(await Redis.KeyExistsAsync($"orbit:retrain-lease:{platform.Tenant}:crashy"));
    }

    [Fact]
    public async Task An_attempt_a_crashed_retrainer_left_running_is_run_again_once_its_lease_has_expired()
    {
        await platform.PushStableAsync("orphan");
        var store = platform.Services.GetRequiredService<Orbit.Retrainer.Storage.RetrainStore>();
        var id = "orphan-" + Guid.NewGuid().ToString("N")[..8];
        await store.InsertAsync(new Orbit.Retrainer.Storage.RetrainAttempt
        {
            Id = id, TenantId = platform.Tenant, Model = "orphan", Trigger = "request", Detail = "left by a crash",
            Status = Orbit.Retrainer.Storage.AttemptStatus.Running, CreatedAt = DateTimeOffset.UtcNow,
        }, default);

        var attempt = await platform.FinishedAttemptAsync("orphan", id);

        // It ran to its end: this model has no outcomes, so the run fails for want of data (not left running).
        Assert.Equal("failed", attempt.GetProperty("status").GetString());
        Assert.StartsWith("no labelled data", attempt.GetProperty("reason").GetString());
    }

    [Fact]
    public async Task A_request_without_a_tenant_goes_to_the_error_queue_naming_the_field_and_consumption_goes_on()
    {
        var factory = new RabbitMQ.Client.ConnectionFactory { Uri = new Uri(platform.RabbitMqUrl) };
        await using var connection = await factory.CreateConnectionAsync();
        await using var channel = await connection.CreateChannelAsync();
        var body = System.Text.Encoding.UTF8.GetBytes("{\"modelName\": \"poison\"}");
        await channel.BasicPublishAsync("Orbit.Contracts.Retraining:RetrainRequested", "", mandatory: false,
            new RabbitMQ.Client.BasicProperties { ContentType = "application/json" }, body);

        var fault = await Eventually.GetAsync(async () =>
        {
            // The error queue appears with the first fault; asking for a queue that does not exist closes the channel.
            await using var probe = await connection.CreateChannelAsync();
            try
            {
                return await probe.BasicGetAsync("retrainer-retrain-requested_error", autoAck: true) is { } message
                    ? System.Text.Encoding.UTF8.GetString((byte[])message.BasicProperties.Headers!["MT-Fault-Message"]!)
                    : null;
            }
            catch (RabbitMQ.Client.Exceptions.OperationInterruptedException)
            {
                return null;
            }
        }, TimeSpan.FromSeconds(30), "the poison message in the error queue");
        Assert.Contains("tenantId", fault);

        await Bus.Publish(new RetrainRequested(platform.Tenant, "after-poison"));
        var next = await Eventually.GetAsync(
            () => Task.FromResult(platform.Attempted.FirstOrDefault(a => a.ModelName == "after-poison")), TimeSpan.FromSeconds(60), "the next request handled");
        Assert.Equal(RetrainAttempted.Failed, next.Outcome);
    }

    [Fact]
    public async Task Drift_below_critical_is_recorded_as_skipped_with_the_reason()
    {
        await platform.PushStableAsync("calm");

        await Bus.Publish(new DriftDetected(platform.Tenant, "calm", 1, "x0", "psi", 0.15, 0.1, AlertLevel.Warning, AlertLevel.Ok, 500, DateTimeOffset.UtcNow));

        var attempt = await platform.FinishedAttemptAsync("calm");
        Assert.Equal("skipped", attempt.GetProperty("status").GetString());
        Assert.Equal("drift level warning: only critical drift triggers a retrain", attempt.GetProperty("reason").GetString());
    }

    [Fact]
    public async Task Another_tenants_model_is_a_404_and_a_request_needs_a_deployer()
    {
        await platform.PushStableAsync("private");
        using var admin = platform.Registry.Client(RegistryProcess.AdminKey);
        var other = "ot" + Guid.NewGuid().ToString("N")[..8];
        (await admin.PostAsJsonAsync("v1/tenants", new { id = other }, RetrainPlatform.Json)).EnsureSuccessStatusCode();
        var otherKey = (await (await admin.PostAsJsonAsync("v1/keys", new { tenantId = other, role = "deployer" }, RetrainPlatform.Json))
            .Content.ReadFromJsonAsync<JsonElement>()).GetProperty("key").GetString();
        var viewerKey = (await (await admin.PostAsJsonAsync("v1/keys", new { tenantId = platform.Tenant, role = "viewer" }, RetrainPlatform.Json))
            .Content.ReadFromJsonAsync<JsonElement>()).GetProperty("key").GetString();

        using var outsider = platform.RetrainerClient(otherKey);
        Assert.Equal(HttpStatusCode.NotFound, (await outsider.GetAsync("v1/retrains/private")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await outsider.PostAsJsonAsync("v1/retrains/private", new { })).StatusCode);
        using var viewer = platform.RetrainerClient(viewerKey);
        Assert.Equal(HttpStatusCode.OK, (await viewer.GetAsync("v1/retrains/private")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await viewer.PostAsJsonAsync("v1/retrains/private", new { })).StatusCode);
        using var anonymous = platform.RetrainerClient("orb_not-a-key");
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.GetAsync("v1/retrains/private")).StatusCode);
        var badLimit = await viewer.GetAsync("v1/retrains/private?limit=0");
        Assert.Equal(HttpStatusCode.BadRequest, badLimit.StatusCode);
        Assert.Equal("limit", (await badLimit.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("field").GetString());
    }

    private IBus Bus => platform.Services.GetRequiredService<IBus>();

    private IDatabase Redis => platform.Services.GetRequiredService<IConnectionMultiplexer>().GetDatabase();
}
