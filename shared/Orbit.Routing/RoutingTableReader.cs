using System.Text.Json;
using Microsoft.Extensions.Logging;
using Orbit.Contracts.Models;
using Orbit.Contracts.Wire;
using StackExchange.Redis;

namespace Orbit.Routing;

/// <summary>
/// Reads every routing table the registry wrote to Redis (<see cref="RedisKeys.RoutesPattern"/>). A table this process
/// cannot read (written by a newer registry, or damaged) is skipped and logged: it must not keep every other model
/// unrouted.
/// </summary>
public sealed partial class RoutingTableReader(IConnectionMultiplexer redis, ILogger<RoutingTableReader> logger)
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
                if (json.IsNullOrEmpty)
                {
                    continue;
                }

                try
                {
                    if (JsonSerializer.Deserialize<DeploymentChanged>(json.ToString(), Json) is { } table)
                    {
                        tables.Add(table);
                    }
                }
                catch (JsonException ex)
                {
                    LogUnreadable(logger, key.ToString(), ex.Message);
                }
            }
        }

        return tables;
    }

    [LoggerMessage(EventId = RoutingLogEvents.TableUnreadable, Level = LogLevel.Warning, Message = "Routing table {Key} in Redis cannot be read and is skipped: {Reason}")]
    private static partial void LogUnreadable(ILogger logger, string key, string reason);
}
