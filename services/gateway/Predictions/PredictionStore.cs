using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Options;
using Orbit.Contracts.Predictions;
using Orbit.Contracts.Wire;
using StackExchange.Redis;

namespace Orbit.Gateway.Predictions;

/// <summary>
/// Predictions in Redis, one hash per prediction (<see cref="RedisKeys.Prediction"/>), kept for
/// <see cref="PredictionOptions.ResultTtl"/>. An idempotency key (hashed, per tenant) points at the
/// prediction it created, so a retried submission finds it instead of creating another. A result is
/// recorded only over a pending prediction: the first answer wins, a redelivered one changes nothing.
/// </summary>
internal sealed class PredictionStore(IConnectionMultiplexer redis, IOptions<PredictionOptions> options)
{
    // Returns the id an idempotency key already points at, or '' after creating the prediction.
    private static readonly LuaScript Create = LuaScript.Prepare("""
        if @useKey == '1' then
          local existing = redis.call('GET', @key)
          if existing then return existing end
          redis.call('SET', @key, @id, 'PX', @ttl)
        end
        redis.call('HSET', @record, 'status', 'pending', 'model', @model, 'version', @version, 'requestId', @requestId, 'createdAt', @createdAt)
        redis.call('PEXPIRE', @record, @ttl)
        return ''
        """);

    // 1: recorded; 0: already finished (the first answer stands); -1: no such prediction (expired).
    private static readonly LuaScript Finish = LuaScript.Prepare("""
        local status = redis.call('HGET', @record, 'status')
        if not status then return -1 end
        if status ~= 'pending' then return 0 end
        redis.call('HSET', @record, 'status', @status, 'version', @version, 'completedAt', @at, 'response', @response, 'reason', @reason, 'detail', @detail)
        return 1
        """);

    private IDatabase Db => redis.GetDatabase();

    /// <summary>
    /// Records a new pending prediction under <paramref name="id"/>, unless the idempotency key already
    /// names one: then that one is returned (null if it has expired in the meantime).
    /// </summary>
    public async Task<(bool Created, StoredPrediction? Existing)> CreateAsync(
        string tenantId, string? idempotencyKey, string id, string model, int? version, string? requestId, DateTimeOffset now)
    {
        var result = (string?)await Db.ScriptEvaluateAsync(Create, new
        {
            useKey = idempotencyKey is null ? "0" : "1",
            key = (RedisKey)RedisKeys.PredictionKey(tenantId, Hash(idempotencyKey ?? "")),
            record = (RedisKey)RedisKeys.Prediction(tenantId, id),
            id,
            ttl = (long)options.Value.ResultTtl.TotalMilliseconds,
            model,
            version = version?.ToString(CultureInfo.InvariantCulture) ?? "",
            requestId = requestId ?? "",
            createdAt = now.ToUnixTimeMilliseconds(),
        });
        return string.IsNullOrEmpty(result) ? (true, null) : (false, await GetAsync(tenantId, result));
    }

    /// <summary>Takes back a prediction that could not be queued, and its idempotency key, so a retry starts afresh.</summary>
    public async Task ForgetAsync(string tenantId, string? idempotencyKey, string id)
    {
        await Db.KeyDeleteAsync(RedisKeys.Prediction(tenantId, id));
        if (idempotencyKey is not null)
        {
            await Db.KeyDeleteAsync(RedisKeys.PredictionKey(tenantId, Hash(idempotencyKey)));
        }
    }

    public Task MarkEnqueuedAsync(string tenantId, string id) => Db.HashSetAsync(RedisKeys.Prediction(tenantId, id), "enqueued", "1");

    public async Task<StoredPrediction?> GetAsync(string tenantId, string id)
    {
        var fields = await Db.HashGetAllAsync(RedisKeys.Prediction(tenantId, id));
        if (fields.Length == 0)
        {
            return null;
        }

        var map = fields.ToDictionary(f => f.Name.ToString(), f => f.Value, StringComparer.Ordinal);
        string? Text(string name) => map.TryGetValue(name, out var v) && !v.IsNullOrEmpty ? v.ToString() : null;
        DateTimeOffset? Time(string name) => Text(name) is { } ms ? DateTimeOffset.FromUnixTimeMilliseconds(long.Parse(ms, CultureInfo.InvariantCulture)) : null;
        return new StoredPrediction(
            id,
            tenantId,
            Text("status") ?? PredictionStates.Pending,
            Text("model") ?? "",
            Text("version") is { } v ? int.Parse(v, CultureInfo.InvariantCulture) : null,
            Text("requestId"),
            Time("createdAt") ?? DateTimeOffset.UnixEpoch,
            Time("completedAt"),
            map.TryGetValue("response", out var response) && !response.IsNullOrEmpty ? (byte[])response! : null,
            Text("reason"),
            Text("detail"),
            Text("enqueued") == "1");
    }

    public Task<int> CompleteAsync(string tenantId, string id, int version, byte[] response, DateTimeOffset at) =>
        FinishAsync(tenantId, id, PredictionStates.Completed, version, response, "", "", at);

    public Task<int> FailAsync(string tenantId, string id, int? version, string reason, string detail, DateTimeOffset at) =>
        FinishAsync(tenantId, id, PredictionStates.Failed, version, [], reason, detail, at);

    private async Task<int> FinishAsync(string tenantId, string id, string status, int? version, byte[] response, string reason, string detail, DateTimeOffset at) =>
        (int)await Db.ScriptEvaluateAsync(Finish, new
        {
            record = (RedisKey)RedisKeys.Prediction(tenantId, id),
            status,
            version = version?.ToString(CultureInfo.InvariantCulture) ?? "",
            at = at.ToUnixTimeMilliseconds(),
            response,
            reason,
            detail,
        });

    /// <summary>Keys are hashed: they are the client's text, of any length and content.</summary>
    private static string Hash(string key) => Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(key)));
}
