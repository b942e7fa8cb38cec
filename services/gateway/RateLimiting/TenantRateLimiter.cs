using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace Orbit.Gateway.RateLimiting;

/// <summary>
/// A token bucket per tenant, in Redis so every gateway shares it: it refills at the configured
/// rate up to the burst size, and a request takes one token or waits the time one takes to refill.
/// </summary>
internal sealed class TenantRateLimiter(IConnectionMultiplexer redis, IOptions<GatewayOptions> options)
{
    // KEYS[1] bucket; ARGV rate (tokens/s), burst. Uses the server's clock so every gateway agrees.
    private const string TakeToken = """
        local rate = tonumber(ARGV[1])
        local burst = tonumber(ARGV[2])
        local t = redis.call('TIME')
        local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
        local state = redis.call('HMGET', KEYS[1], 'tokens', 'at')
        local tokens = tonumber(state[1]) or burst
        local at = tonumber(state[2]) or now
        tokens = math.min(burst, tokens + (now - at) * rate / 1000)
        local allowed = 0
        local wait = 0
        if tokens >= 1 then
          tokens = tokens - 1
          allowed = 1
        else
          wait = math.ceil((1 - tokens) * 1000 / rate)
        end
        redis.call('HSET', KEYS[1], 'tokens', tokens, 'at', now)
        redis.call('PEXPIRE', KEYS[1], math.ceil(burst * 1000 / rate) + 1000)
        return {allowed, wait}
        """;

    /// <summary>Whether the tenant may make one more request now; if not, how long until it may.</summary>
    public async Task<(bool Allowed, TimeSpan RetryAfter)> TryTakeAsync(string tenantId)
    {
        var limits = options.Value;
        var result = (RedisResult[])(await redis.GetDatabase().ScriptEvaluateAsync(
            TakeToken, [$"orbit:ratelimit:{tenantId}"], [limits.RateLimitPerSecond, limits.RateLimitBurst]))!;
        return ((int)result[0] == 1, TimeSpan.FromMilliseconds((long)result[1]));
    }
}
