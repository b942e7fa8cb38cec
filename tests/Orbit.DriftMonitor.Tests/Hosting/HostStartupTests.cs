using System.Net.Http.Json;
using System.Text.Json;
using Orbit.Testing;

namespace Orbit.DriftMonitor.Tests.Hosting;

public sealed class HostStartupTests
{
    [Fact]
    public async Task The_drift_monitor_host_starts_and_reports_ready_against_real_RabbitMQ_and_Redis()
    {
        await using var factory = new OrbitServiceFactory<Program>();
        using var client = factory.CreateClient();

        await Eventually.HttpOkAsync(client, "/health/ready", TimeSpan.FromSeconds(30));

        var report = await client.GetFromJsonAsync<JsonElement>("/health/ready");
        Assert.Equal("drift-monitor", report.GetProperty("service").GetString());
        var checks = report.GetProperty("checks").EnumerateArray().Select(c => c.GetProperty("name").GetString()).ToList();
        Assert.Contains("rabbitmq", checks);
        Assert.Contains("redis", checks);
    }
}
