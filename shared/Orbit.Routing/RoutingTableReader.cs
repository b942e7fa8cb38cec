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
        foreach (var endpoint in redis.GetEndPoints())
        {
            var server = redis.GetServer(endpoint);
            if (server.IsSlave || !server.IsConnected)
            {
                continue;
            }

            // IServer.Keys pages with SCAN; it blocks, so it runs off the caller's thread.
            var keys = await Task.Run(() => server.Keys(database.Database, RedisKeys.RoutesPattern, pageSize: 500).ToList(), cancellationToken);
            foreach (var key in keys)
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
