using System.Collections.Concurrent;
using Microsoft.Extensions.Options;
using Orbit.Contracts.Wire;
using Orbit.Hosting.Errors;
using StackExchange.Redis;

namespace Orbit.Gateway.RateLimiting;

/// <summary>
/// A token bucket per tenant, in Redis so every gateway shares it: it refills at the configured
/// rate up to the burst size, and a request takes one token or is told how long until one refills.
/// A gateway takes tokens in small blocks (a twentieth of a second's worth) and spends them
/// locally for up to a second, so a busy tenant costs one Redis call per block, not per request.
/// While Redis is unreachable, <see cref="GatewayOptions.RateLimitOutageMode"/> decides: by default
/// the tokens already taken are spent and then requests are refused with 503
/// (<see cref="DependencyUnavailableException"/>), at once rather than after a Redis timeout.
/// </summary>
internal sealed partial class TenantRateLimiter(IConnectionMultiplexer redis, IOptions<GatewayOptions> options, TimeProvider time, ILogger<TenantRateLimiter> logger)
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
    private readonly ConcurrentDictionary<string, LocalBucket> _local = new(StringComparer.Ordinal);
    private int _outage;

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
            int granted;
            TimeSpan wait;
            try
            {
                (granted, wait) = await lease.RefillOnceAsync(() => TakeBlockAsync(tenantId), time, LeaseLife);
            }
            catch (Exception ex) when (ex is RedisException or TimeoutException)
            {
                return DuringOutage(tenantId, lease, ex);
            }

            Interlocked.Exchange(ref _outage, 0);
            if (granted == 0)
            {
                return (false, wait);
            }
        }
    }

    private (bool Allowed, TimeSpan RetryAfter) DuringOutage(string tenantId, Lease lease, Exception exception)
    {
        var mode = options.Value.RateLimitOutageMode;
        if (Interlocked.Exchange(ref _outage, 1) == 0)
        {
            LogStoreUnreachable(logger, exception, mode);
        }

        switch (mode)
        {
            case RateLimitOutageMode.HeldTokens when lease.TryTakeHeld():
                return (true, TimeSpan.Zero);
            case RateLimitOutageMode.Local:
                var limits = options.Value;
                var bucket = _local.GetOrAdd(tenantId, static (_, burst) => new LocalBucket(burst), limits.RateLimitBurst);
                return bucket.TryTake(time, limits.RateLimitPerSecond, limits.RateLimitBurst);
            default:
                throw new DependencyUnavailableException("The request rate cannot be checked right now; retry shortly.", exception);
        }
    }

    private async Task<(int Granted, TimeSpan Wait)> TakeBlockAsync(string tenantId)
    {
        // Fail at once while disconnected, rather than after the command's timeout in the reconnect backlog.
        if (!redis.IsConnected)
        {
            throw new RedisException("Redis is not connected");
        }

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

        /// <summary>Spends a token already taken from Redis even though its lease has run out: only while Redis cannot be asked.</summary>
        public bool TryTakeHeld()
        {
            lock (this)
            {
                if (_tokens <= 0)
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

    [LoggerMessage(EventId = GatewayLogEvents.RateLimitStoreUnreachable, Level = LogLevel.Warning, Message = "Rate limits cannot be read from Redis; outage mode {Mode} applies until it answers")]
    private static partial void LogStoreUnreachable(ILogger logger, Exception exception, RateLimitOutageMode mode);
}
