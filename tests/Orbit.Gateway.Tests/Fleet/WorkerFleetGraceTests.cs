using System.Text.Json;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using Orbit.Contracts.Wire;
using Orbit.Contracts.Workers;
using Orbit.Gateway.Fleet;
using Orbit.Testing;
using StackExchange.Redis;

namespace Orbit.Gateway.Tests.Fleet;

/// <summary>Against the real Redis: heartbeats written as workers write them, the clock the test's own.</summary>
public sealed class WorkerFleetGraceTests
{
    [Fact]
    public async Task A_version_stays_served_for_the_grace_period_after_its_last_heartbeat_and_no_longer()
    {
        await using var redis = await ConnectionMultiplexer.ConnectAsync(TestInfrastructure.Redis);
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        var fleet = new WorkerFleet(redis, clock, NullLogger<WorkerFleet>.Instance);
        var tenant = "grace-" + Guid.NewGuid().ToString("N")[..8];
        var key = RedisKeys.Worker("worker-" + tenant);
        var beat = new WorkerHeartbeat("worker-" + tenant, "host", "cpu", "cpu", [new LoadedModel(tenant, "m", 3, "sha256:a", "cpu")], 0, 0, 0, 0, clock.GetUtcNow(), clock.GetUtcNow());
        await redis.GetDatabase().StringSetAsync(key, JsonSerializer.Serialize(beat, JsonSerializerOptions.Web), TimeSpan.FromMinutes(1));

        await fleet.RefreshAsync();
        Assert.True(fleet.Serves(tenant, "m", 3));
        Assert.False(fleet.Serves(tenant, "m", 4));

        await redis.GetDatabase().KeyDeleteAsync(key);
        clock.Advance(WorkerFleet.Grace - TimeSpan.FromSeconds(1));
        await fleet.RefreshAsync();
        Assert.True(fleet.Serves(tenant, "m", 3));

        clock.Advance(TimeSpan.FromSeconds(2));
        await fleet.RefreshAsync();
        Assert.False(fleet.Serves(tenant, "m", 3));
    }

    [Fact]
    public async Task A_heartbeat_from_the_bus_makes_its_versions_served_before_the_next_read_of_Redis()
    {
        await using var redis = await ConnectionMultiplexer.ConnectAsync(TestInfrastructure.Redis);
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        var fleet = new WorkerFleet(redis, clock, NullLogger<WorkerFleet>.Instance);
        var tenant = "observed-" + Guid.NewGuid().ToString("N")[..8];
        var worker = "worker-" + tenant;
        Assert.False(fleet.Serves(tenant, "m", 2));

        fleet.Observe(new WorkerHeartbeat(worker, "host", "cpu", "cpu", [new LoadedModel(tenant, "m", 2, "sha256:b", "cpu")], 0, 0, 0, 0, clock.GetUtcNow(), clock.GetUtcNow()));

        Assert.True(fleet.Serves(tenant, "m", 2));
        Assert.Single(fleet.Workers, w => w.WorkerId == worker);

        // A later beat of the same worker replaces its entry rather than adding one.
        fleet.Observe(new WorkerHeartbeat(worker, "host", "cpu", "cpu", [new LoadedModel(tenant, "m", 3, "sha256:c", "cpu")], 0, 0, 0, 0, clock.GetUtcNow(), clock.GetUtcNow()));
        Assert.Single(fleet.Workers, w => w.WorkerId == worker);
        Assert.True(fleet.Serves(tenant, "m", 3));
    }
}
