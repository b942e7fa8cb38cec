using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Orbit.Cli.Demo;
using Orbit.Contracts.Drift;
using Orbit.Contracts.Registry;
using Orbit.Contracts.Retraining;
using Orbit.Contracts.Rollouts;
using Orbit.EndToEnd.Tests.Inference;
using Orbit.Testing;
using Xunit.Abstractions;

namespace Orbit.EndToEnd.Tests.ClosedLoop;

/// <summary>
/// The closed loop on <c>./orbit up --workers 2</c>, with intervals of seconds set by configuration: version 1 trained by
/// the retrainer on distribution A and deployed; traffic shifts to B (drifted, and the rule changed) with outcomes posted;
/// the drift monitor goes critical and accuracy degrades; the retrainer trains version 2 on the served rows joined with
/// their outcomes, it passes the gate, and the canary promotes it, all without a client request failing. Then a candidate
/// trained on shuffled labels fails the gate, and one forced past it is rolled back by the canary on accuracy.
/// </summary>
public sealed class ClosedLoopTests(ITestOutputHelper output)
{
    private const string Model = "loop";
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    [Fact]
    public async Task Drift_retrains_gates_and_promotes_a_new_version_and_a_bad_one_is_stopped_by_the_gate_or_rolled_back()
    {
        var datasets = Directory.CreateTempSubdirectory("orbit-loop-data-").FullName;
        await File.WriteAllTextAsync(Path.Combine(datasets, "loop-a.csv"), DemoWorld.DatasetA(1500, seed: 7));
        await using var platform = await Platform.Platform.CreateAsync();
        platform.Output = output;
        foreach (var (key, value) in Settings(datasets))
        {
            platform.Environment[key] = value;
        }

        await platform.OrbitOkAsync("up --workers 2");
        try
        {
            await RunScenarioAsync(platform);
        }
        catch (TimeoutException)
        {
            await PrintStateAsync(platform);
            throw;
        }

        Directory.Delete(datasets, recursive: true);
    }

    private async Task RunScenarioAsync(Platform.Platform platform)
    {
        using var http = new HttpClient { BaseAddress = platform.Gateway, Timeout = TimeSpan.FromSeconds(30) };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", platform.AdminKey);

        // 1. Version 1, trained by the retrainer on distribution A (its dataset), deployed stable.
        await platform.OrbitOkAsync($"retrain {Model} --reason \"first version\" --wait");
        await platform.OrbitOkAsync($"deploy {Model} --stable 1");
        await WarmAsync(platform, Model, 1);
        using (var policy = await http.PutAsJsonAsync($"/v1/models/{Model}/rollout-policy", Policy, Json))
        {
            Assert.True(policy.IsSuccessStatusCode, await policy.Content.ReadAsStringAsync());
        }

        await using var traffic = new RealtimeTraffic(platform.Gateway, platform.AdminKey, Model, clients: 3, pause: TimeSpan.FromMilliseconds(100));
        var calm = await WaitForDriftAsync(http, 1, v => v.Status == "ok", "version 1 to be evaluated as ok on traffic like its baseline");
        output.WriteLine($"before the shift: {Summary(calm)}");

        // 2. Traffic moves to B: drift goes critical and accuracy degrades.
        traffic.Shift();
        var critical = await WaitForDriftAsync(http, 1, v => v.Status == "critical", "version 1's drift to go critical");
        output.WriteLine($"after the shift: {Summary(critical)}");
        Assert.Contains(critical.Features, f => f.Feature == "x0" && f.Level == "critical");
        // Prometheus scrapes the monitor's state and Alertmanager receives the critical alert, while the loop goes on.
        var alerted = Eventually.GetAsync(() => AlertAsync(platform, "OrbitDriftCritical"), TimeSpan.FromSeconds(150), "Alertmanager to receive OrbitDriftCritical for loop");
        var degraded = await WaitForDriftAsync(http, 1, v => v.Accuracy is { Level: "critical" }, "version 1's accuracy to degrade");
        output.WriteLine($"accuracy of version 1 on B: {degraded.Accuracy!.Value:0.000} (expected {degraded.Accuracy.Expected:0.000})");

        // 3. The retrainer trains version 2 on what was served, it passes the gate, and the canary promotes it.
        var retrained = await WaitForAttemptAsync(http, a => a.CandidateVersion == 2, "the retrainer to register version 2");
        output.WriteLine($"retrain: {retrained.Trigger} → {retrained.Status}: {retrained.Reason}");
        Assert.Contains(retrained.Trigger, new[] { "drift", "accuracy" });
        Assert.Equal("registered", retrained.Status);
        var promoted = await WaitForRolloutAsync(http, 2, "promoted");
        PrintDecisions(promoted);
        Assert.Equal(2, (await DeploymentAsync(http)).StableVersion);
        Assert.Contains(promoted.Decisions, d => d.Action == "advance" && d.Weight == 50);
        var promotion = promoted.Decisions.First(d => d.Action == "promote");
        Assert.Equal("pass", promotion.Metrics.Single(m => m.Metric == "error_rate").Verdict);
        var version2 = await WaitForDriftAsync(http, 2, v => v.Accuracy is { Accuracy: > 0 }, "version 2's accuracy from outcomes");
        Assert.True(version2.Accuracy!.Accuracy > degraded.Accuracy.Accuracy + 0.1, $"version 2 {version2.Accuracy.Accuracy}, version 1 {degraded.Accuracy.Accuracy}");

        // 4a. A candidate trained on shuffled labels fails the gate: nothing reaches production routing.
        var rejected = await RequestRetrainAsync(http, new RetrainRequestBody("shuffled labels", ShuffleLabels: true));
        output.WriteLine($"shuffled: {rejected.Status}: {rejected.Reason}");
        Assert.Equal("rejected", rejected.Status);
        Assert.StartsWith("gate failed", rejected.Reason);
        Assert.Equal((2, (int?)null), ((await DeploymentAsync(http)).StableVersion, (await DeploymentAsync(http)).CandidateVersion));

        // 4b. Forced past the gate, it is rolled back by the canary, and the decision names the metric.
        var forced = await RequestRetrainAsync(http, new RetrainRequestBody("forced past the gate", ShuffleLabels: true, ForcePastGate: true));
        Assert.Equal(("registered", (int?)3), (forced.Status, forced.CandidateVersion));
        var rolledBack = await WaitForRolloutAsync(http, 3, "rolled-back");
        PrintDecisions(rolledBack);
        var last = rolledBack.Decisions.First();
        Assert.Equal(("fail", "rollback"), (last.Verdict, last.Action));
        var accuracy = last.Metrics.Single(m => m.Metric == "accuracy");
        Assert.Equal("fail", accuracy.Verdict);
        Assert.True(accuracy.Candidate < accuracy.Stable, $"candidate accuracy {accuracy.Candidate}, stable {accuracy.Stable}");
        var after = await DeploymentAsync(http);
        Assert.Equal((2, (int?)null), (after.StableVersion, after.CandidateVersion));

        var alert = await alerted;
        output.WriteLine($"alertmanager: {alert}");
        Assert.Contains("\"feature\":\"x0\"", alert);
        await traffic.StopAsync();
        output.WriteLine($"{traffic.Served} requests served, {traffic.Failures.Count} failed");
        foreach (var failure in traffic.Failures.Take(30))
        {
            output.WriteLine("  " + failure);
        }

        Assert.True(traffic.Failures.Count == 0, string.Join("\n", traffic.Failures.Take(20)));
    }

