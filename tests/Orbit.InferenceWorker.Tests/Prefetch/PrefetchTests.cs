using System.Security.Cryptography;
using MassTransit;
using Microsoft.Extensions.DependencyInjection;
using Orbit.Contracts.Models;
using Orbit.InferenceWorker.Models;
using Orbit.InferenceWorker.Tests.Support;
using Orbit.Testing;

namespace Orbit.InferenceWorker.Tests.Prefetch;

/// <summary>The real registry publishes <see cref="ModelVersionRegistered"/> over the real RabbitMQ; the worker fetches the artifact before anyone deploys it.</summary>
public sealed class PrefetchTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);

    private static string UniqueModel() => $"warm-{Guid.NewGuid():N}"[..16];

    private static string DigestOf(byte[] bytes) => "sha256:" + Convert.ToHexStringLower(SHA256.HashData(bytes));

    /// <summary>Started, and its bus (with the registration queue) connected, so no registration is published before it listens.</summary>
    private static async Task StartAsync(WorkerWithRegistry platform, params string[] models)
    {
        platform.StartWorker(models);
        using var client = platform.WorkerClient();
        await Eventually.HttpOkAsync(client, "/health/ready", Patience);
    }

    private static Task CachedAsync(WorkerWithRegistry platform, string digest, string what) =>
        Eventually.GetAsync(() => Task.FromResult(platform.IsCached(digest) ? digest : null), Patience, what);

    [Fact]
    public async Task A_registered_version_is_in_the_cache_before_any_deploy_and_deploying_it_downloads_nothing()
    {
        await using var platform = new WorkerWithRegistry();
        var model = UniqueModel();
        await StartAsync(platform, model);
        var onnx = TestModels.Mlp();
        var digest = DigestOf(onnx);

        var version = await platform.PushAsync(model, onnx);
        await CachedAsync(platform, digest, "the registered artifact to be prefetched");

        Assert.Equal(onnx, platform.ArtifactOnDisk(digest));
        Assert.Equal(1, platform.DownloadsOf(digest));
        // Fetched, not loaded: no session until a deploy asks for one.
        Assert.Empty(platform.Worker.GetRequiredService<ModelStore>().Loaded);

        await platform.DeployAsync(model, version);
        await platform.WaitForServingAsync(model, version);
        Assert.Equal(1, platform.DownloadsOf(digest));
    }

    [Fact]
    public async Task A_version_of_a_model_this_worker_does_not_serve_is_not_prefetched()
    {
        await using var platform = new WorkerWithRegistry();
        var served = UniqueModel();
        var other = UniqueModel();
        await StartAsync(platform, served);
        var otherOnnx = TestModels.Doubler();
        var servedOnnx = TestModels.Mlp();

        await platform.PushAsync(other, otherOnnx);
        await platform.PushAsync(served, servedOnnx);
        // Registrations arrive in order, one at a time: once the later one is cached, the earlier was decided.
        await CachedAsync(platform, DigestOf(servedOnnx), "the served model's artifact to be prefetched");

        Assert.False(platform.IsCached(DigestOf(otherOnnx)));
        Assert.Equal(0, platform.DownloadsOf(DigestOf(otherOnnx)));
    }

    [Fact]
    public async Task Past_the_cache_budget_the_least_recently_used_artifact_without_a_session_is_evicted()
    {
        await using var platform = new WorkerWithRegistry();
        var model = UniqueModel();
        byte[] first = TestModels.Mlp(), second = TestModels.Doubler(), third = TestModels.Lookup();
        // Room for the first and the third, not for all three.
        platform.WorkerSettings["Orbit:Worker:CacheMaxBytes"] = (first.Length + third.Length).ToString(System.Globalization.CultureInfo.InvariantCulture);
        await StartAsync(platform, model);

        var v1 = await platform.PushAsync(model, first);
        await platform.DeployAsync(model, v1);
        await platform.WaitForServingAsync(model, v1);
        await platform.PushAsync(model, second);
        await CachedAsync(platform, DigestOf(second), "the second version to be prefetched");
        await platform.PushAsync(model, third);
        await CachedAsync(platform, DigestOf(third), "the third version to be prefetched");

        // The first is older but loaded and deployed; the second is the least recently used one that is neither.
        Assert.True(platform.IsCached(DigestOf(first)));
        Assert.False(platform.IsCached(DigestOf(second)));
    }

    [Fact]
    public async Task A_registration_whose_artifact_is_missing_or_whose_payload_is_bad_does_not_stop_prefetching()
    {
        await using var platform = new WorkerWithRegistry();
        var model = UniqueModel();
        await StartAsync(platform, model);
        var bus = platform.Worker.GetRequiredService<IBus>();
        var missing = "sha256:" + new string('a', 64);

        // A digest the registry does not hold (a 404 on download), then one that is not a digest at all (to the error queue).
        await bus.Publish(new ModelVersionRegistered("admin", model, 7, missing, 10, DateTimeOffset.UtcNow, "test"));
        await bus.Publish(new ModelVersionRegistered("admin", model, 8, "not-a-digest", 10, DateTimeOffset.UtcNow, "test"));
        var onnx = TestModels.Mlp();
        await platform.PushAsync(model, onnx);

        await CachedAsync(platform, DigestOf(onnx), "a good registration after two bad ones to be prefetched");
        Assert.Equal(1, platform.DownloadsOf(missing));
        Assert.False(platform.IsCached(missing));
    }
}
