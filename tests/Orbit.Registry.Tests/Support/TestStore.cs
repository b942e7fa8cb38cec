using Npgsql;
using Orbit.Testing;

namespace Orbit.Registry.Tests.Support;

/// <summary>
/// A fresh, empty store for one registry under test: a temp data folder, plus a new PostgreSQL
/// database on the server <c>./orbit deps</c> started when the engine is PostgreSQL.
/// </summary>
public sealed class TestStore : IAsyncDisposable
{
    private TestStore(StoreKind kind, string dataDirectory, string? postgres, string? databaseName)
    {
        Kind = kind;
        DataDirectory = dataDirectory;
        Postgres = postgres;
        DatabaseName = databaseName;
    }

    public StoreKind Kind { get; }

    public string DataDirectory { get; }

    public string? Postgres { get; }

    private string? DatabaseName { get; }

    public static async Task<TestStore> CreateAsync(StoreKind kind)
    {
        var directory = Directory.CreateTempSubdirectory("orbit-registry-").FullName;
        if (kind == StoreKind.Sqlite)
        {
            return new TestStore(kind, directory, null, null);
        }

        var name = "orbit_test_" + Guid.NewGuid().ToString("N")[..12];
        await using (var admin = new NpgsqlConnection(TestInfrastructure.Postgres))
        {
            await admin.OpenAsync();
            await using var create = new NpgsqlCommand($"CREATE DATABASE {name}", admin);
            await create.ExecuteNonQueryAsync();
        }

        var builder = new NpgsqlConnectionStringBuilder(TestInfrastructure.Postgres) { Database = name, Pooling = false };
        return new TestStore(kind, directory, builder.ConnectionString, name);
    }

    public Dictionary<string, string?> Settings() => new()
    {
        ["Orbit:DataDirectory"] = DataDirectory,
        ["Orbit:Registry:Postgres"] = Postgres ?? "",
        ["Orbit:Registry:AdminKey"] = RegistryClient.AdminKey,
    };

    public string ObjectsDirectory => Path.Combine(DataDirectory, "objects", "sha256");

    public string TempDirectory => Path.Combine(DataDirectory, "tmp");

    public async ValueTask DisposeAsync()
    {
        if (DatabaseName is not null)
        {
            await using var admin = new NpgsqlConnection(TestInfrastructure.Postgres);
            await admin.OpenAsync();
            await using var drop = new NpgsqlCommand($"DROP DATABASE IF EXISTS {DatabaseName} WITH (FORCE)", admin);
            await drop.ExecuteNonQueryAsync();
        }

        Directory.Delete(DataDirectory, recursive: true);
    }
}