    /// <summary>What each service says when a step did not happen in time: attempts, rollout, drift, and the retrainer's log tail.</summary>
    private async Task PrintStateAsync(Platform.Platform platform)
    {
        using var http = new HttpClient { BaseAddress = platform.Gateway, Timeout = TimeSpan.FromSeconds(10) };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", platform.AdminKey);
        foreach (var path in new[] { $"/v1/retrains/{Model}", $"/v1/models/{Model}/rollout?decisions=20", $"/v1/models/{Model}/deployment" })
        {
            try
            {
                output.WriteLine($"GET {path}: {await http.GetStringAsync(path)}");
            }
            catch (HttpRequestException ex)
            {
                output.WriteLine($"GET {path}: {ex.Message}");
            }
        }

        foreach (var service in new[] { "retrainer", "registry", "drift-monitor" })
        {
            var log = Path.Combine(platform.RunDir, "logs", service + ".log");
            if (File.Exists(log))
            {
                output.WriteLine($"--- {service}.log (tail) ---\n{string.Join("\n", File.ReadLines(log).TakeLast(40))}");
            }
        }
    }

    /// <summary>Every interval in seconds, so the loop closes in minutes; the production defaults are in docs/rollouts.md and docs/drift.md.</summary>
    private static Dictionary<string, string> Settings(string datasets) => new()
    {
        ["Orbit__Worker__Statistics__WindowSeconds"] = "2",
        ["Orbit__Gateway__ServingWindows__WindowSeconds"] = "1",
        ["Orbit__DriftMonitor__WindowSeconds"] = "20",
        ["Orbit__DriftMonitor__EvaluateEverySeconds"] = "2",
        ["Orbit__DriftMonitor__MinSampleSize"] = "200",
        ["Orbit__DriftMonitor__Consecutive"] = "2",
        ["Orbit__DriftMonitor__AccuracyRows"] = "400",
        ["Orbit__Registry__Rollouts__TickSeconds"] = "0.5",
        ["Orbit__Retrainer__AllowRequestOverrides"] = "true",
        ["Orbit__Retrainer__PollSeconds"] = "1",
        ["Orbit__Retrainer__Data__DatasetRoot"] = datasets,
        ["Orbit__Retrainer__Data__IdleMilliseconds"] = "700",
        ["Orbit__Retrainer__Models__0__Tenant"] = "admin",
        ["Orbit__Retrainer__Models__0__Model"] = Model,
        ["Orbit__Retrainer__Models__0__Dataset"] = "loop-a.csv",
        ["Orbit__Retrainer__Models__0__MergeDataset"] = "false",
        ["Orbit__Retrainer__Models__0__Recipe"] = "logistic-regression",
        ["Orbit__Retrainer__Models__0__DebounceSeconds"] = "0",
        // Short enough that version 1's own registration (explicitly requested) has cooled down when drift arrives.
        ["Orbit__Retrainer__Models__0__CooldownHours"] = "0.01",
    };

