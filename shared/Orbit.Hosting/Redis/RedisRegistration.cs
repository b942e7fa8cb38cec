using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Orbit.Hosting.Configuration;
using StackExchange.Redis;

namespace Orbit.Hosting.Redis;

internal static class RedisRegistration
{
    /// <summary>
    /// One multiplexer per process. It does not abort when Redis is down at start: it keeps
    /// reconnecting, and readiness reports Redis until it answers.
    /// </summary>
    public static void AddOrbitRedis(this IServiceCollection services)
    {
        services.AddSingleton<IConnectionMultiplexer>(sp =>
        {
            var options = sp.GetRequiredService<IOptions<RedisOptions>>().Value;
            var configuration = ConfigurationOptions.Parse(options.Configuration);
            configuration.AbortOnConnectFail = false;
            configuration.ConnectTimeout = options.ConnectTimeoutMilliseconds;
            configuration.SyncTimeout = options.ConnectTimeoutMilliseconds;
            configuration.AsyncTimeout = options.ConnectTimeoutMilliseconds;
            return ConnectionMultiplexer.Connect(configuration);
        });
    }
}
