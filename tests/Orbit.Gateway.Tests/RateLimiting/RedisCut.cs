using Orbit.Testing;
using StackExchange.Redis;

namespace Orbit.Gateway.Tests.RateLimiting;

/// <summary>A <see cref="TcpProxy"/> between a client and the shared Redis, which the test cuts; Redis itself keeps running.</summary>
internal sealed class RedisCut : IAsyncDisposable
{
    private readonly TcpProxy _proxy;

    public RedisCut()
    {
        var endpoint = TestInfrastructure.Redis.Split(',')[0];
        var colon = endpoint.LastIndexOf(':');
        _proxy = new TcpProxy(endpoint[..colon], int.Parse(endpoint[(colon + 1)..], System.Globalization.CultureInfo.InvariantCulture));
    }

    /// <summary>The configuration string of the shared Redis (database 9), through the proxy.</summary>
    public string Configuration => $"127.0.0.1:{_proxy.Port},defaultDatabase=9";

    public void Cut() => _proxy.Cut();

    public void Restore() => _proxy.Restore();

    public async Task<IConnectionMultiplexer> ConnectAsync() => await ConnectionMultiplexer.ConnectAsync(Configuration + ",connectTimeout=1000,asyncTimeout=1000,syncTimeout=1000");

    public ValueTask DisposeAsync() => _proxy.DisposeAsync();
}
