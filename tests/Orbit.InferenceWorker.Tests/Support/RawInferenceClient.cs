using System.Text;
using System.Text.Json;
using Orbit.Contracts.Inference;
using Orbit.Hosting.Messaging.InferenceWire;
using Orbit.Testing;
using RabbitMQ.Client;

namespace Orbit.InferenceWorker.Tests.Support;

/// <summary>
/// Sends <see cref="InferenceRequested"/> as plain JSON (or, as the gateway does, binary) over AMQP to the exchange
/// <c>infer.{tenant}.{model}</c>, as an older gateway (or any language) does, with a reply address in
/// <c>MT-Response-Address</c>, and reads the answer's type from its <c>MT-MessageType</c> header.
/// </summary>
internal static class RawInferenceClient
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public static async Task<(InferenceCompleted? Completed, InferenceRejected? Rejected)> InferAsync(InferenceRequested request)
    {
        var (type, _, body) = await RequestAsync(JsonBody(request), "application/json", request.TenantId, request.ModelName, request.RequestId);
        if (type.Contains(":InferenceCompleted", StringComparison.Ordinal))
        {
            return (JsonSerializer.Deserialize<InferenceCompleted>(body, Json), null);
        }

        if (type.Contains(":InferenceRejected", StringComparison.Ordinal))
        {
            return (null, JsonSerializer.Deserialize<InferenceRejected>(body, Json));
        }

        throw new Xunit.Sdk.XunitException($"Unexpected answer of type '{type}': {Encoding.UTF8.GetString(body)}");
    }

    /// <summary>A gateway's coalesced message, answered with one result per request.</summary>
    public static async Task<InferenceBatchCompleted> InferBatchAsync(InferenceBatchRequested batch)
    {
        var (type, _, body) = await RequestAsync(JsonBody(batch), "application/json", batch.TenantId, batch.ModelName + ".batch", "batch");
        Assert.Contains(":InferenceBatchCompleted", type);
        return JsonSerializer.Deserialize<InferenceBatchCompleted>(body, Json)!;
    }

    /// <summary>As the gateway sends it now: binary (<see cref="InferenceWireFormat"/>). Returns the answer and the content type it came in.</summary>
    public static async Task<(object Answer, string ContentType)> InferBinaryAsync(object message, string tenant, string queue)
    {
        var (type, contentType, body) = await RequestAsync(InferenceWireFormat.Encode(message), InferenceWireFormat.MediaType, tenant, queue, queue);
        if (contentType == InferenceWireFormat.MediaType)
        {
            return (InferenceWireFormat.Decode(body), contentType);
        }

        Assert.Contains(":InferenceRejected", type);
        return (JsonSerializer.Deserialize<InferenceRejected>(body, Json)!, contentType);
    }

    /// <summary>A message with no reply expected: for a poison body.</summary>
    public static async Task PublishAsync(string exchange, string contentType, byte[] body)
    {
        await using var connection = await new ConnectionFactory { Uri = new Uri(TestInfrastructure.RabbitMqUrl) }.CreateConnectionAsync();
        await using var channel = await connection.CreateChannelAsync();
        await channel.BasicPublishAsync(exchange, "", mandatory: false, new BasicProperties { ContentType = contentType, MessageId = Guid.NewGuid().ToString() }, body);
    }

    private static byte[] JsonBody(object message) => JsonSerializer.SerializeToUtf8Bytes(message, message.GetType(), Json);

    private static async Task<(string Type, string ContentType, byte[] Body)> RequestAsync(byte[] message, string contentType, string tenant, string model, string what)
    {
        var broker = new Uri(TestInfrastructure.RabbitMqUrl);
        await using var connection = await new ConnectionFactory { Uri = broker }.CreateConnectionAsync();
        await using var channel = await connection.CreateChannelAsync();

        // The worker's bus declares the reply exchange as the address says; declared here first, the same way.
        var replyExchange = $"orbit-test-reply-{Guid.NewGuid():N}";
        await channel.ExchangeDeclareAsync(replyExchange, ExchangeType.Fanout, durable: false, autoDelete: true);
        var queue = (await channel.QueueDeclareAsync("", durable: false, exclusive: true, autoDelete: true)).QueueName;
        await channel.QueueBindAsync(queue, replyExchange, "");

        var virtualHost = broker.AbsolutePath.Trim('/');
        var port = broker.IsDefaultPort ? 5672 : broker.Port;
        var replyAddress = $"rabbitmq://{broker.Host}:{port}/{(virtualHost.Length == 0 ? "" : virtualHost + "/")}{replyExchange}?durable=false&autodelete=true";
        var properties = new BasicProperties
        {
            ContentType = contentType,
            MessageId = Guid.NewGuid().ToString(),
            Headers = new Dictionary<string, object?> { ["MT-Response-Address"] = replyAddress },
        };
        await channel.BasicPublishAsync($"infer.{tenant}.{model}", "", mandatory: false, properties, message);

        var reply = await Eventually.GetAsync(() => channel.BasicGetAsync(queue, autoAck: true), TimeSpan.FromSeconds(60),
            $"an answer to {what}");
        var type = reply.BasicProperties.Headers?.TryGetValue("MT-MessageType", out var value) == true && value is byte[] bytes
            ? Encoding.UTF8.GetString(bytes)
            : "";
        return (type, reply.BasicProperties.ContentType ?? "", reply.Body.ToArray());
    }
}
