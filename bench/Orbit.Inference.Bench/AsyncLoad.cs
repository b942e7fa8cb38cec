using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using RabbitMQ.Client;
using RabbitMQ.Client.Events;

namespace Orbit.Inference.Bench;

/// <summary>
/// Asynchronous predictions in a closed loop: N loops each submit <c>POST /v1/predictions</c> and wait
/// for that prediction's result event on the results exchange (a queue of the bench's own, bound to
/// <c>#</c>), then submit the next. Latency is submit to result event.
/// </summary>
internal sealed class AsyncLoad : IAsyncDisposable
{
    private readonly ConcurrentDictionary<string, TaskCompletionSource<bool>> _waiting = new(StringComparer.Ordinal);
    private readonly IConnection _connection;
    private readonly IChannel _channel;

    private AsyncLoad(IConnection connection, IChannel channel)
    {
        _connection = connection;
        _channel = channel;
    }

    public static async Task<AsyncLoad> StartAsync(string amqpUrl)
    {
        var connection = await new ConnectionFactory { Uri = new Uri(amqpUrl) }.CreateConnectionAsync();
        var channel = await connection.CreateChannelAsync();
        await channel.ExchangeDeclareAsync("orbit.predictions.results", ExchangeType.Topic, durable: true, autoDelete: false);
        var queue = (await channel.QueueDeclareAsync("", durable: false, exclusive: true, autoDelete: true)).QueueName;
        await channel.QueueBindAsync(queue, "orbit.predictions.results", "#");
        var load = new AsyncLoad(connection, channel);
        var consumer = new AsyncEventingBasicConsumer(channel);
        consumer.ReceivedAsync += (_, delivery) =>
        {
            using var document = JsonDocument.Parse(delivery.Body);
            var id = document.RootElement.GetProperty("predictionId").GetString()!;
            var ok = document.RootElement.GetProperty("status").GetString() == "completed";
            // The event may come before the submit's answer was read: whoever is second completes it.
            load._waiting.GetOrAdd(id, _ => new TaskCompletionSource<bool>(TaskCreationOptions.RunContinuationsAsynchronously)).TrySetResult(ok);
            return Task.CompletedTask;
        };
        await channel.BasicConsumeAsync(queue, autoAck: true, consumer);
        return load;
    }

    public async Task<LoadResult> RunAsync(Target target, string model, byte[] inferBody, int concurrency, TimeSpan warmUp, TimeSpan duration, int priority = 5)
    {
        var body = Encoding.UTF8.GetBytes($"{{\"model\":\"{model}\",\"priority\":{priority}," + Encoding.UTF8.GetString(inferBody)[1..]);
        using var client = target.CreateClient(concurrency);
        var failures = new ConcurrentDictionary<string, long>();
        var start = Stopwatch.GetTimestamp();
        var measureFrom = start + (long)(warmUp.TotalSeconds * Stopwatch.Frequency);
        var measureTo = measureFrom + (long)(duration.TotalSeconds * Stopwatch.Frequency);
        var loops = Enumerable.Range(0, concurrency).Select(_ => Task.Run(async () =>
        {
            var latencies = new List<double>(4096);
            while (Stopwatch.GetTimestamp() < measureTo)
            {
                var sent = Stopwatch.GetTimestamp();
                var failure = await PredictAsync(client, body);
                var done = Stopwatch.GetTimestamp();
                if (done < measureFrom || done > measureTo)
                {
                    continue;
                }

                if (failure is null)
                {
                    latencies.Add(Stopwatch.GetElapsedTime(sent, done).TotalMilliseconds);
                }
                else
                {
                    failures.AddOrUpdate(failure, 1, (_, n) => n + 1);
                }
            }

            return latencies;
        })).ToArray();
        var all = (await Task.WhenAll(loops)).SelectMany(l => l).ToList();
        return LoadResult.From(all, duration.TotalSeconds, failures);
    }

    private async Task<string?> PredictAsync(HttpClient client, byte[] body)
    {
        try
        {
            using var content = new ByteArrayContent(body);
            content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
            using var response = await client.PostAsync("/v1/predictions", content);
            var text = await response.Content.ReadAsByteArrayAsync();
            if ((int)response.StatusCode != 202)
            {
                return ((int)response.StatusCode).ToString(System.Globalization.CultureInfo.InvariantCulture);
            }

            var id = JsonDocument.Parse(text).RootElement.GetProperty("id").GetString()!;
            var result = _waiting.GetOrAdd(id, _ => new TaskCompletionSource<bool>(TaskCreationOptions.RunContinuationsAsynchronously));
            var ok = await result.Task.WaitAsync(TimeSpan.FromSeconds(60));
            _waiting.TryRemove(id, out _);
            return ok ? null : "failed";
        }
        catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException or TimeoutException)
        {
            return ex.GetType().Name;
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _channel.DisposeAsync();
        await _connection.DisposeAsync();
    }
}
