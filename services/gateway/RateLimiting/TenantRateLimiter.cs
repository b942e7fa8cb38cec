using System.Collections.Concurrent;
using Microsoft.Extensions.Options;
using Orbit.Contracts.Wire;
using StackExchange.Redis;

namespace Orbit.Gateway.RateLimiting;

/// <summary>
/// A token bucket per tenant, in Redis so every gateway shares it: it refills at the configured
/// rate up to the burst size, and a request takes one token or is told how long until one refills.
/// A gateway takes tokens in small blocks (a twentieth of a second's worth) and spends them
/// locally for up to a second, so a busy tenant costs one Redis call per block, not per request.
/// </summary>
internal sealed class TenantRateLimiter(IConnectionMultiplexer redis, IOptions<GatewayOptions> options, TimeProvider time)
{
    // Takes up to @wanted tokens (at least one, or none and the wait in ms). Uses the server's clock so every gateway agrees.
    private static readonly LuaScript TakeTokens = LuaScript.Prepare("""
        local rate = tonumber(@rate)
        local burst = tonumber(@burst)
        local wanted = tonumber(@wanted)
        local t = redis.call('TIME')
        local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
        local state = redis.call('HMGET', @bucket, 'tokens', 'at')
        local tokens = tonumber(state[1]) or burst
        local at = tonumber(state[2]) or now
        tokens = math.min(burst, tokens + (now - at) * rate / 1000)
        local granted = math.min(wanted, math.floor(tokens))
        local wait = 0
        if granted < 1 then
          granted = 0
          wait = math.ceil((1 - tokens) * 1000 / rate)
        end
        tokens = tokens - granted
        redis.call('HSET', @bucket, 'tokens', tokens, 'at', now)
        redis.call('PEXPIRE', @bucket, math.ceil(burst * 1000 / rate) + 1000)
        return {granted, wait}
        """);

    private static readonly TimeSpan LeaseLife = TimeSpan.FromSeconds(1);

    private readonly ConcurrentDictionary<string, Lease> _leases = new(StringComparer.Ordinal);

    /// <summary>Whether the tenant may make one more request now; if not, how long until it may.</summary>
    public async Task<(bool Allowed, TimeSpan RetryAfter)> TryTakeAsync(string tenantId)
    {
        var lease = _leases.GetOrAdd(tenantId, static _ => new Lease());
        while (true)
        {
            if (lease.TryTake(time.GetUtcNow()))
            {
                return (true, TimeSpan.Zero);
            }

            // One caller per tenant fetches the next block; the others wait for it rather than each taking a block.
            var (granted, wait) = await lease.RefillOnceAsync(() => TakeBlockAsync(tenantId), time, LeaseLife);
            if (granted == 0)
            {
                return (false, wait);
            }
        }
    }

    private async Task<(int Granted, TimeSpan Wait)> TakeBlockAsync(string tenantId)
    {
        var limits = options.Value;
        var block = Math.Clamp(limits.RateLimitPerSecond / 20, 1, limits.RateLimitBurst);
        var result = (RedisResult[])(await redis.GetDatabase().ScriptEvaluateAsync(TakeTokens, new
        {
            bucket = (RedisKey)RedisKeys.RateLimit(tenantId),
            rate = limits.RateLimitPerSecond,
            burst = limits.RateLimitBurst,
            wanted = block,
        }))!;
        return ((int)result[0], TimeSpan.FromMilliseconds((long)result[1]));
    }

    private sealed class Lease
    {
        private int _tokens;
        private DateTimeOffset _until;
        private Task<(int Granted, TimeSpan Wait)>? _refill;

        public bool TryTake(DateTimeOffset now)
        {
            lock (this)
            {
                if (_tokens <= 0 || now >= _until)
                {
                    return false;
                }

                _tokens--;
                return true;
            }
        }

        public Task<(int Granted, TimeSpan Wait)> RefillOnceAsync(Func<Task<(int Granted, TimeSpan Wait)>> take, TimeProvider time, TimeSpan life)
        {
            lock (this)
            {
                // A finished fetch is never reused: its tokens are in the lease, or already spent.
                if (_refill is null || _refill.IsCompleted)
                {
                    _refill = RefillAsync(take, time, life);
                }

                return _refill;
            }
        }

        private async Task<(int Granted, TimeSpan Wait)> RefillAsync(Func<Task<(int Granted, TimeSpan Wait)>> take, TimeProvider time, TimeSpan life)
        {
            var answer = await take();
            lock (this)
            {
                if (time.GetUtcNow() >= _until)
                {
                    _tokens = 0;
                }

                _tokens += answer.Granted;
                _until = time.GetUtcNow() + life;
            }

            return answer;
        }
    }
}
