using System.Security.Cryptography;
using Microsoft.Extensions.DependencyInjection;
using Orbit.Registry.Artifacts;
using Orbit.Registry.Tests.Support;

namespace Orbit.Registry.Tests.Artifacts;

public abstract class OrphanCollectionTests(RegistryFixture registry)
{
    private readonly RegistryClient _admin = registry.Host.Client();

    [Fact]
    public async Task An_object_no_version_references_is_collected_once_older_than_the_grace_period()
    {
        // What a crash between the move into the store and the version's commit leaves behind.
        var stale = PlantObject(age: TimeSpan.FromHours(2));
        var fresh = PlantObject(age: TimeSpan.FromMinutes(5));
        var version = await _admin.PushAsync(TestModels.UniqueName(), TestModels.Read("test_sigmoid"));
        var referenced = PathOf(version.Digest["sha256:".Length..]);
        File.SetLastWriteTimeUtc(referenced, DateTime.UtcNow.AddDays(-3));

        var removed = await registry.Host.Services.GetRequiredService<OrphanCollector>().CollectAsync(CancellationToken.None);

        Assert.True(removed >= 1);
        Assert.False(File.Exists(stale));
        Assert.True(File.Exists(fresh));
        Assert.True(File.Exists(referenced));
        using var download = await _admin.Http.GetAsync($"/v1/artifacts/{version.Digest}");
        await RegistryClient.ExpectAsync(download, System.Net.HttpStatusCode.OK);
        File.Delete(fresh);
    }

    [Fact]
    public async Task Uploading_bytes_already_stored_renews_their_grace_period()
    {
        var bytes = TestModels.Read("test_tanh");
        var first = await _admin.PushAsync(TestModels.UniqueName(), bytes);
        var path = PathOf(first.Digest["sha256:".Length..]);
        File.SetLastWriteTimeUtc(path, DateTime.UtcNow.AddDays(-3));

        await _admin.PushAsync(TestModels.UniqueName(), bytes);

        Assert.True(File.GetLastWriteTimeUtc(path) > DateTime.UtcNow.AddHours(-1));
    }

    private string PlantObject(TimeSpan age)
    {
        var bytes = RandomNumberGenerator.GetBytes(64);
        var path = PathOf(Convert.ToHexStringLower(SHA256.HashData(bytes)));
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllBytes(path, bytes);
        File.SetLastWriteTimeUtc(path, DateTime.UtcNow - age);
        return path;
    }

    private string PathOf(string hex) => Path.Combine(registry.Store.ObjectsDirectory, hex[..2], hex[2..]);
}

public sealed class OrphanCollectionOnSqlite(SqliteRegistry registry) : OrphanCollectionTests(registry), IClassFixture<SqliteRegistry>;

public sealed class OrphanCollectionOnPostgres(PostgresRegistry registry) : OrphanCollectionTests(registry), IClassFixture<PostgresRegistry>;
