using System.Text.Json;
using Orbit.Contracts.Models;
using Orbit.Contracts.Wire;
using StackExchange.Redis;

namespace Orbit.Routing;

/// <summary>Reads every routing table the registry wrote to Redis (<see cref="RedisKeys.RoutesPattern"/>).</summary>
public sealed class RoutingTableReader(IConnectionMultiplexer redis)
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public async Task<IReadOnlyList<DeploymentChanged>> ReadAllAsync(CancellationToken cancellationToken)
    {
        var tables = new List<DeploymentChanged>();
        var database = redis.GetDatabase();
        foreach (var server in redis.GetServers())
        {
            if (server.IsReplica || !server.IsConnected)
            {
                continue;
            }

            await foreach (var key in server.KeysAsync(database.Database, RedisKeys.RoutesPattern, pageSize: 500).WithCancellation(cancellationToken))
            {
                var json = await database.HashGetAsync(key, RedisKeys.RoutesTableField);
                if (!json.IsNullOrEmpty && JsonSerializer.Deserialize<DeploymentChanged>(json.ToString(), Json) is { } table)
                {
                    tables.Add(table);
                }
            }
        }

        return tables;
    }
}
