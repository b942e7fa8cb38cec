using System.Text;
using RabbitMQ.Client;
using RabbitMQ.Client.Exceptions;

namespace Orbit.Testing;

/// <summary>A publisher and reader that knows nothing of MassTransit, as a service in another language would be.</summary>
public sealed class RabbitMqProbe : IAsyncDisposable
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

    /// <summary>
    /// A server-named, exclusive queue bound to a message type's fanout exchange (declared here if
    /// no one has yet, as MassTransit declares it): it receives every later publish of that type.
    /// </summary>
    public async Task<string> ListenAsync(string exchange)
    {
        await _channel.ExchangeDeclareAsync(exchange, ExchangeType.Fanout, durable: true, autoDelete: false);
        var queue = await _channel.QueueDeclareAsync("", durable: false, exclusive: true, autoDelete: true);
        await _channel.QueueBindAsync(queue.QueueName, exchange, "");
        return queue.QueueName;
    }

    public async ValueTask DisposeAsync()
    {
        await _channel.DisposeAsync();
        await _connection.DisposeAsync();
    }
}
