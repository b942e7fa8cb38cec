using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Text;
using System.Text.Json;
using Orbit.DriftMonitor.Tests.Support;
using Orbit.Testing;
using Xunit.Abstractions;

namespace Orbit.DriftMonitor.Tests.Alerting;

/// <summary>
/// The whole alert path with the repository's rules: the monitor's /metrics scraped by a real Prometheus that evaluates
/// infra/prometheus/rules/drift.yml and sends to a real Alertmanager, which calls a webhook in this test.
/// </summary>
public sealed class AlertmanagerTests(ITestOutputHelper output)
{
    [AlertingFact]
    public async Task A_critical_drift_state_reaches_Alertmanager_and_its_webhook()
    {
        await using var monitor = new MonitorWithRegistry(new() { ["Orbit:DriftMonitor:WindowSeconds"] = "600", ["Orbit:DriftMonitor:Consecutive"] = "1" });
        var model = "alert-" + monitor.Suffix;
        var version = await monitor.PushAsync(model, StatsWindows.Metadata());
        monitor.Start();
        var now = DateTimeOffset.UtcNow;
        await monitor.PublishAsync(StatsWindows.Window("admin", model, version, now, StatsWindows.Shifted));
        await StatsWindows.CommittedAsync(monitor, 1);
        await monitor.EvaluateAsync(now.AddSeconds(1));

        using var api = monitor.Client();
        var received = new ConcurrentQueue<string>();
        using var webhook = Listen(FreePort.Next(), async context =>
        {
            using var reader = new StreamReader(context.Request.InputStream, Encoding.UTF8);
            received.Enqueue(await reader.ReadToEndAsync());
            context.Response.StatusCode = 200;
        }, out var webhookUrl);
        // Prometheus scrapes over a socket; the monitor runs in a test server: this listener hands it /metrics.
        using var scrape = Listen(FreePort.Next(), async context =>
        {
            var text = await api.GetStringAsync("/metrics");
            context.Response.ContentType = "text/plain; version=0.0.4";
            await context.Response.OutputStream.WriteAsync(Encoding.UTF8.GetBytes(text));
        }, out var scrapeUrl);

        var directory = Directory.CreateTempSubdirectory("orbit-alerting-").FullName;
        var alertmanagerPort = FreePort.Next();
        var rules = Path.Combine(RepositoryRoot.Path, "infra", "prometheus", "rules", "drift.yml");
        await File.WriteAllTextAsync(Path.Combine(directory, "alertmanager.yml"), $"""
            route:
              receiver: hook
              group_wait: 1s
              group_interval: 1s
            receivers:
              - name: hook
                webhook_configs: [{"{"}url: '{webhookUrl}'{"}"}]
            """);
        await File.WriteAllTextAsync(Path.Combine(directory, "prometheus.yml"), $"""
            global: {"{"}scrape_interval: 1s, evaluation_interval: 1s{"}"}
            rule_files: ['{rules}']
            alerting:
              alertmanagers:
                - static_configs: [{"{"}targets: ['127.0.0.1:{alertmanagerPort}']{"}"}]
            scrape_configs:
              - job_name: drift
                static_configs: [{"{"}targets: ['{scrapeUrl.Authority}']{"}"}]
            """);
        using var alertmanager = Start(AlertingFactAttribute.Alertmanager,
            $"--config.file={directory}/alertmanager.yml --storage.path={directory}/am --web.listen-address=127.0.0.1:{alertmanagerPort} --cluster.listen-address=");
        using var prometheus = Start(AlertingFactAttribute.Prometheus,
            $"--config.file={directory}/prometheus.yml --storage.tsdb.path={directory}/prom --web.listen-address=127.0.0.1:{FreePort.Next()}");
        try
        {
            var alert = await Eventually.GetAsync(() => Task.FromResult(received.ToArray()
                .SelectMany(body => JsonDocument.Parse(body).RootElement.GetProperty("alerts").EnumerateArray())
                .Where(a => a.GetProperty("labels").GetProperty("alertname").GetString() == "OrbitDriftCritical"
                    && a.GetProperty("labels").GetProperty("model").GetString() == model)
                .Select(a => (JsonElement?)a.Clone())
                .FirstOrDefault() is { } found ? new Box(found) : null), TimeSpan.FromSeconds(90), "the critical alert at the webhook");

            var labels = alert.Value.GetProperty("labels");
            Assert.Equal("critical", labels.GetProperty("severity").GetString());
            Assert.Equal("x", labels.GetProperty("feature").GetString());
            Assert.Equal(version.ToString(System.Globalization.CultureInfo.InvariantCulture), labels.GetProperty("version").GetString());
        }
        finally
        {
            Stop(prometheus);
            Stop(alertmanager);
            Directory.Delete(directory, recursive: true);
        }
    }

    private sealed record Box(JsonElement Value);

    private Process Start(string binary, string arguments)
    {
        var process = Process.Start(new ProcessStartInfo(binary, arguments) { RedirectStandardError = true, RedirectStandardOutput = true })!;
        process.ErrorDataReceived += (_, e) => { if (e.Data is { } line && line.Contains("level=error", StringComparison.Ordinal)) { output.WriteLine(line); } };
        process.BeginErrorReadLine();
        process.BeginOutputReadLine();
        return process;
    }

    private static void Stop(Process process)
    {
        if (!process.HasExited)
        {
            process.Kill();
            process.WaitForExit(10_000);
        }
    }

    private static HttpListener Listen(int port, Func<HttpListenerContext, Task> handle, out Uri url)
    {
        url = new Uri($"http://127.0.0.1:{port}/");
        var listener = new HttpListener();
        listener.Prefixes.Add(url.ToString());
        listener.Start();
        _ = Task.Run(async () =>
        {
            while (listener.IsListening)
            {
                HttpListenerContext context;
                try
                {
                    context = await listener.GetContextAsync();
                }
                catch (Exception ex) when (ex is HttpListenerException or ObjectDisposedException)
                {
                    return;
                }

                try
                {
                    await handle(context);
                }
                finally
                {
                    context.Response.Close();
                }
            }
        });
        return listener;
    }
}
