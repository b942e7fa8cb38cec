using System.Text.Json;
using Orbit.Contracts.Models;
using Orbit.Contracts.Wire;
using StackExchange.Redis;

namespace Orbit.Registry.Deployments;

/// <summary>
/// The routing table in Redis, one key per model: <see cref="RedisKeys.Routes"/> holds the
/// latest <see cref="DeploymentChanged"/> as JSON. A write never replaces a newer revision, so
/// late or repeated deliveries are harmless.
/// </summary>
internal sealed class RoutingTable(IConnectionMultiplexer redis)
{
    // KEYS[1] = routing key; ARGV[1] = revision; ARGV[2] = json. Compares with the stored revision field.
    private const string WriteIfNewer = """
        local current = redis.call('HGET', KEYS[1], 'revision')
        if current and tonumber(current) >= tonumber(ARGV[1]) then return 0 end
        redis.call('HSET', KEYS[1], 'revision', ARGV[1], 'table', ARGV[2])
        return 1
        """;

    public async Task<bool> WriteAsync(DeploymentChanged change)
    {
        var json = JsonSerializer.Serialize(change, Outbox.Outbox.Json);
        var result = await redis.GetDatabase().ScriptEvaluateAsync(
            WriteIfNewer,
            [RedisKeys.Routes(change.TenantId, change.ModelName)],
            [change.Revision, json]);
        return (int)result == 1;
    }

    public async Task<DeploymentChanged?> ReadAsync(string tenantId, string model)
    {
        var json = await redis.GetDatabase().HashGetAsync(RedisKeys.Routes(tenantId, model), RedisKeys.RoutesTableField);
        return json.IsNullOrEmpty ? null : JsonSerializer.Deserialize<DeploymentChanged>(json.ToString(), Outbox.Outbox.Json);
    }
}
