using System.Text;
using System.Text.Json;
using Orbit.Testing;
using RabbitMQ.Client;

namespace Orbit.DriftMonitor.Tests.Support;

/// <summary>Raw broker access for assertions: read a queue, listen to an exchange, delete test queues.</summary>
internal static class RabbitQueues
{
    public static async Task<IConnection> ConnectAsync() =>
        await new ConnectionFactory { Uri = new Uri(TestInfrastructure.RabbitMqUrl) }.CreateConnectionAsync();

    /// <summary>Takes every message now in <paramref name="queue"/> (empty when it does not exist).</summary>
    public static async Task<List<JsonElement>> DrainAsync(string queue)
    {
        await using var connection = await ConnectAsync();
        await using var channel = await connection.CreateChannelAsync();
        var messages = new List<JsonElement>();
        try
        {
            while (await channel.BasicGetAsync(queue, autoAck: true) is { } result)
            {
                messages.Add(JsonDocument.Parse(Encoding.UTF8.GetString(result.Body.Span)).RootElement.Clone());
            }
        }
        catch (RabbitMQ.Client.Exceptions.OperationInterruptedException)
        {
            // The queue does not exist (yet).
        }

        return messages;
    }

    /// <summary>A server-named queue bound to MassTransit's exchange of message type <typeparamref name="T"/>.</summary>
    public static async Task<(IConnection Connection, IChannel Channel, string Queue)> ListenAsync<T>()
    {
        var connection = await ConnectAsync();
        var channel = await connection.CreateChannelAsync();
        var exchange = $"{typeof(T).Namespace}:{typeof(T).Name}";
        await channel.ExchangeDeclareAsync(exchange, ExchangeType.Fanout, durable: true, autoDelete: false);
        var queue = (await channel.QueueDeclareAsync("", durable: false, exclusive: true, autoDelete: true)).QueueName;
        await channel.QueueBindAsync(queue, exchange, "");
        return (connection, channel, queue);
    }

    public static async Task<List<JsonElement>> TakeAsync(IChannel channel, string queue)
    {
        var messages = new List<JsonElement>();
        while (await channel.BasicGetAsync(queue, autoAck: true) is { } result)
        {
            messages.Add(JsonDocument.Parse(Encoding.UTF8.GetString(result.Body.Span)).RootElement.Clone());
        }

        return messages;
    }

    /// <summary>
    /// Appends <paramref name="body"/> to an existing stream (the monitor's reader declares it: this waits until it
    /// exists) and waits for the broker's confirm.
    /// </summary>
    public static async Task AppendAsync(string stream, string? body)
    {
        await using var connection = await ConnectAsync();
        for (var attempt = 0; ; attempt++)
        {
            await using var probe = await connection.CreateChannelAsync();
            try
            {
                await probe.QueueDeclarePassiveAsync(stream);
                break;
            }
            catch (RabbitMQ.Client.Exceptions.OperationInterruptedException) when (attempt < 100)
            {
                await Task.Delay(100);
            }
        }

        if (body is not null)
        {
            await AppendAllAsync(stream, [body]);
        }
    }

    public static Task AppendAsync<T>(string stream, T message) => AppendAllAsync(stream, [message]);

    /// <summary>Appends many messages on one channel, in order, each confirmed.</summary>
    public static async Task AppendAllAsync<T>(string stream, IEnumerable<T> messages)
    {
        await AppendAsync(stream, (string?)null);
        var bodies = messages.Select(m => Encoding.UTF8.GetBytes(m as string ?? JsonSerializer.Serialize(m, Orbit.Hosting.Streams.StreamJson.Options))).ToList();
        for (var attempt = 0; ; attempt++)
        {
            await using var connection = await ConnectAsync();
            await using var channel = await connection.CreateChannelAsync(new CreateChannelOptions(publisherConfirmationsEnabled: true, publisherConfirmationTrackingEnabled: true));
            var first = true;
            try
            {
                foreach (var body in bodies)
                {
                    await channel.BasicPublishAsync("", stream, mandatory: true, new BasicProperties { ContentType = "application/json" }, body);
                    first = false;
                }

                return;
            }
            catch (RabbitMQ.Client.Exceptions.AlreadyClosedException) when (first && attempt < 20)
            {
                // RabbitMQ 3.10 closes the connection (INTERNAL_ERROR, osiris_writer:write(none, ...)) when a stream that
                // was just declared has no writer yet; nothing was appended, so the first message is sent again.
                await Task.Delay(100);
            }
        }
    }

    public static async Task DeleteAsync(params string[] queues)
    {
        await using var connection = await ConnectAsync();
        foreach (var queue in queues)
        {
            await using var channel = await connection.CreateChannelAsync();
            try
            {
                await channel.QueueDeleteAsync(queue);
                await channel.ExchangeDeleteAsync(queue);
            }
            catch (RabbitMQ.Client.Exceptions.OperationInterruptedException)
            {
                // Already gone.
            }
        }
    }
}
