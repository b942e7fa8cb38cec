using System.Net;
using Orbit.Testing;
using Xunit.Abstractions;

namespace Orbit.EndToEnd.Tests.Platform;

/// <summary>
/// The quick start, for real: <c>./orbit up</c> starts the five services as processes, and
/// <c>./orbit down</c> stops them. Runs in its own run folder and ports, so it never touches a
/// platform a developer has up.
/// </summary>
public sealed class OrbitUpTests(ITestOutputHelper output)
{
    [Fact]
    public async Task Orbit_up_starts_five_ready_services_once_serves_the_registry_quick_start_and_down_stops_them()
    {
        await using var platform = await Platform.CreateAsync();
        platform.Output = output;
        var ports = new[] { platform.BasePort, platform.BasePort + 1, platform.BasePort + 2, platform.BasePort + 3, platform.BasePort + 10 };
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };

        await platform.OrbitOkAsync("up");
        foreach (var port in ports)
        {
            using var response = await http.GetAsync($"http://127.0.0.1:{port}/health/ready");
            Assert.True(response.StatusCode == HttpStatusCode.OK, $"port {port}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        }

        var pids = platform.Pids();
        Assert.Equal(["drift-monitor", "gateway", "inference-worker-1", "registry", "retrainer"], pids.Keys.Order());

        var again = await platform.OrbitOkAsync("up");
        Assert.Equal(5, again.Split('\n').Count(l => l.Contains("already running", StringComparison.Ordinal)));
        Assert.Equal(pids, platform.Pids());

        await platform.OrbitOkAsync("health");

        await using (var prometheus = PrometheusScraper.Start(ports))
        {
            var upByInstance = await Eventually.GetAsync(async () =>
            {
                var scraped = await prometheus.UpAsync(http);
                return scraped.Count == ports.Length && scraped.Values.All(v => v == "1") ? scraped : null;
            }, TimeSpan.FromSeconds(60), "Prometheus to scrape all five services successfully");
            Assert.Equal(ports.Length, upByInstance.Count);
        }

        await PushDeployShowAndAuditThroughTheCliAsync(platform);
        await RestartingTheRegistryLosesNothingAsync(platform);

        var running = platform.Pids();
        await platform.OrbitOkAsync("down");
        foreach (var (name, pid) in running)
        {
            Assert.False(Platform.IsAlive(pid), $"{name} (pid {pid}) still runs after ./orbit down");
        }
    }

    /// <summary>The registry's quick start: a real ONNX file pushed, deployed, shown and audited with the admin key <c>up</c> made.</summary>
    private static async Task PushDeployShowAndAuditThroughTheCliAsync(Platform platform)
    {
        const string testData = "/usr/share/libonnx-testdata/data/node";
        await platform.OrbitOkAsync($"models push churn {testData}/test_add/model.onnx");
        await platform.OrbitOkAsync($"models push churn {testData}/test_sub/model.onnx --tag nightly");
        await platform.OrbitOkAsync("deploy churn --stable 1 --candidate 2 --weight 10");

        var shown = System.Text.Json.JsonDocument.Parse(await platform.OrbitOkAsync("models show churn --json")).RootElement;
        Assert.Equal(10, shown.GetProperty("model").GetProperty("deployment").GetProperty("candidateWeight").GetInt32());
        Assert.Equal(2, shown.GetProperty("versions").GetArrayLength());
        var audit = await platform.OrbitOkAsync("audit --model churn");
        Assert.Contains("deployment.set", audit);
        Assert.Equal(2, audit.Split('\n').Count(l => l.Contains("version.registered", StringComparison.Ordinal)));
    }

    private static async Task RestartingTheRegistryLosesNothingAsync(Platform platform)
    {
        var registry = platform.Pids()["registry"];
        System.Diagnostics.Process.GetProcessById(registry).Kill();
        await Eventually.GetAsync(() => Task.FromResult(Platform.IsAlive(registry) ? null : "gone"), TimeSpan.FromSeconds(30), "the registry to exit");

        var up = await platform.OrbitOkAsync("up");
        Assert.Equal(4, up.Split('\n').Count(l => l.Contains("already running", StringComparison.Ordinal)));

        var shown = System.Text.Json.JsonDocument.Parse(await platform.OrbitOkAsync("models show churn --json")).RootElement;
        Assert.Equal(1, shown.GetProperty("model").GetProperty("deployment").GetProperty("stableVersion").GetInt32());
        Assert.Equal("nightly", shown.GetProperty("versions")[1].GetProperty("tags")[0].GetString());
    }
}
