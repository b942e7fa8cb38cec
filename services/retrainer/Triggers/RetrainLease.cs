using StackExchange.Redis;

namespace Orbit.Retrainer.Triggers;

/// <summary>
/// At most one retrain per model across every retrainer: a Redis key (<c>orbit:retrain-lease:{tenant}:{model}</c>)
/// set only if absent, holding the attempt id, that expires unless renewed, so a retrainer that crashes frees it by
/// itself. Renewal and release touch the key only while it still holds the same attempt.
/// </summary>
internal sealed class RetrainLease(IConnectionMultiplexer redis)
{
    private const string RenewScript = "if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('PEXPIRE', KEYS[1], ARGV[2]) else return 0 end";
    private const string ReleaseScript = "if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) else return 0 end";

    /// <summary>A key prefix of its own per instance of the store, for tests that share one Redis.</summary>
    public string Prefix { get; init; } = "orbit:retrain-lease:";

    public string KeyOf(string tenant, string model) => $"{Prefix}{tenant}:{model}";

    /// <summary>Takes the lease for <paramref name="attemptId"/>; false with the holder when another attempt has it.</summary>
    public async Task<(bool Taken, string? Holder)> TryTakeAsync(string tenant, string model, string attemptId, TimeSpan ttl)
    {
        var database = redis.GetDatabase();
        var key = KeyOf(tenant, model);
        if (await database.StringSetAsync(key, attemptId, ttl, When.NotExists))
        {
            return (true, attemptId);
        }

        var holder = (string?)await database.StringGetAsync(key);
        return (holder == attemptId, holder);
    }

    /// <summary>Extends the lease; false when it was lost (expired, or taken by another attempt).</summary>
    public async Task<bool> RenewAsync(string tenant, string model, string attemptId, TimeSpan ttl) =>
        (long)await redis.GetDatabase().ScriptEvaluateAsync(RenewScript, [KeyOf(tenant, model)], [attemptId, (long)ttl.TotalMilliseconds]) == 1;

    public async Task ReleaseAsync(string tenant, string model, string attemptId) =>
        await redis.GetDatabase().ScriptEvaluateAsync(ReleaseScript, [KeyOf(tenant, model)], [attemptId]);

    /// <summary>Whether anyone holds the model's lease now.</summary>
    public async Task<string?> HolderAsync(string tenant, string model) => await redis.GetDatabase().StringGetAsync(KeyOf(tenant, model));
}
