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
    private static readonly TimeSpan ScriptTimeout = TimeSpan.FromMinutes(8);

    [Fact]
    public async Task Orbit_up_starts_five_ready_services_once_serves_the_registry_quick_start_and_down_stops_them()
    {
        var runDir = Directory.CreateTempSubdirectory("orbit-e2e-").FullName;
        var basePort = FreeBasePort();
        var environment = new Dictionary<string, string>
        {
            ["ORBIT_RUN_DIR"] = runDir,
            ["ORBIT_BASE_PORT"] = basePort.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["ORBIT_READY_TIMEOUT"] = "120",
        };
        var ports = new[] { basePort, basePort + 1, basePort + 2, basePort + 3, basePort + 10 };
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
        try
        {
            var up = await Orbit("up", environment);
            Assert.True(up.ExitCode == 0, $"./orbit up failed:\n{up.Output}");

            foreach (var port in ports)
            {
                using var response = await http.GetAsync($"http://127.0.0.1:{port}/health/ready");
                Assert.True(response.StatusCode == HttpStatusCode.OK, $"port {port}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
            }

            var pids = ReadPids(runDir);
            Assert.Equal(["drift-monitor", "gateway", "inference-worker-1", "registry", "retrainer"], pids.Keys.Order());

            var again = await Orbit("up", environment);
            Assert.True(again.ExitCode == 0, $"second ./orbit up failed:\n{again.Output}");
            Assert.Equal(5, again.Output.Split('\n').Count(l => l.Contains("already running", StringComparison.Ordinal)));
            Assert.Equal(pids, ReadPids(runDir));

            var health = await Orbit("health", environment);
            Assert.True(health.ExitCode == 0, $"./orbit health reported a service not ready:\n{health.Output}");

            await PushDeployShowAndAuditThroughTheCliAsync(environment);
            await RestartingTheRegistryLosesNothingAsync(runDir, environment);

            await using var prometheus = PrometheusScraper.Start(ports);
            var upByInstance = await Eventually.GetAsync(async () =>
            {
                var scraped = await prometheus.UpAsync(http);
                return scraped.Count == ports.Length && scraped.Values.All(v => v == "1") ? scraped : null;
            }, TimeSpan.FromSeconds(60), "Prometheus to scrape all five services successfully");
            Assert.Equal(ports.Length, upByInstance.Count);

            var running = ReadPids(runDir);
            var down = await Orbit("down", environment);
            Assert.True(down.ExitCode == 0, $"./orbit down failed:\n{down.Output}");
            foreach (var (name, pid) in running)
            {
                Assert.False(IsAlive(pid), $"{name} (pid {pid}) still runs after ./orbit down");
            }
        }
        finally
        {
            await Orbit("down", environment);
            Directory.Delete(runDir, recursive: true);
        }
    }

    /// <summary>The registry's quick start: a real ONNX file pushed, deployed, shown and audited with the admin key <c>up</c> made.</summary>
    private async Task PushDeployShowAndAuditThroughTheCliAsync(Dictionary<string, string> environment)
    {
        const string testData = "/usr/share/libonnx-testdata/data/node";
        await OrbitOk($"models push churn {testData}/test_add/model.onnx", environment);
        await OrbitOk($"models push churn {testData}/test_sub/model.onnx --tag nightly", environment);
        await OrbitOk("deploy churn --stable 1 --candidate 2 --weight 10", environment);

        var shown = System.Text.Json.JsonDocument.Parse(await OrbitOk("models show churn --json", environment)).RootElement;
        Assert.Equal(10, shown.GetProperty("model").GetProperty("deployment").GetProperty("candidateWeight").GetInt32());
        Assert.Equal(2, shown.GetProperty("versions").GetArrayLength());
        var audit = await OrbitOk("audit --model churn", environment);
        Assert.Contains("deployment.set", audit);
        Assert.Equal(2, audit.Split('\n').Count(l => l.Contains("version.registered", StringComparison.Ordinal)));
    }

    private async Task RestartingTheRegistryLosesNothingAsync(string runDir, Dictionary<string, string> environment)
    {
        var registry = ReadPids(runDir)["registry"];
        System.Diagnostics.Process.GetProcessById(registry).Kill();
        await Eventually.GetAsync(() => Task.FromResult(IsAlive(registry) ? null : "gone"), TimeSpan.FromSeconds(30), "the registry to exit");

        var up = await Orbit("up", environment);
        Assert.True(up.ExitCode == 0, $"./orbit up after the registry died failed:\n{up.Output}");
        Assert.Equal(4, up.Output.Split('\n').Count(l => l.Contains("already running", StringComparison.Ordinal)));

        var shown = System.Text.Json.JsonDocument.Parse(await OrbitOk("models show churn --json", environment)).RootElement;
        Assert.Equal(1, shown.GetProperty("model").GetProperty("deployment").GetProperty("stableVersion").GetInt32());
        Assert.Equal("nightly", shown.GetProperty("versions")[1].GetProperty("tags")[0].GetString());
    }

    private async Task<string> OrbitOk(string arguments, Dictionary<string, string> environment)
    {
        var result = await Orbit(arguments, environment);
        Assert.True(result.ExitCode == 0, $"./orbit {arguments} failed ({result.ExitCode}):\n{result.Output}");
        return result.Output;
    }

    private async Task<ShellResult> Orbit(string arguments, Dictionary<string, string> environment)
    {
        var result = await Shell.RunAsync(Path.Combine(RepositoryRoot.Path, "orbit"), arguments, RepositoryRoot.Path, environment, ScriptTimeout);
        output.WriteLine($"$ ./orbit {arguments}  (exit {result.ExitCode})\n{result.Output}");
        return result;
    }

    private static Dictionary<string, int> ReadPids(string runDir) =>
        Directory.GetFiles(Path.Combine(runDir, "pids"), "*.pid").ToDictionary(
            f => Path.GetFileNameWithoutExtension(f),
            f => int.Parse(File.ReadAllText(f).Trim(), System.Globalization.CultureInfo.InvariantCulture));

    private static bool IsAlive(int pid) => Directory.Exists($"/proc/{pid}") && !File.ReadAllText($"/proc/{pid}/stat").Contains(") Z ", StringComparison.Ordinal);

    /// <summary>A base port whose service and first worker ports are all free.</summary>
    private static int FreeBasePort()
    {
        for (var attempt = 0; attempt < 50; attempt++)
        {
            var candidate = Random.Shared.Next(20_000, 30_000);
            if (new[] { 0, 1, 2, 3, 10 }.All(offset => IsFree(candidate + offset)))
            {
                return candidate;
            }
        }

        throw new InvalidOperationException("No free block of loopback ports between 20000 and 30000.");
    }

    private static bool IsFree(int port)
    {
        try
        {
            using var listener = new System.Net.Sockets.TcpListener(IPAddress.Loopback, port);
            listener.Start();
            return true;
        }
        catch (System.Net.Sockets.SocketException)
        {
            return false;
        }
    }
}
