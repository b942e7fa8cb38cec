using System.Text.Json;
using Microsoft.Extensions.Logging.Abstractions;
using Orbit.Contracts.Models;
using Orbit.Contracts.Wire;
using Orbit.Testing;
using StackExchange.Redis;

namespace Orbit.Routing.Tests;

/// <summary>The reader against a real Redis: what it cannot read is skipped, never the reason the others stay unrouted.</summary>
public sealed class RoutingTableReaderTests
{
    [Fact]
    public async Task A_table_that_cannot_be_read_is_skipped_and_the_others_are_read()
    {
        await using var redis = await ConnectionMultiplexer.ConnectAsync(TestInfrastructure.Redis);
        var database = redis.GetDatabase();
        var tenant = "reader-" + Guid.NewGuid().ToString("N")[..8];
        var good = new DeploymentChanged(tenant, "good", 3, 1, null, 0, DeploymentStrategy.Manual, [new DeploymentRoute(1, 100, "sha256:" + new string('a', 64))],
            DateTimeOffset.UnixEpoch, "test", "test");
        await database.HashSetAsync(RedisKeys.Routes(tenant, "good"), RedisKeys.RoutesTableField, JsonSerializer.Serialize(good, JsonSerializerOptions.Web));
        // As a newer registry might write it: a strategy this build does not know.
        await database.HashSetAsync(RedisKeys.Routes(tenant, "newer"), RedisKeys.RoutesTableField,
            JsonSerializer.Serialize(good with { ModelName = "newer" }, JsonSerializerOptions.Web).Replace("\"manual\"", "\"from-the-future\"", StringComparison.OrdinalIgnoreCase));
        try
        {
            var tables = await new RoutingTableReader(redis, NullLogger<RoutingTableReader>.Instance).ReadAllAsync(CancellationToken.None);

            var mine = tables.Where(t => t.TenantId == tenant).ToList();
            Assert.Equal("good", Assert.Single(mine).ModelName);
            Assert.Equal(3, mine[0].Revision);
        }
        finally
        {
            await database.KeyDeleteAsync([RedisKeys.Routes(tenant, "good"), RedisKeys.Routes(tenant, "newer")]);
        }
    }
}
