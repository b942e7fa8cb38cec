using Dapper;
using Microsoft.Extensions.DependencyInjection;
using Orbit.Registry.Outbox;
using Orbit.Registry.Storage;
using Orbit.Registry.Tests.Support;

namespace Orbit.Registry.Tests.Outbox;

public sealed class OutboxPruningTests
{
    [Theory]
    [InlineData(StoreKind.Sqlite)]
    [InlineData(StoreKind.Postgres)]
    public async Task Dispatched_rows_older_than_the_retention_are_deleted_and_newer_ones_kept(StoreKind kind)
    {
        await using var store = await TestStore.CreateAsync(kind);
        await using var registry = RegistryHost.Start(store, new Dictionary<string, string?> { ["Orbit:Registry:Outbox:RetentionHours"] = "2" });
        var database = registry.Services.GetRequiredService<RegistryDatabase>();
        var now = DateTimeOffset.UtcNow;
        var old = now.AddHours(-3).ToUnixTimeMilliseconds();
        var recent = now.AddHours(-1).ToUnixTimeMilliseconds();
        await using (var connection = await database.OpenAsync(CancellationToken.None))
        {
            await connection.ExecuteAsync(
                "INSERT INTO outbox (message_type, payload, created_at_ms, dispatched_at_ms) VALUES ('Old', '{}', @old, @old), ('Recent', '{}', @recent, @recent)",
                new { old, recent });
        }

        // The registry's own dispatcher prunes on its schedule too, and may get there first: what counts is what is left.
        await registry.Services.GetRequiredService<OutboxDispatcher>().PruneAsync(CancellationToken.None);

        await using var check = await database.OpenAsync(CancellationToken.None);
        var left = (await check.QueryAsync<string>("SELECT message_type FROM outbox WHERE message_type IN ('Old', 'Recent')")).ToList();
        Assert.Equal(["Recent"], left);
    }
}
