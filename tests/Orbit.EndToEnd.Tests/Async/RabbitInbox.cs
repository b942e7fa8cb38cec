using System.Collections.Concurrent;
using System.Text;
using RabbitMQ.Client;

namespace Orbit.EndToEnd.Tests.Async;

/// <summary>One message a test read off a queue: its body and its headers as text.</summary>
public sealed record InboxMessage(string Body, IReadOnlyDictionary<string, string> Headers);

/// <summary>
/// Everything that arrives on a queue of the platform's broker, kept for the fixture's life so each
/// test can look for its own messages (a queue bound to the results exchange, or an error queue).
/// </summary>
public sealed class RabbitInbox : IAsyncDisposable
{
    private readonly IConnection _connection;
    private readonly IChannel _channel;
    private readonly string _queue;

    private RabbitInbox(IConnection connection, IChannel channel, string queue)
    {
        _connection = connection;
        _channel = channel;
        _queue = queue;
    }

    public ConcurrentQueue<InboxMessage> Messages { get; } = new();

    /// <summary>A queue of its own bound to a topic exchange (declared as the gateway declares it).</summary>
    public static async Task<RabbitInbox> BindAsync(string url, string exchange, string bindingKey)
    {
        var (connection, channel) = await OpenAsync(url);
        await channel.ExchangeDeclareAsync(exchange, ExchangeType.Topic, durable: true, autoDelete: false);
        var queue = (await channel.QueueDeclareAsync("", durable: false, exclusive: true, autoDelete: true)).QueueName;
        await channel.QueueBindAsync(queue, exchange, bindingKey);
        return new RabbitInbox(connection, channel, queue);
    }

    /// <summary>An existing durable queue (declared as MassTransit declares its error queues), read destructively.</summary>
    public static async Task<RabbitInbox> DrainAsync(string url, string queue)
    {
        var (connection, channel) = await OpenAsync(url);
        await channel.QueueDeclareAsync(queue, durable: true, exclusive: false, autoDelete: false);
        return new RabbitInbox(connection, channel, queue);
    }

    public static async Task PublishAsync(string url, string exchange, string body, IDictionary<string, object?> headers)
    {
        var (connection, channel) = await OpenAsync(url);
        await using (connection)
        await using (channel)
        {
            var properties = new BasicProperties { ContentType = "application/json", Persistent = true, Headers = headers };
            await channel.BasicPublishAsync(exchange, "", mandatory: false, properties, Encoding.UTF8.GetBytes(body));
        }
    }

    /// <summary>Reads what has arrived since the last look and returns the first kept message that matches.</summary>
    public async Task<InboxMessage?> FindAsync(Func<InboxMessage, bool> match)
    {
        while (await _channel.BasicGetAsync(_queue, autoAck: true) is { } got)
        {
            Messages.Enqueue(new InboxMessage(
                Encoding.UTF8.GetString(got.Body.Span),
                (got.BasicProperties.Headers ?? new Dictionary<string, object?>()).ToDictionary(
                    h => h.Key, h => h.Value is byte[] bytes ? Encoding.UTF8.GetString(bytes) : h.Value?.ToString() ?? "")));
        }

        return Messages.FirstOrDefault(match);
    }

    public IEnumerable<InboxMessage> All(Func<InboxMessage, bool> match) => Messages.Where(match);

    private static async Task<(IConnection, IChannel)> OpenAsync(string url)
    {
        var connection = await new ConnectionFactory { Uri = new Uri(url) }.CreateConnectionAsync();
        return (connection, await connection.CreateChannelAsync());
    }

    public async ValueTask DisposeAsync()
    {
        await _channel.DisposeAsync();
        await _connection.DisposeAsync();
    }
}
