using Orbit.Retrainer.Triggers;
using Orbit.Testing;
using StackExchange.Redis;

namespace Orbit.Retrainer.Tests.Triggers;

/// <summary>The lease on the real Redis (test database, a key prefix of this test's own).</summary>
public sealed class RetrainLeaseTests : IAsyncLifetime
{
    private ConnectionMultiplexer _redis = null!;
    private RetrainLease _lease = null!;

    public async Task InitializeAsync()
    {
        _redis = await ConnectionMultiplexer.ConnectAsync(TestInfrastructure.Redis);
        _lease = new RetrainLease(_redis) { Prefix = $"test:retrain-lease:{Guid.NewGuid():N}:" };
    }

    [Fact]
    public async Task Only_one_attempt_holds_a_models_lease_and_release_frees_it()
    {
        Assert.True((await _lease.TryTakeAsync("t", "m", "a1", TimeSpan.FromSeconds(30))).Taken);

        var second = await _lease.TryTakeAsync("t", "m", "a2", TimeSpan.FromSeconds(30));
        Assert.False(second.Taken);
        Assert.Equal("a1", second.Holder);

        await _lease.ReleaseAsync("t", "m", "a2");
        Assert.Equal("a1", await _lease.HolderAsync("t", "m"));

        await _lease.ReleaseAsync("t", "m", "a1");
        Assert.True((await _lease.TryTakeAsync("t", "m", "a2", TimeSpan.FromSeconds(30))).Taken);
    }

    [Fact]
    public async Task A_lease_that_is_not_renewed_expires_so_a_crashed_holder_frees_it()
    {
        Assert.True((await _lease.TryTakeAsync("t", "m", "crashed", TimeSpan.FromMilliseconds(200))).Taken);

        await Eventually.GetAsync(async () => await _lease.HolderAsync("t", "m") is null ? "expired" : null, TimeSpan.FromSeconds(10), "the lease to expire");

        Assert.False(await _lease.RenewAsync("t", "m", "crashed", TimeSpan.FromSeconds(30)));
        Assert.True((await _lease.TryTakeAsync("t", "m", "next", TimeSpan.FromSeconds(30))).Taken);
    }

    [Fact]
    public async Task Renewing_extends_only_the_holders_lease()
    {
        await _lease.TryTakeAsync("t", "m", "a1", TimeSpan.FromSeconds(5));

        Assert.True(await _lease.RenewAsync("t", "m", "a1", TimeSpan.FromSeconds(60)));
        Assert.False(await _lease.RenewAsync("t", "m", "other", TimeSpan.FromSeconds(60)));
        var ttl = await _redis.GetDatabase().KeyTimeToLiveAsync(_lease.KeyOf("t", "m"));
        Assert.True(ttl > TimeSpan.FromSeconds(30), $"ttl {ttl}");
    }

    public async Task DisposeAsync()
    {
        await _redis.GetDatabase().KeyDeleteAsync(_lease.KeyOf("t", "m"));
        await _redis.DisposeAsync();
    }
}
