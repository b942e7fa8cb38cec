using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Orbit.Hosting.Streams;
using Orbit.Testing;
using RabbitMQ.Client;

namespace Orbit.Hosting.Tests.Streams;

/// <summary>The stream publisher and reader as a service gets them from <c>AddOrbitStreams()</c>, on a broker URL of the test's choice.</summary>
internal sealed class StreamTestServices : IAsyncDisposable
{
    private readonly ServiceProvider _provider;

    public StreamTestServices(string? rabbitMqUrl = null, IDictionary<string, string?>? settings = null)
    {
        var values = new Dictionary<string, string?>
        {
            ["Orbit:RabbitMq:Url"] = rabbitMqUrl ?? TestInfrastructure.RabbitMqUrl,
            ["Orbit:Streams:ReconnectDelayMilliseconds"] = "100",
        };
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
        {
            values[key] = value;
        }

        var services = new ServiceCollection();
        services.AddSingleton<IConfiguration>(new ConfigurationBuilder().AddInMemoryCollection(values).Build());
        services.AddLogging();
        services.AddOrbitStreams();
        _provider = services.BuildServiceProvider(validateScopes: true);
    }

    public IStreamPublisher Publisher => _provider.GetRequiredService<IStreamPublisher>();

    public IStreamReader Reader => _provider.GetRequiredService<IStreamReader>();

    public T Get<T>() where T : notnull => _provider.GetRequiredService<T>();

    public static string UniqueStream(string purpose) => $"test.streams.{purpose}.{Guid.NewGuid():N}";

    /// <summary>Proxies to the real broker's AMQP port, for cutting one client off.</summary>
    public static TcpProxy ProxyToBroker(out string proxiedUrl)
    {
        var broker = new Uri(TestInfrastructure.RabbitMqUrl);
        var proxy = new TcpProxy(broker.Host, broker.IsDefaultPort ? 5672 : broker.Port);
        proxiedUrl = new UriBuilder(broker) { Port = proxy.Port }.Uri.ToString();
        return proxy;
    }

    public static async Task DeleteAsync(params string[] streams)
    {
        await using var connection = await new ConnectionFactory { Uri = new Uri(TestInfrastructure.RabbitMqUrl) }.CreateConnectionAsync();
        await using var channel = await connection.CreateChannelAsync();
        foreach (var stream in streams)
        {
            await channel.QueueDeleteAsync(stream);
        }
    }

    public async ValueTask DisposeAsync() => await _provider.DisposeAsync();
}

public sealed record StreamProbe(string Name, int Sequence, DateTimeOffset At);
