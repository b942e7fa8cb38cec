using System.Net;
using System.Security.Cryptography;
using Orbit.Testing;
using Xunit.Abstractions;

namespace Orbit.EndToEnd.Tests.Inference;

/// <summary>
/// Warm before deployed, through real processes: a version pushed with the CLI is downloaded and
/// verified by every worker (the registry's <c>ModelVersionRegistered</c> over RabbitMQ) before anyone
/// deploys it; deploying it then serves it.
/// </summary>
public sealed class WarmDeployTests : IClassFixture<InferencePlatform>
{
    private readonly InferencePlatform _platform;

    public WarmDeployTests(InferencePlatform platform, ITestOutputHelper output)
    {
        _platform = platform;
        _platform.Platform.Output = output;
    }

    [Fact]
    public async Task A_pushed_version_is_in_every_workers_cache_before_it_is_deployed_and_deploying_it_serves_it()
    {
        var platform = _platform.Platform;
        var model = "warm-" + Guid.NewGuid().ToString("N")[..8];
        var file = Mlp.Write(_platform.Models, seed: 1313, prefix: model);
        var hex = Convert.ToHexStringLower(SHA256.HashData(await File.ReadAllBytesAsync(file)));
        var cached = new[] { 1, 2 }.Select(n => Path.Combine(platform.RunDir, "data", $"inference-worker-{n}", "models", "sha256", hex[..2], hex[2..])).ToList();

        await platform.OrbitOkAsync($"models push {model} {file}");
        await Eventually.GetAsync(() => Task.FromResult(cached.All(File.Exists) ? "cached" : null),
            TimeSpan.FromSeconds(60), $"both workers to prefetch {model} v1 before it is deployed");

        var bytes = await File.ReadAllBytesAsync(file);
        Assert.All(cached, path => Assert.Equal(bytes, File.ReadAllBytes(path)));
        using var client = new OipClient(platform.Gateway, platform.AdminKey);
        // Fetched, not deployed: the gateway knows no deployment of it yet.
        Assert.Equal(HttpStatusCode.NotFound, (await client.InferAsync(model, new float[Mlp.Features])).Status);

        await platform.OrbitOkAsync($"deploy {model} --stable 1");
        var answer = await Eventually.GetAsync(async () =>
        {
            var attempt = await client.InferAsync(model, new float[Mlp.Features], version: 1);
            return attempt.Status == HttpStatusCode.OK ? attempt : null;
        }, TimeSpan.FromSeconds(60), $"{model} v1 to answer 200 once deployed");
        Assert.Contains("\"model_version\":\"1\"", answer.Body);
    }
}