    private static readonly RolloutPolicy Policy = new(
        AutoStart: true, Steps: [50, 100], BakeSeconds: 0, IntervalSeconds: 5,
        Analysis: new RolloutAnalysis(MinSamples: 30, ErrorRateMargin: 0.1, LatencyMargin: 1.0, AccuracyMargin: 0.05, FailureLimit: 2));

    /// <summary>The alert as Alertmanager's API shows it (./orbit up starts both on fixed offsets from the base port).</summary>
    private static async Task<string?> AlertAsync(Platform.Platform platform, string name)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
        try
        {
            using var alerts = JsonDocument.Parse(await http.GetStringAsync($"http://127.0.0.1:{platform.BasePort + 1013}/api/v2/alerts"));
            return alerts.RootElement.EnumerateArray()
                .Select(a => a.GetProperty("labels"))
                .Where(l => l.GetProperty("alertname").GetString() == name && l.TryGetProperty("model", out var m) && m.GetString() == Model)
                .Select(l => l.GetRawText())
                .FirstOrDefault(l => l.Contains("\"feature\":\"x0\"", StringComparison.Ordinal));
        }
        catch (HttpRequestException)
        {
            return null;
        }
    }

    private static async Task WarmAsync(Platform.Platform platform, string model, int version)
    {
        using var client = new OipClient(platform.Gateway, platform.AdminKey);
        await Eventually.GetAsync(async () => await client.ReadyAsync(model, version) ? "ready" : null, TimeSpan.FromSeconds(60), $"{model} version {version} to be served");
    }

    private static async Task<DriftVersionView> WaitForDriftAsync(HttpClient http, int version, Func<DriftVersionView, bool> condition, string what) =>
        await Eventually.GetAsync(async () =>
        {
            using var response = await http.GetAsync($"/v1/drift/{Model}/versions/{version}");
            return response.IsSuccessStatusCode && await response.Content.ReadFromJsonAsync<DriftVersionView>(Json) is { } view && condition(view) ? view : null;
        }, TimeSpan.FromSeconds(120), what);

    private static async Task<AttemptView> WaitForAttemptAsync(HttpClient http, Func<AttemptView, bool> condition, string what) =>
        await Eventually.GetAsync(async () =>
        {
            using var response = await http.GetAsync($"/v1/retrains/{Model}");
            return response.IsSuccessStatusCode && await response.Content.ReadFromJsonAsync<AttemptPage>(Json) is { } page
                ? page.Items.FirstOrDefault(a => condition(a) && a.FinishedAt is not null)
                : null;
        }, TimeSpan.FromSeconds(180), what);

    private static async Task<AttemptView> RequestRetrainAsync(HttpClient http, RetrainRequestBody body)
    {
        using var response = await http.PostAsJsonAsync($"/v1/retrains/{Model}", body, Json);
        Assert.True(response.StatusCode == HttpStatusCode.Accepted, await response.Content.ReadAsStringAsync());
        var id = (await response.Content.ReadFromJsonAsync<AttemptView>(Json))!.Id;
        return await WaitForAttemptAsync(http, a => a.Id == id, $"retrain attempt {id} to finish");
    }

    private static async Task<RolloutView> WaitForRolloutAsync(HttpClient http, int candidate, string state) =>
        await Eventually.GetAsync(async () =>
        {
            using var response = await http.GetAsync($"/v1/models/{Model}/rollout?decisions=200");
            return response.IsSuccessStatusCode && await response.Content.ReadFromJsonAsync<RolloutView>(Json) is { } view
                && view.CandidateVersion == candidate && view.State == state ? view : null;
        }, TimeSpan.FromSeconds(180), $"the rollout of version {candidate} to be {state}");

    private static async Task<DeploymentView> DeploymentAsync(HttpClient http) =>
        (await http.GetFromJsonAsync<DeploymentView>($"/v1/models/{Model}/deployment", Json))!;

    private static string Summary(DriftVersionView view) =>
        $"{view.Status} on {view.SampleSize} rows; " + string.Join(", ", view.Features.Select(f => $"{f.Feature} {f.Test}={f.Value:0.####} {f.Level}"));

    private void PrintDecisions(RolloutView rollout)
    {
        foreach (var decision in rollout.Decisions.Reverse())
        {
            output.WriteLine($"  {decision.At:HH:mm:ss} {decision.Weight}% {decision.Verdict} → {decision.Action}: {decision.Reason}");
            foreach (var m in decision.Metrics)
            {
                output.WriteLine($"      {m.Metric}: candidate {m.Candidate:0.####} (n={m.CandidateSamples}) stable {m.Stable:0.####} (n={m.StableSamples}) p={m.PValue:0.####} {m.Verdict}");
            }
        }
    }
}
