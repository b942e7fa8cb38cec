using System.Text.Json;
using Orbit.Contracts.Models;
using StackExchange.Redis;

namespace Orbit.Gateway.Routing;

/// <summary>Reads every routing table the registry wrote to Redis, retrying until Redis answers.</summary>
internal sealed partial class RoutingTableLoader(
    RoutingTable routing,
    IConnectionMultiplexer redis,
    TimeProvider time,
    ILogger<RoutingTableLoader> logger) : BackgroundService
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                var count = await LoadAsync();
                routing.MarkLoaded();
                LogLoaded(logger, count);
                return;
            }
            catch (Exception ex) when (ex is RedisException or TimeoutException)
            {
                LogRetry(logger, ex);
                await Task.Delay(TimeSpan.FromSeconds(1), time, stoppingToken);
            }
        }
    }

    private async Task<int> LoadAsync()
    {
        var count = 0;
        var database = redis.GetDatabase();
        foreach (var endpoint in redis.GetEndPoints())
        {
            foreach (var key in redis.GetServer(endpoint).Keys(database.Database, "orbit:routes:*", pageSize: 500))
            {
                var json = await database.HashGetAsync(key, "table");
                if (!json.IsNullOrEmpty && JsonSerializer.Deserialize<DeploymentChanged>(json.ToString(), Json) is { } table)
                {
                    routing.Apply(table);
                    count++;
                }
            }
        }

        return count;
    }

    [LoggerMessage(EventId = 3001, Level = LogLevel.Information, Message = "Loaded {Count} routing tables from Redis")]
    private static partial void LogLoaded(ILogger logger, int count);

    [LoggerMessage(EventId = 3002, Level = LogLevel.Warning, Message = "Routing tables could not be read from Redis; retrying")]
    private static partial void LogRetry(ILogger logger, Exception exception);
}
