using System.Net;
using System.Text;
using CsCheck;
using Orbit.Hardening.Tests.Support;
using Orbit.Testing;
using RabbitMQ.Client;

namespace Orbit.Hardening.Tests.Fuzz;

[Collection(PlatformCollection.Name)]
public sealed class BusFuzzTests(Platform platform)
{
    public const int Iterations = 200;

    /// <summary>
    /// 200 generated raw messages on the model's inference exchange, each with a reply address, one at
    /// a time. Nothing is lost: every message is answered (a rejection, or a fault naming the reason) or
    /// moved to the queue's <c>_error</c> queue with <c>MT-Fault-Message</c>; the worker keeps serving.
    /// </summary>
    [Fact]
    public async Task Malformed_bus_messages_are_answered_or_dead_lettered_with_a_reason_and_the_worker_keeps_serving()
    {
        var broker = new Uri(TestInfrastructure.RabbitMqUrl);
        await using var connection = await new ConnectionFactory { Uri = broker }.CreateConnectionAsync();
        await using var channel = await connection.CreateChannelAsync();
        var queue = $"infer.{platform.Owner.Id}.{platform.Model}";
        var errors = queue + "_error";
        await channel.QueueDeclarePassiveAsync(queue);
        var replyExchange = $"orbit-fuzz-reply-{Guid.NewGuid():N}";
        await channel.ExchangeDeclareAsync(replyExchange, ExchangeType.Fanout, durable: false, autoDelete: true);
        var replies = (await channel.QueueDeclareAsync("", durable: false, exclusive: true, autoDelete: true)).QueueName;
        await channel.QueueBindAsync(replies, replyExchange, "");
        var port = broker.IsDefaultPort ? 5672 : broker.Port;
        var virtualHost = broker.AbsolutePath.Trim('/');
        var replyAddress = $"rabbitmq://{broker.Host}:{port}/{(virtualHost.Length == 0 ? "" : virtualHost + "/")}{replyExchange}?durable=false&autodelete=true";
        // Declared as MassTransit declares it, so it exists before the first fault and can be read at once.
        await channel.QueueDeclareAsync(errors, durable: true, exclusive: false, autoDelete: false);
        await channel.QueuePurgeAsync(errors);

        var answered = 0;
        var deadLettered = 0;
        await BusMessages.For(platform.Owner.Id, platform.Model).SampleAsync(async body =>
        {
            var properties = new BasicProperties
            {
                ContentType = "application/json",
                MessageId = Guid.NewGuid().ToString(),
                Headers = new Dictionary<string, object?> { ["MT-Response-Address"] = replyAddress },
            };
            await channel.BasicPublishAsync(queue, "", mandatory: false, properties, body);
            // One message at a time: each must leave a trace (an answer or a dead letter) before the next goes.
            await Eventually.GetAsync(async () =>
            {
                var replies1 = await DrainAsync(channel, replies, _ => { });
                var errors1 = await DrainAsync(channel, errors, message =>
                    Assert.True(message.BasicProperties.Headers?.ContainsKey("MT-Fault-Message") == true, "a dead-lettered message without its reason"));
                answered += replies1;
                deadLettered += errors1;
                return replies1 + errors1 > 0 ? "accounted for" : null;
            }, TimeSpan.FromSeconds(10), $"an answer or a dead letter for {Encoding.UTF8.GetString(body)}");
        }, iter: Iterations, threads: 1);

        using var client = platform.Gateway(platform.Owner.Key);
        using var valid = await client.PostAsync($"/v2/models/{platform.Model}/infer", new StringContent(platform.InferBody, Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.OK, valid.StatusCode);
        Console.WriteLine($"fuzz: raw bus messages: {Iterations} published one at a time; {answered} answers, {deadLettered} dead-lettered with a reason");
    }

    private static async Task<int> DrainAsync(IChannel channel, string queue, Action<BasicGetResult> check)
    {
        var count = 0;
        while (await channel.BasicGetAsync(queue, autoAck: true) is { } message)
        {
            check(message);
            count++;
        }

        return count;
    }
}
