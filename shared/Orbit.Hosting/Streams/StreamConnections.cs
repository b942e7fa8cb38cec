using Microsoft.Extensions.Options;
using Orbit.Hosting.Configuration;
using RabbitMQ.Client;

namespace Orbit.Hosting.Streams;

/// <summary>
/// Connections for the stream publisher and readers. The client's automatic recovery is off: a stream
/// consumer must resume from the offset after the last one it delivered, not re-register with the offset
/// it first asked for, so both sides reconnect by themselves.
/// </summary>
internal sealed class StreamConnections(IOptions<RabbitMqOptions> rabbit, OrbitServiceInfo? service = null)
{
    public Task<IConnection> OpenAsync(string purpose, CancellationToken cancellationToken)
    {
        var factory = new ConnectionFactory
        {
            Uri = new Uri(rabbit.Value.Url),
            AutomaticRecoveryEnabled = false,
            TopologyRecoveryEnabled = false,
            RequestedHeartbeat = TimeSpan.FromSeconds(10),
            RequestedConnectionTimeout = TimeSpan.FromSeconds(5),
            ClientProvidedName = $"{service?.InstanceId ?? "orbit"} streams {purpose}",
        };
        return factory.CreateConnectionAsync(cancellationToken);
    }
}
