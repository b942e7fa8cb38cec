namespace Orbit.Registry.Tests.Support;

/// <summary>One registry per test class and engine. Tests isolate themselves by unique model and tenant names.</summary>
public abstract class RegistryFixture : IAsyncLifetime
{
    /// <summary>Small limits, so over-limit uploads are cheap to test.</summary>
    public static readonly Dictionary<string, string?> Limits = new()
    {
        ["Orbit:Registry:MaxArtifactBytes"] = (1024 * 1024).ToString(System.Globalization.CultureInfo.InvariantCulture),
        ["Orbit:Registry:MaxMetadataBytes"] = "4096",
    };

    public abstract StoreKind Kind { get; }

    public TestStore Store { get; private set; } = null!;

    public RegistryHost Host { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Store = await TestStore.CreateAsync(Kind);
        Host = RegistryHost.Start(Store, Limits);
    }

    public async Task DisposeAsync()
    {
        await Host.DisposeAsync();
        await Store.DisposeAsync();
    }
}

public sealed class SqliteRegistry : RegistryFixture
{
    public override StoreKind Kind => StoreKind.Sqlite;
}

public sealed class PostgresRegistry : RegistryFixture
{
    public override StoreKind Kind => StoreKind.Postgres;
}
