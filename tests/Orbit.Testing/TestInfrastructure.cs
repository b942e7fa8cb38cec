namespace Orbit.Testing;

/// <summary>
/// Where the real servers are: the ones <c>./orbit deps</c> starts on loopback, or those named by
/// the same environment variables the services read.
/// </summary>
public static class TestInfrastructure
{
    /// <summary>
    /// <c>./orbit test</c> gives each run a RabbitMQ virtual host of its own (ORBIT_TEST_RABBITMQ) and deletes it
    /// afterwards, so the per-model queues tests declare do not pile up in the broker's default one.
    /// </summary>
    public static string RabbitMqUrl { get; } = Environment.GetEnvironmentVariable("ORBIT_TEST_RABBITMQ")
        ?? Environment.GetEnvironmentVariable("ORBIT_RABBITMQ") ?? "amqp://guest:guest@127.0.0.1:5672/";

    /// <summary>
    /// Tests keep their keys in Redis database 9, apart from a developer's <c>./orbit up</c> (database 0);
    /// <c>./orbit test</c> empties databases 9 to 15 before it runs.
    /// </summary>
    public static string Redis { get; } = (Environment.GetEnvironmentVariable("ORBIT_REDIS") ?? "127.0.0.1:6379") + ",defaultDatabase=9";

    public static string Postgres { get; } = Environment.GetEnvironmentVariable("ORBIT_POSTGRES")
        ?? "Host=127.0.0.1;Port=5432;Username=orbit;Password=orbit;Database=orbit";

    /// <summary>A loopback URL on which nothing listens, for "the broker is down" tests.</summary>
    public static string ClosedRabbitMqUrl => $"amqp://guest:guest@127.0.0.1:{FreePort.Next()}/";

    /// <summary>The settings every service under test gets: real servers, quiet logs.</summary>
    public static Dictionary<string, string?> ServiceSettings() => new()
    {
        ["Orbit:RabbitMq:Url"] = RabbitMqUrl,
        ["Orbit:Redis:Configuration"] = Redis,
        ["Orbit:Logging:Level"] = "Warning",
        ["Orbit:Logging:Format"] = "plain",
    };
}
