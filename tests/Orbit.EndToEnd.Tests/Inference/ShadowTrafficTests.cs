using System.Net;
using System.Text.Json;
using Orbit.Contracts.Rollouts;
using Orbit.Testing;
using Xunit.Abstractions;

namespace Orbit.EndToEnd.Tests.Inference;

/// <summary>
/// A shadow through real processes: every client answer comes from stable, exactly as ONNX Runtime computes it, while
/// the gateway mirrors each request to the candidate on the workers, compares the answers and reports them to the
/// registry over RabbitMQ, which gives the verdict when the shadow's time is up.
/// </summary>
public sealed class ShadowTrafficTests : IClassFixture<InferencePlatform>
{
    private const int Requests = 100;

    private readonly InferencePlatform _platform;

    public ShadowTrafficTests(InferencePlatform platform, ITestOutputHelper output)
    {
        _platform = platform;
        _platform.Platform.Output = output;
    }

    [Fact]
    public async Task Clients_get_stables_answers_while_the_shadow_gets_every_request_and_its_differences_decide_the_verdict()
    {
        var platform = _platform.Platform;
        var model = "shadow-" + Guid.NewGuid().ToString("N")[..8];
        var stablePath = Mlp.Write(_platform.Models, 501, prefix: model);
        await platform.OrbitOkAsync($"models push {model} {stablePath}");
        await platform.OrbitOkAsync($"models push {model} {Mlp.Write(_platform.Models, 502, prefix: model)}");
        // The candidate at 0 % first, so workers load it before the shadow's time starts.
        await platform.OrbitOkAsync($"deploy {model} --stable 1 --candidate 2 --weight 0");
        using var client = new OipClient(platform.Gateway, platform.AdminKey);
        foreach (var version in new[] { 1, 2 })
        {
            await Eventually.GetAsync(async () => await client.ReadyAsync(model, version) ? "ready" : null, TimeSpan.FromSeconds(60), $"{model} v{version} to be served");
        }

        await platform.OrbitOkAsync($"rollout start {model} --candidate 2 --strategy shadow --mirror 100 --duration 20s --interval 2s --min-samples 20 --max-mean-abs-diff 0.000001");
        var random = new Random(5);
        for (var i = 0; i < Requests; i++)
        {
            var row = Mlp.RandomRow(random);
            var answer = await client.InferAsync(model, row);
            Assert.Equal(HttpStatusCode.OK, answer.Status);
            Assert.Equal(1, answer.Version);
            if (i < 3)
            {
                Assert.Equal(Mlp.RunDirect(stablePath, row), answer.Output);
            }
        }

        var done = await Eventually.GetAsync(async () =>
            JsonSerializer.Deserialize<RolloutView>(await platform.OrbitOkAsync($"rollout show {model} --json"), JsonSerializerOptions.Web) is { State: "completed" } v ? v : null,
            TimeSpan.FromSeconds(120), "the shadow to complete");

        var shadow = done.Shadow!;
        platform.Output?.WriteLine($"mirrored {shadow.Mirrored}, compared {shadow.Compared}, skipped {shadow.Skipped}, mean abs diff {shadow.MeanAbsDiff}; {done.Reason}");
        // A request that reached the gateway before it applied the shadow's routing table was not offered for mirroring at all.
        Assert.True(shadow.Mirrored + shadow.Skipped <= Requests, $"{shadow.Mirrored} mirrored and {shadow.Skipped} skipped of {Requests} requests");
        Assert.Equal(shadow.Mirrored, shadow.Compared);
        Assert.True(shadow.Mirrored >= Requests / 2, $"only {shadow.Mirrored} of {Requests} requests were mirrored");
        Assert.Equal((0.0, 0.0), (shadow.StableErrorRate!.Value, shadow.ShadowErrorRate!.Value));
        Assert.True(shadow.MeanAbsDiff > 0.000001, $"two different MLPs differ by {shadow.MeanAbsDiff} on average");
        Assert.Equal("fail", shadow.Verdict);
        Assert.Contains("mean_abs_diff", done.Reason);
        using var request = new HttpRequestMessage(HttpMethod.Get, $"/v1/models/{model}/deployment");
        request.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", platform.AdminKey);
        using var response = await client.Http.SendAsync(request);
        var deployment = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
        Assert.Equal((1, 1, "manual"), (deployment.GetProperty("stableVersion").GetInt32(), deployment.GetProperty("routes").GetArrayLength(),
            deployment.GetProperty("strategy").GetString()));
    }
}
