using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Npgsql;
using Orbit.Hosting;
using Orbit.Retrainer.Data;
using Orbit.Retrainer.Storage;
using Orbit.Testing;

namespace Orbit.Retrainer.Tests.Storage;

/// <summary>The store on both engines: SQLite in a temp folder, and a fresh database on the PostgreSQL that ./orbit deps started.</summary>
public sealed class RetrainStoreTests
{
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Attempts_are_recorded_listed_newest_first_and_finished_with_their_metrics(bool postgres)
    {
        await using var store = await TestRetrainStore.CreateAsync(postgres);
        var start = DateTimeOffset.FromUnixTimeMilliseconds(1_800_000_000_000);
        for (var i = 0; i < 3; i++)
        {
            await store.Store.InsertAsync(Attempt($"a{i}", start.AddMinutes(i), i == 2 ? AttemptStatus.Pending : AttemptStatus.Skipped), default);
        }

        Assert.Equal("a2", (await store.Store.ActiveAsync("acme", "churn", default))?.Id);
        var (accepted, registered) = await store.Store.HistoryAsync("acme", "churn", default);
        Assert.Equal(start.AddMinutes(2), accepted);
        Assert.Null(registered);

        var running = (await store.Store.WithStatusAsync(AttemptStatus.Pending, default)).Single();
        await store.Store.FinishAsync(running with
        {
            Status = AttemptStatus.Registered, Reason = "gate passed", FinishedAt = start.AddMinutes(10), StableVersion = 1, CandidateVersion = 2,
            CandidateMetrics = new Dictionary<string, double> { ["auc"] = 0.9 }, SnapshotHash = "sha256:ab", Trainer = "ml.net/logistic-regression",
        }, default);

        var page = await store.Store.ListAsync("acme", "churn", 2, null, default);
        Assert.Equal(["a2", "a1"], page.Select(a => a.Id));
        Assert.Equal(0.9, page[0].CandidateMetrics!["auc"]);
        Assert.Equal(2, page[0].CandidateVersion);
        Assert.Equal(["a0"], (await store.Store.ListAsync("acme", "churn", 2, page[^1].CreatedAt.ToUnixTimeMilliseconds(), default)).Select(a => a.Id));
        Assert.Empty(await store.Store.ListAsync("other", "churn", 10, null, default));
        Assert.Null(await store.Store.ActiveAsync("acme", "churn", default));
        Assert.Equal(start.AddMinutes(10), (await store.Store.HistoryAsync("acme", "churn", default)).LastRegistered);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Stream_positions_are_kept_per_model(bool postgres)
    {
        await using var store = await TestRetrainStore.CreateAsync(postgres);

        Assert.Equal(new StreamPositions(0, 0), await store.Store.PositionsAsync("acme", "churn", default));
        await store.Store.SavePositionsAsync("acme", "churn", new StreamPositions(10, 20), default);
        await store.Store.SavePositionsAsync("acme", "churn", new StreamPositions(11, 21), default);

        Assert.Equal(new StreamPositions(11, 21), await store.Store.PositionsAsync("acme", "churn", default));
        Assert.Equal(new StreamPositions(0, 0), await store.Store.PositionsAsync("acme", "other", default));
    }

    private static RetrainAttempt Attempt(string id, DateTimeOffset at, string status) => new()
    {
        Id = id, TenantId = "acme", Model = "churn", Trigger = "drift", Detail = "x0 psi 0.4", Status = status, Reason = "r", CreatedAt = at,
    };
}

internal sealed class TestRetrainStore : IAsyncDisposable
{
    private readonly string _directory;
    private readonly string? _database;
    private readonly RetrainerDatabase _db;

    private TestRetrainStore(string directory, string? database, RetrainerDatabase db)
    {
        _directory = directory;
        _database = database;
        _db = db;
        Store = new RetrainStore(db);
    }

    public RetrainStore Store { get; }

    public static async Task<TestRetrainStore> CreateAsync(bool postgres)
    {
        var directory = Directory.CreateTempSubdirectory("orbit-retrainer-store-").FullName;
        string? name = null;
        var options = new RetrainerOptions();
        if (postgres)
        {
            name = "orbit_retrainer_test_" + Guid.NewGuid().ToString("N")[..12];
            await using (var admin = new NpgsqlConnection(TestInfrastructure.Postgres))
            {
                await admin.OpenAsync();
                await using var create = new NpgsqlCommand($"CREATE DATABASE {name}", admin);
                await create.ExecuteNonQueryAsync();
            }

            options.Postgres = new NpgsqlConnectionStringBuilder(TestInfrastructure.Postgres) { Database = name, Pooling = false }.ConnectionString;
        }

        var db = new RetrainerDatabase(Options.Create(options), new OrbitServiceInfo("retrainer", "test", DateTimeOffset.UtcNow, directory));
        await new Orbit.Storage.SqlMigrationRunner(db, RetrainerDatabase.Migrations, TimeProvider.System, NullLogger<Orbit.Storage.SqlMigrationRunner>.Instance).ApplyAsync(default);
        return new TestRetrainStore(directory, name, db);
    }

    public async ValueTask DisposeAsync()
    {
        _db.Dispose();
        if (_database is not null)
        {
            await using var admin = new NpgsqlConnection(TestInfrastructure.Postgres);
            await admin.OpenAsync();
            await using var drop = new NpgsqlCommand($"DROP DATABASE IF EXISTS {_database} WITH (FORCE)", admin);
            await drop.ExecuteNonQueryAsync();
        }

        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(_directory, recursive: true);
    }
}
