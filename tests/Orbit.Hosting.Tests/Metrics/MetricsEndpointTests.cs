using System.Diagnostics;
using Microsoft.AspNetCore.TestHost;
using Orbit.Testing;

namespace Orbit.Hosting.Tests.Metrics;

[Collection(MetricsCollection.Name)]
public sealed class MetricsEndpointTests
{
    [Fact]
    public async Task Metrics_pass_promtool_and_count_requests_per_route_and_messages_per_type()
    {
        await using var app = await HostingTestApp.StartAsync(configureBus: bus => bus.AddConsumer<MetricsProbeConsumer>(), services: s => s.AddLoopbackTestCaller());
        using var client = app.GetTestClient();
        await Eventually.HttpOkAsync(client, "/health/ready", TimeSpan.FromSeconds(30));
        await using var rabbit = await RabbitMqProbe.ConnectAsync();
        var probeId = Guid.NewGuid().ToString("N");
        await rabbit.PublishJsonAsync("Orbit.Hosting.Tests.Metrics:MetricsProbe", "", $$"""{"probeId":"{{probeId}}"}""");
        await MetricsProbeConsumer.WaitFor(probeId).WaitAsync(TimeSpan.FromSeconds(30));

        var text = await Eventually.GetAsync(async () =>
        {
            var body = await client.GetStringAsync("/metrics");
            // The counter and the duration are recorded one after the other: a scrape can fall between them.
            return body.Contains("orbit_bus_messages_consumed_total{message_type=\"MetricsProbe\"}", StringComparison.Ordinal)
                && body.Contains("orbit_bus_consume_duration_seconds_count{message_type=\"MetricsProbe\"}", StringComparison.Ordinal) ? body : null;
        }, TimeSpan.FromSeconds(30), "the consumed message in /metrics");

        Assert.Contains("http_server_request_duration_seconds_bucket{", text);
        Assert.Contains("http_route=\"/health/ready\"", text);
        Assert.Contains("# TYPE orbit_bus_consume_duration_seconds histogram", text);
        var (exitCode, output) = await PromtoolCheckAsync(text);
        Assert.True(exitCode == 0, $"promtool check metrics failed ({exitCode}):\n{output}");
    }

    [Fact]
    public async Task Metrics_answer_in_the_Prometheus_text_content_type()
    {
        await using var app = await HostingTestApp.StartAsync(services: s => s.AddLoopbackTestCaller());
        using var client = app.GetTestClient();

        using var response = await client.GetAsync("/metrics");

        var contentType = response.Content.Headers.ContentType!;
        Assert.Equal("text/plain", contentType.MediaType);
        Assert.Contains(contentType.Parameters, p => p.Name == "version" && p.Value == "0.0.4");
    }

    private static async Task<(int ExitCode, string Output)> PromtoolCheckAsync(string metrics)
    {
        var start = new ProcessStartInfo("promtool", "check metrics")
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        using var process = Process.Start(start)
            ?? throw new InvalidOperationException("promtool did not start: run ./orbit deps (it installs Debian's prometheus package)");
        await process.StandardInput.WriteAsync(metrics);
        process.StandardInput.Close();
        var output = await process.StandardOutput.ReadToEndAsync() + await process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        return (process.ExitCode, output);
    }
}
