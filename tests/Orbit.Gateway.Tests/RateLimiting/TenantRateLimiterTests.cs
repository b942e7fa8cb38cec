using Microsoft.Extensions.Options;
using Orbit.Gateway.RateLimiting;
using Orbit.Testing;
using StackExchange.Redis;

namespace Orbit.Gateway.Tests.RateLimiting;

/// <summary>The token bucket on the real Redis, as several requests of one tenant hit it at once.</summary>
public sealed class TenantRateLimiterTests
{
    private static TenantRateLimiter Limiter(int perSecond, int burst) => new(
        ConnectionMultiplexer.Connect(TestInfrastructure.Redis),
        Options.Create(new GatewayOptions { RateLimitPerSecond = perSecond, RateLimitBurst = burst }),
        TimeProvider.System);

    [Fact]
    public async Task Concurrent_requests_within_the_burst_are_all_allowed()
    {
        var limiter = Limiter(perSecond: 100, burst: 100);
        var tenant = "t-" + Guid.NewGuid().ToString("N")[..8];

        var answers = await Task.WhenAll(Enumerable.Range(0, 50).Select(_ => limiter.TryTakeAsync(tenant)));

        Assert.All(answers, a => Assert.True(a.Allowed));
    }

    [Fact]
    public async Task Requests_beyond_the_burst_are_refused_with_a_wait()
    {
        var limiter = Limiter(perSecond: 10, burst: 20);
        var tenant = "t-" + Guid.NewGuid().ToString("N")[..8];

        var answers = await Task.WhenAll(Enumerable.Range(0, 200).Select(_ => limiter.TryTakeAsync(tenant)));

        var allowed = answers.Count(a => a.Allowed);
        Assert.InRange(allowed, 20, 199);
        Assert.All(answers.Where(a => !a.Allowed), a => Assert.True(a.RetryAfter > TimeSpan.Zero));
    }

    [Fact]
    public async Task Tenants_have_buckets_of_their_own()
    {
        var limiter = Limiter(perSecond: 1, burst: 1);
        var (first, second) = ("t-" + Guid.NewGuid().ToString("N")[..8], "t-" + Guid.NewGuid().ToString("N")[..8]);

        Assert.True((await limiter.TryTakeAsync(first)).Allowed);
        Assert.False((await limiter.TryTakeAsync(first)).Allowed);
        Assert.True((await limiter.TryTakeAsync(second)).Allowed);
    }
}
