using Orbit.Gateway.RateLimiting;
using Orbit.Hosting.Errors;
using Orbit.Testing;
using StackExchange.Redis;

namespace Orbit.Gateway.Tests.RateLimiting;

/// <summary>The rate limiter while its Redis is cut off (by a proxy; the shared Redis keeps running).</summary>
public sealed class RateLimitOutageTests
{
    [Fact]
    public async Task By_default_the_tokens_already_held_are_spent_and_then_requests_are_refused_as_unavailable()
    {
        await using var redis = new RedisCut();
        using var connection = await redis.ConnectAsync();
        // 200/s takes blocks of 10: after the first request the gateway holds 9.
        var limiter = TenantRateLimiterTests.Limiter(perSecond: 200, burst: 200, connection);
        var tenant = "t-" + Guid.NewGuid().ToString("N")[..8];
        Assert.True((await limiter.TryTakeAsync(tenant)).Allowed);

        redis.Cut();
        await WaitDisconnectedAsync(connection);
        var held = 0;
        Exception? refused = null;
        while (held < 50 && refused is null)
        {
            try
            {
                held += (await limiter.TryTakeAsync(tenant)).Allowed ? 1 : 100;
            }
            catch (Exception ex)
            {
                refused = ex;
            }
        }

        Assert.Equal(9, held);
        Assert.IsType<DependencyUnavailableException>(refused);
    }

    [Fact]
    public async Task In_local_mode_a_gateway_admits_up_to_the_burst_on_its_own_and_then_asks_to_wait()
    {
        await using var redis = new RedisCut();
        using var connection = await redis.ConnectAsync();
        var limiter = TenantRateLimiterTests.Limiter(perSecond: 1, burst: 3, connection, RateLimitOutageMode.Local);
        var tenant = "t-" + Guid.NewGuid().ToString("N")[..8];

        redis.Cut();
        await WaitDisconnectedAsync(connection);
        var answers = new List<(bool Allowed, TimeSpan RetryAfter)>();
        for (var i = 0; i < 4; i++)
        {
            answers.Add(await limiter.TryTakeAsync(tenant));
        }

        Assert.Equal([true, true, true, false], answers.Select(a => a.Allowed));
        Assert.True(answers[3].RetryAfter > TimeSpan.Zero);
    }

    [Fact]
    public async Task In_refuse_mode_nothing_is_admitted_that_needs_Redis()
    {
        await using var redis = new RedisCut();
        using var connection = await redis.ConnectAsync();
        var limiter = TenantRateLimiterTests.Limiter(perSecond: 200, burst: 200, connection, RateLimitOutageMode.Refuse);

        redis.Cut();
        await WaitDisconnectedAsync(connection);

        await Assert.ThrowsAsync<DependencyUnavailableException>(() => limiter.TryTakeAsync("t-" + Guid.NewGuid().ToString("N")[..8]));
    }

    [Fact]
    public async Task When_Redis_answers_again_the_shared_bucket_is_used_again()
    {
        await using var redis = new RedisCut();
        using var connection = await redis.ConnectAsync();
        var limiter = TenantRateLimiterTests.Limiter(perSecond: 200, burst: 200, connection, RateLimitOutageMode.Refuse);
        var tenant = "t-" + Guid.NewGuid().ToString("N")[..8];
        redis.Cut();
        await WaitDisconnectedAsync(connection);
        await Assert.ThrowsAsync<DependencyUnavailableException>(() => limiter.TryTakeAsync(tenant));

        redis.Restore();

        await Eventually.GetAsync(async () =>
        {
            try
            {
                return (await limiter.TryTakeAsync(tenant)).Allowed ? "admitted" : null;
            }
            catch (DependencyUnavailableException)
            {
                return null;
            }
        }, TimeSpan.FromSeconds(30), "the limiter to use Redis again");
    }

    private static Task WaitDisconnectedAsync(IConnectionMultiplexer connection) =>
        Eventually.GetAsync(() => Task.FromResult(connection.IsConnected ? null : "cut"), TimeSpan.FromSeconds(10), "the client to notice the cut");
}
