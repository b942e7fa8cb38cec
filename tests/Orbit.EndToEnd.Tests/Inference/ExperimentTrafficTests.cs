using System.Net;
using System.Text.Json;
using Orbit.Contracts.Rollouts;
using Orbit.Testing;
using Xunit.Abstractions;

namespace Orbit.EndToEnd.Tests.Inference;

/// <summary>
/// An A/B experiment through real processes: the registry's three-arm split reaches the gateway, which routes by it,
/// and the gateway's serving windows come back over RabbitMQ as the experiment's per-arm counts.
/// </summary>
public sealed class ExperimentTrafficTests : IClassFixture<InferencePlatform>
{
    private const int Requests = 300;

    private readonly InferencePlatform _platform;

    public ExperimentTrafficTests(InferencePlatform platform, ITestOutputHelper output)
    {
        _platform = platform;
        _platform.Platform.Output = output;
    }

    [Fact]
    public async Task Three_arms_take_the_traffic_by_their_weights_and_the_final_report_counts_every_request()
    {
        var platform = _platform.Platform;
        var model = "ab-" + Guid.NewGuid().ToString("N")[..8];
        foreach (var seed in new[] { 401, 402, 403 })
        {
            await platform.OrbitOkAsync($"models push {model} {Mlp.Write(_platform.Models, seed, prefix: model)}");
        }

        await platform.OrbitOkAsync($"deploy {model} --stable 1");
        var started = JsonSerializer.Deserialize<ExperimentView>(
            await platform.OrbitOkAsync($"experiment start {model} --arm 1=50 --arm 2=25 --arm 3=25 --duration 45s --interval 2s --json"), JsonSerializerOptions.Web)!;
        using var client = new OipClient(platform.Gateway, platform.AdminKey);
        foreach (var version in new[] { 1, 2, 3 })
        {
            await Eventually.GetAsync(async () => await client.ReadyAsync(model, version) ? "ready" : null, TimeSpan.FromSeconds(60), $"{model} v{version} to be served");
        }

        var answered = new Dictionary<int, int>();
        for (var i = 0; i < Requests; i++)
        {
            var answer = await client.InferAsync(model, new float[Mlp.Features]);
            Assert.Equal(HttpStatusCode.OK, answer.Status);
            answered[answer.Version] = answered.GetValueOrDefault(answer.Version) + 1;
        }

        var done = await Eventually.GetAsync(async () =>
            JsonSerializer.Deserialize<ExperimentView>(await platform.OrbitOkAsync($"experiment show {model} {started.Id} --json"), JsonSerializerOptions.Web) is { State: "completed" } v ? v : null,
            TimeSpan.FromSeconds(120), "the experiment to complete");

        platform.Output?.WriteLine($"answered by version: {string.Join(", ", answered.Select(kv => $"v{kv.Key} {kv.Value}"))}; report: {string.Join(", ", done.Arms.Select(a => $"v{a.Version} {a.Requests}"))}");
        Assert.Equal([1, 2, 3], answered.Keys.Order());
        Assert.All(answered.Values, count => Assert.True(count >= 30, $"an arm answered only {count} of {Requests}"));
        Assert.Equal(answered.OrderBy(kv => kv.Key).Select(kv => (long)kv.Value), done.Arms.OrderBy(a => a.Version).Select(a => a.Requests));
        Assert.All(done.Arms, a => Assert.Equal(0, a.Errors));
        using var request = new HttpRequestMessage(HttpMethod.Get, $"/v1/models/{model}/deployment");
        request.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", platform.AdminKey);
        using var response = await client.Http.SendAsync(request);
        var deployment = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
        Assert.Equal((1, 1), (deployment.GetProperty("stableVersion").GetInt32(), deployment.GetProperty("routes").GetArrayLength()));
    }
}
