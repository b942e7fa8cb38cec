using System.Text;
using Orbit.Testing;
using RabbitMQ.Client;
using RabbitMQ.Client.Exceptions;

namespace Orbit.Hosting.Tests.Messaging;

/// <summary>A publisher and reader that knows nothing of MassTransit, as a service in another language would be.</summary>
internal sealed class RabbitMqProbe : IAsyncDisposable
{
    private readonly IConnection _connection;
    private IChannel _channel;

    private RabbitMqProbe(IConnection connection, IChannel channel)
    {
        _connection = connection;
        _channel = channel;
    }

    public static async Task<RabbitMqProbe> ConnectAsync()
    {
        var connection = await new ConnectionFactory { Uri = new Uri(TestInfrastructure.RabbitMqUrl) }.CreateConnectionAsync();
        return new RabbitMqProbe(connection, await connection.CreateChannelAsync());
    }

    public async Task PublishJsonAsync(string exchange, string routingKey, string json, IDictionary<string, object?>? headers = null)
    {
        var properties = new BasicProperties { ContentType = "application/json", Persistent = true, Headers = headers };
        await _channel.BasicPublishAsync(exchange, routingKey, mandatory: false, properties, Encoding.UTF8.GetBytes(json));
    }

    /// <summary>One message from <paramref name="queue"/>, or null while it is empty or not yet declared.</summary>
    public async Task<BasicGetResult?> GetAsync(string queue)
    {
        try
        {
            return await _channel.BasicGetAsync(queue, autoAck: true);
        }
        catch (OperationInterruptedException ex) when (ex.ShutdownReason?.ReplyCode == 404)
        {
            // RabbitMQ closes the channel on a missing queue; the queue may appear a moment later.
            await _channel.DisposeAsync();
            _channel = await _connection.CreateChannelAsync();
            return null;
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _channel.DisposeAsync();
        await _connection.DisposeAsync();
    }
}
