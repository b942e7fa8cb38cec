using System.Text.Json;
using Orbit.Contracts.Models;
using Orbit.Contracts.Wire;
using StackExchange.Redis;

namespace Orbit.Registry.Deployments;

/// <summary>
/// The routing table in Redis, one key per model: <see cref="RedisKeys.Routes"/> holds the
/// latest <see cref="DeploymentChanged"/> as JSON. A write never replaces a newer revision, so
/// late or repeated deliveries are harmless. A write lost to a Redis outage asks for a repair
/// (<see cref="RequestRepair"/>), which <see cref="RoutingResync"/> carries out once Redis answers.
/// </summary>
internal sealed class RoutingTable(IConnectionMultiplexer redis)
{
    private TaskCompletionSource _repair = new(TaskCreationOptions.RunContinuationsAsynchronously);

    // Compares with the stored revision field: 1 when written, 0 when a newer revision is already there.
    private static readonly LuaScript WriteIfNewer = LuaScript.Prepare("""
        local current = redis.call('HGET', @key, 'revision')
        if current and tonumber(current) >= tonumber(@revision) then return 0 end
        redis.call('HSET', @key, 'revision', @revision, 'table', @json)
        return 1
        """);

    public async Task<bool> WriteAsync(DeploymentChanged change)
    {
        var json = JsonSerializer.Serialize(change, Outbox.Outbox.Json);
        var result = await redis.GetDatabase().ScriptEvaluateAsync(WriteIfNewer, new
        {
            key = (RedisKey)RedisKeys.Routes(change.TenantId, change.ModelName),
            revision = change.Revision,
            json,
        });
        return (int)result == 1;
    }

    public async Task<DeploymentChanged?> ReadAsync(string tenantId, string model)
    {
        var json = await redis.GetDatabase().HashGetAsync(RedisKeys.Routes(tenantId, model), RedisKeys.RoutesTableField);
        return json.IsNullOrEmpty ? null : JsonSerializer.Deserialize<DeploymentChanged>(json.ToString(), Outbox.Outbox.Json);
    }

    /// <summary>Asks <see cref="RoutingResync"/> to rewrite every table as soon as it can.</summary>
    public void RequestRepair() => Volatile.Read(ref _repair).TrySetResult();

    /// <summary>Starts a new repair request (before a pass, so a request made during the pass is not lost) and returns it.</summary>
    public Task RenewRepairRequest()
    {
        var fresh = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        Volatile.Write(ref _repair, fresh);
        return fresh.Task;
    }
}
