using System.Text;
using System.Text.Json;
using Confluent.Kafka;
using Microsoft.Extensions.Options;

namespace Orbit.Gateway.Predictions.Kafka;

/// <summary>
/// The Kafka ingress, when <see cref="KafkaOptions.BootstrapServers"/> is set: consumes the requests
/// topic in the gateways' consumer group, a window of up to <see cref="KafkaOptions.Concurrency"/>
/// messages at a time, computes them, produces each result to the results topic (keyed by request
/// id) or each refusal to the errors topic (the original message, the reason in its headers), and
/// commits the window's offsets only once every one of them is out: at-least-once, and a redelivered
/// request is answered from its stored result. A failure of the loop (the cluster unreachable)
/// restarts it after a pause; consumption never stops for a bad message.
/// </summary>
internal sealed partial class KafkaIngress(
    KafkaRequestHandler handler,
    IOptions<KafkaOptions> options,
    ILogger<KafkaIngress> logger) : BackgroundService
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        options.Value.Enabled
            ? Task.Factory.StartNew(() => Run(stoppingToken), stoppingToken, TaskCreationOptions.LongRunning, TaskScheduler.Default)
            : Task.CompletedTask;

    private void Run(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                Consume(stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex)
            {
                LogFailed(logger, ex);
                stoppingToken.WaitHandle.WaitOne(TimeSpan.FromSeconds(5));
            }
        }
    }

    private void Consume(CancellationToken stoppingToken)
    {
        var settings = options.Value;
        using var consumer = new ConsumerBuilder<byte[]?, byte[]>(Config(new ConsumerConfig
        {
            BootstrapServers = settings.BootstrapServers,
            GroupId = settings.GroupId,
            EnableAutoCommit = false,
            AutoOffsetReset = AutoOffsetReset.Earliest,
            // Subscribing to a topic nobody has written yet creates it where the cluster allows (the mock does).
            AllowAutoCreateTopics = true,
        }, settings)).Build();
        using var producer = new ProducerBuilder<byte[]?, byte[]>(Config(new ProducerConfig
        {
            BootstrapServers = settings.BootstrapServers,
            EnableIdempotence = true,
            Acks = Acks.All,
        }, settings)).Build();
        consumer.Subscribe(settings.RequestsTopic);
        LogStarted(logger, settings.BootstrapServers, settings.RequestsTopic, settings.GroupId);
        try
        {
            while (!stoppingToken.IsCancellationRequested)
            {
                var window = Take(consumer, settings.Concurrency, stoppingToken);
                if (window.Count == 0)
                {
                    continue;
                }

                Task.WhenAll(window.Select(m => AnswerAsync(m, producer, settings, stoppingToken))).GetAwaiter().GetResult();
                consumer.Commit(window.GroupBy(m => m.TopicPartition)
                    .Select(g => new TopicPartitionOffset(g.Key, new Offset(g.Max(m => m.Offset.Value) + 1))));
            }
        }
        finally
        {
            consumer.Close();
        }
    }

    /// <summary>The next messages: waits for one, then takes what is already there, up to the window size.</summary>
    private static List<ConsumeResult<byte[]?, byte[]>> Take(IConsumer<byte[]?, byte[]> consumer, int size, CancellationToken stoppingToken)
    {
        var window = new List<ConsumeResult<byte[]?, byte[]>>();
        var first = consumer.Consume(TimeSpan.FromMilliseconds(500));
        stoppingToken.ThrowIfCancellationRequested();
        if (first?.Message is null)
        {
            return window;
        }

        window.Add(first);
        while (window.Count < size && consumer.Consume(TimeSpan.Zero) is { Message: not null } next)
        {
            window.Add(next);
        }

        return window;
    }

    private async Task AnswerAsync(ConsumeResult<byte[]?, byte[]> request, IProducer<byte[]?, byte[]> producer, KafkaOptions settings, CancellationToken stoppingToken)
    {
        var headers = (request.Message.Headers ?? []).Select(h => (h.Key, (string?)Encoding.UTF8.GetString(h.GetValueBytes())));
        var (finished, refusal) = await handler.HandleAsync(headers, request.Message.Value ?? [], stoppingToken);
        if (refusal is not null)
        {
            LogRefused(logger, request.TopicPartitionOffset.ToString(), refusal.Field, refusal.Reason);
            await producer.ProduceAsync(settings.ErrorsTopic, Refused(request.Message, refusal), stoppingToken);
        }
        else if (finished is not null)
        {
            var result = finished.ToResultEvent();
            await producer.ProduceAsync(settings.ResultsTopic, new Message<byte[]?, byte[]>
            {
                Key = finished.RequestId is { } id ? Encoding.UTF8.GetBytes(id) : request.Message.Key,
                Value = JsonSerializer.SerializeToUtf8Bytes(result, result.GetType(), Json),
            }, stoppingToken);
        }
    }

    /// <summary>The refused message as it came, less its key header, with the reason and field added.</summary>
    private static Message<byte[]?, byte[]> Refused(Message<byte[]?, byte[]> original, KafkaRefusal refusal)
    {
        var headers = new Headers();
        foreach (var header in original.Headers ?? [])
        {
            if (!header.Key.Equals("x-api-key", StringComparison.OrdinalIgnoreCase) && !header.Key.Equals("authorization", StringComparison.OrdinalIgnoreCase))
            {
                headers.Add(header.Key, header.GetValueBytes());
            }
        }

        headers.Add(KafkaRefusal.ReasonHeader, Encoding.UTF8.GetBytes(refusal.Reason));
        headers.Add(KafkaRefusal.FieldHeader, Encoding.UTF8.GetBytes(refusal.Field));
        return new Message<byte[]?, byte[]> { Key = original.Key, Value = original.Value ?? [], Headers = headers };
    }

    private static T Config<T>(T config, KafkaOptions settings)
        where T : ClientConfig
    {
        foreach (var (key, value) in settings.Settings)
        {
            config.Set(key, value);
        }

        return config;
    }

    [LoggerMessage(EventId = GatewayLogEvents.KafkaStarted, Level = LogLevel.Information, Message = "Consuming Kafka {Servers} topic {Topic} in group {Group}")]
    private static partial void LogStarted(ILogger logger, string servers, string topic, string group);

    [LoggerMessage(EventId = GatewayLogEvents.KafkaRefused, Level = LogLevel.Warning, Message = "Kafka request at {Position} refused ({Field}): {Reason}; sent to the errors topic")]
    private static partial void LogRefused(ILogger logger, string position, string field, string reason);

    [LoggerMessage(EventId = GatewayLogEvents.KafkaFailed, Level = LogLevel.Error, Message = "The Kafka ingress failed; restarting it in 5 s (uncommitted requests are consumed again)")]
    private static partial void LogFailed(ILogger logger, Exception exception);
}
