using System.Security.Cryptography;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Orbit.Hosting;
using Orbit.InferenceWorker.Models;
using Orbit.InferenceWorker.Tests.Support;

namespace Orbit.InferenceWorker.Tests.Models;

public sealed class ModelCacheTests : IDisposable
{
    private readonly string _data = Path.Combine(Path.GetTempPath(), $"orbit-cache-{Guid.NewGuid():N}");

    private static string DigestOf(byte[] bytes) => "sha256:" + Convert.ToHexStringLower(SHA256.HashData(bytes));

    private static readonly IReadOnlySet<string> Nothing = new HashSet<string>();

    private ModelCache Cache(StubRegistry registry, long maxBytes = 1 << 30, string? key = "k-0123456789abcdef")
    {
        var options = Options.Create(new WorkerOptions { RegistryKey = key, CacheMaxBytes = maxBytes });
        var artifacts = new ArtifactClient(registry, options, TimeProvider.System, NullLogger<ArtifactClient>.Instance);
        var service = new OrbitServiceInfo("inference-worker", "w-1", DateTimeOffset.UtcNow, _data);
        return new ModelCache(artifacts, options, service, TimeProvider.System, NullLogger<ModelCache>.Instance);
    }

    [Fact]
    public async Task A_downloaded_model_is_verified_and_stored_under_its_digest()
    {
        var bytes = TestModels.Mlp();
        var digest = DigestOf(bytes);
        var registry = new StubRegistry(d => d == digest ? bytes : null);
        var cache = Cache(registry);

        var path = await cache.EnsureAsync(digest, () => Nothing, CancellationToken.None);

        var hex = digest["sha256:".Length..];
        Assert.Equal(Path.Combine(_data, "models", "sha256", hex[..2], hex[2..]), path);
        Assert.Equal(bytes, await File.ReadAllBytesAsync(path));
        Assert.Empty(Directory.EnumerateFiles(Path.Combine(_data, "models", "tmp")));

        // A second call finds the file and does not download again.
        await cache.EnsureAsync(digest, () => Nothing, CancellationToken.None);
        Assert.Single(registry.Requests);
    }

    [Fact]
    public async Task Bytes_that_do_not_hash_to_the_digest_are_refused_and_not_kept()
    {
        var digest = DigestOf(TestModels.Mlp());
        var cache = Cache(new StubRegistry(_ => TestModels.Doubler()));

        var refused = await Assert.ThrowsAsync<ModelUnavailableException>(() => cache.EnsureAsync(digest, () => Nothing, CancellationToken.None));

        Assert.Contains("refused", refused.Message);
        Assert.False(File.Exists(cache.PathOf(digest)));
        Assert.Empty(Directory.EnumerateFiles(Path.Combine(_data, "models", "tmp")));
    }

    [Fact]
    public async Task Without_a_registry_key_nothing_is_downloaded_and_the_error_names_the_setting()
    {
        var bytes = TestModels.Mlp();
        var registry = new StubRegistry(_ => bytes);
        var cache = Cache(registry, key: null);

        var refused = await Assert.ThrowsAsync<ModelUnavailableException>(() => cache.EnsureAsync(DigestOf(bytes), () => Nothing, CancellationToken.None));

        Assert.Contains("Orbit:Worker:RegistryKey", refused.Message);
        Assert.Empty(registry.Requests);
    }

    [Fact]
    public async Task Past_the_size_limit_the_least_recently_used_file_not_in_use_is_evicted()
    {
        var models = new[] { TestModels.Mlp(), TestModels.Doubler(), TestModels.Lookup() };
        var digests = models.Select(DigestOf).ToArray();
        var registry = new StubRegistry(d => models[Array.IndexOf(digests, d)]);
        // Room for the two largest files, not for all three.
        var cache = Cache(registry, maxBytes: models.Sum(m => (long)m.Length) - models.Min(m => m.Length));

        var inUse = new HashSet<string> { digests[0] };
        await cache.EnsureAsync(digests[0], () => inUse, CancellationToken.None);
        File.SetLastWriteTimeUtc(cache.PathOf(digests[0]), DateTime.UtcNow.AddHours(-2));
        await cache.EnsureAsync(digests[1], () => inUse, CancellationToken.None);
        File.SetLastWriteTimeUtc(cache.PathOf(digests[1]), DateTime.UtcNow.AddHours(-1));
        await cache.EnsureAsync(digests[2], () => inUse, CancellationToken.None);

        // The oldest file is in use, so the next oldest goes.
        Assert.True(File.Exists(cache.PathOf(digests[0])));
        Assert.False(File.Exists(cache.PathOf(digests[1])));
        Assert.True(File.Exists(cache.PathOf(digests[2])));
    }

    [Fact]
    public void Downloads_left_half_written_are_swept_at_start()
    {
        var temp = Path.Combine(_data, "models", "tmp");
        Directory.CreateDirectory(temp);
        File.WriteAllBytes(Path.Combine(temp, "abc.partial"), [1, 2, 3]);

        Assert.Equal(1, Cache(new StubRegistry(_ => null)).SweepTemp());
        Assert.Empty(Directory.EnumerateFiles(temp));
    }

    public void Dispose()
    {
        if (Directory.Exists(_data))
        {
            Directory.Delete(_data, recursive: true);
        }
    }
}
