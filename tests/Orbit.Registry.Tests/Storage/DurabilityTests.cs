using System.Net;
using Dapper;
using Microsoft.Extensions.DependencyInjection;
using Orbit.Registry.Storage;
using Orbit.Registry.Tests.Support;

namespace Orbit.Registry.Tests.Storage;

public abstract class DurabilityTests(StoreKind kind)
{
    [Fact]
    public async Task Migrations_run_on_an_empty_store_once_and_are_recorded()
    {
        await using var store = await TestStore.CreateAsync(kind);
        await using var host = RegistryHost.Start(store);

        var runner = host.Services.GetRequiredService<Orbit.Storage.SqlMigrationRunner>();
        var database = host.Services.GetRequiredService<RegistryDatabase>();
        await using var connection = await database.OpenAsync(CancellationToken.None);
        var recorded = (await connection.QueryAsync<string>("SELECT version FROM schema_migrations ORDER BY version")).ToList();

        Assert.Equal(RegistryDatabase.Migrations.Scripts(kind == StoreKind.Sqlite ? Orbit.Storage.SqlEngine.Sqlite : Orbit.Storage.SqlEngine.Postgres).Select(s => s.Version), recorded);
        Assert.Empty(await runner.ApplyAsync(CancellationToken.None));
        Assert.Equal(kind == StoreKind.Sqlite ? Orbit.Storage.SqlEngine.Sqlite : Orbit.Storage.SqlEngine.Postgres, database.Engine);
    }

    [Fact]
    public async Task Restarting_the_registry_loses_nothing()
    {
        await using var store = await TestStore.CreateAsync(kind);
        var model = TestModels.UniqueName();
        string digest;
        string keyId;
        string key;
        await using (var first = RegistryHost.Start(store))
        {
            var admin = first.Client();
            digest = (await admin.PushAsync(model, TestModels.Add, """{"datasetVersion":"d-7"}""")).Digest;
            await admin.PushAsync(model, TestModels.Relu);
            await admin.DeployAsync(model, 1, 2, 30);
            var created = await admin.CreateKeyAsync("viewer");
            (keyId, key) = (created.KeyId, created.Key);
        }

        await using var second = RegistryHost.Start(store);
        var again = second.Client();

        var shown = await again.Http.GetStringAsync($"/v1/models/{model}");
        Assert.Contains("\"versionCount\":2", shown);
        Assert.Contains("\"candidateWeight\":30", shown);
        Assert.Contains("d-7", await again.Http.GetStringAsync($"/v1/models/{model}/versions/1"));
        Assert.Equal(TestModels.Add, await again.Http.GetByteArrayAsync($"/v1/artifacts/{digest}"));
        Assert.Equal(HttpStatusCode.OK, (await second.Client(key).Http.GetAsync("/v1/auth/whoami")).StatusCode);
        Assert.Contains(keyId, await again.Http.GetStringAsync("/v1/keys?limit=500"));
        Assert.Equal(["deployment.set", "version.registered", "version.registered"], (await again.AuditAsync(model)).Select(e => e.Action));
    }

    [Fact]
    public async Task Uploads_left_half_written_by_a_crash_are_removed_at_start()
    {
        await using var store = await TestStore.CreateAsync(kind);
        Directory.CreateDirectory(store.TempDirectory);
        var leftover = Path.Combine(store.TempDirectory, "0123456789abcdef.upload");
        await File.WriteAllBytesAsync(leftover, new byte[1000]);

        await using var host = RegistryHost.Start(store);

        Assert.False(File.Exists(leftover));
    }
}

public sealed class DurabilityOnSqlite() : DurabilityTests(StoreKind.Sqlite);

public sealed class DurabilityOnPostgres() : DurabilityTests(StoreKind.Postgres);
