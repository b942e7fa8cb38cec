using System.Diagnostics;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Orbit.Gateway.RateLimiting;
using Orbit.Testing;
using StackExchange.Redis;
using Xunit.Abstractions;

namespace Orbit.Gateway.Tests.RateLimiting;

/// <summary>The token bucket on the real Redis, as several requests of one tenant hit it at once.</summary>
public sealed class TenantRateLimiterTests(ITestOutputHelper output)
{
    internal static TenantRateLimiter Limiter(int perSecond, int burst, IConnectionMultiplexer? redis = null, RateLimitOutageMode mode = RateLimitOutageMode.HeldTokens) => new(
        redis ?? ConnectionMultiplexer.Connect(TestInfrastructure.Redis),
        Options.Create(new GatewayOptions { RateLimitPerSecond = perSecond, RateLimitBurst = burst, RateLimitOutageMode = mode }),
        TimeProvider.System,
        NullLogger<TenantRateLimiter>.Instance);

    [Fact]
    public async Task Concurrent_requests_within_the_burst_are_all_allowed()
    {
        var limiter = Limiter(perSecond: 100, burst: 100);
        var tenant = "t-" + Guid.NewGuid().ToString("N")[..8];

        var answers = await Task.WhenAll(Enumerable.Range(0, 50).Select(_ => limiter.TryTakeAsync(tenant)));

        Assert.All(answers, a => Assert.True(a.Allowed));
    }

    /// <summary>
    /// Two gateways hammer one tenant's bucket for a while; every grant is counted. The bucket starts
    /// full and Redis's clock (whole milliseconds) runs inside the measured interval, so no limiter
    /// that keeps its promise can grant more than burst + rate × (elapsed + 1 ms).
    /// </summary>
    [Fact]
    public async Task Gateways_together_never_grant_more_than_the_rate_times_the_time_plus_the_burst()
    {
        const int rate = 40, burst = 10;
        var (first, second) = (Limiter(rate, burst), Limiter(rate, burst));
        var tenant = "t-" + Guid.NewGuid().ToString("N")[..8];
        var granted = 0;
        var refusedWithoutWait = 0;

        var started = Stopwatch.GetTimestamp();
        for (var round = 0; round < 25; round++)
        {
            var answers = await Task.WhenAll(Enumerable.Range(0, 30).Select(i => (i % 2 == 0 ? first : second).TryTakeAsync(tenant)));
            granted += answers.Count(a => a.Allowed);
            refusedWithoutWait += answers.Count(a => !a.Allowed && a.RetryAfter <= TimeSpan.Zero);
            await Task.Delay(40);
        }

        var elapsed = Stopwatch.GetElapsedTime(started);
        var ceiling = burst + (rate * (elapsed.TotalSeconds + 0.001));
        output.WriteLine($"granted {granted} of 750 requests in {elapsed.TotalMilliseconds:0} ms; the ceiling was {ceiling:0.0}");
        Assert.True(granted <= ceiling, $"granted {granted} in {elapsed.TotalMilliseconds:0} ms; at most {ceiling:0.0} are allowed");
        Assert.True(granted >= 1, "nothing was granted at all");
        Assert.Equal(0, refusedWithoutWait);
    }

    /// <summary>
    /// At one token a second, a burst of concurrent requests that ends within a second can only be
    /// granted the bucket's contents: the arithmetic leaves less than one token of slack, so even a
    /// single token granted too many fails this.
    /// </summary>
    [Fact]
    public async Task A_burst_of_concurrent_requests_on_two_gateways_gets_exactly_what_the_bucket_holds()
    {
        const int rate = 1, burst = 20;
        var (first, second) = (Limiter(rate, burst), Limiter(rate, burst));
        var tenant = "t-" + Guid.NewGuid().ToString("N")[..8];

        var started = Stopwatch.GetTimestamp();
        var answers = await Task.WhenAll(Enumerable.Range(0, 100).Select(i => (i % 2 == 0 ? first : second).TryTakeAsync(tenant)));
        var elapsed = Stopwatch.GetElapsedTime(started);

        var granted = answers.Count(a => a.Allowed);
        var ceiling = burst + (rate * (elapsed.TotalSeconds + 0.001));
        output.WriteLine($"granted {granted} of 100 in {elapsed.TotalMilliseconds:0} ms; the ceiling was {ceiling:0.00}");
        Assert.True(granted <= ceiling, $"granted {granted} in {elapsed.TotalMilliseconds:0} ms; at most {ceiling:0.00} are allowed");
        Assert.True(granted >= burst, $"granted only {granted} of a full bucket of {burst}");
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
