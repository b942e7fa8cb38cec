using System.Net.Http.Json;
using System.Text.Json;
using Orbit.Testing;

namespace Orbit.InferenceWorker.Tests.Hosting;

public sealed class HostStartupTests
{
    [Fact]
    public async Task The_inference_worker_host_starts_and_reports_ready_against_real_RabbitMQ_and_Redis()
    {
        await using var factory = new OrbitServiceFactory<Program>(new Dictionary<string, string?>
        {
            ["Orbit:DataDirectory"] = Path.Combine(Path.GetTempPath(), $"orbit-worker-{Guid.NewGuid():N}"),
            ["Orbit:Worker:RegistryKey"] = "not-used-by-this-test",
            // Only a model no one deploys: the shared Redis holds other tests' routing tables.
            ["Orbit:Worker:Models:0"] = $"nobody/m-{Guid.NewGuid():N}",
        });
        using var client = factory.CreateClient();

        await Eventually.HttpOkAsync(client, "/health/ready", TimeSpan.FromSeconds(30));

        var report = await client.GetFromJsonAsync<JsonElement>("/health/ready");
        Assert.Equal("inference-worker", report.GetProperty("service").GetString());
        var checks = report.GetProperty("checks").EnumerateArray().Select(c => c.GetProperty("name").GetString()).ToList();
        Assert.Contains("rabbitmq", checks);
        Assert.Contains("redis", checks);
        Assert.Contains("serving", checks);
    }

    [Fact]
    public async Task Without_a_registry_key_the_worker_runs_but_readiness_names_the_missing_key()
    {
        await using var factory = new OrbitServiceFactory<Program>(new Dictionary<string, string?>
        {
            ["Orbit:DataDirectory"] = Path.Combine(Path.GetTempPath(), $"orbit-worker-{Guid.NewGuid():N}"),
            ["Orbit:Worker:Models:0"] = $"nobody/m-{Guid.NewGuid():N}",
        });
        using var client = factory.CreateClient();

        using var live = await client.GetAsync("/health/live");
        Assert.True(live.IsSuccessStatusCode);
        var report = await Eventually.GetAsync(async () =>
        {
            // 503 while not ready: read the body whatever the status.
            using var response = await client.GetAsync("/health/ready");
            var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
            return body.GetProperty("checks").EnumerateArray().Any(c => c.GetProperty("name").GetString() == "rabbitmq" && c.GetProperty("status").GetString() == "Healthy")
                ? body.GetProperty("checks").EnumerateArray().First(c => c.GetProperty("name").GetString() == "serving").GetProperty("description").GetString()
                : null;
        }, TimeSpan.FromSeconds(30), "the readiness report");

        Assert.Contains("Orbit:Worker:RegistryKey", report);
    }
}
